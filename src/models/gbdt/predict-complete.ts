// Batch traversal of shallow trees laid out complete (as a heap): the children of node j are 2j + 1 and 2j + 2, so a
// step computes its child instead of loading it, and a record is 16 bytes instead of 32 (half the cache lines).
// A leaf above the bottom level becomes a chain of nodes that always go left, ending at a copy of its value, so every
// row takes exactly `depth` steps; decisions are those of the evaluator's records (see predict.ts), so the leaves, and
// the bits, are the same. Isomorphic: no Node imports.

import type { Evaluator } from './predict.js';

/** Trees up to this deep are laid out complete (2^depth leaves each); deeper ones keep the linked layout. */
export const COMPLETE_MAX_DEPTH = 8;

/**
 * The complete layout of the shallow trees. Record r: f64[2r] threshold (+∞ for a node that always goes left, NaN for
 * a categorical split), i32[4r + 2] column of the prepared row, i32[4r + 3] catBase (as in the evaluator's records).
 */
export interface CompleteTrees {
  readonly f64: Float64Array; // (nRecords, 2)
  readonly i32: Int32Array; // (nRecords, 4), the same bytes
  readonly leaves: Float64Array; // (Σ 2^depth) leaf values, bottom level left to right
  readonly nodeBase: Int32Array; // (nTrees) first record of tree t, -1 when the tree is too deep
  readonly leafBase: Int32Array; // (nTrees) first leaf of tree t
}

/** Lay out every tree of depth ≤ COMPLETE_MAX_DEPTH complete, from the evaluator's linked records. */
export function buildCompleteTrees(ev: Pick<Evaluator, 'e' | 'f64' | 'i32' | 'depth'>): CompleteTrees {
  const { e, depth } = ev;
  const nodeBase = new Int32Array(e.nTrees).fill(-1);
  const leafBase = new Int32Array(e.nTrees);
  let nRecords = 0;
  let nLeaves = 0;
  for (let t = 0; t < e.nTrees; t++) {
    if (depth[t] > COMPLETE_MAX_DEPTH) continue;
    nodeBase[t] = nRecords;
    leafBase[t] = nLeaves;
    nRecords += (1 << depth[t]) - 1;
    nLeaves += 1 << depth[t];
  }
  const records = new ArrayBuffer(16 * Math.max(1, nRecords));
  const out: CompleteTrees = { f64: new Float64Array(records), i32: new Int32Array(records), leaves: new Float64Array(nLeaves), nodeBase, leafBase };
  for (let t = 0; t < e.nTrees; t++) if (nodeBase[t] >= 0) place(ev, out, t, e.treeStart[t], 0, 0);
  return out;
}

/** Put linked node m at complete position j (depth d) of tree t, and its subtree below it. */
function place(ev: Pick<Evaluator, 'f64' | 'i32' | 'depth'>, out: CompleteTrees, t: number, m: number, j: number, d: number): void {
  const bottom = ev.depth[t];
  if (d === bottom) {
    out.leaves[out.leafBase[t] + j - ((1 << bottom) - 1)] = ev.f64[4 * m + 1];
    return;
  }
  const r = out.nodeBase[t] + j;
  const isLeaf = ev.i32[8 * m + 5] === m;
  // a leaf above the bottom: +∞ sends every prepared value (NaN never occurs there) left, and catBase 0 reads a zero
  out.f64[2 * r] = isLeaf ? Infinity : ev.f64[4 * m];
  out.i32[4 * r + 2] = isLeaf ? 0 : ev.i32[8 * m + 4];
  out.i32[4 * r + 3] = isLeaf ? 0 : ev.i32[8 * m + 7];
  const left = isLeaf ? m : ev.i32[8 * m + 5];
  place(ev, out, t, left, 2 * j + 1, d + 1);
  place(ev, out, t, isLeaf ? m : left + 1, 2 * j + 2, d + 1);
}

