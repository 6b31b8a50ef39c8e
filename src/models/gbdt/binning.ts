// Quantile binning: every value becomes one Uint8 bin so that split search scans ≤ 256 histogram cells instead of
// sorting rows. Bin 0 holds missing values (NaN, and categorical codes out of range); values take bins 1..nBins-1.
// Numeric edges come from a row sample: a feature with few distinct values gets one bin each (exact splits, midway
// between neighbours), a wider one gets quantile bins where a heavily repeated value never straddles two bins.
// Categorical codes map to bins 1..; beyond maxBins the rarest categories share the last bin.

import type { FeatureInfo, Matrix } from '../../core/learner.js';
import type { Rng } from '../../core/rng.js';

export const MISSING_BIN = 0;

export interface FeatureBinning {
  readonly categorical: boolean;
  /** bins in use, the missing bin included: values take 1..nBins-1 */
  readonly nBins: number;
  /** numeric: upper edges; bin b (1 ≤ b ≤ nBins-2) holds edges[b-2] < v <= edges[b-1], the last bin is open above */
  readonly edges: Float64Array; // (nBins - 2), empty for categorical
  /** categorical: the bin of each category code */
  readonly categoryBins: Uint8Array; // (nCategories), empty for numeric
}

/** The threshold a numeric split "bin <= t goes left" means on raw values: v <= threshold goes left. */
export function binUpperEdge(f: FeatureBinning, t: number): number {
  return t <= f.nBins - 2 ? f.edges[t - 1] : Infinity;
}

export interface BinningOptions {
  /** bins for non-missing values, at most 255 */
  readonly maxBins: number;
  /** rows sampled to place numeric edges */
  readonly sampleSize: number;
  readonly rng: Rng;
}

/** Learn the bins of every feature of `x`. */
export function fitBinning(x: Matrix, features: readonly FeatureInfo[], options: BinningOptions): FeatureBinning[] {
  const { nRows } = x;
  const sample = nRows > options.sampleSize ? options.rng.sample(nRows, options.sampleSize) : null;
  const scratch = new Float64Array(sample ? sample.length : nRows); // (sampled rows) one feature's values
  return features.map((info, j) => {
    const column = x.data.subarray(j * nRows, (j + 1) * nRows);
    if (info.kind === 'categorical') return categoricalBins(column, info.nCategories ?? 0, options.maxBins);
    let n = 0;
    if (sample) {
      for (let i = 0; i < sample.length; i++) {
        const v = column[sample[i]];
        if (v === v) scratch[n++] = v;
      }
    } else {
      for (let i = 0; i < nRows; i++) {
        const v = column[i];
        if (v === v) scratch[n++] = v;
      }
    }
    return numericBins(scratch.subarray(0, n).sort(), options.maxBins);
  });
}

/** Edges from sorted non-missing values. */
export function numericBins(sorted: Float64Array, maxBins: number): FeatureBinning {
  // distinct values and their counts
  const n = sorted.length;
  const values = new Float64Array(n);
  const counts = new Float64Array(n);
  let nDistinct = 0;
  for (let i = 0; i < n; i++) {
    if (nDistinct > 0 && sorted[i] === values[nDistinct - 1]) counts[nDistinct - 1]++;
    else {
      values[nDistinct] = sorted[i];
      counts[nDistinct++] = 1;
    }
  }
  const edges: number[] = [];
  const cut = (i: number): void => {
    // between distinct values i and i+1: midway, unless rounding lands on the upper one
    const a = values[i];
    const b = values[i + 1];
    const mid = a + (b - a) / 2;
    edges.push(mid < b && Number.isFinite(mid) ? mid : a);
  };
  if (nDistinct <= maxBins) {
    for (let i = 0; i + 1 < nDistinct; i++) cut(i);
  } else {
    // greedy quantiles: close a bin once it holds its share of the rows not yet binned
    let binsLeft = maxBins;
    let binStart = 0; // rows before the current bin
    let cum = 0;
    for (let i = 0; i + 1 < nDistinct && binsLeft > 1; i++) {
      cum += counts[i];
      const target = (n - binStart) / binsLeft;
      if (cum - binStart + counts[i + 1] / 2 >= target) {
        cut(i);
        binsLeft--;
        binStart = cum;
      }
    }
  }
  return { categorical: false, nBins: edges.length + 2, edges: Float64Array.from(edges), categoryBins: new Uint8Array(0) };
}

