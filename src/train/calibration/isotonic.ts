// Isotonic calibration (pool-adjacent-violators): a non-decreasing map from a classifier's score to the observed
// positive rate, fitted on labelled reference rows. CBPE needs calibrated probabilities; NannyML fits exactly
// this on its reference data when a model's scores are not. Matches scikit-learn's
// IsotonicRegression(out_of_bounds='clip') with y in [0, 1]: equal scores are pooled first, and predictions
// interpolate linearly between the fitted points and clip outside them.

import { KilnError } from '../../core/errors.js';

export interface IsotonicCalibration {
  /** (k) distinct reference scores, ascending */
  readonly x: Float64Array;
  /** (k) calibrated probability at each of them, non-decreasing */
  readonly y: Float64Array;
}

/** Fit on reference scores and 0/1 labels (optionally weighted). */
export function fitIsotonic(score: ArrayLike<number>, label: ArrayLike<number>, weight?: ArrayLike<number>): IsotonicCalibration {
  const n = score.length;
  if (n === 0 || label.length !== n || (weight && weight.length !== n))
    throw new KilnError('E_VALIDATION', `isotonic calibration needs as many labels${weight ? ' and weights' : ''} as scores (and at least one)`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  // pool equal scores: mean label per distinct score, weight = total weight
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    const s = score[i];
    if (!Number.isFinite(s)) throw new KilnError('E_VALIDATION', `isotonic calibration: score ${s} at row ${i} is not a finite number`);
    const w = weight ? weight[i] : 1;
    if (xs.length && xs[xs.length - 1] === s) {
      sums[sums.length - 1] += w * label[i];
      weights[weights.length - 1] += w;
    } else {
      xs.push(s);
      sums.push(w * label[i]);
      weights.push(w);
    }
  }
  // pool adjacent violators: a stack of blocks, each (mean, weight, first point); merge while a block's mean is
  // below its predecessor's
  const k = xs.length;
  const blockMean = new Float64Array(k); // (k) at most k blocks
  const blockWeight = new Float64Array(k);
  const blockStart = new Int32Array(k);
  let top = -1;
  for (let j = 0; j < k; j++) {
    top++;
    blockMean[top] = sums[j] / weights[j];
    blockWeight[top] = weights[j];
    blockStart[top] = j;
    while (top > 0 && blockMean[top - 1] >= blockMean[top]) {
      const w = blockWeight[top - 1] + blockWeight[top];
      blockMean[top - 1] = (blockMean[top - 1] * blockWeight[top - 1] + blockMean[top] * blockWeight[top]) / w;
      blockWeight[top - 1] = w;
      top--;
    }
  }
  const y = new Float64Array(k);
  for (let b = 0; b <= top; b++) {
    const end = b < top ? blockStart[b + 1] : k;
    for (let j = blockStart[b]; j < end; j++) y[j] = blockMean[b];
  }
  return { x: Float64Array.from(xs), y };
}

/** Calibrated probabilities for new scores: linear between fitted points, clipped to the ends. */
export function applyIsotonic(calibration: IsotonicCalibration, score: ArrayLike<number>): Float64Array {
  const { x, y } = calibration;
  const out = new Float64Array(score.length);
  const last = x.length - 1;
  for (let i = 0; i < score.length; i++) {
    const s = score[i];
    if (Number.isNaN(s)) out[i] = NaN;
    else if (s <= x[0]) out[i] = y[0];
    else if (s >= x[last]) out[i] = y[last];
    else {
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid] <= s) lo = mid;
        else hi = mid;
      }
      out[i] = y[lo] + ((s - x[lo]) * (y[hi] - y[lo])) / (x[hi] - x[lo]);
    }
  }
  return out;
}
