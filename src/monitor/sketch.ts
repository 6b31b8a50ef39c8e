// The reference sketch stored with a model version, so monitoring never needs the training file again:
// a seeded fixed-size sample of the training rows plus exact per-column summaries (row and missing counts,
// mean/std/min/max and percentiles, exact counts for categories and few-valued numbers). It is a ColumnSource,
// so `detectDrift(sketch, current)` works as with a Frame, and it round-trips through an Artifact.
//
// What is exact and what is sampled: category counts, missing shares, the reference size (which picks the
// test), the normalising std and few-valued numeric counts come from all rows; numeric distributions for KS,
// Wasserstein and binned scores come from the sample (all rows when the data has <= sampleSize rows).

import { type Artifact, type Json, requireArray } from '../core/artifact.js';
import { KilnError, ModelFormatError } from '../core/errors.js';
import { type Column, type ColumnKind, Frame, categoryColumn, columnLength, datetimeColumn, numberColumn } from '../core/frame.js';
import { constraints, mergeParams, validateParams, type ParamTable } from '../core/params.js';
import { Rng } from '../core/rng.js';
import { type ColumnSource, type ColumnValues, type MissingCount, columnValues, finiteSorted, missingOf, numericValues } from './column-values.js';
import { stringList } from './drift-options.js';
import { quantileSorted } from './stats/binning.js';

export const SKETCH_KIND = 'monitor.reference-sketch';
const SKETCH_FORMAT = 1;
/** percentiles 0, 1, …, 100 */
const N_QUANTILES = 101;

export interface SketchOptions {
  /** rows kept in the sample (all rows when the data is smaller); >= 1000 keeps small-reference KS tests exact */
  sampleSize: number;
  seed: number;
  /** columns left out entirely (identifiers, free text you do not want stored) */
  exclude: readonly string[];
}

const SKETCH_OPTIONS: ParamTable<SketchOptions> = {
  sampleSize: { default: 5000, doc: 'rows kept in the sample', check: constraints.int(1, 10_000_000) },
  seed: { default: 42, doc: 'seed of the row sample', check: constraints.number },
  exclude: { default: [], doc: 'columns left out', check: stringList },
};

interface BaseSummary {
  readonly name: string;
  readonly nRows: number;
  readonly nMissing: number;
}
export interface NumberSummary extends BaseSummary {
  readonly kind: 'number';
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** (101) percentiles 0..100 of the present values, linear interpolation; NaN when there are none */
  readonly quantiles: Float64Array;
  readonly distinct: { readonly values: Float64Array; readonly counts: Float64Array } | null;
}
export interface CategorySummary extends BaseSummary {
  readonly kind: 'category';
  readonly labels: readonly string[];
  /** (labels.length) rows per label */
  readonly counts: Float64Array;
}
export interface OtherSummary extends BaseSummary {
  readonly kind: 'text' | 'datetime';
  /** datetime: earliest and latest instant (epoch ms); text: NaN */
  readonly min: number;
  readonly max: number;
}
export type ColumnSummary = NumberSummary | CategorySummary | OtherSummary;

export class ReferenceSketch implements ColumnSource {
  readonly nRows: number;
  readonly names: readonly string[];
  readonly seed: number;
  /** the sampled rows (number, category and datetime columns; text is summarised only) */
  readonly sample: Frame;
  private readonly summaries: ReadonlyMap<string, ColumnSummary>;

  private constructor(nRows: number, seed: number, sample: Frame, summaries: ColumnSummary[]) {
    this.nRows = nRows;
    this.seed = seed;
    this.sample = sample;
    this.names = Object.freeze(summaries.map((s) => s.name));
    this.summaries = new Map(summaries.map((s) => [s.name, s]));
  }

