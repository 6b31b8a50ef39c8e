// Split criteria for CART. A candidate split is ranked by a "proxy" that orders splits like the impurity decrease but
// skips the terms every candidate of a node shares:
//   gini:          W·gini(node)   = W − Σ_k s_k² / W                 → proxy Σ_k L_k²/W_L + Σ_k R_k²/W_R
//   entropy:       W·H(node)      = W ln W − Σ_k s_k ln s_k (nats)   → proxy Σ L_k ln L_k − W_L ln W_L + (same for R)
//   squared error: W·var(node)    = Σ w y² − S² / W                  → proxy S_L²/W_L + S_R²/W_R
// (s_k = weight of class k, S = Σ w y). In each case the weighted impurity decrease of a split is exactly
// proxy(split) − proxy(node as one side), so importances and minImpurityDecrease need no second pass over the rows.

export const GINI = 0;
export const ENTROPY = 1;
export const SQUARED_ERROR = 2;
export type CriterionId = typeof GINI | typeof ENTROPY | typeof SQUARED_ERROR;

export const CLASSIFICATION_CRITERIA = { gini: GINI, entropy: ENTROPY, log_loss: ENTROPY } as const;
export const REGRESSION_CRITERIA = { squared_error: SQUARED_ERROR } as const;

/** x ln x with 0 ln 0 = 0 */
function xlogx(v: number): number {
  return v > 0 ? v * Math.log(v) : 0;
}

/**
 * The proxy of one side holding class weights `s[off .. off+nClasses)` (or, for squared error, [W, S] at off),
 * with total weight w. Monomorphic small loops; callers pass offsets instead of subarrays (no allocation).
 */
export function sideProxy(criterion: CriterionId, s: Float64Array, off: number, nStats: number, w: number): number {
  if (w <= 0) return 0;
  if (criterion === SQUARED_ERROR) {
    const sum = s[off + 1];
    return (sum * sum) / w;
  }
  let acc = 0;
  if (criterion === GINI) {
    for (let k = 0; k < nStats; k++) acc += s[off + k] * s[off + k];
    return acc / w;
  }
  for (let k = 0; k < nStats; k++) acc += xlogx(s[off + k]);
  return acc - xlogx(w);
}

/** The proxy of the right side, whose stats are `total − left`. */
export function complementProxy(
  criterion: CriterionId,
  total: Float64Array,
  left: Float64Array,
  nStats: number,
  wRight: number,
): number {
  if (wRight <= 0) return 0;
  if (criterion === SQUARED_ERROR) {
    const sum = total[1] - left[1];
    return (sum * sum) / wRight;
  }
  let acc = 0;
  if (criterion === GINI) {
    for (let k = 0; k < nStats; k++) {
      const r = total[k] - left[k];
      acc += r * r;
    }
    return acc / wRight;
  }
  for (let k = 0; k < nStats; k++) acc += xlogx(total[k] - left[k]);
  return acc - xlogx(wRight);
}

/** Convert a weighted proxy decrease to scikit-learn's units (entropy in bits; gini and variance as they are). */
export function decreaseInImpurityUnits(criterion: CriterionId, proxyDecrease: number): number {
  return criterion === ENTROPY ? proxyDecrease / Math.LN2 : proxyDecrease;
}
