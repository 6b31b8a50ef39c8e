// Turns a Frame into the column-major Matrix a learner consumes, with what it learned at fit time kept as data:
// numbers and datetimes pass through (NaN = missing), categories become codes into the training dictionary
// (an unseen label becomes NaN, i.e. "missing", the way the model was trained to handle gaps). Text columns
// are not encoded here: text vectorisers produce their own numeric columns.

import { KilnError } from '../core/errors.js';
import { type Column, Frame } from '../core/frame.js';
import type { FeatureInfo, Matrix, Task } from '../core/learner.js';

export interface ColumnEncoding {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical' | 'datetime';
  /** categorical: the training labels, in code order */
  readonly dictionary?: readonly string[];
}

export interface TabularEncoderJson {
  columns: ColumnEncoding[];
}

export class TabularEncoder {
  readonly columns: readonly ColumnEncoding[];
  readonly features: readonly FeatureInfo[];
  private readonly lookups: (Map<string, number> | null)[];

  private constructor(columns: readonly ColumnEncoding[]) {
    this.columns = columns;
    this.features = columns.map((c) =>
      c.kind === 'categorical'
        ? { name: c.name, kind: 'categorical' as const, nCategories: c.dictionary?.length ?? 0 }
        : { name: c.name, kind: 'numeric' as const },
    );
    this.lookups = columns.map((c) => (c.kind === 'categorical' ? new Map((c.dictionary ?? []).map((label, i) => [label, i])) : null));
  }

  /** Learn the encoding of every non-text column of `frame` except `exclude` (target, identifiers, dropped). */
  static fit(frame: Frame, options: { exclude?: readonly string[] } = {}): TabularEncoder {
    const exclude = new Set(options.exclude ?? []);
    const columns: ColumnEncoding[] = [];
    for (const [name, col] of frame.entries()) {
      if (exclude.has(name) || col.kind === 'text') continue;
      if (col.kind === 'category') columns.push({ name, kind: 'categorical', dictionary: [...col.dictionary] });
      else columns.push({ name, kind: col.kind === 'datetime' ? 'datetime' : 'numeric' });
    }
    return new TabularEncoder(columns);
  }

  static fromJSON(json: TabularEncoderJson): TabularEncoder {
    if (!json || !Array.isArray(json.columns)) throw new KilnError('E_MODEL_FORMAT', 'tabular encoder: missing column list');
    for (const c of json.columns) {
      if (typeof c?.name !== 'string' || !['numeric', 'categorical', 'datetime'].includes(c.kind))
        throw new KilnError('E_MODEL_FORMAT', 'tabular encoder: malformed column entry');
      if (c.kind === 'categorical' && !(Array.isArray(c.dictionary) && c.dictionary.every((d) => typeof d === 'string')))
        throw new KilnError('E_MODEL_FORMAT', `tabular encoder: column "${c.name}" has no dictionary`);
    }
    return new TabularEncoder(json.columns);
  }

  toJSON(): TabularEncoderJson {
    return { columns: this.columns.map((c) => ({ ...c, ...(c.dictionary ? { dictionary: [...c.dictionary] } : {}) })) };
  }

  /** Encode a frame holding (at least) the fitted columns; fails naming any missing or mistyped column. */
  transform(frame: Frame): Matrix {
    const n = frame.nRows;
    const data = new Float64Array(n * this.columns.length);
    this.columns.forEach((enc, j) => {
      if (!frame.has(enc.name))
        throw new KilnError('E_DATA_SCHEMA', `column "${enc.name}" is missing`, { hint: 'the model was trained with it; supply it (null when unknown)' });
      encodeColumn(enc, this.lookups[j], frame.column(enc.name), data.subarray(j * n, (j + 1) * n));
    });
    return { nRows: n, nCols: this.columns.length, data };
  }
}

