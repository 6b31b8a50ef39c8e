// SimpleImputer: fills gaps with a value learned from training rows (median or mean for numbers and datetimes,
// the most frequent label for categories, or a constant), optionally adding a 0/1 "was missing" column for each
// column that had gaps in training (so a model can still tell that the value was unknown).

import type { Json } from '../core/artifact.js';
import { ModelFormatError } from '../core/errors.js';
import { type CategoryColumn, type Column, categoryColumn, type DatetimeColumn, Frame, numberColumn, type NumberColumn } from '../core/frame.js';
import { medianSorted } from './stats.js';
import { expectArray, expectNumber, expectString, type FittedTransform, freshName, labelsOf, replaceColumns, requireColumn, sortLabels, type TransformJson } from './transform.js';

export interface ImputerOptions {
  /** columns to impute; default every number, datetime and category column */
  readonly columns?: readonly string[];
  /** numbers and datetimes: 'median' (default), 'mean' or 'constant' (fillNumber) */
  readonly numeric?: 'median' | 'mean' | 'constant';
  /** categories: 'most-frequent' (default; ties go to the smallest label, as scikit-learn) or 'constant' (fillLabel) */
  readonly category?: 'most-frequent' | 'constant';
  /** default 0; also used when a column has no values at all in training */
  readonly fillNumber?: number;
  /** default "(missing)"; also used when a category column has no values at all in training */
  readonly fillLabel?: string;
  /** add `<name>__missing` (1 when the value was missing) for columns with gaps in training; default false */
  readonly indicators?: boolean;
}

interface ImputeColumn {
  readonly name: string;
  readonly kind: 'number' | 'datetime' | 'category';
  readonly fill: number | string;
  /** name of the added indicator column, or null */
  readonly indicator: string | null;
}

const OWNER = 'imputer';

export class SimpleImputer implements FittedTransform {
  readonly type = 'impute' as const;
  readonly columns: readonly ImputeColumn[];
  readonly inputs: readonly string[];

  private constructor(columns: readonly ImputeColumn[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ ...c })));
    this.inputs = Object.freeze(columns.map((c) => c.name));
  }

  static fit(frame: Frame, options: ImputerOptions = {}): SimpleImputer {
    const names = options.columns ?? frame.names.filter((n) => frame.column(n).kind !== 'text');
    const taken = new Set(frame.names);
    const columns: ImputeColumn[] = [];
    for (const name of names) {
      const col = requireColumn(OWNER, frame, name, ['number', 'datetime', 'category']) as NumberColumn | DatetimeColumn | CategoryColumn;
      let fill: number | string;
      let gaps: boolean;
      if (col.kind === 'category') {
        const r = mostFrequent(col);
        gaps = r.missing > 0;
        fill = options.category === 'constant' || r.label === null ? (options.fillLabel ?? '(missing)') : r.label;
      } else {
        const present = col.values.filter((v) => !Number.isNaN(v));
        gaps = present.length < col.values.length;
        if (options.numeric === 'constant' || present.length === 0) fill = options.fillNumber ?? 0;
        else if (options.numeric === 'mean') fill = present.reduce((a, b) => a + b, 0) / present.length;
        else fill = medianSorted(present.sort());
      }
      const indicator = options.indicators && gaps ? freshName(`${name}__missing`, taken) : null;
      columns.push({ name, kind: col.kind, fill, indicator });
    }
    return new SimpleImputer(columns);
  }

  transform(frame: Frame): Frame {
    const replacements = new Map<string, (readonly [string, Column])[]>();
    for (const c of this.columns) {
      const col = requireColumn(OWNER, frame, c.name, c.kind === 'category' ? ['category', 'text'] : [c.kind]);
      const n = frame.nRows;
      const missing = new Float64Array(c.indicator ? n : 0);
      let filled: Column;
      if (col.kind === 'category' || col.kind === 'text') {
        filled = fillCategory(col, c.fill as string, missing);
      } else {
        const src = (col as { values: Float64Array }).values;
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = src[i];
          if (Number.isNaN(v)) {
            out[i] = c.fill as number;
            if (c.indicator) missing[i] = 1;
          } else out[i] = v;
        }
        filled = { kind: col.kind as 'number' | 'datetime', values: out };
      }
      const outputs: (readonly [string, Column])[] = [[c.name, filled]];
      if (c.indicator) outputs.push([c.indicator, numberColumn(missing)]);
      replacements.set(c.name, outputs);
    }
    return replaceColumns(frame, replacements);
  }

  toJSON(): TransformJson {
    return { type: 'impute', columns: this.columns.map((c) => ({ ...c }) as unknown as Json) };
  }

  static fromJSON(json: TransformJson): SimpleImputer {
    const columns = expectArray(OWNER, json.columns, 'columns').map((raw, i) => {
      const c = raw as Record<string, unknown>;
      const name = expectString(OWNER, c?.name, `columns[${i}].name`);
      const kind = c.kind;
      if (kind !== 'number' && kind !== 'datetime' && kind !== 'category') throw new ModelFormatError(`${OWNER}: columns[${i}].kind is not a known kind`);
      const fill = kind === 'category' ? expectString(OWNER, c.fill, `columns[${i}].fill`) : expectNumber(OWNER, c.fill, `columns[${i}].fill`);
      const indicator = c.indicator === null ? null : expectString(OWNER, c.indicator, `columns[${i}].indicator`);
      return { name, kind, fill, indicator } as ImputeColumn;
    });
    return new SimpleImputer(columns);
  }
}

/** the most frequent label (smallest on ties) and the number of missing rows */
function mostFrequent(col: CategoryColumn): { label: string | null; missing: number } {
  const counts = new Float64Array(col.dictionary.length);
  let missing = 0;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i];
    if (c < 0) missing++;
    else counts[c]++;
  }
  let best = 0;
  for (let k = 0; k < counts.length; k++) best = Math.max(best, counts[k]);
  if (best === 0) return { label: null, missing };
  const tied = col.dictionary.filter((_, k) => counts[k] === best);
  return { label: sortLabels(tied)[0], missing };
}

/** a category column with gaps set to `fill` (added to the dictionary when new); marks gaps in `missing` if sized */
function fillCategory(col: Column, fill: string, missing: Float64Array): CategoryColumn {
  const n = missing.length || (col.kind === 'category' ? col.codes.length : col.values.length);
  if (col.kind === 'category') {
    let fillCode = col.dictionary.indexOf(fill);
    const dictionary = fillCode < 0 ? [...col.dictionary, fill] : col.dictionary;
    if (fillCode < 0) fillCode = col.dictionary.length;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = col.codes[i];
      if (c < 0) {
        codes[i] = fillCode;
        if (missing.length) missing[i] = 1;
      } else codes[i] = c;
    }
    return categoryColumn(codes, dictionary);
  }
  const label = labelsOf(col);
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let l = label(i);
    if (l === null) {
      l = fill;
      if (missing.length) missing[i] = 1;
    }
    let code = index.get(l);
    if (code === undefined) {
      code = dictionary.length;
      index.set(l, code);
      dictionary.push(l);
    }
    codes[i] = code;
  }
  return categoryColumn(codes, dictionary);
}
