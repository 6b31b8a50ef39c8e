// The math of one training step, shared by the calling thread and the worker threads (batch-kernel.ts): the
// Glorot-uniform start, the output loss and its delta, backpropagation and the Adam update. Fit-time only, but free
// of Node imports so the worker kernel can load it anywhere.
//
// Per batch (B rows, weights w):   forward keeps every layer's output A_l, the last one as logits Z
//   δ_L = w · (P − Y) / B            P = softmax/sigmoid(Z) for log-loss, Z itself for squared error (P − Y = Z − Y)
//   ∇W_l = δ_lᵀ A_(l−1) + α W_l / B,  ∇b_l = Σ_rows δ_l
//   δ_(l−1) = (δ_l W_l) ⊙ act′(A_(l−1))

import type { Rng } from '../../core/rng.js';
import { activateOutput, forward, gemmABt, layout, OUT_IDENTITY, OUT_SIGMOID, OUT_SOFTMAX, transpose, type NetworkShape } from './network.js';
import type { MLPParams } from './params.js';

/** rows already prepared: standardised, no missing values */
export interface TrainRows {
  readonly n: number;
  readonly x: Float64Array; // (n, nInputs) row-major
  /** class index per row (classifiers) */
  readonly yClass: Int32Array | null; // (n)
  /** target per row (regressors, possibly standardised) */
  readonly yValue: Float64Array | null; // (n)
  readonly weight: Float64Array | null; // (n)
}

/** Glorot-uniform start as scikit-learn: weights and biases uniform in ±sqrt(f / (fanIn + fanOut)), f = 2 for logistic, else 6. */
export function initialParams(shape: NetworkShape, rng: Rng): Float64Array {
  const { sizes } = shape;
  const { w, b, total } = layout(sizes);
  const params = new Float64Array(total);
  const factor = shape.activation === 'logistic' ? 2 : 6;
  for (let l = 1; l < sizes.length; l++) {
    const bound = Math.sqrt(factor / (sizes[l - 1] + sizes[l]));
    for (let i = w[l - 1]; i < w[l - 1] + sizes[l] * sizes[l - 1]; i++) params[i] = (2 * rng.next() - 1) * bound;
    for (let i = b[l - 1]; i < b[l - 1] + sizes[l]; i++) params[i] = (2 * rng.next() - 1) * bound;
  }
  return params;
}

/**
 * Data loss of `out` (logits, nRows × nOut) against rows [start, start + nRows) of `rows`, summed over rows and
 * weighted; with `delta`, also writes the output delta w · (P − Y) / scale (P overwrites the logits).
 */
export function outputLoss(shape: NetworkShape, out: Float64Array, nRows: number, rows: TrainRows, index: Int32Array | null, start: number, delta: Float64Array | null, scale: number): number {
  const nOut = shape.sizes[shape.sizes.length - 1];
  let loss = 0;
  for (let r = 0; r < nRows; r++) {
    const i = index ? index[start + r] : start + r;
    const w = rows.weight ? rows.weight[i] : 1;
    const o = r * nOut;
    if (shape.output === OUT_SOFTMAX) {
      let max = -Infinity;
      for (let j = 0; j < nOut; j++) max = Math.max(max, out[o + j]);
      let s = 0;
      for (let j = 0; j < nOut; j++) s += Math.exp(out[o + j] - max);
      const y = (rows.yClass as Int32Array)[i];
      loss += w * (max + Math.log(s) - out[o + y]);
    } else if (shape.output === OUT_SIGMOID) {
      const z = out[o];
      const y = (rows.yClass as Int32Array)[i];
      // log(1 + e^z) − y z, computed without overflow
      loss += w * ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z);
    } else {
      const d = out[o] - (rows.yValue as Float64Array)[i];
      loss += (w * d * d) / 2;
    }
  }
  if (delta) {
    activateOutput(out, nRows, nOut, shape.output);
    for (let r = 0; r < nRows; r++) {
      const i = index ? index[start + r] : start + r;
      const w = (rows.weight ? rows.weight[i] : 1) / scale;
      const o = r * nOut;
      if (shape.output === OUT_IDENTITY) delta[o] = w * (out[o] - (rows.yValue as Float64Array)[i]);
      else if (shape.output === OUT_SIGMOID) delta[o] = w * (out[o] - (rows.yClass as Int32Array)[i]);
      else {
        const y = (rows.yClass as Int32Array)[i];
        for (let j = 0; j < nOut; j++) delta[o + j] = w * (out[o + j] - (j === y ? 1 : 0));
      }
    }
  }
  return loss;
}

/** Mean weighted data loss of the network on every row (for validation). */
export function meanLoss(shape: NetworkShape, params: Float64Array, rows: TrainRows, batch: number): number {
  const acts = shape.sizes.map((u) => new Float64Array(batch * u));
  const nIn = shape.sizes[0];
  let loss = 0;
  let total = 0;
  for (let s = 0; s < rows.n; s += batch) {
    const m = Math.min(batch, rows.n - s);
    const out = forward(shape, params, rows.x.subarray(s * nIn, (s + m) * nIn), m, acts, true);
    loss += outputLoss(shape, out, m, rows, null, s, null, 1);
  }
  for (let i = 0; i < rows.n; i++) total += rows.weight ? rows.weight[i] : 1;
  return loss / total;
}