  /** Summarise every column of `frame` exactly and keep a seeded sample of its rows. */
  static build(frame: Frame, options: Partial<SketchOptions> = {}): ReferenceSketch {
    const opts = mergeParams(SKETCH_OPTIONS, options);
    validateParams(SKETCH_OPTIONS, opts, 'reference sketch');
    const exclude = new Set(opts.exclude);
    const kept = frame.names.filter((n) => !exclude.has(n));
    const rows = new Rng(opts.seed).sample(frame.nRows, Math.min(opts.sampleSize, frame.nRows));
    const sample = frame.select(kept.filter((n) => frame.column(n).kind !== 'text')).take(rows);
    return new ReferenceSketch(frame.nRows, opts.seed, sample, kept.map((n) => summarise(n, frame.column(n))));
  }

  summary(name: string): ColumnSummary {
    const s = this.summaries.get(name);
    if (!s) throw new KilnError('E_DATA_SCHEMA', `the reference sketch has no column "${name}"`, { hint: `it has: ${this.names.join(', ')}` });
    return s;
  }

  kindOf(name: string): ColumnKind | undefined {
    return this.summaries.get(name)?.kind;
  }

  values(name: string): ColumnValues | null {
    const s = this.summary(name);
    if (s.kind === 'category') return { kind: 'categorical', labels: s.labels, counts: s.counts, nPresent: s.nRows - s.nMissing };
    if (s.kind !== 'number') return null;
    const column = this.sample.column(name);
    if (column.kind !== 'number') throw new KilnError('E_INTERNAL', `sketch sample column "${name}" is not numeric`);
    const sorted = finiteSorted(column.values);
    return { kind: 'numeric', sorted, nPresent: s.nRows - s.nMissing, std: s.std, distinct: s.distinct };
  }

  missing(name: string): MissingCount {
    const s = this.summary(name);
    return { nRows: s.nRows, nMissing: s.nMissing };
  }

  toArtifact(): Artifact {
    const arrays: Record<string, Float64Array | Int32Array> = {};
    const columns: Json[] = [];
    for (const name of this.names) {
      const s = this.summary(name);
      const entry: { [key: string]: Json } = { name, kind: s.kind, nRows: s.nRows, nMissing: s.nMissing };
      if (s.kind === 'number') {
        Object.assign(entry, { mean: json(s.mean), std: json(s.std), min: json(s.min), max: json(s.max), distinct: s.distinct !== null });
        arrays[`quantiles/${name}`] = s.quantiles;
        if (s.distinct) {
          arrays[`distinct-values/${name}`] = s.distinct.values;
          arrays[`distinct-counts/${name}`] = s.distinct.counts;
        }
      } else if (s.kind === 'category') {
        entry.labels = [...s.labels];
        arrays[`counts/${name}`] = s.counts;
      } else {
        Object.assign(entry, { min: json(s.min), max: json(s.max) });
      }
      if (this.sample.has(name)) {
        const col = this.sample.column(name);
        arrays[`sample/${name}`] = col.kind === 'category' ? col.codes : (col as { values: Float64Array }).values;
      }
      columns.push(entry);
    }
    return { kind: SKETCH_KIND, meta: { format: SKETCH_FORMAT, nRows: this.nRows, seed: this.seed, sampleRows: this.sample.nRows, columns }, arrays };
  }

