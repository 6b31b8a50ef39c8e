// The tree builder's hot loops, as small module-level functions over typed arrays. Kept apart from the builder's
// bookkeeping on purpose: each is called thousands of times per tree, so V8 optimises it as a whole instead of
// on-stack-replacing one loop of a long method (which it would then deoptimise again at the first branch it had not
// seen yet, over and over). Classification and regression get separate, monomorphic versions.
//
// Row ranges: `rows[start, end)` are a node's row ids; `label`/`weight` hold each row's class (or target) and weight
// in the same positions (the builder keeps them in step with `rows`).

import { MISSING_BIN } from './binning.js';

/** Σw per class over a node; returns the number of classes with positive weight. */
export function classTotals(label: Int32Array, weight: Float64Array, start: number, end: number, out: Float64Array, nClasses: number): number {
  for (let k = 0; k < nClasses; k++) out[k] = 0;
  for (let i = start; i < end; i++) out[label[i]] += weight[i];
  let nonEmpty = 0;
  for (let k = 0; k < nClasses; k++) if (out[k] > 0) nonEmpty++;
  return nonEmpty;
}

/** [Σw, Σwy] of a node into out[0..1]; returns true when every target is equal (nothing to split). */
export function valueTotals(value: Float64Array, weight: Float64Array, start: number, end: number, out: Float64Array): boolean {
  let w = 0;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const wi = weight[i];
    const v = value[i];
    w += wi;
    s += wi * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  out[0] = w;
  out[1] = s;
  return min === max;
}

/**
 * Histogram of a node over one feature's bin codes: rows per bin, Σw per bin, Σw per (bin, class).
 * `hist` is (256, nClasses). Returns lo | (hi << 8): the lowest and highest code seen (MISSING_BIN included).
 */
export function histogramClass(
  bins: Uint8Array,
  base: number,
  rows: Uint32Array,
  label: Int32Array,
  weight: Float64Array,
  start: number,
  end: number,
  counts: Int32Array,
  binWeight: Float64Array,
  hist: Float64Array,
  nClasses: number,
): number {
  let lo = MISSING_BIN;
  let hi = 0;
  for (let i = start; i < end; i++) {
    const b = bins[base + rows[i]];
    const w = weight[i];
    counts[b]++;
    binWeight[b] += w;
    hist[b * nClasses + label[i]] += w;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  return lo | (hi << 8);
}

/** Regression histogram: `hist` is (256, 2) holding [Σw, Σwy] per bin. Same return value as histogramClass. */
export function histogramValue(
  bins: Uint8Array,
  base: number,
  rows: Uint32Array,
  value: Float64Array,
  weight: Float64Array,
  start: number,
  end: number,
  counts: Int32Array,
  binWeight: Float64Array,
  hist: Float64Array,
): number {
  let lo = MISSING_BIN;
  let hi = 0;
  for (let i = start; i < end; i++) {
    const b = bins[base + rows[i]];
    const w = weight[i];
    counts[b]++;
    binWeight[b] += w;
    hist[2 * b] += w;
    hist[2 * b + 1] += w * value[i];
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  return lo | (hi << 8);
}

/**
 * Copy one feature's values for a node's rows into `values[0, n)` (so later passes read them in order) and report
 * their range: range[0] = min, range[1] = max of the non-missing values. Returns the number of missing values.
 */
export function gatherValues(x: Float64Array, base: number, rows: Uint32Array, start: number, end: number, values: Float64Array, range: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  let nMissing = 0;
  for (let i = start; i < end; i++) {
    const v = x[base + rows[i]];
    values[i - start] = v;
    if (v !== v) nMissing++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  range[0] = min;
  range[1] = max;
  return nMissing;
}

/**
 * Per-class Σw of the rows with value <= threshold (into `left`) and of the missing rows (into `missing`);
 * sums[0] = Σw left, sums[1] = Σw missing. Returns the number of rows left.
 */
export function splitSumsClass(
  values: Float64Array,
  threshold: number,
  label: Int32Array,
  weight: Float64Array,
  start: number,
  n: number,
  left: Float64Array,
  missing: Float64Array,
  nClasses: number,
  sums: Float64Array,
): number {
  for (let k = 0; k < nClasses; k++) {
    left[k] = 0;
    missing[k] = 0;
  }
  let nLeft = 0;
  let wLeft = 0;
  let wMissing = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v <= threshold) {
      const w = weight[start + i];
      left[label[start + i]] += w;
      wLeft += w;
      nLeft++;
    } else if (v !== v) {
      const w = weight[start + i];
      missing[label[start + i]] += w;
      wMissing += w;
    }
  }
  sums[0] = wLeft;
  sums[1] = wMissing;
  return nLeft;
}

/** Regression version of splitSumsClass: left and missing get [Σw, Σwy]. */
export function splitSumsValue(
  values: Float64Array,
  threshold: number,
  value: Float64Array,
  weight: Float64Array,
  start: number,
  n: number,
  left: Float64Array,
  missing: Float64Array,
  sums: Float64Array,
): number {
  let nLeft = 0;
  let wLeft = 0;
  let sLeft = 0;
  let wMissing = 0;
  let sMissing = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v <= threshold) {
      const w = weight[start + i];
      wLeft += w;
      sLeft += w * value[start + i];
      nLeft++;
    } else if (v !== v) {
      const w = weight[start + i];
      wMissing += w;
      sMissing += w * value[start + i];
    }
  }
  left[0] = wLeft;
  left[1] = sLeft;
  missing[0] = wMissing;
  missing[1] = sMissing;
  sums[0] = wLeft;
  sums[1] = wMissing;
  return nLeft;
}

