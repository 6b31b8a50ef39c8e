// Validation splits: which rows train and which rows score each fold, and the holdout kept out of the search.
//   kfold       shuffled rows cut into k parts
//   stratified  each class dealt round-robin over the folds, so every fold has the class balance of the whole
//   time        rows ordered by a time column; fold i trains on everything before its block (expanding window,
//               as scikit-learn's TimeSeriesSplit), so no model sees the future; the earliest block is never scored
//   group       whole groups go to one fold (GroupKFold: largest groups first, each to the lightest fold)
// Row indices are Uint32Array, ascending within each part.

import { KilnError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

export type SplitScheme = 'kfold' | 'stratified' | 'time' | 'group';

export interface Fold {
  /** rows the fold's models learn from */
  readonly train: Uint32Array;
  /** rows they are scored on (each row is scored in at most one fold) */
  readonly valid: Uint32Array;
}

export interface SplitInput {
  readonly scheme: SplitScheme;
  readonly folds: number;
  /** classification: class index per row (for stratification) */
  readonly y?: Float64Array;
  /** time: the ordering value per row (epoch ms or any number; NaN sorts first) */
  readonly order?: Float64Array;
  /** group: a group id per row (-1 = no group: the row is its own group) */
  readonly groups?: Int32Array;
  readonly rng: Rng;
}

const ascending = (rows: number[]): Uint32Array => Uint32Array.from(rows).sort();

/** Cut rows 0..n-1 into folds. */
export function makeFolds(n: number, input: SplitInput): Fold[] {
  const k = input.folds;
  if (!(Number.isInteger(k) && k >= 2)) throw new KilnError('E_PROJECT', `split.folds = ${k}: must be a whole number >= 2`);
  if (n < k * 2) throw new KilnError('E_DATA_EMPTY', `${n} rows are too few for ${k}-fold validation`, { hint: 'use fewer folds or more data' });
  switch (input.scheme) {
    case 'time':
      return timeFolds(n, k, input.order);
    case 'group':
      return groupFolds(n, k, input.groups, input.rng);
    default:
      return partsToFolds(n, assign(n, k, input.scheme === 'stratified' ? input.y : undefined, input.rng), k);
  }
}

/** fold number per row: shuffled, and per class when `y` is given */
function assign(n: number, k: number, y: Float64Array | undefined, rng: Rng): Int32Array {
  const fold = new Int32Array(n);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = y ? y[i] : 0;
    const list = byClass.get(c) ?? [];
    list.push(i);
    byClass.set(c, list);
  }
  // a running offset keeps small classes from all landing in fold 0
  let offset = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(byClass.get(c)!);
    for (let r = 0; r < rows.length; r++) fold[rows[r]] = (offset + r) % k;
    offset = (offset + rows.length) % k;
  }
  return fold;
}

function partsToFolds(n: number, fold: Int32Array, k: number): Fold[] {
  const out: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const valid: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? valid : train).push(i);
    out.push({ train: ascending(train), valid: ascending(valid) });
  }
  return out;
}

function timeOrder(n: number, order: Float64Array | undefined): number[] {
  if (!order || order.length !== n) throw new KilnError('E_PROJECT', 'a time split needs the time column (split.column)');
  // stable: equal times keep file order
  const key = (i: number): number => (Number.isNaN(order[i]) ? -Infinity : order[i]);
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
}

function timeFolds(n: number, k: number, order: Float64Array | undefined): Fold[] {
  const sorted = timeOrder(n, order);
  const block = Math.floor(n / (k + 1));
  const out: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const start = (f + 1) * block;
    const end = f === k - 1 ? n : start + block;
    out.push({ train: ascending(sorted.slice(0, start)), valid: ascending(sorted.slice(start, end)) });
  }
  return out;
}

function groupFolds(n: number, k: number, groups: Int32Array | undefined, rng: Rng): Fold[] {
  if (!groups || groups.length !== n) throw new KilnError('E_PROJECT', 'a group split needs the group column (split.column)');
  const members = new Map<number, number[]>();
  let solo = -2;
  for (let i = 0; i < n; i++) {
    const g = groups[i] < 0 ? solo-- : groups[i];
    const list = members.get(g) ?? [];
    list.push(i);
    members.set(g, list);
  }
  if (members.size < k) throw new KilnError('E_DATA_SCHEMA', `the group column has ${members.size} groups, fewer than ${k} folds`, { hint: 'use fewer folds' });
  // shuffle first so equal-sized groups are spread at random, then largest first to the lightest fold
  const ids = rng.shuffle([...members.keys()]);
  ids.sort((a, b) => members.get(b)!.length - members.get(a)!.length);
  const load = new Float64Array(k);
  const fold = new Int32Array(n);
  for (const g of ids) {
    let lightest = 0;
    for (let f = 1; f < k; f++) if (load[f] < load[lightest]) lightest = f;
    for (const i of members.get(g)!) fold[i] = lightest;
    load[lightest] += members.get(g)!.length;
  }
  return partsToFolds(n, fold, k);
}

/**
 * Rows kept out of the whole search to score the final model once: a stratified random share, the latest rows
 * for a time split, whole groups for a group split. Returns [kept for search, holdout].
 */
export function holdoutSplit(n: number, share: number, input: Omit<SplitInput, 'folds'>): { search: Uint32Array; holdout: Uint32Array } {
  if (share <= 0) return { search: Uint32Array.from({ length: n }, (_, i) => i), holdout: new Uint32Array(0) };
  const k = Math.max(2, Math.round(1 / share));
  let holdoutRows: Uint32Array;
  if (input.scheme === 'time') {
    const sorted = timeOrder(n, input.order);
    holdoutRows = ascending(sorted.slice(n - Math.round(n * share)));
  } else if (input.scheme === 'group') {
    holdoutRows = groupFolds(n, k, input.groups, input.rng)[0].valid;
  } else {
    holdoutRows = partsToFolds(n, assign(n, k, input.scheme === 'stratified' ? input.y : undefined, input.rng), k)[0].valid;
  }
  const inHoldout = new Uint8Array(n);
  for (const i of holdoutRows) inHoldout[i] = 1;
  const search: number[] = [];
  for (let i = 0; i < n; i++) if (!inHoldout[i]) search.push(i);
  return { search: Uint32Array.from(search), holdout: holdoutRows };
}

/** 1 for rows some fold scores (all of them except a time split's first block) */
export function scoredRows(n: number, folds: readonly Fold[]): Uint8Array {
  const out = new Uint8Array(n);
  for (const f of folds) for (const i of f.valid) out[i] = 1;
  return out;
}