  /** Rebuild from an artifact, checking every field and array size before use. */
  static fromArtifact(artifact: Artifact): ReferenceSketch {
    const fail = (why: string): never => {
      throw new ModelFormatError(`reference sketch: ${why}`);
    };
    if (artifact.kind !== SKETCH_KIND) fail(`kind is "${artifact.kind}", expected "${SKETCH_KIND}"`);
    const m = artifact.meta;
    if (m.format !== SKETCH_FORMAT) fail(`format ${String(m.format)} is not supported (this Kiln reads ${SKETCH_FORMAT})`);
    const nRows = count(m.nRows) ?? fail('nRows is missing');
    const sampleRows = count(m.sampleRows) ?? fail('sampleRows is missing');
    if (typeof m.seed !== 'number' || !Array.isArray(m.columns)) fail('seed or column list is missing');
    const summaries: ColumnSummary[] = [];
    const sampleColumns: [string, Column][] = [];
    for (const raw of m.columns as Json[]) {
      const e = (raw ?? {}) as { [key: string]: Json };
      const name = typeof e.name === 'string' ? e.name : fail('a column has no name');
      const base = { name, nRows: count(e.nRows) ?? fail(`column "${name}": bad nRows`), nMissing: count(e.nMissing) ?? fail(`column "${name}": bad nMissing`) };
      if (e.kind === 'number') {
        const distinct = e.distinct
          ? { values: requireArray(artifact, `distinct-values/${name}`, Float64Array), counts: requireArray(artifact, `distinct-counts/${name}`, Float64Array) }
          : null;
        if (distinct && distinct.values.length !== distinct.counts.length) fail(`column "${name}": distinct values and counts differ in length`);
        const quantiles = requireArray(artifact, `quantiles/${name}`, Float64Array, N_QUANTILES);
        summaries.push({ ...base, kind: 'number', mean: num(e.mean), std: num(e.std), min: num(e.min), max: num(e.max), quantiles, distinct });
        sampleColumns.push([name, numberColumn(requireArray(artifact, `sample/${name}`, Float64Array, sampleRows))]);
      } else if (e.kind === 'category') {
        const labels = Array.isArray(e.labels) && e.labels.every((l) => typeof l === 'string') ? (e.labels as string[]) : fail(`column "${name}": bad labels`);
        const counts = requireArray(artifact, `counts/${name}`, Float64Array, labels.length);
        const codes = requireArray(artifact, `sample/${name}`, Int32Array, sampleRows);
        for (const c of codes) if (c < -1 || c >= labels.length) fail(`column "${name}": sample code ${c} is out of range`);
        summaries.push({ ...base, kind: 'category', labels, counts });
        sampleColumns.push([name, categoryColumn(codes, labels)]);
      } else if (e.kind === 'datetime' || e.kind === 'text') {
        summaries.push({ ...base, kind: e.kind, min: num(e.min), max: num(e.max) });
        if (e.kind === 'datetime') sampleColumns.push([name, datetimeColumn(requireArray(artifact, `sample/${name}`, Float64Array, sampleRows))]);
      } else fail(`column "${name}" has unknown kind ${JSON.stringify(e.kind)}`);
    }
    return new ReferenceSketch(nRows, m.seed as number, Frame.fromColumns(sampleColumns, sampleRows), summaries);
  }
}

function summarise(name: string, column: Column): ColumnSummary {
  const { nRows, nMissing } = missingOf(column);
  if (column.kind === 'number') {
    const v = numericValues(column.values);
    const n = v.sorted.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += v.sorted[i];
    mean = n ? mean / n : NaN;
    const quantiles = new Float64Array(N_QUANTILES);
    for (let q = 0; q < N_QUANTILES; q++) quantiles[q] = quantileSorted(v.sorted, q / (N_QUANTILES - 1));
    return { name, kind: 'number', nRows, nMissing, mean, std: n ? v.std : NaN, min: n ? v.sorted[0] : NaN, max: n ? v.sorted[n - 1] : NaN, quantiles, distinct: v.distinct };
  }
  if (column.kind === 'category') {
    const v = columnValues(column);
    return { name, kind: 'category', nRows, nMissing, labels: [...column.dictionary], counts: v?.kind === 'categorical' ? v.counts : new Float64Array(0) };
  }
  let min = NaN;
  let max = NaN;
  if (column.kind === 'datetime') {
    const present = finiteSorted(column.values);
    if (present.length) [min, max] = [present[0], present[present.length - 1]];
  }
  return { name, kind: column.kind, nRows: columnLength(column), nMissing, min, max };
}

/** JSON has no NaN or Infinity: non-finite summary numbers are stored as null */
function json(v: number): Json {
  return Number.isFinite(v) ? v : null;
}
function num(v: Json | undefined): number {
  return typeof v === 'number' ? v : NaN;
}
function count(v: Json | undefined): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}