/** side[i] = 1 when row i goes left, deciding on bin codes (a 'best' split). */
export function sidesFromBins(bins: Uint8Array, base: number, rows: Uint32Array, start: number, end: number, bin: number, missingLeft: boolean, side: Uint8Array): void {
  for (let i = start; i < end; i++) {
    const code = bins[base + rows[i]];
    side[i] = (code === MISSING_BIN ? missingLeft : code <= bin) ? 1 : 0;
  }
}

/** side[i] = 1 when row i goes left, deciding on raw values (a 'random' split). */
export function sidesFromValues(x: Float64Array, base: number, rows: Uint32Array, start: number, end: number, threshold: number, missingLeft: boolean, side: Uint8Array): void {
  for (let i = start; i < end; i++) {
    const v = x[base + rows[i]];
    side[i] = v <= threshold || (v !== v && missingLeft) ? 1 : 0;
  }
}

/**
 * Stable partition of positions [start, end) of rows/label/weight by `side`: left rows are compacted forward in
 * place, right rows wait in the scratch arrays and then follow. Returns the first right position.
 */
export function partitionClass(
  side: Uint8Array,
  start: number,
  end: number,
  rows: Uint32Array,
  label: Int32Array,
  weight: Float64Array,
  scratchRows: Uint32Array,
  scratchLabel: Int32Array,
  scratchWeight: Float64Array,
): number {
  let nLeft = start;
  let nRight = 0;
  for (let i = start; i < end; i++) {
    if (side[i] === 1) {
      rows[nLeft] = rows[i];
      label[nLeft] = label[i];
      weight[nLeft++] = weight[i];
    } else {
      scratchRows[nRight] = rows[i];
      scratchLabel[nRight] = label[i];
      scratchWeight[nRight++] = weight[i];
    }
  }
  for (let i = 0; i < nRight; i++) {
    rows[nLeft + i] = scratchRows[i];
    label[nLeft + i] = scratchLabel[i];
    weight[nLeft + i] = scratchWeight[i];
  }
  return nLeft;
}

