// OneHotEncoder: one 0/1 column per training level of a category column. Levels rarer than `minFrequency`, and
// beyond the `maxCategories` most frequent, share one "(other)" column (scikit-learn's infrequent categories).
// An unseen level or a gap gives all zeros (scikit-learn's handle_unknown="ignore"), never an error.

import type { Json } from '../core/artifact.js';
import { KilnError, ModelFormatError } from '../core/errors.js';
import { type Column, Frame, numberColumn } from '../core/frame.js';
import { codeMapper, expectArray, expectString, expectStrings, type FittedTransform, freshName, labelsOf, replaceColumns, requireColumn, sortLabels, type TransformJson } from './transform.js';

export interface OneHotOptions {
  /** columns to encode; default every category column */
  readonly columns?: readonly string[];
  /** an integer count (>= 1) or a share of the rows in (0, 1): rarer levels are grouped; default 1 (none) */
  readonly minFrequency?: number;
  /** at most this many output columns per input column, the "(other)" group included (>= 2); default unlimited */
  readonly maxCategories?: number | null;
}

interface OneHotColumn {
  readonly name: string;
  /** the levels with their own column, sorted */
  readonly levels: readonly string[];
  /** the levels grouped into the "(other)" column, sorted (empty: no such column) */
  readonly grouped: readonly string[];
  /** output column names: one per level, then "(other)" when some levels are grouped */
  readonly outputs: readonly string[];
}

const OWNER = 'one-hot encoder';

export class OneHotEncoder implements FittedTransform {
  readonly type = 'one-hot' as const;
  readonly columns: readonly OneHotColumn[];
  readonly inputs: readonly string[];
  /** per column: level → output position (grouped levels → the "(other)" position) */
  private readonly lookups: readonly Map<string, number>[];

  private constructor(columns: readonly OneHotColumn[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ ...c, levels: [...c.levels], grouped: [...c.grouped], outputs: [...c.outputs] })));
    this.inputs = Object.freeze(columns.map((c) => c.name));
    this.lookups = columns.map((c) => {
      const m = new Map<string, number>(c.levels.map((l, i) => [l, i]));
      for (const g of c.grouped) m.set(g, c.levels.length);
      return m;
    });
  }

  static fit(frame: Frame, options: OneHotOptions = {}): OneHotEncoder {
    const minFrequency = options.minFrequency ?? 1;
    if (!(minFrequency > 0 && (Number.isInteger(minFrequency) || minFrequency < 1)))
      throw new KilnError('E_PARAM', `${OWNER}: minFrequency = ${minFrequency}: must be an integer >= 1 or a share in (0, 1)`);
    const maxCategories = options.maxCategories ?? null;
    if (maxCategories !== null && !(Number.isInteger(maxCategories) && maxCategories >= 2))
      throw new KilnError('E_PARAM', `${OWNER}: maxCategories = ${maxCategories}: must be an integer >= 2 (or null)`);
    const names = options.columns ?? frame.names.filter((n) => frame.column(n).kind === 'category');
    const taken = new Set(frame.names);
    const columns = names.map((name) => {
      const col = requireColumn(OWNER, frame, name, ['category', 'text']);
      const counts = levelCounts(col, frame.nRows);
      const sorted = sortLabels(counts.keys());
      const count = sorted.map((l) => counts.get(l)!);
      // scikit-learn's rule: rarer than min_frequency (a count, or a share of all rows)...
      const threshold = Number.isInteger(minFrequency) && minFrequency >= 1 ? minFrequency : minFrequency * frame.nRows;
      const infrequent = count.map((c) => c < threshold);
      // ...and, when over max_categories (counting the group as one), the least frequent (stable on ties)
      const current = sorted.length - infrequent.filter(Boolean).length + 1;
      if (maxCategories !== null && maxCategories < current) {
        const byCount = sorted.map((_, i) => i).sort((a, b) => count[a] - count[b] || a - b);
        for (const i of byCount.slice(0, byCount.length - (maxCategories - 1))) infrequent[i] = true;
      }
      const levels = sorted.filter((_, i) => !infrequent[i]);
      const grouped = sorted.filter((_, i) => infrequent[i]);
      const outputs = levels.map((l) => freshName(`${name}=${l}`, taken));
      if (grouped.length) outputs.push(freshName(`${name}=(other)`, taken));
      return { name, levels, grouped, outputs };
    });
    return new OneHotEncoder(columns);
  }

  /** the output column names, in order */
  get outputNames(): string[] {
    return this.columns.flatMap((c) => c.outputs);
  }

  transform(frame: Frame): Frame {
    const n = frame.nRows;
    const replacements = new Map<string, (readonly [string, Column])[]>();
    this.columns.forEach((c, j) => {
      const position = codeMapper(requireColumn(OWNER, frame, c.name, ['category', 'text']), this.lookups[j]);
      const outs = c.outputs.map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        const p = position(i);
        if (p >= 0) outs[p][i] = 1; // unknown (-1) and missing (-2) rows stay all zeros
      }
      replacements.set(
        c.name,
        c.outputs.map((o, k) => [o, numberColumn(outs[k])] as const),
      );
    });
    return replaceColumns(frame, replacements);
  }

  toJSON(): TransformJson {
    return { type: 'one-hot', columns: this.columns.map((c) => ({ name: c.name, levels: [...c.levels], grouped: [...c.grouped], outputs: [...c.outputs] }) as Json) };
  }

  static fromJSON(json: TransformJson): OneHotEncoder {
    return new OneHotEncoder(
      expectArray(OWNER, json.columns, 'columns').map((raw, i) => {
        const c = raw as Record<string, unknown>;
        const levels = expectStrings(OWNER, c?.levels, `columns[${i}].levels`);
        const grouped = expectStrings(OWNER, c.grouped, `columns[${i}].grouped`);
        const outputs = expectStrings(OWNER, c.outputs, `columns[${i}].outputs`);
        if (outputs.length !== levels.length + (grouped.length ? 1 : 0)) throw new ModelFormatError(`${OWNER}: columns[${i}] has ${outputs.length} outputs for ${levels.length} levels`);
        return { name: expectString(OWNER, c.name, `columns[${i}].name`), levels, grouped, outputs };
      }),
    );
  }
}

/** how often each label occurs in the rows (gaps are not a level) */
export function levelCounts(col: Column, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  if (col.kind === 'category') {
    const perCode = new Float64Array(col.dictionary.length);
    for (let i = 0; i < n; i++) if (col.codes[i] >= 0) perCode[col.codes[i]]++;
    // a dictionary may hold labels no row uses (it came from more rows than these): they are not levels
    col.dictionary.forEach((label, k) => {
      if (perCode[k] > 0) counts.set(label, (counts.get(label) ?? 0) + perCode[k]);
    });
    return counts;
  }
  const label = labelsOf(col);
  for (let i = 0; i < n; i++) {
    const l = label(i);
    if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  return counts;
}
