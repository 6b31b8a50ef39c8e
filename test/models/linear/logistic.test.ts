// LogisticRegression on synthetic data from known models: recovery of the true coefficients, the meaning of
// weights, penalties and standardisation, input checks. Comparisons with scikit-learn live in test/reference.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KilnError, ValidationError } from '../../../src/core/errors.js';
import { LogisticRegression } from '../../../src/models/linear/index.js';
import { linearData, logisticData, repeatRows } from './fixtures.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

test('binary: recovers the generating coefficients from many rows', async () => {
  const data = logisticData(10, 20000, [[1.5, -2, 0]], [0.5]);
  const m = await new LogisticRegression({ penalty: 'none' }).fit(data);
  assert.ok(m.info.converged);
  [1.5, -2, 0].forEach((w, j) => assert.ok(Math.abs(m.coef[j] - w) < 0.1, `coef ${j} = ${m.coef[j]}`));
  assert.ok(Math.abs(m.intercept[0] - 0.5) < 0.1, `intercept ${m.intercept[0]}`);
});

test('multinomial: probabilities sum to 1 and the likeliest class is predicted', async () => {
  const data = logisticData(11, 3000, [[2, 0], [0, 2], [-2, -2]], [0, 0, 0]);
  const m = await new LogisticRegression().fit(data);
  assert.equal(m.nClasses, 3);
  const proba = m.predictProba(data.x);
  const pred = m.predict(data.x);
  let right = 0;
  for (let i = 0; i < data.x.nRows; i++) {
    const row = [...proba.subarray(3 * i, 3 * i + 3)];
    assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-12);
    assert.equal(pred[i], row.indexOf(Math.max(...row)));
    if (pred[i] === data.y[i]) right++;
  }
  assert.ok(right / data.x.nRows > 0.7, `accuracy ${right / data.x.nRows}`);
});

test('a sample weight of 2 is the same as repeating the row', async () => {
  const base = logisticData(12, 300, [[1, -1, 0.5]], [0]);
  const times = Float64Array.from({ length: 300 }, (_, i) => 1 + (i % 3));
  const weighted = await new LogisticRegression({ standardize: false, tol: 1e-10 }).fit({ ...base, sampleWeight: times });
  const repeated = await new LogisticRegression({ standardize: false, tol: 1e-10 }).fit(repeatRows(base, times));
  assert.ok(maxDiff(weighted.coef, repeated.coef) < 1e-6, `${weighted.coef} vs ${repeated.coef}`);
});

test('class weights: "balanced" raises recall of a rare class', async () => {
  const data = logisticData(13, 2000, [[1, 0.5]], [-3]);
  const plain = await new LogisticRegression().fit(data);
  const balanced = await new LogisticRegression({ classWeight: 'balanced' }).fit(data);
  const explicit = await new LogisticRegression({ classWeight: { 1: 10 } }).fit(data);
  const positives = (m: { predict(x: typeof data.x): Float64Array }) => m.predict(data.x).reduce((a, b) => a + b, 0);
  assert.ok(positives(balanced) > 2 * positives(plain), `${positives(balanced)} vs ${positives(plain)}`);
  assert.ok(positives(explicit) > positives(plain));
  await assert.rejects(() => new LogisticRegression({ classWeight: { 5: 1 } }).fit(data), /classWeight names class index 5, but there are 2 classes/);
});

test('L1 sets the coefficients of noise columns to exactly 0; smaller C means a sparser model', async () => {
  const data = logisticData(14, 2000, [[2, 0, 0, -1.5, 0, 0]], [0]);
  const strong = await new LogisticRegression({ penalty: 'l1', C: 0.01 }).fit(data);
  const weak = await new LogisticRegression({ penalty: 'l1', C: 1 }).fit(data);
  const zeros = (c: Float64Array) => c.filter((v) => v === 0).length;
  assert.ok(zeros(strong.coef) >= 4, `${strong.coef}`);
  assert.notEqual(strong.coef[0], 0);
  assert.notEqual(strong.coef[3], 0);
  assert.ok(zeros(strong.coef) >= zeros(weak.coef));
});

