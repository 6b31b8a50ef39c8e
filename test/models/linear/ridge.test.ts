// Ridge on synthetic data: the closed form, the two solvers, weights, units, and collinear columns.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ridge } from '../../../src/models/linear/index.js';
import { linearData, repeatRows } from './fixtures.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

test('alpha = 0 on noiseless data recovers the exact linear function', async () => {
  const data = linearData(1, 50, [2, -3, 0.5], 7, 0, [1, 10, 100]);
  const m = await new Ridge({ alpha: 0 }).fit(data);
  assert.ok(maxDiff(m.coef, [2, -3, 0.5]) < 1e-9, `${m.coef}`);
  assert.ok(Math.abs(m.intercept[0] - 7) < 1e-8);
});

test('one column: matches the closed form w = Σxy / (Σx² + alpha) on centred data', async () => {
  const x = Float64Array.of(1, 2, 3, 4);
  const y = Float64Array.of(2, 3, 5, 8);
  const m = await new Ridge({ alpha: 2, standardize: false }).fit({ x: { nRows: 4, nCols: 1, data: x }, features: [{ name: 'x', kind: 'numeric' }], y });
  // x̄ = 2.5, ȳ = 4.5, Σ(x−x̄)(y−ȳ) = 10, Σ(x−x̄)² = 5
  assert.ok(Math.abs(m.coef[0] - 10 / 7) < 1e-14);
  assert.ok(Math.abs(m.intercept[0] - (4.5 - (10 / 7) * 2.5)) < 1e-13);
});

test('Cholesky and conjugate gradients agree', async () => {
  const data = linearData(2, 400, [1, -1, 2, 0, 0.3], 3, 1);
  const a = await new Ridge({ alpha: 5, solver: 'cholesky' }).fit(data);
  const b = await new Ridge({ alpha: 5, solver: 'cg', tol: 1e-14 }).fit(data);
  assert.equal(a.info.solver, 'cholesky');
  assert.equal(b.info.solver, 'cg');
  assert.ok(maxDiff(a.coef, b.coef) < 1e-10);
  assert.ok(Math.abs(a.intercept[0] - b.intercept[0]) < 1e-10);
});

test('a sample weight of k is the same as repeating the row k times', async () => {
  const base = linearData(3, 100, [1, 2], 0, 1);
  const times = Float64Array.from({ length: 100 }, (_, i) => 1 + (i % 4));
  const a = await new Ridge({ alpha: 3, standardize: false }).fit({ ...base, sampleWeight: times });
  const b = await new Ridge({ alpha: 3, standardize: false }).fit(repeatRows(base, times));
  assert.ok(maxDiff(a.coef, b.coef) < 1e-12);
  assert.ok(Math.abs(a.intercept[0] - b.intercept[0]) < 1e-12);
});

test('with standardize, predictions do not depend on the units of a column', async () => {
  const data = linearData(4, 200, [1, 2], 0, 1);
  const scaled = { ...data, x: { ...data.x, data: data.x.data.map((v, i) => (i < 200 ? v * 1e4 : v)) } };
  const a = await new Ridge({ alpha: 50 }).fit(data);
  const b = await new Ridge({ alpha: 50 }).fit(scaled);
  assert.ok(maxDiff(a.predict(data.x), b.predict(scaled.x)) < 1e-9);
});

test('collinear columns with alpha = 0 fall back to the least-norm solution', async () => {
  const base = linearData(5, 80, [1], 2, 0);
  // the same column twice: any split of the coefficient fits; the least-norm one splits it evenly
  const x = new Float64Array(160);
  x.set(base.x.data, 0);
  x.set(base.x.data, 80);
  const m = await new Ridge({ alpha: 0, standardize: false }).fit({ x: { nRows: 80, nCols: 2, data: x }, features: [{ name: 'a', kind: 'numeric' }, { name: 'b', kind: 'numeric' }], y: base.y });
  assert.match(String(m.info.solver), /singular/);
  assert.ok(Math.abs(m.coef[0] - 0.5) < 1e-8 && Math.abs(m.coef[1] - 0.5) < 1e-8, `${m.coef}`);
});

test('a missing target is refused naming the row', async () => {
  const data = linearData(6, 10, [1], 0, 1);
  const y = data.y.slice();
  y[4] = NaN;
  await assert.rejects(() => new Ridge().fit({ ...data, y }), /target NaN at row 4 is not a finite number/);
});
