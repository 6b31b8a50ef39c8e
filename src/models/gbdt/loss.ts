// Training losses: per-row gradients and hessians of the loss with respect to the raw score, the starting score,
// and the loss value itself (for early stopping). Raw scores are n × K row-major (K = classes for softmax, else 1);
// gradients are K blocks of (n, 2) float32 (g, h) so that each class's tree reads one contiguous block.

export type LossKind = 'logistic' | 'softmax' | 'squared' | 'absolute' | 'huber' | 'quantile' | 'poisson';

/** Plain data, so it can be sent to worker threads. */
export interface LossConfig {
  readonly kind: LossKind;
  /** softmax: number of classes */
  readonly nClasses: number;
  readonly huberDelta: number;
  readonly quantile: number;
}

/** Raw-score outputs per row. */
export const lossOutputs = (c: LossConfig): number => (c.kind === 'softmax' ? c.nClasses : 1);

/** Link from the raw score to the prediction: probability (logistic, softmax), mean (exp for poisson) or value. */
export type Link = 'identity' | 'logistic' | 'softmax' | 'exp';
export function lossLink(kind: LossKind): Link {
  return kind === 'logistic' ? 'logistic' : kind === 'softmax' ? 'softmax' : kind === 'poisson' ? 'exp' : 'identity';
}

/** Losses whose hessian is the row weight: a histogram's hessian sum then counts (weighted) rows. */
export const hasUnitHessian = (kind: LossKind): boolean => kind === 'squared' || kind === 'absolute' || kind === 'huber' || kind === 'quantile';

/** For absolute and quantile losses leaf values are re-fitted to this quantile of the leaf's residuals (null: no refit). */
export function refitQuantile(c: LossConfig): number | null {
  return c.kind === 'absolute' ? 0.5 : c.kind === 'quantile' ? c.quantile : null;
}

/** XGBoost's safeguard for Poisson: the hessian is taken at raw + 0.7, which caps the size of a Newton step. */
const POISSON_MAX_DELTA_STEP = 0.7;
export const MIN_HESSIAN = 1e-16;

// e^z for the log-loss gradients, computed the same way here and in wasm-kernels.ts (so both give the same bits):
// z = k·ln 2 + r with k = nearest(z·log2 e) (ln 2 in two parts, so r is exact), e^r by an 8th-degree Taylor
// polynomial (relative error < 3e-10 for |r| ≤ ln2 / 2: far below the float32 the gradients are stored in), 2^k
// exactly.
export const EXP_MAX_ARG = 708;
export const EXP_LN2_HI = 6.9314718036912381649e-1;
export const EXP_LN2_LO = 1.9082149292705877e-10;
export const EXP_COEFFICIENTS: readonly number[] = Array.from({ length: 9 }, (_, n) => {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return 1 / f;
});
const POW2 = Float64Array.from({ length: 2 * 1022 + 1 }, (_, i) => 2 ** (i - 1022)); // 2^k for k in [-1022, 1022]

/** Round to the nearest integer, ties to even (as WebAssembly's f64x2.nearest). */
function nearestEven(t: number): number {
  const r = Math.round(t); // ties go up
  return r - t === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/** e^z for |z| ≤ EXP_MAX_ARG, see above. */
export function expPoly(z: number): number {
  const k = nearestEven(z * Math.LOG2E);
  const r = z - k * EXP_LN2_HI - k * EXP_LN2_LO;
  const c = EXP_COEFFICIENTS;
  let acc = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) acc = acc * r + c[i];
  return acc * POW2[k + 1022];
}

/** LightGBM's scaling of the softmax hessian's diagonal, k / (k - 1): keeps Newton steps from overshooting. */
export const softmaxHessianFactor = (k: number): number => k / (k - 1);

/**
 * Softmax gradients of rows [start, end) into K blocks of (n, 2): p = softmax(raw row), g_k = p_k - [y = k],
 * h_k = factor p_k (1 - p_k). `e` is scratch for K values. The same operations as wasm-kernels.ts's softmax.
 */
