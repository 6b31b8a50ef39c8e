// Getting a typed Frame ready for the search: encode the target (rows without one are left out), cut the
// holdout and the folds, and fit the lossless base chain (date parts, category codes; no statistics, no target)
// whose matrix every candidate reads through `frameFromMatrix` — exactly the path a served pipeline takes.

import { KilnError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { Task } from '../../core/learner.js';
import { Rng } from '../../core/rng.js';
import { encodeTarget, type FeatureChain, fitFeatureChain } from '../../features/index.js';
import { frameFromMatrix } from '../composite/ensemble-model.js';
import { type Fold, holdoutSplit, makeFolds, scoredRows, type SplitScheme } from './folds.js';

export interface PrepareInput {
  readonly frame: Frame;
  readonly target: string;
  readonly task: Task;
  readonly positive?: string;
  /** columns that are not features (identifiers, leaks) */
  readonly drop: readonly string[];
  readonly split: { readonly scheme: SplitScheme; readonly folds: number; readonly column?: string | null; readonly holdout: number };
  readonly seed: number;
}

export interface RowSet {
  /** the rows through the base chain and back: typed columns as the models see them */
  readonly frame: Frame;
  /** encoded target: class index or value */
  readonly y: Float64Array;
  /** positions in the input frame */
  readonly rows: Uint32Array;
}

export interface PreparedData extends RowSet {
  readonly task: Task;
  readonly target: string;
  /** classification: labels in class-index order (binary: positive last) */
  readonly classes?: readonly string[];
  /** classification: the class count; 0 for regression */
  readonly nClasses: number;
  /** fitted on the search rows; the shipped pipeline's chain */
  readonly baseChain: FeatureChain;
  readonly holdout: RowSet | null;
  readonly folds: readonly Fold[];
  /** (search rows) 1 where some fold scores the row */
  readonly scored: Uint8Array;
  /** rows left out because the target was missing */
  readonly missingTarget: number;
  /** classification: share of the rarest class in the search rows; 1 for regression */
  readonly minorityShare: number;
  /** the input columns used as features */
  readonly inputs: readonly string[];
  /** every labelled row (search and holdout), in input order, and its target: what the final fit learns from */
  readonly labelled: { readonly rows: Uint32Array; readonly y: Float64Array };
  /** columns that are never features (target, drops, a group column) */
  readonly exclude: readonly string[];
}

/** The rows the final model learns from: every labelled row, through a base chain fitted on all of them. */
export function finalRows(data: PreparedData, frame: Frame): RowSet & { baseChain: FeatureChain } {
  if (!data.holdout) return { frame: data.frame, y: data.y, rows: data.rows, baseChain: data.baseChain };
  const raw = frame.take(data.labelled.rows);
  const { chain, x } = fitFeatureChain(raw, { kind: 'tree', exclude: data.exclude, maxNativeLevels: 1 << 30 });
  return { frame: frameFromMatrix(chain.encoder.columns, x), y: data.labelled.y, rows: data.labelled.rows, baseChain: chain };
}

export function prepareData(input: PrepareInput): PreparedData {
  const { frame, target, task } = input;
  if (!frame.has(target)) throw new KilnError('E_PROJECT', `the target column "${target}" is not in the data`, { hint: `columns are: ${frame.names.slice(0, 30).join(', ')}` });
  const encoded = encodeTarget(frame, target, task, { positive: input.positive });
  const labelled: number[] = [];
  for (let i = 0; i < frame.nRows; i++) if (!Number.isNaN(encoded.y[i])) labelled.push(i);
  const missingTarget = frame.nRows - labelled.length;
  const nClasses = encoded.classes?.length ?? 0;
  const rng = new Rng(input.seed);
  const all = Uint32Array.from(labelled);
  const yAll = Float64Array.from(labelled, (i) => encoded.y[i]);
  const { order, groups } = splitColumns(frame, input.split, all);
  const split = { scheme: input.split.scheme, y: nClasses ? yAll : undefined, order, groups, rng: rng.fork() };
  const holdoutShare = labelled.length >= 1000 ? input.split.holdout : 0;
  const { search, holdout } = holdoutSplit(all.length, holdoutShare, split);

  const searchRows = Uint32Array.from(search, (i) => all[i]);
  const ySearch = Float64Array.from(search, (i) => yAll[i]);
  const exclude = [target, ...input.drop, ...(input.split.scheme === 'group' && input.split.column ? [input.split.column] : [])];
  const raw = frame.take(searchRows);
  // no target encoding here (maxNativeLevels beyond any data): the base chain must not learn from the target
  const { chain: baseChain, x } = fitFeatureChain(raw, { kind: 'tree', exclude, maxNativeLevels: 1 << 30 });
  if (baseChain.features.length === 0) throw new KilnError('E_PROJECT', 'no feature columns are left to learn from', { hint: 'check `drop` in kiln.yaml, and that the data has columns besides the target' });
  const columns = baseChain.encoder.columns;
  const folds = makeFolds(search.length, { scheme: input.split.scheme, folds: input.split.folds, y: nClasses ? ySearch : undefined, order: order && Float64Array.from(search, (i) => order[i]), groups: groups && Int32Array.from(search, (i) => groups[i]), rng: rng.fork() });

  let holdoutSet: RowSet | null = null;
  if (holdout.length) {
    const rows = Uint32Array.from(holdout, (i) => all[i]);
    holdoutSet = { frame: frameFromMatrix(columns, baseChain.transform(frame.take(rows))), y: Float64Array.from(holdout, (i) => yAll[i]), rows };
  }
  return {
    task,
    target,
    classes: encoded.classes,
    nClasses,
    baseChain,
    frame: frameFromMatrix(columns, x),
    y: ySearch,
    rows: searchRows,
    holdout: holdoutSet,
    folds,
    scored: scoredRows(search.length, folds),
    missingTarget,
    minorityShare: nClasses ? minority(ySearch, nClasses) : 1,
    inputs: baseChain.inputs,
    labelled: { rows: all, y: yAll },
    exclude,
  };
}

function minority(y: Float64Array, k: number): number {
  const counts = new Float64Array(k);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  return Math.min(...counts) / y.length;
}

/** the time order or group ids of the labelled rows, from split.column */
function splitColumns(frame: Frame, split: PrepareInput['split'], rows: Uint32Array): { order?: Float64Array; groups?: Int32Array } {
  if (split.scheme !== 'time' && split.scheme !== 'group') return {};
  const name = split.column;
  if (!name) throw new KilnError('E_PROJECT', `split.scheme "${split.scheme}" needs split.column`, { hint: split.scheme === 'time' ? 'name the column that orders the rows in time' : 'name the column whose rows belong together (a customer id, a patient)' });
  if (!frame.has(name)) throw new KilnError('E_PROJECT', `split.column "${name}" is not in the data`, { hint: `columns are: ${frame.names.slice(0, 30).join(', ')}` });
  const col = frame.column(name);
  if (split.scheme === 'time') {
    if (col.kind !== 'number' && col.kind !== 'datetime') throw new KilnError('E_PROJECT', `split.column "${name}" must hold dates or numbers to order rows in time, but holds ${col.kind === 'category' ? 'categories' : 'text'}`);
    return { order: Float64Array.from(rows, (i) => col.values[i]) };
  }
  const ids = new Map<string, number>();
  const groups = new Int32Array(rows.length);
  rows.forEach((row, r) => {
    const v = col.kind === 'category' ? (col.codes[row] < 0 ? null : col.dictionary[col.codes[row]]) : col.kind === 'text' ? col.values[row] : Number.isNaN(col.values[row]) ? null : String(col.values[row]);
    if (v === null) groups[r] = -1;
    else {
      if (!ids.has(v)) ids.set(v, ids.size);
      groups[r] = ids.get(v)!;
    }
  });
  return { groups };
}
