// Applying a tree while it is still in bin space (during fit): rows left out of a round's subsample and validation
// rows get the new tree's output by walking its bin thresholds, which route every row exactly as the raw
// thresholds of the saved model will.

import { MISSING_BIN } from './binning.js';
import { featureBin, type ColumnPlan } from './bundling.js';
import type { GrownTree } from './grower.js';

/**
 * The leaf of `tree` for the row `row` of a column-major bin matrix: columns as `plan` says (bundles decoded), or one
 * column per feature when `plan` is null.
 */
export function binnedLeaf(tree: GrownTree, columns: Uint8Array, nRows: number, plan: ColumnPlan | null, nBins: Int32Array, row: number): number {
  let n = 0;
  for (;;) {
    const f = tree.feature[n];
    if (f < 0) return n;
    const b = plan ? featureBin(plan, f, columns[plan.columnOf[f] * nRows + row], nBins[f]) : columns[f * nRows + row];
    let left: boolean;
    if (b === MISSING_BIN) left = tree.defaultLeft[n] === 1;
    else if (tree.categorical[n]) left = ((tree.mask[n * 8 + (b >>> 5)] >>> (b & 31)) & 1) === 1;
    else left = b <= tree.bin[n];
    n = left ? tree.left[n] : tree.right[n];
  }
}

/**
 * raw[r·nOutputs + k] += value[leaf of r] for rows rows[start..end) (or rows start..end when `rows` is null).
 */
export function addBinnedTree(
  tree: GrownTree,
  value: Float64Array,
  columns: Uint8Array,
  nRows: number,
  plan: ColumnPlan | null,
  nBins: Int32Array,
  rows: Uint32Array | null,
  start: number,
  end: number,
  raw: Float64Array,
  nOutputs: number,
  k: number,
): void {
  for (let i = start; i < end; i++) {
    const r = rows ? rows[i] : i;
    raw[r * nOutputs + k] += value[binnedLeaf(tree, columns, nRows, plan, nBins, r)];
  }
}
