// Row partition: a node owns the contiguous range index[start..end) of the row order; splitting it moves its left
// rows to the front and its right rows to the back, each side keeping ascending row order (stable), so later
// histogram passes read the bin matrix front to back.
//
//   index  [ 3 5 8 9 12 ]   side of each row (lut[bin]): 0 1 0 0 1
//   after  [ 3 8 9 | 5 12 ] left rows written in place, right rows via the scratch buffer

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