test('stronger L2 shrinks coefficients; separable data stays finite', async () => {
  const data = logisticData(15, 500, [[3, -3]], [0]);
  const norm = async (C: number) => {
    const m = await new LogisticRegression({ C }).fit(data);
    return Math.hypot(...m.coef);
  };
  assert.ok((await norm(0.01)) < (await norm(1)));
  // perfectly separable labels: without a penalty the optimum is at infinity, with L2 it is finite
  const sep = { ...data, y: Float64Array.from({ length: 500 }, (_, i) => (data.x.data[i] > 0 ? 1 : 0)) };
  const m = await new LogisticRegression({ C: 1 }).fit(sep);
  assert.ok(m.info.converged && m.coef.every(Number.isFinite));
});

test('standardize makes the model independent of column units', async () => {
  const data = logisticData(16, 800, [[1, -1]], [0]);
  const scaled = { ...data, x: { ...data.x, data: data.x.data.map((v, i) => (i < 800 ? v * 1000 + 5 : v)) } };
  const a = await new LogisticRegression({ C: 0.05, tol: 1e-10 }).fit(data);
  const b = await new LogisticRegression({ C: 0.05, tol: 1e-10 }).fit(scaled);
  assert.ok(maxDiff(a.predictProba(data.x), b.predictProba(scaled.x)) < 1e-8);
});

test('contributions add up to the decision function', async () => {
  const data = logisticData(17, 300, [[1, 0], [0, 1], [1, 1]], [0, 0, 0]);
  const m = await new LogisticRegression().fit(data);
  const z = m.decisionFunction(data.x);
  const contrib = m.contributions(data.x);
  const p = 2;
  for (let i = 0; i < 300; i++)
    for (let o = 0; o < 3; o++) {
      let s = 0;
      for (let j = 0; j <= p; j++) s += contrib[(i * 3 + o) * (p + 1) + j];
      assert.ok(Math.abs(s - z[i * 3 + o]) < 1e-12);
    }
});

test('inputs a linear model cannot read are refused with the reason', async () => {
  const data = logisticData(18, 100, [[1, 1]], [0]);
  await assert.rejects(
    () => new LogisticRegression().fit({ ...data, features: [data.features[0], { name: 'city', kind: 'categorical', nCategories: 3 }] }),
    (e: unknown) => e instanceof KilnError && /categorical columns \(city\)/.test(e.message) && /one-hot/.test(e.hint ?? ''),
  );
  const gap = { ...data, x: { ...data.x, data: data.x.data.slice() } };
  gap.x.data[105] = NaN;
  await assert.rejects(() => new LogisticRegression().fit(gap), (e: unknown) => e instanceof ValidationError && /column "x1" has NaN at row 5/.test(e.message));
  await assert.rejects(() => new LogisticRegression().fit({ ...data, y: data.y.map(() => 0) }), /class index 1 has no rows/);
  await assert.rejects(() => new LogisticRegression().fit({ ...data, y: data.y.map((v, i) => (i === 3 ? NaN : v)) }), /label NaN at row 3 is not a class index/);
  const model = await new LogisticRegression().fit(data);
  assert.throws(() => model.predict({ nRows: 1, nCols: 2, data: Float64Array.of(1, NaN) }), /column "x1" has NaN at row 0/);
  // a regression target is not a label
  await assert.rejects(() => new LogisticRegression().fit(linearData(1, 50, [1], 0, 1)), /is not a class index/);
});

test('without nClasses the largest label sets the class count', async () => {
  const data = logisticData(19, 300, [[1, 0], [0, 1], [-1, -1]], [0, 0, 0]);
  const m = await new LogisticRegression().fit({ ...data, nClasses: undefined });
  assert.equal(m.nClasses, 3);
});