/** partitionClass for a Float64 target. */
export function partitionValue(
  side: Uint8Array,
  start: number,
  end: number,
  rows: Uint32Array,
  value: Float64Array,
  weight: Float64Array,
  scratchRows: Uint32Array,
  scratchValue: Float64Array,
  scratchWeight: Float64Array,
): number {
  let nLeft = start;
  let nRight = 0;
  for (let i = start; i < end; i++) {
    if (side[i] === 1) {
      rows[nLeft] = rows[i];
      value[nLeft] = value[i];
      weight[nLeft++] = weight[i];
    } else {
      scratchRows[nRight] = rows[i];
      scratchValue[nRight] = value[i];
      scratchWeight[nRight++] = weight[i];
    }
  }
  for (let i = 0; i < nRight; i++) {
    rows[nLeft + i] = scratchRows[i];
    value[nLeft + i] = scratchValue[i];
    weight[nLeft + i] = scratchWeight[i];
  }
  return nLeft;
}

/**
 * Sort keys[0, n) ascending, moving items[] along (an index sort without a comparator callback). Iterative
 * quicksort, median-of-three pivots, insertion sort below 16 elements; `stack` needs 128 entries (the smaller side
 * is sorted first, so at most 2·log2(n) entries are pending).
 */
export function sortPairs(keys: Float64Array, items: Int32Array, n: number, stack: Int32Array): void {
  let sp = 0;
  stack[sp++] = 0;
  stack[sp++] = n - 1;
  while (sp > 0) {
    let hi = stack[--sp];
    let lo = stack[--sp];
    while (hi - lo > 16) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < keys[lo]) swapPair(keys, items, mid, lo);
      if (keys[hi] < keys[lo]) swapPair(keys, items, hi, lo);
      if (keys[hi] < keys[mid]) swapPair(keys, items, hi, mid);
      const pivot = keys[mid];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (keys[i] < pivot) i++;
        while (keys[j] > pivot) j--;
        if (i <= j) swapPair(keys, items, i++, j--);
      }
      // keys[lo..j] <= pivot <= keys[i..hi]: push the larger side, continue with the smaller
      if (j - lo < hi - i) {
        stack[sp++] = i;
        stack[sp++] = hi;
        hi = j;
      } else {
        stack[sp++] = lo;
        stack[sp++] = j;
        lo = i;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const k = keys[i];
      const it = items[i];
      let j = i - 1;
      while (j >= lo && keys[j] > k) {
        keys[j + 1] = keys[j];
        items[j + 1] = items[j];
        j--;
      }
      keys[j + 1] = k;
      items[j + 1] = it;
    }
  }
}

function swapPair(keys: Float64Array, items: Int32Array, a: number, b: number): void {
  const k = keys[a];
  keys[a] = keys[b];
  keys[b] = k;
  const t = items[a];
  items[a] = items[b];
  items[b] = t;
}

/**
 * Gather a node's non-missing values of one feature with their positions (into values/positions) for an exact
 * search; the missing rows' per-class Σw (or [Σw, Σwy]) go into `missing`. sums[0] = Σw of the missing rows.
 * Returns the number of non-missing values m (the missing count is end - start - m).
 */
export function gatherForExact(
  x: Float64Array,
  base: number,
  rows: Uint32Array,
  start: number,
  end: number,
  label: Int32Array | null,
  value: Float64Array,
  weight: Float64Array,
  values: Float64Array,
  positions: Int32Array,
  missing: Float64Array,
  nStats: number,
  sums: Float64Array,
): number {
  for (let k = 0; k < nStats; k++) missing[k] = 0;
  let m = 0;
  let wMissing = 0;
  for (let i = start; i < end; i++) {
    const v = x[base + rows[i]];
    if (v === v) {
      values[m] = v;
      positions[m++] = i;
    } else {
      const w = weight[i];
      wMissing += w;
      if (label) missing[label[i]] += w;
      else {
        missing[0] += w;
        missing[1] += w * value[i];
      }
    }
  }
  sums[0] = wMissing;
  return m;
}
