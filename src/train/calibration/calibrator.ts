// Probability calibration of a finished classifier, learned from its out-of-fold predictions:
//   platt        binary: p' = sigmoid(a · logit(p) + b), a > 0 keeps the ranking (AUC unchanged)
//   isotonic     binary: a non-decreasing step map (PAV), the most flexible; ties scores, so ranking metrics may move
//   temperature  multiclass: p' = softmax(log p / T), one parameter; the argmax (accuracy) never changes
// `chooseCalibration` cross-fits each method on the out-of-fold rows (fit on 4/5, score log-loss on the other
// 1/5) and keeps one only when it beats the raw probabilities. Isomorphic (the ensemble model applies it).

import type { Rng } from '../../core/rng.js';
import { logLoss } from '../metrics/index.js';
import { applyIsotonic, fitIsotonic } from './isotonic.js';

export type Calibration =
  | { readonly method: 'platt'; readonly a: number; readonly b: number }
  | { readonly method: 'isotonic'; readonly x: Float64Array; readonly y: Float64Array }
  | { readonly method: 'temperature'; readonly temperature: number };

export type CalibrationMethod = Calibration['method'];

const EPS = 1e-12;
const logit = (p: number): number => Math.log(Math.max(p, EPS) / Math.max(1 - p, EPS));
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Platt scaling by Newton's method on (a, b), with Platt's smoothed targets so a perfect separation stays finite. */
export function fitPlatt(p1: ArrayLike<number>, y: ArrayLike<number>): Calibration {
  const n = p1.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  const s = Float64Array.from(p1, logit);
  let a = 1;
  let b = 0;
  const loss = (a1: number, b1: number): number => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const t = y[i] > 0.5 ? hi : lo;
      const q = Math.min(Math.max(sigmoid(a1 * s[i] + b1), EPS), 1 - EPS);
      l -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
    }
    return l;
  };
  let current = loss(a, b);
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0; // prettier-ignore
    for (let i = 0; i < n; i++) {
      const t = y[i] > 0.5 ? hi : lo;
      const q = sigmoid(a * s[i] + b);
      const r = q - t;
      const w = Math.max(q * (1 - q), 1e-12);
      ga += r * s[i];
      gb += r;
      haa += w * s[i] * s[i];
      hab += w * s[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab + 1e-12;
    let da = -(hbb * ga - hab * gb) / det;
    let db = -(haa * gb - hab * ga) / det;
    // halve the step until the loss goes down
    let step = 1;
    let next = loss(a + da, b + db);
    while (next > current && step > 1e-6) {
      step /= 2;
      da /= 2;
      db /= 2;
      next = loss(a + da, b + db);
    }
    if (next > current) break;
    a += da;
    b += db;
    const gain = current - next;
    current = next;
    if (gain < 1e-10 * n) break;
  }
  // a non-positive slope would reverse the ranking: then the scores carry nothing Platt can use
  return a > 0 ? { method: 'platt', a, b } : { method: 'platt', a: 1, b: 0 };
}

/** The temperature minimising multiclass log-loss, by golden-section search on log T in [-3, 3]. */
export function fitTemperature(proba: Float64Array, y: ArrayLike<number>, k: number): Calibration {
  const score = (logT: number): number => logLoss(y, applyTemperature(proba, k, Math.exp(logT)), k);
  let lo = -3;
  let hi = 3;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = hi - g * (hi - lo);
  let d = lo + g * (hi - lo);
  let fc = score(c);
  let fd = score(d);
  for (let iter = 0; iter < 40; iter++) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - g * (hi - lo);
      fc = score(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + g * (hi - lo);
      fd = score(d);
    }
  }
  return { method: 'temperature', temperature: Math.exp((lo + hi) / 2) };
}

function applyTemperature(proba: Float64Array, k: number, temperature: number): Float64Array {
  const n = proba.length / k;
  const out = new Float64Array(proba.length);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, Math.log(Math.max(proba[i * k + c], EPS)) / temperature);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(Math.log(Math.max(proba[i * k + c], EPS)) / temperature - max);
      out[i * k + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[i * k + c] /= sum;
  }
  return out;
}