/**
 * Loss and gradient of one full batch (all rows of `rows`): the mean weighted data loss plus ½ α Σ W² / n, as
 * minimised per batch in training. For gradient checks and diagnostics.
 */
export function lossAndGradient(shape: NetworkShape, params: Float64Array, rows: TrainRows, alpha: number): { loss: number; grad: Float64Array } {
  const { sizes } = shape;
  const n = rows.n;
  const acts = sizes.map((u) => new Float64Array(n * u));
  const deltas = sizes.map((u) => new Float64Array(n * u));
  const grad = new Float64Array(params.length);
  const logits = forward(shape, params, rows.x, n, acts, true);
  const data = outputLoss(shape, logits, n, rows, null, 0, deltas[sizes.length - 1], n);
  const { w: wOff, b: bOff } = layout(sizes);
  let sq = 0;
  for (let l = 1; l < sizes.length; l++) for (let i = wOff[l - 1]; i < bOff[l - 1]; i++) sq += params[i] * params[i];
  backward(shape, params, grad, rows.x, acts, deltas, n, alpha, backwardScratch(sizes, n));
  return { loss: (data + 0.5 * alpha * sq) / n, grad };
}

/** Scratch for backward(): transposed operands so every product runs through gemmABt. */
export interface BackwardScratch {
  /** δ_lᵀ (nOut, B) */
  readonly deltaT: Float64Array;
  /** A_(l−1)ᵀ (nIn, B) */
  readonly inputT: Float64Array;
  /** W_lᵀ (nIn, nOut) */
  readonly weightT: Float64Array;
  /** ∇W_l before the L2 term (nOut, nIn) */
  readonly gw: Float64Array;
}

export function backwardScratch(sizes: readonly number[], batch: number): BackwardScratch {
  let maxUnits = 0;
  let maxWeights = 0;
  for (let l = 0; l < sizes.length; l++) {
    maxUnits = Math.max(maxUnits, sizes[l]);
    if (l > 0) maxWeights = Math.max(maxWeights, sizes[l] * sizes[l - 1]);
  }
  return {
    deltaT: new Float64Array(maxUnits * batch),
    inputT: new Float64Array(maxUnits * batch),
    weightT: new Float64Array(maxWeights),
    gw: new Float64Array(maxWeights),
  };
}

/**
 * Gradients of the batch loss into `grad` (overwritten); deltas[L] holds the output delta on entry.
 *   ∇W_l = δ_lᵀ A_(l−1)      = gemmABt(δ_lᵀ, A_(l−1)ᵀ)   (inner dimension: the batch rows)
 *   δ_(l−1) = δ_l W_l        = gemmABt(δ_l, W_lᵀ)        (inner dimension: the layer's outputs)
 */
export function backward(
  shape: NetworkShape,
  params: Float64Array,
  grad: Float64Array,
  xb: Float64Array,
  acts: Float64Array[],
  deltas: Float64Array[],
  bs: number,
  alpha: number,
  scratch: BackwardScratch,
): void {
  const { sizes, activation } = shape;
  const L = sizes.length - 1;
  const { w: wOff, b: bOff } = layout(sizes);
  const { deltaT, inputT, weightT, gw } = scratch;
  for (let l = L; l >= 1; l--) {
    const nOut = sizes[l];
    const nIn = sizes[l - 1];
    const input = l === 1 ? xb : acts[l - 1];
    const delta = deltas[l];
    const wo = wOff[l - 1];
    const bo = bOff[l - 1];
    transpose(delta, 0, bs, nOut, deltaT);
    transpose(input, 0, bs, nIn, inputT);
    gemmABt(deltaT, 0, nOut, bs, inputT, 0, nIn, gw);
    for (let i = 0; i < nOut * nIn; i++) grad[wo + i] = gw[i] + (alpha * params[wo + i]) / bs;
    for (let j = 0; j < nOut; j++) {
      let s = 0;
      for (let r = 0; r < bs; r++) s += deltaT[j * bs + r];
      grad[bo + j] = s;
    }
    if (l === 1) break; // no delta for the inputs
    const prev = deltas[l - 1];
    transpose(params, wo, nOut, nIn, weightT);
    gemmABt(delta, 0, bs, nOut, weightT, 0, nIn, prev);
    const act = acts[l - 1];
    const n = bs * nIn;
    if (activation === 'relu') for (let i = 0; i < n; i++) prev[i] = act[i] > 0 ? prev[i] : 0;
    else if (activation === 'tanh') for (let i = 0; i < n; i++) prev[i] *= 1 - act[i] * act[i];
    else if (activation === 'logistic') for (let i = 0; i < n; i++) prev[i] *= act[i] * (1 - act[i]);
  }
}

/** One Adam step (bias-corrected step size, as scikit-learn's AdamOptimizer). */
export function adam(params: Float64Array, grad: Float64Array, m1: Float64Array, m2: Float64Array, t: number, p: Readonly<MLPParams>): void {
  const { beta1, beta2, epsilon } = p;
  const lr = (p.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
  for (let i = 0; i < params.length; i++) {
    const g = grad[i];
    m1[i] = beta1 * m1[i] + (1 - beta1) * g;
    m2[i] = beta2 * m2[i] + (1 - beta2) * g * g;
    params[i] -= (lr * m1[i]) / (Math.sqrt(m2[i]) + epsilon);
  }
}