export function softmaxGradients(
  raw: Float64Array,
  y: Float64Array,
  weight: Float64Array | null,
  gh: Float32Array,
  n: number,
  k: number,
  start: number,
  end: number,
  e: Float64Array,
): void {
  const factor = softmaxHessianFactor(k);
  for (let i = start; i < end; i++) {
    const o = i * k;
    let max = raw[o];
    for (let j = 1; j < k; j++) max = Math.max(max, raw[o + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const ej = expPoly(Math.max(raw[o + j] - max, -EXP_MAX_ARG));
      e[j] = ej;
      sum += ej;
    }
    const inv = 1 / sum;
    const w = weight ? weight[i] : 1;
    const label = y[i];
    for (let j = 0; j < k; j++) {
      const p = e[j] * inv;
      const hh = factor * p * (1 - p);
      const at = 2 * (j * n + i);
      gh[at] = (p - (label === j ? 1 : 0)) * w;
      gh[at + 1] = (hh > MIN_HESSIAN ? hh : MIN_HESSIAN) * w;
    }
  }
}

/** Log-loss gradients of rows [start, end): g = p - y, h = p (1 - p), p = 1 / (1 + e^-raw). */
export function logisticGradients(raw: Float64Array, y: Float64Array, weight: Float64Array | null, gh: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const z = Math.max(Math.min(-raw[i], EXP_MAX_ARG), -EXP_MAX_ARG);
    const p = 1 / (1 + expPoly(z));
    const g = p - y[i];
    const hh = p * (1 - p);
    const h = hh > MIN_HESSIAN ? hh : MIN_HESSIAN;
    if (weight) {
      gh[2 * i] = g * weight[i];
      gh[2 * i + 1] = h * weight[i];
    } else {
      gh[2 * i] = g;
      gh[2 * i + 1] = h;
    }
  }
}

/** exp(raw - max) of one row's classes (each thread has its own copy of this module, so no sharing) */
let softmaxScratch = new Float64Array(16);

/**
 * Gradients of rows [start, end) into gh (K blocks of n × 2). `weight` multiplies both (null = all 1).
 * Element-wise, so any split of the rows across threads gives the same bits.
 */
export function computeGradients(
  c: LossConfig,
  y: Float64Array,
  raw: Float64Array,
  weight: Float64Array | null,
  gh: Float32Array,
  n: number,
  start: number,
  end: number,
): void {
  switch (c.kind) {
    case 'logistic':
      logisticGradients(raw, y, weight, gh, start, end);
      return;
    case 'softmax': {
      if (softmaxScratch.length < c.nClasses) softmaxScratch = new Float64Array(c.nClasses);
      softmaxGradients(raw, y, weight, gh, n, c.nClasses, start, end, softmaxScratch);
      return;
    }
    case 'squared':
      for (let i = start; i < end; i++) {
        const w = weight ? weight[i] : 1;
        gh[2 * i] = (raw[i] - y[i]) * w;
        gh[2 * i + 1] = w;
      }
      return;
    case 'absolute':
      for (let i = start; i < end; i++) {
        const w = weight ? weight[i] : 1;
        const r = raw[i] - y[i];
        gh[2 * i] = (r > 0 ? 1 : r < 0 ? -1 : 0) * w;
        gh[2 * i + 1] = w;
      }
      return;
    case 'huber': {
      const d = c.huberDelta;
      for (let i = start; i < end; i++) {
        const w = weight ? weight[i] : 1;
        const r = raw[i] - y[i];
        gh[2 * i] = (r > d ? d : r < -d ? -d : r) * w;
        gh[2 * i + 1] = w;
      }
      return;
    }
    case 'quantile': {
      const a = c.quantile;
      for (let i = start; i < end; i++) {
        const w = weight ? weight[i] : 1;
        gh[2 * i] = (y[i] > raw[i] ? -a : 1 - a) * w;
        gh[2 * i + 1] = w;
      }
      return;
    }
    case 'poisson':
      for (let i = start; i < end; i++) {
        const w = weight ? weight[i] : 1;
        gh[2 * i] = (Math.exp(raw[i]) - y[i]) * w;
        gh[2 * i + 1] = Math.exp(raw[i] + POISSON_MAX_DELTA_STEP) * w;
      }
      return;
  }
}

