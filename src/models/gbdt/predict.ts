// Tree traversal for prediction, on raw feature values. Batch prediction transposes a block of rows to row-major
// and runs tree by tree over the block (one tree's nodes stay in cache for all its rows); a single row walks every
// tree with no allocation. Isomorphic: no Node imports.

import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT, type TreeEnsemble } from './ensemble.js';

/** The child of internal node `n` that the row at rows[base ..] goes to. */
export function childOf(e: TreeEnsemble, n: number, rows: Float64Array, base: number): number {
  const f = e.feature[n];
  const x = rows[base + f];
  const fl = e.flags[n];
  let right: number;
  if ((fl & FLAG_CATEGORICAL) === 0) right = x <= e.threshold[n] ? 0 : x > e.threshold[n] ? 1 : fl & FLAG_DEFAULT_LEFT ? 0 : 1;
  else {
    const c = x | 0;
    if (c === x && c >= 0 && c < e.nCategories[f]) right = ((e.catBits[e.catStart[n] + (c >>> 5)] >>> (c & 31)) & 1) ^ 1;
    else right = fl & FLAG_DEFAULT_LEFT ? 0 : 1;
  }
  return e.left[n] + right;
}

/** The leaf node of tree `root` reached by the row at rows[base .. base + nFeatures). */
export function findLeaf(e: TreeEnsemble, root: number, rows: Float64Array, base: number): number {
  const { feature, threshold, left, flags } = e;
  let n = root;
  for (;;) {
    const f = feature[n];
    if (f < 0) return n;
    const x = rows[base + f];
    const fl = flags[n];
    let right: number;
    if ((fl & FLAG_CATEGORICAL) === 0) {
      // NaN fails both comparisons and takes the learned default side
      right = x <= threshold[n] ? 0 : x > threshold[n] ? 1 : fl & FLAG_DEFAULT_LEFT ? 0 : 1;
    } else {
      const c = x | 0;
      if (c === x && c >= 0 && c < e.nCategories[f]) right = ((e.catBits[e.catStart[n] + (c >>> 5)] >>> (c & 31)) & 1) ^ 1;
      else right = fl & FLAG_DEFAULT_LEFT ? 0 : 1;
    }
    n = left[n] + right;
  }
}

/**
 * Add trees [t0, t1) for the m rows of a row-major block (m × nFeatures) into out[outOffset + i·nOutputs + k].
 * The base score is not included.
 */
export function accumulateBlock(e: TreeEnsemble, t0: number, t1: number, block: Float64Array, m: number, out: Float64Array, outOffset: number): void {
  const { feature, threshold, left, flags, nFeatures: nf, nOutputs: k } = e;
  const catBits = e.catBits;
  const catStart = e.catStart;
  const nCategories = e.nCategories;
  for (let t = t0; t < t1; t++) {
    const root = e.treeStart[t];
    const o = outOffset + (t % k);
    for (let i = 0, base = 0; i < m; i++, base += nf) {
      let n = root;
      for (;;) {
        const f = feature[n];
        if (f < 0) break;
        const x = block[base + f];
        const fl = flags[n];
        let right: number;
        if ((fl & FLAG_CATEGORICAL) === 0) {
          const thr = threshold[n];
          right = x <= thr ? 0 : x > thr ? 1 : fl & FLAG_DEFAULT_LEFT ? 0 : 1;
        } else {
          const c = x | 0;
          if (c === x && c >= 0 && c < nCategories[f]) right = ((catBits[catStart[n] + (c >>> 5)] >>> (c & 31)) & 1) ^ 1;
          else right = fl & FLAG_DEFAULT_LEFT ? 0 : 1;
        }
        n = left[n] + right;
      }
      out[o + i * k] += threshold[n];
    }
  }
}

/** Raw scores of one row (nFeatures values at row[rowOffset..]) into out[outOffset .. + nOutputs). Allocates nothing. */
export function rawScoresOfRow(e: TreeEnsemble, row: Float64Array, rowOffset: number, out: Float64Array, outOffset: number): void {
  const k = e.nOutputs;
  for (let j = 0; j < k; j++) out[outOffset + j] = e.baseScore[j];
  for (let t = 0; t < e.nTrees; t++) out[outOffset + (t % k)] += e.threshold[findLeaf(e, e.treeStart[t], row, rowOffset)];
}

/** Rows per block in batch prediction: 256 rows × a few dozen features stay in the first-level cache. */
export const PREDICT_BLOCK_ROWS = 256;

/**
 * Raw scores (n × nOutputs, row-major) of a column-major matrix: blocks of rows are transposed, then every tree runs
 * over the block.
 */
export function rawScores(e: TreeEnsemble, data: Float64Array, nRows: number): Float64Array {
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
    accumulateBlock(e, 0, e.nTrees, block, m, out, start * k);
  }
  return out;
}
