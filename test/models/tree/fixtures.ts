// Small synthetic data sets for the tree, forest, neighbours, naive Bayes and MLP tests, drawn with a fixed seed.

import type { FeatureInfo, Matrix, TrainSet } from '../../../src/core/learner.js';
import { Rng } from '../../../src/core/rng.js';

export function numericFeatures(p: number): FeatureInfo[] {
  return Array.from({ length: p }, (_, j) => ({ name: `x${j}`, kind: 'numeric' as const }));
}

/** a column-major matrix from row arrays */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) data[j * n + i] = rows[i][j];
  return { nRows: n, nCols: p, data };
}

/** value of feature j of row i */
export const at = (x: Matrix, i: number, j: number): number => x.data[j * x.nRows + i];

/** k Gaussian blobs in p dimensions, centres 3 apart along rotating axes; labels 0..k-1 */
export function blobs(seed: number, n: number, k: number, p: number, spread = 1): TrainSet {
  const rng = new Rng(seed);
  const data = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    y[i] = c;
    for (let j = 0; j < p; j++) data[j * n + i] = (j % k === c ? 3 : 0) + spread * rng.normal();
  }
  return { x: { nRows: n, nCols: p, data }, features: numericFeatures(p), y, nClasses: k };
}

/** Friedman #1: y = 10 sin(π x0 x1) + 20 (x2 − 0.5)² + 10 x3 + 5 x4 + noise, x uniform on [0, 1]^p (p >= 5) */
export function friedman(seed: number, n: number, p = 6, noise = 0.5): TrainSet {
  const rng = new Rng(seed);
  const data = new Float64Array(n * p);
  for (let k = 0; k < data.length; k++) data[k] = rng.next();
  const y = new Float64Array(n);
  const v = (i: number, j: number): number => data[j * n + i];
  for (let i = 0; i < n; i++)
    y[i] = 10 * Math.sin(Math.PI * v(i, 0) * v(i, 1)) + 20 * (v(i, 2) - 0.5) ** 2 + 10 * v(i, 3) + 5 * v(i, 4) + noise * rng.normal();
  return { x: { nRows: n, nCols: p, data }, features: numericFeatures(p), y };
}

/** the first `n` rows of a training set (a cheap holdout split for tests) */
export function headRows(data: TrainSet, start: number, end: number): TrainSet {
  const n = data.x.nRows;
  const m = end - start;
  const out = new Float64Array(m * data.x.nCols);
  for (let j = 0; j < data.x.nCols; j++) out.set(data.x.data.subarray(j * n + start, j * n + end), j * m);
  return {
    ...data,
    x: { nRows: m, nCols: data.x.nCols, data: out },
    y: data.y.slice(start, end),
    ...(data.sampleWeight ? { sampleWeight: data.sampleWeight.slice(start, end) } : {}),
  };
}

export function accuracy(pred: Float64Array, y: Float64Array): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) right++;
  return right / y.length;
}
