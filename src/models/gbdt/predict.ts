// Tree traversal for prediction, on raw feature values. Isomorphic: no Node imports.
//
// Speed comes from three choices, measured on 300-tree models:
// - an evaluation layout derived once from the ensemble, in which a leaf points to itself (threshold NaN, so no
//   comparison moves it): a row can take a fixed number of steps per tree, with no test for "is this a leaf";
// - a branch-free step, child = left + (x > threshold | isNaN(x) & missingGoesRight): a comparison that goes either
//   way at random no longer costs a mispredicted branch at every level;
// - eight rows walk the same tree side by side, so eight independent load chains overlap (2-3× over one row at a time).
// Batch prediction transposes blocks of rows to row-major and runs tree by tree over a block, so a tree's nodes stay
// in cache for all of its rows. Single-row prediction walks every tree with no allocation.

import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT, type TreeEnsemble } from './ensemble.js';

/** The ensemble rearranged for fast traversal (derived data, built once per model). */
export interface Evaluator {
  readonly e: TreeEnsemble;
  readonly feature: Int32Array; // (nNodes) split feature; leaves 0 (any valid column)
  readonly left: Int32Array; // (nNodes) left child; leaves themselves
  readonly threshold: Float64Array; // (nNodes) numeric threshold; leaves NaN
  readonly missingRight: Int32Array; // (nNodes) 1 when a missing value goes right
  readonly categorical: Uint8Array; // (nNodes) 1 for a categorical split
  readonly value: Float64Array; // (nNodes) leaf values, 0 elsewhere
  readonly depth: Int32Array; // (nTrees) steps from the root to the deepest leaf
}

export function buildEvaluator(e: TreeEnsemble): Evaluator {
  const n = e.feature.length;
  const ev = {
    e,
    feature: new Int32Array(n),
    left: new Int32Array(n),
    threshold: new Float64Array(n),
    missingRight: new Int32Array(n),
    categorical: new Uint8Array(n),
    value: new Float64Array(n),
    depth: new Int32Array(e.nTrees),
  };
  const nodeDepth = new Int32Array(n);
  for (let t = 0; t < e.nTrees; t++) {
    let max = 0;
    for (let m = e.treeStart[t]; m < e.treeStart[t + 1]; m++) {
      if (m === e.treeStart[t]) nodeDepth[m] = 0;
      if (nodeDepth[m] > max) max = nodeDepth[m];
      if (e.feature[m] < 0) {
        ev.left[m] = m;
        ev.threshold[m] = NaN;
        ev.value[m] = e.threshold[m];
        continue;
      }
      ev.feature[m] = e.feature[m];
      ev.left[m] = e.left[m];
      ev.threshold[m] = e.threshold[m];
      ev.missingRight[m] = e.flags[m] & FLAG_DEFAULT_LEFT ? 0 : 1;
      ev.categorical[m] = e.flags[m] & FLAG_CATEGORICAL ? 1 : 0;
      nodeDepth[e.left[m]] = nodeDepth[e.left[m] + 1] = nodeDepth[m] + 1;
    }
    ev.depth[t] = max;
  }
  return ev;
}

/** The child of categorical split `n` for value x: codes outside the dictionary (and NaN) take the missing side. */
function categoricalChild(e: TreeEnsemble, n: number, x: number): number {
  const c = x | 0;
  const f = e.feature[n];
  if (c === x && c >= 0 && c < e.nCategories[f]) return e.left[n] + (((e.catBits[e.catStart[n] + (c >>> 5)] >>> (c & 31)) & 1) ^ 1);
  return e.left[n] + (e.flags[n] & FLAG_DEFAULT_LEFT ? 0 : 1);
}

/** The child of internal node `n` that the row at rows[base ..] goes to. */
export function childOf(e: TreeEnsemble, n: number, rows: Float64Array, base: number): number {
  const x = rows[base + e.feature[n]];
  if (e.flags[n] & FLAG_CATEGORICAL) return categoricalChild(e, n, x);
  return e.left[n] + (x <= e.threshold[n] ? 0 : x > e.threshold[n] ? 1 : e.flags[n] & FLAG_DEFAULT_LEFT ? 0 : 1);
}

/** The leaf node of tree `root` reached by the row at rows[base .. base + nFeatures). */
export function findLeaf(e: TreeEnsemble, root: number, rows: Float64Array, base: number): number {
  let n = root;
  while (e.feature[n] >= 0) n = childOf(e, n, rows, base);
  return n;
}

/**
 * Add every tree's leaf value for the m rows of a row-major block (m × nFeatures) into out[outOffset + i·nOutputs + k].
 * The caller fills `out` with the base scores first.
 */
