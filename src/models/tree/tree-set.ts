// A TreeSet: one tree or a whole forest as flat typed arrays (all trees' nodes concatenated, child and leaf indices
// global), plus the traversal that predicts with it. Nodes are in pre-order, so a split's left child is the next node
// and only the right child is stored: a step down the tree reads three arrays (feature, threshold, right).
// Isomorphic: used by the browser runtime as well as by Node.

import { ModelFormatError } from '../../core/errors.js';
import type { GrownTree } from './grown-tree.js';

export interface TreeSet {
  readonly nTrees: number;
  /** 1 for regression, nClasses for classification */
  readonly nOutputs: number;
  /** node id of each tree's root */
  readonly roots: Int32Array; // (nTrees)
  /** split feature, or -1 for a leaf */
  readonly feature: Int32Array; // (nNodes)
  /** a row goes left when x[feature] <= threshold */
  readonly threshold: Float64Array; // (nNodes)
  /** 1 when a missing value goes left */
  readonly missingLeft: Uint8Array; // (nNodes)
  /** right child (the left child is node + 1); for a leaf, its row in `value` */
  readonly right: Int32Array; // (nNodes)
  readonly value: Float64Array; // (nLeaves, nOutputs)
}

/** Concatenate grown trees into one set, shifting node and leaf indices. */
export function concatTrees(trees: readonly GrownTree[], nOutputs: number): TreeSet {
  let nNodes = 0;
  let nLeaves = 0;
  for (const t of trees) {
    nNodes += t.nNodes;
    nLeaves += t.nLeaves;
  }
  const set = {
    nTrees: trees.length,
    nOutputs,
    roots: new Int32Array(trees.length),
    feature: new Int32Array(nNodes),
    threshold: new Float64Array(nNodes),
    missingLeft: new Uint8Array(nNodes),
    right: new Int32Array(nNodes),
    value: new Float64Array(nLeaves * nOutputs),
  };
  let nodeOffset = 0;
  let leafOffset = 0;
  trees.forEach((t, i) => {
    set.roots[i] = nodeOffset;
    set.feature.set(t.feature, nodeOffset);
    set.threshold.set(t.threshold, nodeOffset);
    set.missingLeft.set(t.missingLeft, nodeOffset);
    for (let n = 0; n < t.nNodes; n++) {
      const g = nodeOffset + n;
      set.right[g] = t.right[n] + (t.feature[n] < 0 ? leafOffset : nodeOffset);
    }
    set.value.set(t.value, leafOffset * nOutputs);
    nodeOffset += t.nNodes;
    leafOffset += t.nLeaves;
  });
  return set;
}

/**
 * Check a set read from a file before any traversal: a split's children must come after it (so every walk ends) and
 * stay inside its tree, every index must be in range and features must exist. A damaged or hostile file fails here,
 * never inside a prediction loop.
 */
export function validateTreeSet(set: TreeSet, nCols: number, kind: string): void {
  const fail = (why: string): never => {
    throw new ModelFormatError(`${kind}: ${why}`);
  };
  const nNodes = set.feature.length;
  const nLeaves = set.nOutputs > 0 ? set.value.length / set.nOutputs : 0;
  if (!Number.isInteger(nLeaves)) fail('leaf values do not match the number of outputs');
  for (const a of [set.threshold, set.missingLeft, set.right]) if (a.length !== nNodes) fail('node arrays differ in length');
  if (set.roots.length !== set.nTrees) fail('root list does not match the number of trees');
  for (let t = 0; t < set.nTrees; t++) {
    const r = set.roots[t];
    if (!(r >= 0 && r < nNodes) || (t > 0 && r <= set.roots[t - 1])) fail(`tree ${t} has a bad root`);
  }
  for (let t = 0; t < set.nTrees; t++) {
    const end = t + 1 < set.nTrees ? set.roots[t + 1] : nNodes;
    for (let n = set.roots[t]; n < end; n++) {
      const f = set.feature[n];
      if (f < 0) {
        if (f !== -1 || !(set.right[n] >= 0 && set.right[n] < nLeaves)) fail(`node ${n} is a leaf with a bad value index`);
      } else if (f >= nCols || n + 1 >= end || !(set.right[n] > n + 1 && set.right[n] < end)) {
        fail(`node ${n} has a bad feature or child index`);
      }
    }
  }
}

/**
 * Add every tree's leaf output for rows [0, nRows) of a row-major block `xRows` (nRows × nCols) into `out`
 * (nRows × nOutputs, row-major). Trees are the outer loop so one tree's nodes stay in cache across rows.
 */
export function accumulateTrees(set: TreeSet, xRows: Float64Array, nRows: number, nCols: number, out: Float64Array, outOffset: number): void {
  const { feature, threshold, missingLeft, right, value, nOutputs } = set;
  for (let t = 0; t < set.nTrees; t++) {
    const root = set.roots[t];
    for (let i = 0; i < nRows; i++) {
      const rowBase = i * nCols;
      let node = root;
      let f = feature[node];
      while (f >= 0) {
        const v = xRows[rowBase + f];
        node = v <= threshold[node] || (v !== v && missingLeft[node] === 1) ? node + 1 : right[node];
        f = feature[node];
      }
      const leaf = right[node] * nOutputs;
      const o = outOffset + i * nOutputs;
      for (let k = 0; k < nOutputs; k++) out[o + k] += value[leaf + k];
    }
  }
}

/** Leaf reached in tree `t` by one row (for out-of-bag scoring and tests). */
export function leafOf(set: TreeSet, t: number, xRow: Float64Array, rowBase: number): number {
  let node = set.roots[t];
  while (set.feature[node] >= 0) {
    const v = xRow[rowBase + set.feature[node]];
    node = v <= set.threshold[node] || (v !== v && set.missingLeft[node] === 1) ? node + 1 : set.right[node];
  }
  return set.right[node];
}
