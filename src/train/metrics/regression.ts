// Regression metrics (optionally weighted per row), with scikit-learn's definitions.

import { checkFinite, checkLength, checkNotEmpty, checkWeights } from './inputs.js';

function check(metric: string, yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = yTrue.length;
  checkNotEmpty(metric, n);
  checkLength(metric, 'predictions', yPred, n);
  checkFinite(metric, 'targets', yTrue);
  checkFinite(metric, 'predictions', yPred);
  return checkWeights(metric, weights, n);
}

export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const total = check('mse', yTrue, yPred, weights);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i] - yPred[i];
    s += (weights ? weights[i] : 1) * d * d;
  }
  return s / total;
}

export const rmse = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number => Math.sqrt(mse(yTrue, yPred, weights));

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const total = check('mae', yTrue, yPred, weights);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (weights ? weights[i] : 1) * Math.abs(yTrue[i] - yPred[i]);
  return s / total;
}

/**
 * Coefficient of determination, 1 - SS_res / SS_tot. A constant target (SS_tot = 0) gives 1 for a perfect
 * prediction and 0 otherwise, as scikit-learn does, rather than a division by zero.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const total = check('r2', yTrue, yPred, weights);
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (weights ? weights[i] : 1) * yTrue[i];
  mean /= total;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const e = yTrue[i] - yPred[i];
    const d = yTrue[i] - mean;
    ssRes += w * e * e;
    ssTot += w * d * d;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