/** The starting raw score per output: the constant that minimises the loss (log-odds, log-priors, mean, median...). */
export function baseScore(c: LossConfig, y: Float64Array, weight: Float64Array | null): Float64Array {
  const n = y.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weight ? weight[i] : 1;
  const mean = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i] * (weight ? weight[i] : 1);
    return s / total;
  };
  switch (c.kind) {
    case 'logistic': {
      const p = Math.min(Math.max(mean(), 1e-12), 1 - 1e-12);
      return Float64Array.of(Math.log(p / (1 - p)));
    }
    case 'softmax': {
      const counts = new Float64Array(c.nClasses);
      for (let i = 0; i < n; i++) counts[y[i]] += weight ? weight[i] : 1;
      return counts.map((v) => Math.log(Math.max(v / total, 1e-12)));
    }
    case 'squared':
      return Float64Array.of(mean());
    case 'absolute':
    case 'huber':
      return Float64Array.of(weightedQuantile(y, weight, null, 0, n, 0.5));
    case 'quantile':
      return Float64Array.of(weightedQuantile(y, weight, null, 0, n, c.quantile));
    case 'poisson':
      return Float64Array.of(Math.log(Math.max(mean(), 1e-12)));
  }
}

/**
 * The weighted q-quantile of values[rows[i]] for i in [start, end) (all rows when `rows` is null): the smallest value
 * whose cumulative weight reaches q of the total. Sorts a copy; used once per leaf for absolute/quantile losses.
 */
export function weightedQuantile(values: Float64Array, weight: Float64Array | null, rows: Uint32Array | null, start: number, end: number, q: number): number {
  const m = end - start;
  if (m <= 0) return 0;
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = rows ? rows[start + i] : start + i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  let total = 0;
  for (let i = 0; i < m; i++) total += weight ? weight[order[i]] : 1;
  const target = q * total;
  let cum = 0;
  for (let i = 0; i < m; i++) {
    cum += weight ? weight[order[i]] : 1;
    if (cum >= target) return values[order[i]];
  }
  return values[order[m - 1]];
}

/** Mean loss over rows (weighted): log-loss, squared error, absolute error, huber, pinball or Poisson deviance. */
export function lossValue(c: LossConfig, y: Float64Array, raw: Float64Array, weight: Float64Array | null): number {
  const n = y.length;
  let sum = 0;
  let total = 0;
  const k = lossOutputs(c);
  for (let i = 0; i < n; i++) {
    const w = weight ? weight[i] : 1;
    total += w;
    let l: number;
    switch (c.kind) {
      case 'logistic': {
        // log(1 + e^-z) for the true class, computed without overflow
        const z = y[i] === 1 ? raw[i] : -raw[i];
        l = z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
        break;
      }
      case 'softmax': {
        const o = i * k;
        let max = -Infinity;
        for (let j = 0; j < k; j++) if (raw[o + j] > max) max = raw[o + j];
        let s = 0;
        for (let j = 0; j < k; j++) s += Math.exp(raw[o + j] - max);
        l = max + Math.log(s) - raw[o + y[i]];
        break;
      }
      case 'squared':
        l = (raw[i] - y[i]) ** 2;
        break;
      case 'absolute':
        l = Math.abs(raw[i] - y[i]);
        break;
      case 'huber': {
        const r = Math.abs(raw[i] - y[i]);
        const d = c.huberDelta;
        l = r <= d ? 0.5 * r * r : d * (r - 0.5 * d);
        break;
      }
      case 'quantile': {
        const r = y[i] - raw[i];
        l = r > 0 ? c.quantile * r : (c.quantile - 1) * r;
        break;
      }
      case 'poisson':
        // deviance up to a constant in y: exp(raw) - y·raw
        l = Math.exp(raw[i]) - y[i] * raw[i];
        break;
    }
    sum += l * w;
  }
  return sum / total;
}