/** Tree t (laid out complete, numeric splits only) over the block, eight rows at a time; see accumulateBlock. */
export function completeNumericTree(ev: Evaluator, t: number, block: Float64Array, m: number, out: Float64Array, o: number): void {
  const { f64, i32, leaves, nodeBase, leafBase } = ev.complete;
  const w = 2 * ev.e.nFeatures;
  const k = ev.e.nOutputs;
  const base = nodeBase[t];
  const steps = ev.depth[t];
  const c = 1 - base; // record n's children are 2n + c and 2n + c + 1
  const lo = leafBase[t] - base - (1 << steps) + 1; // the leaf of bottom record n is leaves[lo + n]
  for (let i = 0; i < m; i += 8) {
    let n0 = base;
    let n1 = base;
    let n2 = base;
    let n3 = base;
    let n4 = base;
    let n5 = base;
    let n6 = base;
    let n7 = base;
    const b0 = i * w;
    for (let s = 0; s < steps; s++) {
      n0 = 2 * n0 + c + +(block[b0 + i32[4 * n0 + 2]] > f64[2 * n0]);
      n1 = 2 * n1 + c + +(block[b0 + w + i32[4 * n1 + 2]] > f64[2 * n1]);
      n2 = 2 * n2 + c + +(block[b0 + 2 * w + i32[4 * n2 + 2]] > f64[2 * n2]);
      n3 = 2 * n3 + c + +(block[b0 + 3 * w + i32[4 * n3 + 2]] > f64[2 * n3]);
      n4 = 2 * n4 + c + +(block[b0 + 4 * w + i32[4 * n4 + 2]] > f64[2 * n4]);
      n5 = 2 * n5 + c + +(block[b0 + 5 * w + i32[4 * n5 + 2]] > f64[2 * n5]);
      n6 = 2 * n6 + c + +(block[b0 + 6 * w + i32[4 * n6 + 2]] > f64[2 * n6]);
      n7 = 2 * n7 + c + +(block[b0 + 7 * w + i32[4 * n7 + 2]] > f64[2 * n7]);
    }
    const r = o + i * k;
    out[r] += leaves[lo + n0];
    out[r + k] += leaves[lo + n1];
    out[r + 2 * k] += leaves[lo + n2];
    out[r + 3 * k] += leaves[lo + n3];
    out[r + 4 * k] += leaves[lo + n4];
    out[r + 5 * k] += leaves[lo + n5];
    out[r + 6 * k] += leaves[lo + n6];
    out[r + 7 * k] += leaves[lo + n7];
  }
}

/** Tree t (laid out complete, any kind of split) over the block, eight rows at a time; see accumulateBlock. */
export function completeMixedTree(ev: Evaluator, t: number, block: Float64Array, slots: Int32Array, m: number, out: Float64Array, o: number): void {
  const { f64, i32, leaves, nodeBase, leafBase } = ev.complete;
  const catRight = ev.catRight;
  const w = 2 * ev.e.nFeatures;
  const k = ev.e.nOutputs;
  const base = nodeBase[t];
  const steps = ev.depth[t];
  const c = 1 - base; // record n's children are 2n + c and 2n + c + 1
  const lo = leafBase[t] - base - (1 << steps) + 1; // the leaf of bottom record n is leaves[lo + n]
  for (let i = 0; i < m; i += 8) {
    let n0 = base;
    let n1 = base;
    let n2 = base;
    let n3 = base;
    let n4 = base;
    let n5 = base;
    let n6 = base;
    let n7 = base;
    const b0 = i * w;
    for (let s = 0; s < steps; s++) {
      const a0 = b0 + i32[4 * n0 + 2];
      const a1 = b0 + w + i32[4 * n1 + 2];
      const a2 = b0 + 2 * w + i32[4 * n2 + 2];
      const a3 = b0 + 3 * w + i32[4 * n3 + 2];
      const a4 = b0 + 4 * w + i32[4 * n4 + 2];
      const a5 = b0 + 5 * w + i32[4 * n5 + 2];
      const a6 = b0 + 6 * w + i32[4 * n6 + 2];
      const a7 = b0 + 7 * w + i32[4 * n7 + 2];
      n0 = 2 * n0 + c + (+(block[a0] > f64[2 * n0]) | catRight[i32[4 * n0 + 3] + slots[a0]]);
      n1 = 2 * n1 + c + (+(block[a1] > f64[2 * n1]) | catRight[i32[4 * n1 + 3] + slots[a1]]);
      n2 = 2 * n2 + c + (+(block[a2] > f64[2 * n2]) | catRight[i32[4 * n2 + 3] + slots[a2]]);
      n3 = 2 * n3 + c + (+(block[a3] > f64[2 * n3]) | catRight[i32[4 * n3 + 3] + slots[a3]]);
      n4 = 2 * n4 + c + (+(block[a4] > f64[2 * n4]) | catRight[i32[4 * n4 + 3] + slots[a4]]);
      n5 = 2 * n5 + c + (+(block[a5] > f64[2 * n5]) | catRight[i32[4 * n5 + 3] + slots[a5]]);
      n6 = 2 * n6 + c + (+(block[a6] > f64[2 * n6]) | catRight[i32[4 * n6 + 3] + slots[a6]]);
      n7 = 2 * n7 + c + (+(block[a7] > f64[2 * n7]) | catRight[i32[4 * n7 + 3] + slots[a7]]);
    }
    const r = o + i * k;
    out[r] += leaves[lo + n0];
    out[r + k] += leaves[lo + n1];
    out[r + 2 * k] += leaves[lo + n2];
    out[r + 3 * k] += leaves[lo + n3];
    out[r + 4 * k] += leaves[lo + n4];
    out[r + 5 * k] += leaves[lo + n5];
    out[r + 6 * k] += leaves[lo + n6];
    out[r + 7 * k] += leaves[lo + n7];
  }
}
