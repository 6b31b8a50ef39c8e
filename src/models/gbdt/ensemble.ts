// The fitted boosted ensemble as immutable flat arrays, the form that is saved, loaded and traversed.
// All trees share one node table; a tree's nodes are contiguous and a node's two children are adjacent
// (right = left + 1), so a traversal step is one comparison and one add. Tree t adds to output t % nOutputs.
// Isomorphic: no Node imports (browsers load it).

import { ModelFormatError } from '../../core/errors.js';

export const FLAG_DEFAULT_LEFT = 1;
export const FLAG_CATEGORICAL = 2;

export interface TreeEnsemble {
  readonly nFeatures: number;
  /** raw scores per row: classes for softmax, else 1 */
  readonly nOutputs: number;
  readonly nTrees: number;
  readonly baseScore: Float64Array; // (nOutputs)
  readonly treeStart: Int32Array; // (nTrees + 1) first node of each tree
  readonly feature: Int32Array; // (nNodes) split feature, -1 for a leaf
  readonly flags: Uint8Array; // (nNodes) FLAG_DEFAULT_LEFT | FLAG_CATEGORICAL
  /** numeric split: v <= threshold goes left; leaf: its value (learning rate applied); categorical split: unused */
  readonly threshold: Float64Array; // (nNodes)
  readonly left: Int32Array; // (nNodes) left child (global index), -1 for a leaf
  /** categorical split: first word of its category bitset in catBits (bit c set = category c goes left), else -1 */
  readonly catStart: Int32Array; // (nNodes)
  readonly catBits: Uint32Array; // (Σ words)
  readonly cover: Float64Array; // (nNodes) training hessian sum (TreeSHAP weights)
  readonly gain: Float64Array; // (nNodes) loss reduction of the split (importance)
  /** categories per feature (0 for numeric): codes outside 0..n-1 count as missing */
  readonly nCategories: Int32Array; // (nFeatures)
}

/** Check every index of a loaded ensemble before any traversal trusts it. */
export function validateEnsemble(e: TreeEnsemble, kind: string): void {
  const fail = (why: string): never => {
    throw new ModelFormatError(`${kind}: ${why}`);
  };
  const nNodes = e.feature.length;
  if (e.baseScore.length !== e.nOutputs) fail('baseScore has the wrong length');
  if (e.treeStart.length !== e.nTrees + 1 || e.treeStart[0] !== 0 || e.treeStart[e.nTrees] !== nNodes) fail('treeStart is inconsistent');
  for (const [name, a] of [
    ['flags', e.flags],
    ['threshold', e.threshold],
    ['left', e.left],
    ['catStart', e.catStart],
    ['cover', e.cover],
    ['gain', e.gain],
  ] as const)
    if (a.length !== nNodes) fail(`array "${name}" has ${a.length} entries, expected ${nNodes}`);
  if (e.nCategories.length !== e.nFeatures) fail('nCategories has the wrong length');
  for (let t = 0; t < e.nTrees; t++) {
    const s = e.treeStart[t];
    const end = e.treeStart[t + 1];
    if (!(end > s)) fail(`tree ${t} is empty`);
    for (let n = s; n < end; n++) {
      const f = e.feature[n];
      if (f === -1) continue;
      if (!(f >= 0 && f < e.nFeatures)) fail(`node ${n} splits on feature ${f}`);
      // children lie after their parent inside the same tree, so every traversal ends at a leaf
      if (!(e.left[n] > n && e.left[n] + 1 < end)) fail(`node ${n} has children outside its tree`);
      if (e.flags[n] & FLAG_CATEGORICAL) {
        const words = (e.nCategories[f] + 31) >>> 5;
        if (!(e.catStart[n] >= 0 && e.catStart[n] + words <= e.catBits.length)) fail(`node ${n} has a bad category set`);
      }
    }
  }
}