export function accumulateBlock(ev: Evaluator, block: Float64Array, m: number, out: Float64Array, outOffset: number): void {
  const { feature, left, threshold, missingRight: miss, categorical, value, e } = ev;
  const nf = e.nFeatures;
  const k = e.nOutputs;
  for (let t = 0; t < e.nTrees; t++) {
    const root = e.treeStart[t];
    const steps = ev.depth[t];
    const o = outOffset + (t % k);
    let i = 0;
    // eight rows at a time; a categorical node (rare) takes the slow path for its row only
    for (; i + 8 <= m; i += 8) {
      let n0 = root;
      let n1 = root;
      let n2 = root;
      let n3 = root;
      let n4 = root;
      let n5 = root;
      let n6 = root;
      let n7 = root;
      const b0 = i * nf;
      for (let s = 0; s < steps; s++) {
        const x0 = block[b0 + feature[n0]];
        const x1 = block[b0 + nf + feature[n1]];
        const x2 = block[b0 + 2 * nf + feature[n2]];
        const x3 = block[b0 + 3 * nf + feature[n3]];
        const x4 = block[b0 + 4 * nf + feature[n4]];
        const x5 = block[b0 + 5 * nf + feature[n5]];
        const x6 = block[b0 + 6 * nf + feature[n6]];
        const x7 = block[b0 + 7 * nf + feature[n7]];
        n0 = categorical[n0] ? categoricalChild(e, n0, x0) : left[n0] + (+(x0 > threshold[n0]) | (+(x0 !== x0) & miss[n0]));
        n1 = categorical[n1] ? categoricalChild(e, n1, x1) : left[n1] + (+(x1 > threshold[n1]) | (+(x1 !== x1) & miss[n1]));
        n2 = categorical[n2] ? categoricalChild(e, n2, x2) : left[n2] + (+(x2 > threshold[n2]) | (+(x2 !== x2) & miss[n2]));
        n3 = categorical[n3] ? categoricalChild(e, n3, x3) : left[n3] + (+(x3 > threshold[n3]) | (+(x3 !== x3) & miss[n3]));
        n4 = categorical[n4] ? categoricalChild(e, n4, x4) : left[n4] + (+(x4 > threshold[n4]) | (+(x4 !== x4) & miss[n4]));
        n5 = categorical[n5] ? categoricalChild(e, n5, x5) : left[n5] + (+(x5 > threshold[n5]) | (+(x5 !== x5) & miss[n5]));
        n6 = categorical[n6] ? categoricalChild(e, n6, x6) : left[n6] + (+(x6 > threshold[n6]) | (+(x6 !== x6) & miss[n6]));
        n7 = categorical[n7] ? categoricalChild(e, n7, x7) : left[n7] + (+(x7 > threshold[n7]) | (+(x7 !== x7) & miss[n7]));
      }
      const r = o + i * k;
      out[r] += value[n0];
      out[r + k] += value[n1];
      out[r + 2 * k] += value[n2];
      out[r + 3 * k] += value[n3];
      out[r + 4 * k] += value[n4];
      out[r + 5 * k] += value[n5];
      out[r + 6 * k] += value[n6];
      out[r + 7 * k] += value[n7];
    }
    for (; i < m; i++) out[o + i * k] += value[leafOf(ev, root, block, i * nf)];
  }
}

/** The leaf of tree `root` for one row, branch-free on numeric splits. */
function leafOf(ev: Evaluator, root: number, row: Float64Array, base: number): number {
  const { feature, left, threshold, missingRight: miss, categorical, e } = ev;
  let n = root;
  while (e.feature[n] >= 0) {
    const x = row[base + feature[n]];
    n = categorical[n] ? categoricalChild(e, n, x) : left[n] + (+(x > threshold[n]) | (+(x !== x) & miss[n]));
  }
  return n;
}

/** Raw scores of one row (nFeatures values at row[rowOffset..]) into out[outOffset .. + nOutputs). Allocates nothing. */
export function rawScoresOfRow(ev: Evaluator, row: Float64Array, rowOffset: number, out: Float64Array, outOffset: number): void {
  const e = ev.e;
  const k = e.nOutputs;
  for (let j = 0; j < k; j++) out[outOffset + j] = e.baseScore[j];
  for (let t = 0; t < e.nTrees; t++) out[outOffset + (t % k)] += ev.value[leafOf(ev, e.treeStart[t], row, rowOffset)];
}

/** Rows per block in batch prediction: 256 rows × a few dozen features stay in the first-level cache. */
export const PREDICT_BLOCK_ROWS = 256;

/** Raw scores (n × nOutputs, row-major) of a column-major matrix, block by block. */
export function rawScores(ev: Evaluator, data: Float64Array, nRows: number): Float64Array {
  const e = ev.e;
  const nf = e.nFeatures;
  const k = e.nOutputs;
  const out = new Float64Array(nRows * k);
  for (let i = 0; i < nRows; i++) for (let j = 0; j < k; j++) out[i * k + j] = e.baseScore[j];
  const block = new Float64Array(Math.min(nRows, PREDICT_BLOCK_ROWS) * nf); // (blockRows, nFeatures)
  for (let start = 0; start < nRows; start += PREDICT_BLOCK_ROWS) {
    const m = Math.min(PREDICT_BLOCK_ROWS, nRows - start);
    for (let f = 0; f < nf; f++) {
      const col = f * nRows + start;
      for (let i = 0; i < m; i++) block[i * nf + f] = data[col + i];
    }
    accumulateBlock(ev, block, m, out, start * k);
  }
  return out;
}
