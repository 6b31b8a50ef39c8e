// Distances between a reference and a current distribution, as drift scores (0 = identical):
// Wasserstein-1 on raw numeric samples (normalised by the reference standard deviation, as Evidently does),
// the Jensen–Shannon distance and the population stability index on binned or categorical proportions.

/**
 * Wasserstein-1 ("earth mover's") distance between two empirical distributions, ∫ |F_a(x) - F_b(x)| dx, the
 * same as scipy.stats.wasserstein_distance(a, b). Both arrays sorted ascending, finite, non-empty.
 */
export function wassersteinDistance(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let area = 0;
  let x = Math.min(a[0], b[0]);
  // walk the merged distinct values; between two of them both CDFs are flat
  while (i < n1 || j < n2) {
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    const next = Math.min(i < n1 ? a[i] : Infinity, j < n2 ? b[j] : Infinity);
    if (next === Infinity) break;
    area += Math.abs(i / n1 - j / n2) * (next - x);
    x = next;
  }
  return area;
}

/** Evidently's floor on the normalising standard deviation, so a constant reference column does not divide by 0 */
export const MIN_NORMALISING_STD = 0.001;

/** Wasserstein-1 divided by the reference's population standard deviation (ddof 0), floored at 0.001. */
export function normalisedWasserstein(reference: Float64Array, current: Float64Array, referenceStd: number): number {
  return wassersteinDistance(reference, current) / Math.max(referenceStd, MIN_NORMALISING_STD);
}

/**
 * Jensen–Shannon distance √(JS divergence) between two histograms over the same bins (counts or proportions;
 * each is normalised to sum 1). With base 2 (Evidently's choice, our default) it lies in [0, 1]; with base e
 * (scipy's default) in [0, √(ln 2) ≈ 0.833]. Same as scipy.spatial.distance.jensenshannon(p, q, base).
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): number {
  if (p.length !== q.length) throw new RangeError('both histograms must have the same bins');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const mi = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / mi);
    if (qi > 0) divergence += qi * Math.log(qi / mi);
  }
  return Math.sqrt(Math.max(0, divergence / (2 * Math.log(base))));
}

/** proportions of 0 are replaced by this before taking logs in the PSI (Evidently uses the same 1e-4) */
export const PSI_EPSILON = 1e-4;

/**
 * Population stability index Σ (cur - ref) · ln(cur / ref) over bins, on proportions. Empty bins get
 * `epsilon` instead of 0 (not renormalised) so one empty bin gives a large but finite score. Rule of thumb:
 * < 0.1 stable, 0.1–0.25 some shift, > 0.25 a major shift.
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  if (reference.length !== current.length) throw new RangeError('both histograms must have the same bins');
  let sr = 0;
  let sc = 0;
  for (let i = 0; i < reference.length; i++) {
    sr += reference[i];
    sc += current[i];
  }
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] / sr || epsilon;
    const c = current[i] / sc || epsilon;
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}
