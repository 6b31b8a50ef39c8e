// One column prepared once for the drift tests: a numeric column as its finite values sorted ascending (plus
// exact counts when it has few distinct values), a categorical column as counts per label. A `ColumnSource`
// hands these out by name, from a Frame (exact) or from a stored reference sketch (sample + exact summaries).

import { KilnError } from '../core/errors.js';
import { type Column, Frame, columnLength, countMissing } from '../core/frame.js';

/** numeric columns with at most this many distinct reference values keep exact per-value counts */
export const FEW_DISTINCT_LIMIT = 20;

export interface NumericValues {
  readonly kind: 'numeric';
  /** finite values, ascending: all of them from a Frame, the seeded sample from a sketch */
  readonly sorted: Float64Array;
  /** rows with a finite value in the full data (can exceed sorted.length when sorted is a sample) */
  readonly nPresent: number;
  /** population standard deviation (ddof 0) over the full data */
  readonly std: number;
  /** exact counts per distinct value (values ascending) when there are at most FEW_DISTINCT_LIMIT, else null */
  readonly distinct: { readonly values: Float64Array; readonly counts: Float64Array } | null;
}

export interface CategoricalValues {
  readonly kind: 'categorical';
  readonly labels: readonly string[];
  /** (labels.length) rows per label over the full data */
  readonly counts: Float64Array;
  readonly nPresent: number;
}

export type ColumnValues = NumericValues | CategoricalValues;

/** How many rows of a column are missing (NaN, ±Infinity, -1 code, null text). */
export interface MissingCount {
  readonly nRows: number;
  readonly nMissing: number;
}

/** Named columns ready for drift tests: a Frame, or a stored reference sketch. */
export interface ColumnSource {
  readonly nRows: number;
  readonly names: readonly string[];
  /** the column's kind in the Frame sense, or undefined when there is no such column */
  kindOf(name: string): Column['kind'] | undefined;
  /** prepared values for number and category columns; null for text and datetime columns */
  values(name: string): ColumnValues | null;
  missing(name: string): MissingCount;
}

/** Prepare one Frame column: exact, over every row. */
export function columnValues(column: Column): ColumnValues | null {
  if (column.kind === 'number') return numericValues(column.values);
  if (column.kind === 'category') {
    const counts = new Float64Array(column.dictionary.length);
    let nPresent = 0;
    for (const code of column.codes) {
      if (code < 0) continue;
      counts[code]++;
      nPresent++;
    }
    return { kind: 'categorical', labels: column.dictionary, counts, nPresent };
  }
  return null;
}

/** Sort the finite values, and measure spread and distinct values over all of them. */
export function numericValues(values: Float64Array): NumericValues {
  const sorted = finiteSorted(values);
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n || 1;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2;
  return { kind: 'numeric', sorted, nPresent: n, std: n ? Math.sqrt(ss / n) : 0, distinct: distinctCounts(sorted, FEW_DISTINCT_LIMIT) };
}

export function finiteSorted(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n); // (nFinite)
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[k++] = values[i];
  return out.sort();
}

/** counts per distinct value of sorted data, or null when there are more than `limit` distinct values */
export function distinctCounts(sorted: Float64Array, limit: number): { values: Float64Array; counts: Float64Array } | null {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      if (values.length === limit) return null;
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

export function missingOf(column: Column): MissingCount {
  const nRows = columnLength(column);
  if (column.kind !== 'number') return { nRows, nMissing: countMissing(column) };
  let nMissing = 0;
  for (const v of column.values) if (!Number.isFinite(v)) nMissing++;
  return { nRows, nMissing };
}

/** A Frame as a ColumnSource; each column is prepared on first use and kept. */
export function frameSource(frame: Frame): ColumnSource {
  const cache = new Map<string, ColumnValues | null>();
  return {
    nRows: frame.nRows,
    names: frame.names,
    kindOf: (name) => (frame.has(name) ? frame.column(name).kind : undefined),
    values(name) {
      if (!cache.has(name)) cache.set(name, columnValues(frame.column(name)));
      return cache.get(name) ?? null;
    },
    missing: (name) => missingOf(frame.column(name)),
  };
}

export function asSource(data: Frame | ColumnSource): ColumnSource {
  return data instanceof Frame ? frameSource(data) : data;
}

/**
 * Counts of both columns over the union of their categories, in one order: labels of a categorical column, or
 * the distinct values (as text) of a numeric column with few values. Unseen labels in either side count 0.
 */
export function alignedCounts(reference: ColumnValues, current: ColumnValues): { labels: string[]; reference: Float64Array; current: Float64Array } {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const add = (label: string): number => {
    let i = index.get(label);
    if (i === undefined) {
      i = labels.length;
      index.set(label, i);
      labels.push(label);
    }
    return i;
  };
  const collect = (v: ColumnValues): [number, number][] => {
    if (v.kind === 'categorical') return v.labels.map((label, i) => [add(label), v.counts[i]]);
    const d = v.distinct ?? distinctCounts(v.sorted, Number.MAX_SAFE_INTEGER);
    if (!d) throw new KilnError('E_INTERNAL', 'distinct counts are missing');
    return Array.from(d.values, (value, i) => [add(String(value)), d.counts[i]]);
  };
  const refPairs = collect(reference);
  const curPairs = collect(current);
  const ref = new Float64Array(labels.length);
  const cur = new Float64Array(labels.length);
  for (const [i, c] of refPairs) ref[i] += c;
  for (const [i, c] of curPairs) cur[i] += c;
  return { labels, reference: ref, current: cur };
}

/** distinct present values over both columns, counted up to `cap` (enough to decide "few values") */
export function distinctUnion(reference: ColumnValues, current: ColumnValues, cap: number): number {
  const seen = new Set<string | number>();
  const add = (v: ColumnValues): void => {
    if (v.kind === 'categorical') {
      for (let i = 0; i < v.labels.length && seen.size <= cap; i++) if (v.counts[i] > 0) seen.add(v.labels[i]);
      return;
    }
    const values = v.distinct ? v.distinct.values : v.sorted;
    for (let i = 0; i < values.length && seen.size <= cap; i++) seen.add(values[i]);
  };
  add(reference);
  add(current);
  return seen.size;
}
