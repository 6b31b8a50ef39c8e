// Bins for the histogram-based scores (PSI, Jensen–Shannon on numeric columns): quantile edges taken from the
// reference, equal-width Sturges edges over both samples (Evidently's choice), and counting sorted values.

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Interior edges of `nBins` reference-quantile bins (the 1/nBins, 2/nBins, … quantiles), duplicates removed, so
 * a value heaped on one number (a zero-inflated column) stays in a single bin. The outer bins are open-ended:
 * current values beyond the reference range fall into them.
 */
export function quantileEdges(sortedReference: ArrayLike<number>, nBins: number): Float64Array {
  const edges: number[] = [];
  for (let b = 1; b < nBins; b++) {
    const e = quantileSorted(sortedReference, b / nBins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return Float64Array.from(edges);
}

/**
 * Counts of sorted values in the bins (-∞, e₀], (e₀, e₁], …, (e_last, ∞): (edges.length + 1) bins, right-closed
 * so values equal to an edge stay with the values below it.
 */
export function countInBins(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1); // (nEdges + 1)
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (bin < edges.length && sorted[i] > edges[bin]) bin++;
    counts[bin]++;
  }
  return counts;
}

/**
 * numpy.histogram_bin_edges(all, 'sturges') over both samples: ⌈log₂ n⌉ + 1 equal-width bins spanning [min, max]
 * of the union (Evidently bins numeric columns this way for Jensen–Shannon). Returns the full edge list
 * (nBins + 1 values); constant data gets one bin [v - 0.5, v + 0.5] as numpy does.
 */
export function sturgesEdges(a: Float64Array, b: Float64Array): Float64Array {
  const n = a.length + b.length;
  let lo = Math.min(a[0], b[0]);
  let hi = Math.max(a[a.length - 1], b[b.length - 1]);
  let nBins = Math.ceil(Math.log2(n)) + 1;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
    nBins = 1;
  }
  const edges = new Float64Array(nBins + 1);
  const width = (hi - lo) / nBins;
  for (let i = 0; i <= nBins; i++) edges[i] = lo + i * width;
  edges[nBins] = hi;
  return edges;
}

/**
 * numpy.histogram(sorted, edges) for a full edge list: bins [e₀, e₁), …, [e_{k-1}, e_k] — the last one closed —
 * and values outside [e₀, e_k] not counted.
 */
export function histogramCounts(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const nBins = edges.length - 1;
  const counts = new Float64Array(nBins); // (nBins)
  const last = edges[nBins];
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i];
    if (v < edges[0] || v > last) continue;
    while (bin < nBins - 1 && v >= edges[bin + 1]) bin++;
    counts[bin]++;
  }
  return counts;
}
