// A dense feed-forward network as flat data: layer sizes, one Float64Array of parameters, and the kernels that run
// it. Isomorphic (no Node imports): prediction in the browser runs the same forward pass as training.
//
// Parameter layout, layer by layer:  W_l (nOut_l, nIn_l) row-major, then b_l (nOut_l).
// Activations are row-major (rows, units). Every product is written as A·Bᵀ (gemmABt): each output is the dot
// product of two contiguous rows, computed 4 × 2 outputs at a time so every loaded value is used several times.
// Training transposes its operands into that form (train.ts).

import type { Activation } from './params.js';

export const OUT_IDENTITY = 0;
export const OUT_SIGMOID = 1;
export const OUT_SOFTMAX = 2;
export type OutputKind = typeof OUT_IDENTITY | typeof OUT_SIGMOID | typeof OUT_SOFTMAX;

export interface NetworkShape {
  /** units per layer, input first: [nInputs, hidden..., nOutputs] */
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly output: OutputKind;
}

/** Offsets of each layer's weights and biases in the flat parameter array, and its total length. */
export function layout(sizes: readonly number[]): { w: number[]; b: number[]; total: number } {
  const w: number[] = [];
  const b: number[] = [];
  let at = 0;
  for (let l = 1; l < sizes.length; l++) {
    w.push(at);
    at += sizes[l] * sizes[l - 1];
    b.push(at);
    at += sizes[l];
  }
  return { w, b, total: at };
}

/**
 * out (m, n) = A (m, kd) · Bᵀ, with B (n, kd): every output is a dot product of two contiguous rows. The kernel
 * computes a 4 × 2 block of outputs per pass over kd (8 accumulators, 6 loads per 8 multiply-adds).
 * A starts at a[aOff], B at b[bOff]; out is written from out[0].
 */
export function gemmABt(a: Float64Array, aOff: number, m: number, kd: number, b: Float64Array, bOff: number, n: number, out: Float64Array): void {
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const a0 = aOff + r * kd;
    const a1 = a0 + kd;
    const a2 = a1 + kd;
    const a3 = a2 + kd;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const w0 = bOff + j * kd;
      const w1 = w0 + kd;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0; // prettier-ignore
      for (let k = 0; k < kd; k++) {
        const u = b[w0 + k];
        const v = b[w1 + k];
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const x2 = a[a2 + k];
        const x3 = a[a3 + k];
        s00 += x0 * u;
        s01 += x0 * v;
        s10 += x1 * u;
        s11 += x1 * v;
        s20 += x2 * u;
        s21 += x2 * v;
        s30 += x3 * u;
        s31 += x3 * v;
      }
      out[r * n + j] = s00;
      out[r * n + j + 1] = s01;
      out[(r + 1) * n + j] = s10;
      out[(r + 1) * n + j + 1] = s11;
      out[(r + 2) * n + j] = s20;
      out[(r + 2) * n + j + 1] = s21;
      out[(r + 3) * n + j] = s30;
      out[(r + 3) * n + j + 1] = s31;
    }
    for (; j < n; j++) {
      const w0 = bOff + j * kd;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
      for (let k = 0; k < kd; k++) {
        const u = b[w0 + k];
        s0 += a[a0 + k] * u;
        s1 += a[a1 + k] * u;
        s2 += a[a2 + k] * u;
        s3 += a[a3 + k] * u;
      }
      out[r * n + j] = s0;
      out[(r + 1) * n + j] = s1;
      out[(r + 2) * n + j] = s2;
      out[(r + 3) * n + j] = s3;
    }
  }
  for (; r < m; r++) {
    const a0 = aOff + r * kd;
    for (let j = 0; j < n; j++) {
      const w0 = bOff + j * kd;
      let s = 0;
      for (let k = 0; k < kd; k++) s += a[a0 + k] * b[w0 + k];
      out[r * n + j] = s;
    }
  }
}

/** out (nRows, nOut) = a (nRows, nIn) · Wᵀ + bias, with W (nOut, nIn) at params[wOff] and the bias at params[bOff]. */
export function affine(a: Float64Array, nRows: number, nIn: number, params: Float64Array, wOff: number, bOff: number, nOut: number, out: Float64Array): void {
  gemmABt(a, 0, nRows, nIn, params, wOff, nOut, out);
  for (let r = 0; r < nRows; r++) for (let j = 0; j < nOut; j++) out[r * nOut + j] += params[bOff + j];
}

/** out (cols, rows) = the transpose of a (rows, cols) */
export function transpose(a: Float64Array, aOff: number, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[aOff + r * cols + c];
}

/** Apply the hidden activation in place to z[0, n). */
export function activate(z: Float64Array, n: number, activation: Activation): void {
  if (activation === 'relu') for (let i = 0; i < n; i++) z[i] = z[i] > 0 ? z[i] : 0;
  else if (activation === 'tanh') for (let i = 0; i < n; i++) z[i] = Math.tanh(z[i]);
  else if (activation === 'logistic') for (let i = 0; i < n; i++) z[i] = sigmoid(z[i]);
}

export function sigmoid(z: number): number {
  // never exp of a large positive number
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Output activation in place on (nRows, nOut): identity, sigmoid (one unit) or softmax per row. */
export function activateOutput(z: Float64Array, nRows: number, nOut: number, output: OutputKind): void {
  if (output === OUT_SIGMOID) {
    for (let i = 0; i < nRows; i++) z[i] = sigmoid(z[i]);
  } else if (output === OUT_SOFTMAX) {
    for (let r = 0; r < nRows; r++) {
      const o = r * nOut;
      let max = -Infinity;
      for (let j = 0; j < nOut; j++) max = Math.max(max, z[o + j]);
      let s = 0;
      for (let j = 0; j < nOut; j++) {
        const e = Math.exp(z[o + j] - max);
        z[o + j] = e;
        s += e;
      }
      for (let j = 0; j < nOut; j++) z[o + j] /= s;
    }
  }
}

/**
 * Run the network on nRows rows of x (nRows, sizes[0]) row-major. `acts[l]` holds layer l's output for at least
 * nRows rows (acts[0] is unused: x is read directly). With `keepLogits`, the last layer is left before its output
 * activation (the training loss works on logits). Returns the last layer's buffer.
 */
export function forward(shape: NetworkShape, params: Float64Array, x: Float64Array, nRows: number, acts: Float64Array[], keepLogits = false): Float64Array {
  const { sizes } = shape;
  const { w, b } = layout(sizes);
  let input = x;
  const last = sizes.length - 1;
  for (let l = 1; l <= last; l++) {
    const out = acts[l];
    affine(input, nRows, sizes[l - 1], params, w[l - 1], b[l - 1], sizes[l], out);
    if (l < last) activate(out, nRows * sizes[l], shape.activation);
    else if (!keepLogits) activateOutput(out, nRows, sizes[l], shape.output);
    input = out;
  }
  return input;
}
