// Input checks shared by the metrics: lengths agree, labels are class indices, scores and weights are finite.
// Metrics take ArrayLike<number> (typed arrays in practice) and never copy more than they must.

import { KilnError } from '../../core/errors.js';

function fail(metric: string, why: string): never {
  throw new KilnError('E_VALIDATION', `${metric}: ${why}`);
}

export function checkLength(metric: string, what: string, values: ArrayLike<number>, n: number): void {
  if (values.length !== n) fail(metric, `${what} has ${values.length} values, expected ${n}`);
}

export function checkNotEmpty(metric: string, n: number): void {
  if (n === 0) fail(metric, 'no rows to score');
}

/** class indices 0..nClasses-1 (a missing label, NaN, is an error: drop such rows before scoring) */
export function checkLabels(metric: string, y: ArrayLike<number>, nClasses: number, what = 'labels'): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!(Number.isInteger(v) && v >= 0 && v < nClasses))
      fail(metric, `${what}[${i}] = ${v} is not a class index in 0..${nClasses - 1}`);
  }
}

export function checkFinite(metric: string, what: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) fail(metric, `${what}[${i}] = ${values[i]} is not a finite number`);
}

/** weights must be finite and >= 0 with a positive sum; returns the sum */
export function checkWeights(metric: string, weights: ArrayLike<number> | undefined, n: number): number {
  if (!weights) return n;
  checkLength(metric, 'sample weights', weights, n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(Number.isFinite(w) && w >= 0)) fail(metric, `sample weight [${i}] = ${w} must be finite and >= 0`);
    sum += w;
  }
  if (!(sum > 0)) fail(metric, 'sample weights sum to 0');
  return sum;
}

/** the number of classes: the given one, else 1 + the largest label */
export function classCount(y: ArrayLike<number>, other?: ArrayLike<number>, given?: number): number {
  if (given !== undefined) return given;
  let max = -1;
  for (let i = 0; i < y.length; i++) if (y[i] > max) max = y[i];
  if (other) for (let i = 0; i < other.length; i++) if (other[i] > max) max = other[i];
  return Math.max(2, max + 1);
}

export { fail as metricError };
