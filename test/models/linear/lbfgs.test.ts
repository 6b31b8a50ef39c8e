// The optimiser on problems with known minima: a badly conditioned smooth function, and a lasso whose solution
// is soft-thresholding (orthonormal design), which only an exact L1 method hits with exact zeros.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minimize } from '../../../src/models/linear/lbfgs.js';

test('L-BFGS finds the minimum of the Rosenbrock function', () => {
  const r = minimize(
    (x, g) => {
      const [a, b] = x;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    },
    Float64Array.of(-1.2, 1),
    { maxIter: 500, tol: 1e-10 },
  );
  assert.ok(r.converged, r.reason);
  assert.ok(Math.abs(r.x[0] - 1) < 1e-8 && Math.abs(r.x[1] - 1) < 1e-8, `${r.x}`);
});

test('OWL-QN solves a separable lasso exactly: soft-thresholding, with exact zeros', () => {
  // f(x) = ½‖x − c‖² + λ‖x‖₁  →  x_i = sign(c_i) · max(|c_i| − λ, 0); the last coordinate is unpenalised
  const c = [3, -0.5, 0.2, -2, 1.5];
  const lambda = 1;
  const l1 = Float64Array.of(lambda, lambda, lambda, lambda, 0);
  const r = minimize(
    (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        g[i] = x[i] - c[i];
        f += 0.5 * (x[i] - c[i]) ** 2;
      }
      return f;
    },
    new Float64Array(5),
    { maxIter: 200, tol: 1e-12, l1 },
  );
  const expected = [2, 0, 0, -1, 1.5];
  expected.forEach((e, i) => assert.ok(Math.abs(r.x[i] - e) < 1e-9, `x[${i}] = ${r.x[i]}, expected ${e}`));
  assert.equal(r.x[1], 0);
  assert.equal(r.x[2], 0);
});

test('the iteration cap is reported as not converged', () => {
  const r = minimize((x, g) => {
    g[0] = 2 * (x[0] - 5);
    return (x[0] - 5) ** 2;
  }, Float64Array.of(0), { maxIter: 1, tol: 1e-300 });
  assert.equal(r.iterations, 1);
  assert.equal(r.converged, false);
  assert.equal(r.reason, 'max iterations');
});
