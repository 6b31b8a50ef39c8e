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
  /**
   * categorical split: catRight[catBase + slot] = 1 when the row goes right, where slot = code + 1 for a valid code and
   * 0 for a missing or unknown one (prepared rows hold slots in categorical columns, see prepareValues)
   */
  readonly catBase: Int32Array; // (nNodes) 0 (a dummy entry) for other nodes
  readonly catMask: Int32Array; // (nNodes) -1 for a categorical split, 0 otherwise (so other nodes read the dummy)
  readonly catRight: Uint8Array; // (1 + Σ (nCategories + 1))
  readonly value: Float64Array; // (nNodes) leaf values, 0 elsewhere
  readonly depth: Int32Array; // (nTrees) steps from the root to the deepest leaf
  readonly treeHasCategorical: Uint8Array; // (nTrees) trees without categorical splits take the shorter step
  readonly rowScratch: Float64Array; // (nFeatures) one prepared row
}

export function buildEvaluator(e: TreeEnsemble): Evaluator {
  const n = e.feature.length;
  let catSize = 1;
  for (let m = 0; m < n; m++) if (e.feature[m] >= 0 && e.flags[m] & FLAG_CATEGORICAL) catSize += e.nCategories[e.feature[m]] + 1;
  const ev = {
    e,
    feature: new Int32Array(n),
    left: new Int32Array(n),
    threshold: new Float64Array(n),
    missingRight: new Int32Array(n),
    categorical: new Uint8Array(n),
    catBase: new Int32Array(n),
    catMask: new Int32Array(n),
    catRight: new Uint8Array(catSize),
    value: new Float64Array(n),
    depth: new Int32Array(e.nTrees),
    treeHasCategorical: new Uint8Array(e.nTrees),
    rowScratch: new Float64Array(e.nFeatures),
  };
  const nodeDepth = new Int32Array(n);
  let catAt = 1;
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
      const f = e.feature[m];
      ev.feature[m] = f;
      ev.left[m] = e.left[m];
      ev.threshold[m] = e.threshold[m];
      ev.missingRight[m] = e.flags[m] & FLAG_DEFAULT_LEFT ? 0 : 1;
      if (e.flags[m] & FLAG_CATEGORICAL) {
        const nCat = e.nCategories[f];
        ev.categorical[m] = 1;
        ev.treeHasCategorical[t] = 1;
        ev.threshold[m] = NaN;
        ev.catBase[m] = catAt;
        ev.catMask[m] = -1;
        ev.catRight[catAt] = ev.missingRight[m];
        for (let c = 0; c < nCat; c++) ev.catRight[catAt + 1 + c] = ((e.catBits[e.catStart[m] + (c >>> 5)] >>> (c & 31)) & 1) ^ 1;
        catAt += nCat + 1;
      }
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
 * A prepared copy of feature values: numeric ones as they are, categorical ones as slots (code + 1 for a valid code,
 * 0 for a missing or unknown one), so that the traversal needs no validity test. src[srcOffset + f·srcStride] → dst.
 */
export function prepareValues(e: TreeEnsemble, src: Float64Array, srcOffset: number, srcStride: number, dst: Float64Array, dstOffset: number): void {
  for (let f = 0; f < e.nFeatures; f++) {
    const x = src[srcOffset + f * srcStride];
    const nCat = e.nCategories[f];
    if (nCat === 0) dst[dstOffset + f] = x;
    else {
      const c = x | 0;
      dst[dstOffset + f] = c === x && c >= 0 && c < nCat ? c + 1 : 0;
    }
  }
}

/**
 * Add every tree's leaf value for the m prepared rows of a row-major block (m × nFeatures, see prepareValues) into
 * out[outOffset + i·nOutputs + k]. The caller fills `out` with the base scores first.
 */
export function accumulateBlock(ev: Evaluator, block: Float64Array, m: number, out: Float64Array, outOffset: number): void {
  // one small function per kind of tree: each is compiled with complete type feedback, and quickly
  const { e } = ev;
  for (let t = 0; t < e.nTrees; t++) {
    const o = outOffset + (t % e.nOutputs);
    if (ev.treeHasCategorical[t]) mixedTree(ev, t, block, m, out, o);
    else numericTree(ev, t, block, m, out, o);
  }
}

/** Tree t over the block, eight rows at a time, for a tree with numeric splits only. */
function numericTree(ev: Evaluator, t: number, block: Float64Array, m: number, out: Float64Array, o: number): void {
  const { feature, left, threshold, missingRight: miss, value, e } = ev;
  const nf = e.nFeatures;
  const k = e.nOutputs;
  const root = e.treeStart[t];
  const steps = ev.depth[t];
  // m is a multiple of 8 (rawScores pads the block): no tail loop that would run too rarely to get type feedback
  for (let i = 0; i < m; i += 8) {
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
      n0 = left[n0] + (+(x0 > threshold[n0]) | (+(x0 !== x0) & miss[n0]));
      n1 = left[n1] + (+(x1 > threshold[n1]) | (+(x1 !== x1) & miss[n1]));
      n2 = left[n2] + (+(x2 > threshold[n2]) | (+(x2 !== x2) & miss[n2]));
      n3 = left[n3] + (+(x3 > threshold[n3]) | (+(x3 !== x3) & miss[n3]));
      n4 = left[n4] + (+(x4 > threshold[n4]) | (+(x4 !== x4) & miss[n4]));
      n5 = left[n5] + (+(x5 > threshold[n5]) | (+(x5 !== x5) & miss[n5]));
      n6 = left[n6] + (+(x6 > threshold[n6]) | (+(x6 !== x6) & miss[n6]));
      n7 = left[n7] + (+(x7 > threshold[n7]) | (+(x7 !== x7) & miss[n7]));
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
}

/** Tree t over the block, eight rows at a time, any kind of split (the step is leafOf's). */
function mixedTree(ev: Evaluator, t: number, block: Float64Array, m: number, out: Float64Array, o: number): void {
  const { feature, left, threshold, missingRight: miss, categorical, catBase, catMask, catRight, value, e } = ev;
  const nf = e.nFeatures;
  const k = e.nOutputs;
  const root = e.treeStart[t];
  const steps = ev.depth[t];
  // m is a multiple of 8 (rawScores pads the block): no tail loop that would run too rarely to get type feedback
  for (let i = 0; i < m; i += 8) {
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
      const num0 = +(x0 > threshold[n0]) | (+(x0 !== x0) & miss[n0]);
      const num1 = +(x1 > threshold[n1]) | (+(x1 !== x1) & miss[n1]);
      const num2 = +(x2 > threshold[n2]) | (+(x2 !== x2) & miss[n2]);
      const num3 = +(x3 > threshold[n3]) | (+(x3 !== x3) & miss[n3]);
      const num4 = +(x4 > threshold[n4]) | (+(x4 !== x4) & miss[n4]);
      const num5 = +(x5 > threshold[n5]) | (+(x5 !== x5) & miss[n5]);
      const num6 = +(x6 > threshold[n6]) | (+(x6 !== x6) & miss[n6]);
      const num7 = +(x7 > threshold[n7]) | (+(x7 !== x7) & miss[n7]);
      const cat0 = catRight[catBase[n0] + ((x0 | 0) & catMask[n0])];
      const cat1 = catRight[catBase[n1] + ((x1 | 0) & catMask[n1])];
      const cat2 = catRight[catBase[n2] + ((x2 | 0) & catMask[n2])];
      const cat3 = catRight[catBase[n3] + ((x3 | 0) & catMask[n3])];
      const cat4 = catRight[catBase[n4] + ((x4 | 0) & catMask[n4])];
      const cat5 = catRight[catBase[n5] + ((x5 | 0) & catMask[n5])];
      const cat6 = catRight[catBase[n6] + ((x6 | 0) & catMask[n6])];
      const cat7 = catRight[catBase[n7] + ((x7 | 0) & catMask[n7])];
      n0 = left[n0] + (num0 ^ (categorical[n0] & (num0 ^ cat0)));
      n1 = left[n1] + (num1 ^ (categorical[n1] & (num1 ^ cat1)));
      n2 = left[n2] + (num2 ^ (categorical[n2] & (num2 ^ cat2)));
      n3 = left[n3] + (num3 ^ (categorical[n3] & (num3 ^ cat3)));
      n4 = left[n4] + (num4 ^ (categorical[n4] & (num4 ^ cat4)));
      n5 = left[n5] + (num5 ^ (categorical[n5] & (num5 ^ cat5)));
      n6 = left[n6] + (num6 ^ (categorical[n6] & (num6 ^ cat6)));
      n7 = left[n7] + (num7 ^ (categorical[n7] & (num7 ^ cat7)));
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
}

/** The leaf of tree `root` for one prepared row, branch-free (the leaf test aside). */
function leafOf(ev: Evaluator, root: number, row: Float64Array, base: number): number {
  const { feature, left, threshold, missingRight: miss, categorical, catBase, catMask, catRight, e } = ev;
  let n = root;
  while (e.feature[n] >= 0) {
    const x = row[base + feature[n]];
    const num = +(x > threshold[n]) | (+(x !== x) & miss[n]);
    n = left[n] + (num ^ (categorical[n] & (num ^ catRight[catBase[n] + ((x | 0) & catMask[n])])));
  }
  return n;
}

/**
 * Raw scores of one row (nFeatures values at row[rowOffset..]) into out[outOffset .. + nOutputs). Allocates nothing
 * (the prepared copy of the row goes to the evaluator's scratch, so this is not re-entrant).
 */
export function rawScoresOfRow(ev: Evaluator, row: Float64Array, rowOffset: number, out: Float64Array, outOffset: number): void {
  const e = ev.e;
  const k = e.nOutputs;
  const prepared = ev.rowScratch;
  prepareValues(e, row, rowOffset, 1, prepared, 0);
  for (let j = 0; j < k; j++) out[outOffset + j] = e.baseScore[j];
  for (let t = 0; t < e.nTrees; t++) out[outOffset + (t % k)] += ev.value[leafOf(ev, e.treeStart[t], prepared, 0)];
}

/** The categorical columns of one row of a column-major matrix, as slots (see prepareValues). */
function prepareCategorical(e: TreeEnsemble, data: Float64Array, row: number, nRows: number, dst: Float64Array, o: number): void {
  for (let f = 0; f < e.nFeatures; f++) {
    const nCat = e.nCategories[f];
    if (nCat === 0) continue;
    const x = data[f * nRows + row];
    const c = x | 0;
    dst[o + f] = c === x && c >= 0 && c < nCat ? c + 1 : 0;
  }
}

/** Rows per block in batch prediction: 256 rows × a few dozen features stay in the first-level cache. */
export const PREDICT_BLOCK_ROWS = 256;

/** Raw scores (n × nOutputs, row-major) of a column-major matrix, block by block. */
export function rawScores(ev: Evaluator, data: Float64Array, nRows: number): Float64Array {
  const e = ev.e;
  const nf = e.nFeatures;
  const k = e.nOutputs;
  const out = new Float64Array(nRows * k);
  const blockRows = Math.min(PREDICT_BLOCK_ROWS, (nRows + 7) & ~7);
  const block = new Float64Array(blockRows * nf); // (blockRows, nFeatures) prepared rows
  const blockOut = new Float64Array(blockRows * k); // (blockRows, nOutputs)
  for (let start = 0; start < nRows; start += PREDICT_BLOCK_ROWS) {
    const m = Math.min(PREDICT_BLOCK_ROWS, nRows - start);
    const padded = (m + 7) & ~7;
    for (let f = 0; f < nf; f++) {
      const col = f * nRows + start;
      if (e.nCategories[f] === 0) for (let i = 0; i < m; i++) block[i * nf + f] = data[col + i];
    }
    for (let i = 0; i < m; i++) prepareCategorical(e, data, start + i, nRows, block, i * nf);
    // padding rows repeat the last row; their outputs are dropped
    for (let i = m; i < padded; i++) block.copyWithin(i * nf, (m - 1) * nf, m * nf);
    for (let i = 0; i < padded; i++) for (let j = 0; j < k; j++) blockOut[i * k + j] = e.baseScore[j];
    accumulateBlock(ev, block, padded, blockOut, 0);
    out.set(blockOut.subarray(0, m * k), start * k);
  }
  return out;
}
