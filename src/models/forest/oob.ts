// Out-of-bag score: every training row is predicted by the trees whose bootstrap sample missed it, and those
// predictions are scored (accuracy for classifiers, R² for regressors) on the rows at least one tree missed.
// The samples are redrawn from the trees' seeds, so the score does not depend on how the trees were grown.

import { Rng } from '../../core/rng.js';
import type { TreeData } from '../tree/builder.js';
import type { TreeSet } from '../tree/tree-set.js';
import { drawBootstrap } from './grow.js';
import { argmaxAt } from '../../core/argmax.js';

export interface OobResult {
  /** accuracy (classification) or R² (regression) over the covered rows */
  readonly score: number;
  /** rows seen out of bag by at least one tree */
  readonly covered: number;
}

export function outOfBagScore(set: TreeSet, data: TreeData, seeds: ArrayLike<number>, nDraws: number): OobResult {
  const { nRows, x } = data;
  const k = set.nOutputs;
  const sum = new Float64Array(nRows * k); // (nRows, nOutputs) summed out-of-bag outputs
  const nTrees = new Int32Array(nRows); // (nRows) trees that missed each row
  const counts = new Float64Array(nRows);
  for (let t = 0; t < seeds.length; t++) {
    drawBootstrap(new Rng(seeds[t]), nRows, nDraws, counts);
    for (let r = 0; r < nRows; r++) {
      if (counts[r] > 0) continue;
      // walk tree t on row r straight from the column-major matrix
      let node = set.roots[t];
      while (set.feature[node] >= 0) {
        const v = x[set.feature[node] * nRows + r];
        node = v <= set.threshold[node] || (v !== v && set.missingLeft[node] === 1) ? node + 1 : set.right[node];
      }
      const leaf = set.right[node] * k;
      for (let c = 0; c < k; c++) sum[r * k + c] += set.value[leaf + c];
      nTrees[r]++;
    }
  }
  let covered = 0;
  if (data.yClass) {
    let right = 0;
    for (let r = 0; r < nRows; r++) {
      if (nTrees[r] === 0) continue;
      covered++;
      if (argmaxAt(sum, r, k) === data.yClass[r]) right++;
    }
    return { score: covered ? right / covered : NaN, covered };
  }
  const y = data.yValue as Float64Array;
  let mean = 0;
  for (let r = 0; r < nRows; r++) {
    if (nTrees[r] === 0) continue;
    covered++;
    mean += y[r];
  }
  mean /= covered;
  let ssRes = 0;
  let ssTot = 0;
  for (let r = 0; r < nRows; r++) {
    if (nTrees[r] === 0) continue;
    ssRes += (sum[r] / nTrees[r] - y[r]) ** 2;
    ssTot += (y[r] - mean) ** 2;
  }
  return { score: covered ? 1 - ssRes / ssTot : NaN, covered };
}
