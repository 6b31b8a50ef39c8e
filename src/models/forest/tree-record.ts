// How a grown tree travels from a worker thread to the caller: a flat record written into a region of a
// SharedArrayBuffer. 8-byte aligned so the Float64 parts can be viewed in place.
//
//   [ treeIndex, nNodes, nLeaves, 0 ]  int32 × 4
//   threshold   float64 × nNodes
//   value       float64 × nLeaves·nOutputs
//   importance  float64 × nCols
//   feature     int32 × nNodes
//   right       int32 × nNodes
//   missingLeft uint8 × nNodes, zero-padded to 8 bytes

import type { GrownTree } from '../tree/grown-tree.js';

const HEADER_BYTES = 16;
const align8 = (n: number): number => (n + 7) & ~7;

function recordBytes(nNodes: number, nLeaves: number, nOutputs: number, nCols: number): number {
  return HEADER_BYTES + 8 * (nNodes + nLeaves * nOutputs + nCols) + align8(9 * nNodes);
}

/** The largest record a tree grown on `nRows` rows can need (at most 2·nRows − 1 nodes, nRows leaves). */
export function maxRecordBytes(nRows: number, nOutputs: number, nCols: number): number {
  return recordBytes(2 * nRows, nRows, nOutputs, nCols);
}

/** Write `tree` at byte `offset` of `buffer`; returns the offset just past it. */
export function writeTreeRecord(buffer: SharedArrayBuffer, offset: number, treeIndex: number, tree: GrownTree): number {
  const { nNodes, nLeaves, nOutputs } = tree;
  const nCols = tree.importance.length;
  new Int32Array(buffer, offset, 4).set([treeIndex, nNodes, nLeaves, 0]);
  let at = offset + HEADER_BYTES;
  new Float64Array(buffer, at, nNodes).set(tree.threshold);
  at += 8 * nNodes;
  new Float64Array(buffer, at, nLeaves * nOutputs).set(tree.value);
  at += 8 * nLeaves * nOutputs;
  new Float64Array(buffer, at, nCols).set(tree.importance);
  at += 8 * nCols;
  new Int32Array(buffer, at, nNodes).set(tree.feature);
  at += 4 * nNodes;
  new Int32Array(buffer, at, nNodes).set(tree.right);
  at += 4 * nNodes;
  new Uint8Array(buffer, at, nNodes).set(tree.missingLeft);
  return offset + recordBytes(nNodes, nLeaves, nOutputs, nCols);
}

/** Read the record at `offset` into fresh (unshared) arrays. */
export function readTreeRecord(
  buffer: SharedArrayBuffer,
  offset: number,
  nOutputs: number,
  nCols: number,
): { treeIndex: number; tree: GrownTree; next: number } {
  const [treeIndex, nNodes, nLeaves] = new Int32Array(buffer, offset, 3);
  let at = offset + HEADER_BYTES;
  const take = <T extends Float64Array | Int32Array | Uint8Array>(make: (b: SharedArrayBuffer, o: number, n: number) => T, n: number, bytes: number): T => {
    const view = make(buffer, at, n);
    at += bytes * n;
    return view.slice() as T;
  };
  const threshold = take((b, o, n) => new Float64Array(b, o, n), nNodes, 8);
  const value = take((b, o, n) => new Float64Array(b, o, n), nLeaves * nOutputs, 8);
  const importance = take((b, o, n) => new Float64Array(b, o, n), nCols, 8);
  const feature = take((b, o, n) => new Int32Array(b, o, n), nNodes, 4);
  const right = take((b, o, n) => new Int32Array(b, o, n), nNodes, 4);
  const missingLeft = take((b, o, n) => new Uint8Array(b, o, n), nNodes, 1);
  const tree: GrownTree = { nNodes, nLeaves, nOutputs, feature, threshold, missingLeft, right, value, importance };
  return { treeIndex, tree, next: offset + recordBytes(nNodes, nLeaves, nOutputs, nCols) };
}
