// The penalised logistic objectives minimised by LogisticRegression, on a prepared design matrix:
//   binary:       mean_w[ softplus(-(2y-1) z) ] + l2/2 ‖w‖²,   z = x·w + b
//   multinomial:  mean_w[ logsumexp(z) - z_y ]  + l2/2 ‖W‖²,   z_c = x·W_c + b_c (one row of W per class)
// "mean_w" is the sample-weighted mean, so the scale of the gradient does not grow with the number of rows;
// the intercepts are never penalised. Buffers are allocated once per fit and reused at every evaluation.

import { accumulateXw, multiplyXtr } from './kernels.js';
import type { Objective } from './lbfgs.js';

export interface LossInputs {
  readonly nRows: number;
  readonly nCols: number;
  /** (nCols, nRows) column-major */
  readonly x: Float64Array;
  /** class index per row */
  readonly y: Float64Array;
  /** (nRows) row weights, already divided by their sum */
  readonly weights: Float64Array;
  /** L2 strength on the mean-loss scale */
  readonly l2: number;
  readonly fitIntercept: boolean;
}

/** log(1 + e^t) without overflow */
export function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** parameters: [w (nCols), b] — b only when fitting an intercept */
export function binaryObjective(inp: LossInputs): Objective {
  const { nRows: n, nCols: p, x, y, weights, l2, fitIntercept } = inp;
  const z = new Float64Array(n); // (nRows) linear predictor, then the weighted residual
  return (theta, grad) => {
    z.fill(fitIntercept ? theta[p] : 0);
    accumulateXw(x, n, p, theta, 0, z);
    let loss = 0;
    let sumResidual = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      // one exp serves both: e = e^{-|z|}, softplus(±z) = max(±z, 0) + log1p(e), sigmoid from e
      const e = Math.exp(-Math.abs(zi));
      const p1 = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
      const positive = y[i] === 1;
      const margin = positive ? -zi : zi;
      loss += weights[i] * ((margin > 0 ? margin : 0) + Math.log1p(e));
      const r = weights[i] * (p1 - (positive ? 1 : 0));
      z[i] = r;
      sumResidual += r;
    }
    multiplyXtr(x, n, p, z, grad, 0);
    let penalty = 0;
    for (let j = 0; j < p; j++) {
      grad[j] += l2 * theta[j];
      penalty += theta[j] * theta[j];
    }
    if (fitIntercept) grad[p] = sumResidual;
    return loss + 0.5 * l2 * penalty;
  };
}

/** parameters: [W (nClasses, nCols) row-major, b (nClasses)] — b only when fitting an intercept */
export function multinomialObjective(inp: LossInputs, nClasses: number): Objective {
  const { nRows: n, nCols: p, x, y, weights, l2, fitIntercept } = inp;
  const k = nClasses;
  const z = new Float64Array(k * n); // (nClasses, nRows): linear predictors, then weighted residuals
  return (theta, grad) => {
    for (let c = 0; c < k; c++) {
      const zc = z.subarray(c * n, (c + 1) * n);
      zc.fill(fitIntercept ? theta[k * p + c] : 0);
      accumulateXw(x, n, p, theta, c * p, zc);
    }
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (z[c * n + i] > max) max = z[c * n + i];
      const yi = y[i];
      const zy = z[yi * n + i] - max;
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(z[c * n + i] - max);
        sum += e;
        z[c * n + i] = e; // keep the exponentials; normalised below
      }
      const w = weights[i];
      // -log softmax_y = log Σ_c e^{z_c - max} - (z_y - max), stable for any spread of z
      loss += w * (Math.log(sum) - zy);
      const scale = w / sum;
      for (let c = 0; c < k; c++) z[c * n + i] = z[c * n + i] * scale - (c === yi ? w : 0);
    }
    let penalty = 0;
    for (let c = 0; c < k; c++) {
      const rc = z.subarray(c * n, (c + 1) * n);
      multiplyXtr(x, n, p, rc, grad, c * p);
      for (let j = 0; j < p; j++) {
        const wcj = theta[c * p + j];
        grad[c * p + j] += l2 * wcj;
        penalty += wcj * wcj;
      }
      if (fitIntercept) {
        let s = 0;
        for (let i = 0; i < n; i++) s += rc[i];
        grad[k * p + c] = s;
      }
    }
    return loss + 0.5 * l2 * penalty;
  };
}
