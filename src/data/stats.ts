// Small statistics over typed columns (NaN = missing), shared by cleaning and profiling. Pure.

/** The present (non-NaN) values, sorted ascending: (nPresent). */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) out[k++] = values[i];
  return out.sort();
}

/** Quantile q in [0, 1] of sorted values, linear between neighbours (numpy's default); NaN when empty. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values: Float64Array): number {
  return quantileSorted(sortedPresent(values), 0.5);
}

export interface Moments {
  count: number;
  mean: number;
  /** sample standard deviation (n - 1) */
  std: number;
  min: number;
  max: number;
}

export function moments(values: Float64Array): Moments {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  // Welford's update keeps the variance accurate for large values
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return count === 0
    ? { count, mean: NaN, std: NaN, min: NaN, max: NaN }
    : { count, mean, std: count > 1 ? Math.sqrt(m2 / (count - 1)) : 0, min, max };
}

/** Rows per code: (dictionary.length) counts; missing (-1) codes are not counted. */
export function codeCounts(codes: Int32Array, nLabels: number): Float64Array {
  const counts = new Float64Array(nLabels);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) counts[codes[i]]++;
  return counts;
}

/** Index of the largest count; ties go to the label that sorts first, so results do not depend on row order. */
export function mostFrequent(counts: Float64Array, labels: readonly string[]): number {
  let best = -1;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] === 0) continue;
    if (best < 0 || counts[k] > counts[best] || (counts[k] === counts[best] && labels[k] < labels[best])) best = k;
  }
  return best;
}

/** Equal-width histogram of the present values: `bins` counts over [min, max]. */
export function histogram(values: Float64Array, bins: number, min: number, max: number): { edges: number[]; counts: number[] } {
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => min + k * width);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    let b = width > 0 ? Math.floor((v - min) / width) : 0;
    if (b >= bins) b = bins - 1;
    if (b < 0) b = 0;
    counts[b]++;
  }
  return { edges, counts };
}