/** Codes 0..nCategories-1 → bins 1..; with more categories than bins, the most frequent keep their own bin. */
export function categoricalBins(column: Float64Array, nCategories: number, maxBins: number): FeatureBinning {
  const categoryBins = new Uint8Array(nCategories);
  if (nCategories <= maxBins) {
    for (let k = 0; k < nCategories; k++) categoryBins[k] = k + 1;
    return { categorical: true, nBins: nCategories + 1, edges: new Float64Array(0), categoryBins };
  }
  const counts = new Float64Array(nCategories);
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v >= 0 && v < nCategories) counts[Math.floor(v)]++;
  }
  // rank by count (ties by code, so the result does not depend on sort stability)
  const order = Array.from({ length: nCategories }, (_, k) => k).sort((a, b) => counts[b] - counts[a] || a - b);
  const own = maxBins - 1; // the last bin is shared by the rest
  for (let r = 0; r < nCategories; r++) categoryBins[order[r]] = r < own ? r + 1 : maxBins;
  return { categorical: true, nBins: maxBins + 1, edges: new Float64Array(0), categoryBins };
}

/** The bin of one value (the same rule the kernels below apply to whole columns). */
export function binOf(f: FeatureBinning, v: number): number {
  if (v !== v) return MISSING_BIN;
  if (f.categorical) {
    const code = v | 0;
    return code === v && code >= 0 && code < f.categoryBins.length ? f.categoryBins[code] : MISSING_BIN;
  }
  const e = f.edges;
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= e[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

/** Bin column `j` of `x`, rows [start, end), into out[outOffset + row]. */
export function binColumn(f: FeatureBinning, x: Matrix, j: number, start: number, end: number, out: Uint8Array, outOffset: number): void {
  const n = x.nRows;
  const src = x.data;
  const base = j * n;
  if (f.categorical) {
    const map = f.categoryBins;
    const nCat = map.length;
    for (let i = start; i < end; i++) {
      const v = src[base + i];
      const code = v | 0;
      const b = code === v && code >= 0 && code < nCat ? map[code] : MISSING_BIN;
      out[outOffset + i] = b;
    }
    return;
  }
  // branch-free search over the edges padded with +Infinity to 2^k - 1 entries: bin = 1 + #edges below v
  // four values at a time: their searches are independent chains of loads the CPU can overlap
  const padded = paddedEdges(f.edges);
  const top = (padded.length + 1) >>> 1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const v0 = src[base + i];
    const v1 = src[base + i + 1];
    const v2 = src[base + i + 2];
    const v3 = src[base + i + 3];
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let step = top; step > 0; step >>>= 1) {
      p0 += step * +(v0 > padded[p0 + step - 1]);
      p1 += step * +(v1 > padded[p1 + step - 1]);
      p2 += step * +(v2 > padded[p2 + step - 1]);
      p3 += step * +(v3 > padded[p3 + step - 1]);
    }
    // NaN compares false everywhere (position 0): it goes to the missing bin
    const o = outOffset + i;
    out[o] = v0 === v0 ? p0 + 1 : MISSING_BIN;
    out[o + 1] = v1 === v1 ? p1 + 1 : MISSING_BIN;
    out[o + 2] = v2 === v2 ? p2 + 1 : MISSING_BIN;
    out[o + 3] = v3 === v3 ? p3 + 1 : MISSING_BIN;
  }
  for (; i < end; i++) {
    const v = src[base + i];
    let pos = 0;
    for (let step = top; step > 0; step >>>= 1) pos += step * +(v > padded[pos + step - 1]);
    out[outOffset + i] = v === v ? pos + 1 : MISSING_BIN;
  }
}

/** Edges followed by +Infinity up to a length of 2^k - 1 (at least 1). */
function paddedEdges(edges: Float64Array): Float64Array {
  let size = 1;
  while (size - 1 < edges.length) size <<= 1;
  const out = new Float64Array(Math.max(1, size - 1)).fill(Infinity);
  out.set(edges);
  return out;
}
