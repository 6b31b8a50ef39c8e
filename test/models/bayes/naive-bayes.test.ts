// Naive Bayes on hand-computed cases: the fitted parameters, missing values, weights, priors, bad counts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainSet } from '../../../src/core/learner.js';
import { BernoulliNB, GaussianNB, MultinomialNB } from '../../../src/models/bayes/index.js';
import { blobs, matrixFromRows, numericFeatures } from '../tree/fixtures.js';

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('gaussian: class means and variances give the textbook posterior', async () => {
  const data: TrainSet = { x: matrixFromRows([[0], [2], [10], [14]]), features: numericFeatures(1), y: Float64Array.from([0, 0, 1, 1]), nClasses: 2 };
  const model = await new GaussianNB({ varSmoothing: 0 }).fit(data);
  // class 0: μ 1, σ² 1; class 1: μ 12, σ² 4; equal priors
  const x = 5;
  const l0 = -0.5 * Math.log(2 * Math.PI * 1) - (x - 1) ** 2 / 2;
  const l1 = -0.5 * Math.log(2 * Math.PI * 4) - (x - 12) ** 2 / 8;
  const p1 = 1 / (1 + Math.exp(l0 - l1));
  const proba = model.predictProba(matrixFromRows([[x]]));
  assert.ok(close(proba[1], p1), `${proba[1]} vs ${p1}`);
});

test('gaussian: a missing value drops its feature from the likelihood (the exact marginal)', async () => {
  const data = blobs(1, 200, 2, 3, 1);
  const model = await new GaussianNB().fit(data);
  const only01 = await new GaussianNB().fit({
    ...data,
    x: { nRows: 200, nCols: 2, data: data.x.data.slice(0, 400) },
    features: numericFeatures(2),
  });
  const q = matrixFromRows([[2.5, -0.5, NaN]]);
  const p = model.predictProba(q);
  const p2 = only01.predictProba(matrixFromRows([[2.5, -0.5]]));
  // the variance smoothing differs (it scales with the largest variance of the features seen), hence 1e-6
  assert.ok(close(p[0], p2[0], 1e-6), `${p[0]} vs ${p2[0]}`);
  // and missing training values are skipped, not treated as 0
  const gappy = { ...data, x: { ...data.x, data: data.x.data.map((v, i) => (i % 7 === 0 ? NaN : v)) } };
  const g = await new GaussianNB().fit(gappy);
  assert.ok(g.predictProba(q).every((v) => Number.isFinite(v)));
});

test('multinomial: smoothed log frequencies, class priors, and refusal of negative counts', async () => {
  const data: TrainSet = { x: matrixFromRows([[2, 0], [1, 1], [0, 3]]), features: numericFeatures(2), y: Float64Array.from([0, 0, 1]), nClasses: 2 };
  const model = await new MultinomialNB({ alpha: 1 }).fit(data);
  // class 0 counts (3, 1) → θ = (4/6, 2/6); class 1 counts (0, 3) → θ = (1/5, 4/5); priors 2/3, 1/3
  const jll = model.jointLogLikelihood(matrixFromRows([[1, 2]]));
  assert.ok(close(jll[0], Math.log(2 / 3) + Math.log(4 / 6) + 2 * Math.log(2 / 6)));
  assert.ok(close(jll[1], Math.log(1 / 3) + Math.log(1 / 5) + 2 * Math.log(4 / 5)));
  const uniform = await new MultinomialNB({ fitPrior: false }).fit(data);
  assert.ok(close(uniform.jointLogLikelihood(matrixFromRows([[0, 0]]))[0], Math.log(0.5)));
  const fixed = await new MultinomialNB({ classPrior: [0.9, 0.1] }).fit(data);
  assert.ok(close(fixed.jointLogLikelihood(matrixFromRows([[0, 0]]))[1], Math.log(0.1)));
  await assert.rejects(
    () => new MultinomialNB().fit({ ...data, x: matrixFromRows([[2, 0], [1, -1], [0, 3]]) }),
    /MultinomialNB: counts must be >= 0, found -1 in feature "x1" at row 1/,
  );
  await assert.rejects(() => new MultinomialNB({ classPrior: [0.2, 0.3, 0.5] }).fit(data), /3 priors given for 2 classes/);
});

test('bernoulli: presence above the threshold, absence counts too', async () => {
  const data: TrainSet = { x: matrixFromRows([[5, 0], [0.5, 2], [0, 3]]), features: numericFeatures(2), y: Float64Array.from([0, 0, 1]), nClasses: 2 };
  const model = await new BernoulliNB({ binarize: 1 }).fit(data);
  // present: class 0 → (1, 1) of 2 rows; class 1 → (0, 1) of 1 row. θ = (N + 1) / (n + 2)
  const t0 = [2 / 4, 2 / 4];
  const t1 = [1 / 3, 2 / 3];
  const jll = model.jointLogLikelihood(matrixFromRows([[3, 0]])); // present, absent
  assert.ok(close(jll[0], Math.log(2 / 3) + Math.log(t0[0]) + Math.log(1 - t0[1])));
  assert.ok(close(jll[1], Math.log(1 / 3) + Math.log(t1[0]) + Math.log(1 - t1[1])));
});

test('integer sample weights equal repeated rows', async () => {
  const data = blobs(2, 60, 3, 2, 1);
  const w = Float64Array.from({ length: 60 }, (_, i) => 1 + (i % 3));
  const idx: number[] = [];
  for (let i = 0; i < 60; i++) for (let r = 0; r < w[i]; r++) idx.push(i);
  const rx = new Float64Array(idx.length * 2);
  for (let j = 0; j < 2; j++) idx.forEach((r, k) => (rx[j * idx.length + k] = data.x.data[j * 60 + r]));
  const repeated: TrainSet = { ...data, x: { nRows: idx.length, nCols: 2, data: rx }, y: Float64Array.from(idx, (r) => data.y[r]) };
  const q = matrixFromRows([[0.3, 2.1], [3, 0]]);
  for (const make of [() => new GaussianNB(), () => new BernoulliNB({ binarize: 0.5 })]) {
    const a = (await make().fit({ ...data, sampleWeight: w })).predictProba(q);
    const b = (await make().fit(repeated)).predictProba(q);
    for (let i = 0; i < a.length; i++) assert.ok(close(a[i], b[i], 1e-9), `${a[i]} vs ${b[i]}`);
  }
});

test('gaussian: a feature never known in training, or constant, favours no class and never yields NaN', async () => {
  const data: TrainSet = {
    x: matrixFromRows([[NaN, 5, 0], [NaN, 5, 1], [NaN, 5, 10], [NaN, 5, 11]]),
    features: numericFeatures(3),
    y: Float64Array.from([0, 0, 1, 1]),
    nClasses: 2,
  };
  const model = await new GaussianNB({ varSmoothing: 0 }).fit(data);
  const p = model.predictProba(matrixFromRows([[3, 7, 0.5]]));
  assert.ok(p.every((v) => Number.isFinite(v)));
  const q = model.predictProba(matrixFromRows([[NaN, NaN, 0.5]]));
  assert.ok(Math.abs(p[0] - q[0]) < 1e-12, 'the first two features change nothing');
});
