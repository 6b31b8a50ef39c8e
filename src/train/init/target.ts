// Which column to predict: the one named with --target; else the column the goal talks about (its name, or one
// of its labels: "more than 50K" finds the column holding ">50K"); else a conventional name (target, label,
// class, y, churn…); else a last column with a few categories. Identifiers and free text are never targets.

import { KilnError } from '../../core/errors.js';
import type { Column, Frame } from '../../core/frame.js';
import type { ColumnInfo } from '../../data/index.js';
import { goalWords, nameWords } from './words.js';

export interface Choice<T> {
  readonly value: T;
  /** why, in words (written beside the choice in kiln.yaml) */
  readonly reason: string;
}

const COMMON_NAMES = ['target', 'label', 'labels', 'class', 'y', 'outcome', 'churn', 'response', 'result'];
/** a column with more labels than this is not matched by its labels (it is more like text than a target) */
const MAX_MATCHED_LABELS = 100;

/** up to `limit` distinct labels of a column (numbers as written) */
export function columnLabels(col: Column, limit = MAX_MATCHED_LABELS + 1): string[] {
  if (col.kind === 'category') return col.dictionary.slice(0, limit);
  if (col.kind === 'number') {
    const seen = new Set<string>();
    for (let i = 0; i < col.values.length && seen.size < limit; i++) if (!Number.isNaN(col.values[i])) seen.add(String(col.values[i]));
    return [...seen];
  }
  return [];
}

export function chooseTarget(frame: Frame, schema: readonly ColumnInfo[], options: { target?: string; goal?: string }): Choice<string> {
  if (options.target !== undefined) {
    if (!frame.has(options.target))
      throw new KilnError('E_PROJECT', `--target ${options.target}: no such column`, { hint: `columns are: ${frame.names.slice(0, 40).join(', ')}${frame.nCols > 40 ? ', …' : ''}` });
    return { value: options.target, reason: 'named with --target' };
  }
  const eligible = schema.filter((c) => c.type !== 'identifier' && c.type !== 'text');
  const words = goalWords(options.goal);
  if (words.size) {
    // by name: the share of the column name's words the goal uses (all of "median house value" beats "house")
    let best: { column: ColumnInfo; score: number } | null = null;
    for (const c of eligible) {
      const parts = nameWords(c.name).filter((w) => w.length > 1 || c.name.length === 1);
      const hits = parts.filter((w) => words.has(w)).length;
      const score = parts.length ? hits / parts.length + 0.01 * hits : 0;
      if (hits && (!best || score > best.score)) best = { column: c, score };
    }
    if (best && best.score >= 0.5) return { value: best.column.name, reason: `the goal mentions "${best.column.name}"` };
    // by label: a label of a column with few labels appears in the goal ("spam", "more than 50K")
    for (const c of eligible) {
      const labels = columnLabels(frame.column(c.name));
      if (!labels.length || labels.length > MAX_MATCHED_LABELS || c.kind === 'number') continue;
      const hit = labels.find((l) => {
        const parts = nameWords(l);
        return parts.length > 0 && parts.every((w) => words.has(w)) && !/^(yes|no|true|false)$/i.test(l.trim());
      });
      if (hit !== undefined) return { value: c.name, reason: `the goal mentions its label "${hit.trim()}"` };
    }
  }
  const byName = COMMON_NAMES.map((n) => eligible.find((c) => c.name.toLowerCase() === n)).find((c) => c !== undefined);
  if (byName) return { value: byName.name, reason: `"${byName.name}" is a usual name for the column to predict` };
  const last = schema[schema.length - 1];
  if (last && (last.type === 'boolean' || last.type === 'category') && columnLabels(frame.column(last.name)).length <= 20)
    return { value: last.name, reason: 'the last column, with a few categories, looks like the label' };
  throw new KilnError('E_PROJECT', 'could not tell which column to predict', {
    hint: `name it: kiln init <data> --target <column> (columns: ${frame.names.slice(0, 20).join(', ')}${frame.nCols > 20 ? ', …' : ''}), or describe it with --goal`,
  });
}
