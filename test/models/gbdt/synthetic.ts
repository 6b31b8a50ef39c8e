// Small seeded data sets for the gradient-boosting tests (column-major matrices, as learners take them).

import type { FeatureInfo, Matrix, TrainSet } from '../../../src/core/learner.js';
import { Rng } from '../../../src/core/rng.js';

export const numericFeatures = (n: number): FeatureInfo[] => Array.from({ length: n }, (_, j) => ({ name: `x${j}`, kind: 'numeric' as const }));

/** n rows of f standard-normal features. */
export function normalMatrix(rng: Rng, n: number, f: number): Matrix {
  const data = new Float64Array(n * f);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { nRows: n, nCols: f, data };
}

/** Binary target from a nonlinear score of the first three features, with label noise. */
export function binaryProblem(seed: number, n: number, f = 5): TrainSet {
  const rng = new Rng(seed);
  const x = normalMatrix(rng, n, f);
  const d = x.data;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = d[i] + d[n + i] * d[2 * n + i] - (d[2 * n + i] > 0.5 ? 1 : 0);
    y[i] = s + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { x, y, features: numericFeatures(f), nClasses: 2 };
}

/** Three classes by the region of (x0, x1). */
export function multiclassProblem(seed: number, n: number, f = 4): TrainSet {
  const rng = new Rng(seed);
  const x = normalMatrix(rng, n, f);
  const d = x.data;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = d[i] + 0.3 * rng.normal();
    const b = d[n + i] + 0.3 * rng.normal();
    y[i] = a < -0.4 ? 0 : b < 0 ? 1 : 2;
  }
  return { x, y, features: numericFeatures(f), nClasses: 3 };
}

/** Regression: y = 3 sin(x0) + x1² + noise. */
export function regressionProblem(seed: number, n: number, f = 4, noise = 0.1): TrainSet {
  const rng = new Rng(seed);
  const x = normalMatrix(rng, n, f);
  const d = x.data;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 3 * Math.sin(d[i]) + d[n + i] * d[n + i] + noise * rng.normal();
  return { x, y, features: numericFeatures(f) };
}

/** Mixed data: a numeric feature with gaps and a categorical one (codes 0..nCat-1, some missing). */
export function mixedProblem(seed: number, n: number, nCat = 12): TrainSet {
  const rng = new Rng(seed);
  const data = new Float64Array(n * 3);
  const effect = Float64Array.from({ length: nCat }, () => rng.normal());
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const c = rng.int(nCat);
    const b = rng.normal();
    data[i] = rng.next() < 0.1 ? NaN : a;
    data[n + i] = rng.next() < 0.05 ? NaN : c;
    data[2 * n + i] = b;
    y[i] = a + effect[c] + 0.5 * b + 0.3 * rng.normal() > 0 ? 1 : 0;
  }
  return {
    x: { nRows: n, nCols: 3, data },
    y,
    nClasses: 2,
    features: [
      { name: 'a', kind: 'numeric' },
      { name: 'c', kind: 'categorical', nCategories: nCat },
      { name: 'b', kind: 'numeric' },
    ],
  };
}

/** Rows [start, end) of a data set. */
export function sliceRows(data: TrainSet, start: number, end: number): TrainSet {
  const n = data.x.nRows;
  const m = end - start;
  const out = new Float64Array(m * data.x.nCols);
  for (let j = 0; j < data.x.nCols; j++) out.set(data.x.data.subarray(j * n + start, j * n + end), j * m);
  return { ...data, x: { nRows: m, nCols: data.x.nCols, data: out }, y: data.y.slice(start, end), sampleWeight: data.sampleWeight?.slice(start, end) };
}

export function accuracy(pred: Float64Array, y: Float64Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}

export function rmse(pred: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return Math.sqrt(s / y.length);
}

/** Two numeric features and two one-hot groups (12 and 5 columns, exactly one 1 per group and row): bundling bait. */
export function oneHotProblem(seed: number, n: number): TrainSet {
  const rng = new Rng(seed);
  const nCols = 2 + 12 + 5;
  const data = new Float64Array(n * nCols);
  const effectA = Float64Array.from({ length: 12 }, () => rng.normal());
  const effectB = Float64Array.from({ length: 5 }, () => rng.normal());
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.normal();
    const v = rng.normal();
    // skewed group levels, as real one-hot columns are
    const a = Math.min(11, Math.floor(rng.next() ** 2 * 12));
    const b = rng.int(5);
    data[i] = u;
    data[n + i] = v;
    data[(2 + a) * n + i] = 1;
    data[(14 + b) * n + i] = 1;
    y[i] = u + 0.5 * v * v + effectA[a] + effectB[b] + 0.3 * rng.normal() > 0.5 ? 1 : 0;
  }
  return { x: { nRows: n, nCols, data }, y, nClasses: 2, features: numericFeatures(nCols) };
}
