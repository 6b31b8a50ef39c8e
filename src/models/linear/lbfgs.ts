// Limited-memory BFGS for smooth convex objectives, and its orthant-wise variant OWL-QN (Andrew & Gao, 2007)
// for an added L1 term: the quasi-Newton direction is computed from the pseudo-gradient, kept in the orthant the
// current point (or the steepest descent) lies in, and each trial point is projected back onto that orthant, so
// coefficients reach exact zeros. The curvature pairs (s, y) use the smooth part only.

import { throwIfAborted } from '../../core/learner.js';

/** The smooth part f(x): returns f and writes ∇f into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeOptions {
  readonly maxIter: number;
  /** stop when max |pseudo-gradient| <= tol */
  readonly tol: number;
  /** per-coordinate L1 weights: adds Σ l1[i] |x[i]| to the objective (OWL-QN) */
  readonly l1?: Float64Array;
  /** curvature pairs kept (scipy's default maxcor is 10) */
  readonly history?: number;
  readonly signal?: AbortSignal;
}

export interface MinimizeResult {
  readonly x: Float64Array;
  /** objective at x, L1 term included */
  readonly f: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** why it stopped: 'gradient', 'no progress' (relative decrease at rounding level), 'max iterations', 'line search' */
  readonly reason: string;
}

/** relative decrease below this is rounding noise: the objective cannot improve further in float64 */
const RELATIVE_FLOOR = 1e-15;
const ARMIJO = 1e-4;

export function minimize(objective: Objective, x0: Float64Array, options: MinimizeOptions): MinimizeResult {
  const d = x0.length;
  const m = options.history ?? 10;
  const l1 = options.l1 && options.l1.some((v) => v > 0) ? options.l1 : undefined;
  const l1Term = (x: Float64Array): number => {
    if (!l1) return 0;
    let s = 0;
    for (let i = 0; i < d; i++) s += l1[i] * Math.abs(x[i]);
    return s;
  };

  let x = x0.slice();
  let g = new Float64Array(d);
  let f = objective(x, g) + l1Term(x);
  const pg = new Float64Array(d);
  pseudoGradient(x, g, l1, pg);

  // curvature history as a ring: row r of S and Y is one (s, y) pair, each (m, d)
  const S = new Float64Array(m * d);
  const Y = new Float64Array(m * d);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let stored = 0;
  let newest = -1;

  const dir = new Float64Array(d);
  const orthant = new Float64Array(d);
  let xNew = new Float64Array(d);
  let gNew = new Float64Array(d);

  if (maxAbs(pg) <= options.tol) return { x, f, iterations: 0, converged: true, reason: 'gradient' };
  for (let iter = 1; iter <= options.maxIter; iter++) {
    throwIfAborted(options.signal);
    // two-loop recursion: dir = -H · pg
    for (let i = 0; i < d; i++) dir[i] = -pg[i];
    for (let k = 0; k < stored; k++) {
      const r = (newest - k + m) % m;
      alpha[r] = rho[r] * dot(S, r * d, dir, d);
      axpy(-alpha[r], Y, r * d, dir, d);
    }
    if (stored > 0) {
      const r = newest;
      const yy = dot(Y, r * d, Y.subarray(r * d, r * d + d), d);
      const gamma = 1 / (rho[r] * yy);
      for (let i = 0; i < d; i++) dir[i] *= gamma;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const r = (newest - k + m) % m;
      const beta = rho[r] * dot(Y, r * d, dir, d);
      axpy(alpha[r] - beta, S, r * d, dir, d);
    }
    if (l1) for (let i = 0; i < d; i++) if (dir[i] * pg[i] >= 0) dir[i] = 0; // keep only descent coordinates
    let slope = 0;
    for (let i = 0; i < d; i++) slope += pg[i] * dir[i];
    if (!(slope < 0)) {
      // the quasi-Newton model went stale: restart from steepest descent
      stored = 0;
      slope = 0;
      for (let i = 0; i < d; i++) {
        dir[i] = -pg[i];
        slope -= pg[i] * pg[i];
      }
    }
    if (l1) for (let i = 0; i < d; i++) orthant[i] = x[i] !== 0 ? Math.sign(x[i]) : Math.sign(-pg[i]);

    // backtracking line search (Armijo); the first step is scaled so it moves about one unit
    let step = stored === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let fNew = NaN;
    for (;;) {
      for (let i = 0; i < d; i++) {
        let v = x[i] + step * dir[i];
        if (l1 && l1[i] > 0 && Math.sign(v) !== orthant[i]) v = 0;
        xNew[i] = v;
      }
      fNew = objective(xNew, gNew) + l1Term(xNew);
      let decrease = 0;
      if (l1) for (let i = 0; i < d; i++) decrease += pg[i] * (xNew[i] - x[i]);
      else decrease = step * slope;
      if (fNew <= f + ARMIJO * decrease) break;
      step *= 0.5;
      if (step < 1e-20) return { x, f, iterations: iter, converged: false, reason: 'line search' };
    }

    // curvature pair from the smooth gradients
    let sy = 0;
    let yy = 0;
    const next = (newest + 1) % m;
    for (let i = 0; i < d; i++) {
      const s = xNew[i] - x[i];
      const y = gNew[i] - g[i];
      S[next * d + i] = s;
      Y[next * d + i] = y;
      sy += s * y;
      yy += y * y;
    }
    if (sy > 1e-12 * yy && sy > 0) {
      rho[next] = 1 / sy;
      newest = next;
      stored = Math.min(stored + 1, m);
    }
    const relative = (f - fNew) / Math.max(Math.abs(f), Math.abs(fNew), 1);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    pseudoGradient(x, g, l1, pg);
    if (maxAbs(pg) <= options.tol) return { x, f, iterations: iter, converged: true, reason: 'gradient' };
    if (relative <= RELATIVE_FLOOR) return { x, f, iterations: iter, converged: true, reason: 'no progress' };
  }
  return { x, f, iterations: options.maxIter, converged: false, reason: 'max iterations' };
}

/** the gradient of f + Σ l1|x| where it exists, else the steepest-descent choice among its subgradients */
function pseudoGradient(x: Float64Array, g: Float64Array, l1: Float64Array | undefined, out: Float64Array): void {
  if (!l1) {
    out.set(g);
    return;
  }
  for (let i = 0; i < x.length; i++) {
    const w = l1[i];
    if (w === 0) out[i] = g[i];
    else if (x[i] > 0) out[i] = g[i] + w;
    else if (x[i] < 0) out[i] = g[i] - w;
    else if (g[i] + w < 0) out[i] = g[i] + w;
    else if (g[i] - w > 0) out[i] = g[i] - w;
    else out[i] = 0;
  }
}

function dot(a: Float64Array, offset: number, b: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[offset + i] * b[i];
  return s;
}

/** b += scale * a[offset .. offset + d) */
function axpy(scale: number, a: Float64Array, offset: number, b: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) b[i] += scale * a[offset + i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}
