// Small synthetic data sets for the linear-model tests, drawn from known models with a fixed seed.

import type { FeatureInfo, Matrix, TrainSet } from '../../../src/core/learner.js';
import { Rng } from '../../../src/core/rng.js';

export function numericFeatures(p: number): FeatureInfo[] {
  return Array.from({ length: p }, (_, j) => ({ name: `x${j}`, kind: 'numeric' as const }));
}

/** (n, p) standard normal columns times `scales`, column-major */
export function gaussianMatrix(rng: Rng, n: number, p: number, scales?: readonly number[]): Matrix {
  const data = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) data[j * n + i] = rng.normal() * (scales?.[j] ?? 1) + (scales ? j : 0);
  return { nRows: n, nCols: p, data };
}

/** labels drawn from a softmax over x·W_c + b_c (binary: sigmoid of x·w + b) */
export function logisticData(seed: number, n: number, coef: readonly number[][], intercept: readonly number[]): TrainSet {
  const rng = new Rng(seed);
  const p = coef[0].length;
  const x = gaussianMatrix(rng, n, p);
  const k = coef.length === 1 ? 2 : coef.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = coef.map((w, c) => intercept[c] + w.reduce((s, wj, j) => s + wj * x.data[j * n + i], 0));
    if (k === 2) y[i] = rng.next() < 1 / (1 + Math.exp(-z[0])) ? 1 : 0;
    else {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const total = e.reduce((a, b) => a + b, 0);
      let u = rng.next() * total;
      let c = 0;
      while (c < k - 1 && u >= e[c]) u -= e[c++];
      y[i] = c;
    }
  }
  return { x, features: numericFeatures(p), y, nClasses: k };
}

/** y = x·w + b + noise */
export function linearData(seed: number, n: number, coef: readonly number[], intercept: number, noise: number, scales?: readonly number[]): TrainSet {
  const rng = new Rng(seed);
  const p = coef.length;
  const x = gaussianMatrix(rng, n, p, scales);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = intercept;
    for (let j = 0; j < p; j++) v += coef[j] * x.data[j * n + i];
    y[i] = v + noise * rng.normal();
  }
  return { x, features: numericFeatures(p), y };
}

/** the training set with rows repeated as many times as `times[i]` says */
export function repeatRows(data: TrainSet, times: ArrayLike<number>): TrainSet {
  const idx: number[] = [];
  for (let i = 0; i < times.length; i++) for (let r = 0; r < times[i]; r++) idx.push(i);
  const n = data.x.nRows;
  const p = data.x.nCols;
  const out = new Float64Array(idx.length * p);
  for (let j = 0; j < p; j++) for (let r = 0; r < idx.length; r++) out[j * idx.length + r] = data.x.data[j * n + idx[r]];
  return { ...data, x: { nRows: idx.length, nCols: p, data: out }, y: Float64Array.from(idx, (i) => data.y[i]), sampleWeight: undefined };
}
