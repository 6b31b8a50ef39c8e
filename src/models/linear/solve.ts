// Solvers for the symmetric positive (semi-)definite systems A w = b of ridge regression: a dense Cholesky
// factorisation, and conjugate gradients that only need the product A·v (so A is never formed).

import { throwIfAborted } from '../../core/learner.js';

/**
 * Solve A w = b by Cholesky (A = L Lᵀ). `a` is (d, d) row-major and is overwritten by L in its lower triangle.
 * Returns null when A is not numerically positive definite (a pivot at or below 1e-12 × the diagonal scale).
 */
export function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array | null {
  let diagScale = 0;
  for (let i = 0; i < d; i++) diagScale = Math.max(diagScale, Math.abs(a[i * d + i]));
  const floor = 1e-12 * Math.max(diagScale, 1e-300);
  for (let j = 0; j < d; j++) {
    let pivot = a[j * d + j];
    for (let k = 0; k < j; k++) pivot -= a[j * d + k] * a[j * d + k];
    if (!(pivot > floor)) return null;
    const ljj = Math.sqrt(pivot);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = s / ljj;
    }
  }
  const w = b.slice();
  for (let i = 0; i < d; i++) {
    // forward: L z = b
    let s = w[i];
    for (let k = 0; k < i; k++) s -= a[i * d + k] * w[k];
    w[i] = s / a[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    // backward: Lᵀ w = z
    let s = w[i];
    for (let k = i + 1; k < d; k++) s -= a[k * d + i] * w[k];
    w[i] = s / a[i * d + i];
  }
  return w;
}

export interface CgResult {
  readonly w: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Conjugate gradients for A w = b from w = 0, with `multiply(v, out)` writing A·v. From 0 on a semi-definite
 * system it converges to the least-norm solution, which is what ridge with alpha = 0 should return.
 */
export function conjugateGradient(multiply: (v: Float64Array, out: Float64Array) => void, b: Float64Array, options: { maxIter: number; tol: number; signal?: AbortSignal }): CgResult {
  const d = b.length;
  const w = new Float64Array(d);
  const r = b.slice(); // residual b - A w
  const dir = b.slice();
  const ad = new Float64Array(d);
  let rr = dot(r, r);
  const stop = options.tol * options.tol * Math.max(rr, 1e-300);
  if (rr <= stop || rr === 0) return { w, iterations: 0, converged: true };
  for (let iter = 1; iter <= options.maxIter; iter++) {
    throwIfAborted(options.signal);
    multiply(dir, ad);
    const curvature = dot(dir, ad);
    if (!(curvature > 0)) return { w, iterations: iter, converged: rr <= stop };
    const step = rr / curvature;
    for (let i = 0; i < d; i++) {
      w[i] += step * dir[i];
      r[i] -= step * ad[i];
    }
    const rrNew = dot(r, r);
    if (rrNew <= stop) return { w, iterations: iter, converged: true };
    const beta = rrNew / rr;
    rr = rrNew;
    for (let i = 0; i < d; i++) dir[i] = r[i] + beta * dir[i];
  }
  return { w, iterations: options.maxIter, converged: false };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