/** Calibrated (n, k) probabilities (a new array). */
export function applyCalibration(calibration: Calibration, proba: Float64Array, k: number): Float64Array {
  if (calibration.method === 'temperature') return applyTemperature(proba, k, calibration.temperature);
  const n = proba.length / 2;
  const p1 = new Float64Array(n);
  for (let i = 0; i < n; i++) p1[i] = proba[2 * i + 1];
  const q = calibration.method === 'platt' ? p1.map((p) => sigmoid(calibration.a * logit(p) + calibration.b)) : applyIsotonic(calibration, p1);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = 1 - q[i];
    out[2 * i + 1] = q[i];
  }
  return out;
}

function fit(method: CalibrationMethod, proba: Float64Array, y: ArrayLike<number>, k: number): Calibration {
  if (method === 'temperature') return fitTemperature(proba, y, k);
  const p1 = new Float64Array(proba.length / 2);
  for (let i = 0; i < p1.length; i++) p1[i] = proba[2 * i + 1];
  return method === 'platt' ? fitPlatt(p1, y) : { method: 'isotonic', ...fitIsotonic(p1, y) };
}

export interface CalibrationChoice {
  /** null: the raw probabilities were best */
  readonly calibration: Calibration | null;
  /** cross-fitted log-loss of each method tried, "none" included */
  readonly logLoss: Readonly<Record<string, number>>;
}

/**
 * Pick a calibration for out-of-fold probabilities `proba` (n, k) with labels `y`. `methods` are the ones allowed
 * (ranking metrics allow only order-keeping ones). A method must lower the cross-fitted log-loss by at least 0.2 %.
 */
export function chooseCalibration(proba: Float64Array, y: Float64Array, k: number, methods: readonly CalibrationMethod[], rng: Rng): CalibrationChoice {
  const n = y.length;
  const scores: Record<string, number> = { none: logLoss(y, proba, k) };
  if (n < 100 || !methods.length) return { calibration: null, logLoss: scores };
  const folds = 5;
  const fold = new Int32Array(n);
  const order = rng.permutation(n);
  for (let r = 0; r < n; r++) fold[order[r]] = r % folds;
  let best: CalibrationMethod | null = null;
  let bestLoss = scores.none * (1 - 0.002);
  for (const method of methods) {
    const calibrated = new Float64Array(n * k);
    for (let f = 0; f < folds; f++) {
      const fitRows: number[] = [];
      const scoreRows: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === f ? scoreRows : fitRows).push(i);
      const c = fit(method, pickRows(proba, fitRows, k), Float64Array.from(fitRows, (i) => y[i]), k);
      const out = applyCalibration(c, pickRows(proba, scoreRows, k), k);
      scoreRows.forEach((i, r) => {
        for (let c2 = 0; c2 < k; c2++) calibrated[i * k + c2] = out[r * k + c2];
      });
    }
    scores[method] = logLoss(y, calibrated, k);
    if (scores[method] < bestLoss) {
      bestLoss = scores[method];
      best = method;
    }
  }
  return { calibration: best === null ? null : fit(best, proba, y, k), logLoss: scores };
}

function pickRows(proba: Float64Array, rows: readonly number[], k: number): Float64Array {
  const out = new Float64Array(rows.length * k);
  rows.forEach((i, r) => {
    for (let c = 0; c < k; c++) out[r * k + c] = proba[i * k + c];
  });
  return out;
}

/**
 * Artifact form: the parameters as JSON; isotonic points (possibly thousands) as two Float64Arrays that the
 * caller stores beside the meta. Returns null when the JSON is malformed.
 */
export function calibrationToJSON(c: Calibration): { meta: { [key: string]: number | string }; arrays: Record<string, Float64Array> } {
  if (c.method === 'isotonic') return { meta: { method: 'isotonic' }, arrays: { x: c.x, y: c.y } };
  return { meta: { ...c }, arrays: {} };
}

export function calibrationFromJSON(json: unknown, arrays: Readonly<Record<string, unknown>>): Calibration | null {
  const j = (json ?? {}) as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (j.method === 'platt' && finite(j.a) && finite(j.b)) return { method: 'platt', a: j.a, b: j.b };
  if (j.method === 'temperature' && finite(j.temperature) && j.temperature > 0) return { method: 'temperature', temperature: j.temperature };
  const { x, y } = arrays;
  if (j.method === 'isotonic' && x instanceof Float64Array && y instanceof Float64Array && x.length === y.length && x.length > 0) return { method: 'isotonic', x, y };
  return null;
}
