// Small statistics shared by the transforms, with numpy's conventions so fitted values match scikit-learn's.

/** numpy's default ("linear") quantile of ascending values; NaN for none */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  const a = sorted[below];
  const b = sorted[above];
  // numpy's lerp, exact at both ends
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** mean and population standard deviation (ddof 0) over the non-missing values */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number; count: number } {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  if (n === 0) return { mean: NaN, std: NaN, count: 0 };
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, std: Math.sqrt(ss / n), count: n };
}

/** numpy's median of ascending values: the middle one, or the mean of the two middle ones; NaN for none */
export function medianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}
