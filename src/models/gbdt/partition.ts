// Row partition: a node owns the contiguous range index[start..end) of the row order; splitting it moves its left
// rows to the front and its right rows to the back, each side keeping ascending row order (stable), so later
// histogram passes read the bin matrix front to back.
//
//   index  [ 3 5 8 9 12 ]   side of each row (lut[bin]): 0 1 0 0 1
//   after  [ 3 8 9 | 5 12 ] left rows written in place, right rows via the scratch buffer

import { featureBin, type ColumnPlan } from './bundling.js';
import { SPLIT_BIN, SPLIT_CATEGORICAL, SPLIT_DEFAULT_LEFT, SPLIT_MASK } from './split.js';

/**
 * The side table of a split (luts[at + column bin] = 1 when the row goes right) from its split record at
 * record[o..]: through the feature's own bin when its column is a bundle, missing values (bin 0) to the learned side.
 */
export function writeSideTable(luts: Uint8Array, at: number, plan: ColumnPlan, f: number, nBins: number, record: Float64Array, o: number): void {
  const defaultRight = record[o + SPLIT_DEFAULT_LEFT] ? 0 : 1;
  const categorical = record[o + SPLIT_CATEGORICAL] === 1;
  const t = record[o + SPLIT_BIN];
  const bundled = plan.bundleStart[f] >= 0;
  // only the bins the column can hold: a plain feature's own, a bundle's up to 256
  const size = bundled ? 256 : nBins;
  for (let cb = 0; cb < size; cb++) {
    const bin = bundled ? featureBin(plan, f, cb, nBins) : cb;
    if (bin === 0) luts[at + cb] = defaultRight;
    else if (categorical) luts[at + cb] = (record[o + SPLIT_MASK + (bin >>> 5)] >>> (bin & 31)) & 1 ? 0 : 1;
    else luts[at + cb] = bin <= t ? 0 : 1;
  }
}

/**
 * Partition index[start..end) by `goRight[lutOffset + column[row]]` (0 = left, 1 = right); returns the left count.
 * Branch-free: every row is written to both places and only the cursor of its side advances.
 */
export function partitionRows(
  column: Uint8Array,
  columnOffset: number,
  index: Uint32Array,
  scratch: Uint32Array,
  start: number,
  end: number,
  goRight: Uint8Array,
  lutOffset: number,
): number {
  let left = start;
  let right = start;
  for (let i = start; i < end; i++) {
    const row = index[i];
    const side = goRight[lutOffset + column[columnOffset + row]];
    index[left] = row;
    scratch[right] = row;
    left += 1 - side;
    right += side;
  }
  for (let i = start, j = left; i < right; i++, j++) index[j] = scratch[i];
  return left - start;
}