function encodeColumn(enc: ColumnEncoding, lookup: Map<string, number> | null, col: Column, out: Float64Array): void {
  const n = out.length;
  if (enc.kind === 'categorical') {
    if (col.kind === 'category') {
      // remap once per dictionary entry, not once per row
      const remap = new Float64Array(col.dictionary.length);
      for (let k = 0; k < col.dictionary.length; k++) remap[k] = lookup!.get(col.dictionary[k]) ?? NaN;
      for (let i = 0; i < n; i++) {
        const c = col.codes[i];
        out[i] = c < 0 ? NaN : remap[c];
      }
      return;
    }
    if (col.kind === 'text' || col.kind === 'number') {
      // labels may arrive as plain strings or numbers (JSON requests, a CSV where the column looked numeric)
      for (let i = 0; i < n; i++) {
        const v = col.kind === 'text' ? col.values[i] : Number.isNaN(col.values[i]) ? null : String(col.values[i]);
        out[i] = v === null ? NaN : (lookup!.get(v) ?? NaN);
      }
      return;
    }
  } else if (col.kind === 'number' || col.kind === 'datetime') {
    out.set(col.values);
    return;
  }
  throw new KilnError('E_DATA_SCHEMA', `column "${enc.name}" should be ${enc.kind === 'categorical' ? 'a category' : 'a number'}, but is ${col.kind}`);
}

export interface EncodedTarget {
  readonly task: Task;
  /** regression: the values; classification: class index per row (NaN where the label is missing) */
  readonly y: Float64Array;
  /** classification: the class labels in index order (sorted, so the encoding is stable across data sets) */
  readonly classes?: readonly string[];
}

/**
 * Encode the target column. Classification labels are sorted (numbers numerically, else as strings) so that
 * class indices do not depend on row order; `positive`, when given for a binary task, is placed at index 1.
 */
export function encodeTarget(frame: Frame, target: string, task: Task, options: { classes?: readonly string[]; positive?: string } = {}): EncodedTarget {
  const col = frame.column(target);
  const n = frame.nRows;
  if (task === 'regression') {
    if (col.kind !== 'number') throw new KilnError('E_DATA_SCHEMA', `target "${target}" must be numeric for regression, but is ${col.kind}`);
    return { task, y: col.values.slice() };
  }
  const labels: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) labels[i] = labelAt(col, i);
  let classes = options.classes ? [...options.classes] : sortLabels([...new Set(labels.filter((l): l is string => l !== null))]);
  if (!options.classes && task === 'binary' && options.positive !== undefined) {
    const pos = String(options.positive);
    if (!classes.includes(pos)) throw new KilnError('E_DATA_SCHEMA', `positive class "${pos}" does not occur in "${target}"`, { hint: `labels are: ${classes.join(', ')}` });
    classes = [...classes.filter((c) => c !== pos), pos];
  }
  if (task === 'binary' && classes.length !== 2)
    throw new KilnError('E_DATA_SCHEMA', `target "${target}" has ${classes.length} classes; a binary task needs exactly 2`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    y[i] = l === null ? NaN : (index.get(l) ?? NaN);
  }
  return { task, y, classes };
}

function labelAt(col: Column, i: number): string | null {
  switch (col.kind) {
    case 'category':
      return col.codes[i] < 0 ? null : col.dictionary[col.codes[i]];
    case 'text':
      return col.values[i];
    case 'number':
    case 'datetime':
      return Number.isNaN(col.values[i]) ? null : String(col.values[i]);
  }
}

function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}

/** Encode a frame for learning: the feature matrix plus the encoded target. */
export function frameToTrainSet(
  frame: Frame,
  target: string,
  task: Task,
  options: { drop?: readonly string[]; positive?: string } = {},
): { encoder: TabularEncoder; x: Matrix; features: readonly FeatureInfo[]; target: EncodedTarget } {
  const encoder = TabularEncoder.fit(frame, { exclude: [target, ...(options.drop ?? [])] });
  return { encoder, x: encoder.transform(frame), features: encoder.features, target: encodeTarget(frame, target, task, options) };
}
