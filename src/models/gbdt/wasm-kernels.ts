// The fit-time kernels in WebAssembly: the same loops as their JavaScript twins (histogram.ts, partition.ts, loss.ts),
// the same order of operations (so the same bits), but with (gradient, hessian) pairs as one f64x2 and no bounds
// checks. The histogram build measured 2.1× faster than in JavaScript (0.47 against 1.0 ns per value). Everything
// they touch lives in one shared WebAssembly.Memory; pointers are byte offsets into it. Fit-time only.
//
//   gather(gh, index, m, ordered)            ordered[i] = f64x2(gh[index[i]])               (gh: float32 pairs)
//   build(cols, nRows, index, m, ordered, hist, f0, f1)          one node, features [f0, f1)
//   level(cols, nRows, rows, base, m, ordered, hist, f0, f1)     rows of many nodes, row i into the slot at base[i]
//   partition(column, index, scratch, start, end, lut) → left     partition.ts in WebAssembly (1.5-2× faster)
//   subtract(dst, src, bytes)                                     the histogram subtraction, two float64s at a time
//   logistic(raw, y, gh, start, end)                              log-loss gradients, rows in fours
//   softmax(raw, y, gh, start, end, K, n, scratch, factor)        softmax gradients, rows in pairs
//   bundle(column, index, m, ordered, hist, table)                a bundle column (bundling.ts), bin → table offset
//   levelBundle(column, rows, base, m, ordered, hist, table)      the same for a level pass

import { F64, f64x2Const, forRange, i64x2Const, I32, op, V128, wasmModule, type Code, type WasmFunction } from '../../core/wasm.js';
import { HIST_BINS } from './histogram.js';
import { EXP_COEFFICIENTS, EXP_LN2_HI, EXP_LN2_LO, EXP_MAX_ARG, MIN_HESSIAN } from './loss.js';

export interface WasmKernels {
  /** loss.ts's softmaxGradients for rows [start, end), end - start even; scratch: K × 16 bytes */
  softmax(raw: number, y: number, gh: number, start: number, end: number, k: number, n: number, scratch: number, factor: number): void;
  /** histogram.ts's buildHistogramBundle: one bundle column, rows index[0..m) into the slot at `hist` */
  bundle(column: number, index: number, m: number, ordered: number, hist: number, table: number): void;
  /** the same for a level pass: row i into hist + base[i] */
  levelBundle(column: number, rows: number, base: number, m: number, ordered: number, hist: number, table: number): void;
  /** loss.ts's logisticGradients for rows [start, end), end - start a multiple of 4 */
  logistic(raw: number, y: number, gh: number, start: number, end: number): void;
  /** dst[0..bytes) -= src[0..bytes), float64s (bytes a multiple of 16) */
  subtract(dst: number, src: number, bytes: number): void;
  /** partition.ts's partitionRows: stable split of index[start..end) by lut[column[row]], returns the left count */
  partition(column: number, index: number, scratch: number, start: number, end: number, lut: number): number;
  gather(gh: number, index: number, m: number, ordered: number): void;
  build(columns: number, nRows: number, index: number, m: number, ordered: number, hist: number, f0: number, f1: number): void;
  level(columns: number, nRows: number, rows: number, base: number, m: number, ordered: number, hist: number, f0: number, f1: number): void;
}

/** Bytes of one bin: (g, h) or (g, h, count, unused), float64 each. */
const binBytes = (cells: number): number => cells * 8;

function gather(): WasmFunction {
  // params: gh 0, index 1, m 2, ordered 3; locals: i 4
  return {
    name: 'gather',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32],
    body: forRange(4, op.i32(0), op.get(2), 1, [
      // ordered + 16 i  ←  promote(load64(gh + 8 · index[i]))
      op.get(3), op.get(4), op.i32(4), op.i32Shl, op.i32Add,
      op.get(0), op.get(1), op.get(4), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.i32(3), op.i32Shl, op.i32Add,
      op.v128Load64Zero(), op.f64x2Promote,
      op.v128Store(),
    ]),
  };
}

/**
 * One pass over the rows adding `group` consecutive features. Locals used: row pointer `p` (column byte of feature f
 * for this row), `hb` (the node's slot + feature f), `a` (a bin address), `gh` (the row's pair), `one` (1, 0).
 */
function featureUpdates(group: number, cells: number, L: { p: number; nRows: number; hb: number; a: number; gh: number; one: number }): Code {
  const shift = cells === 4 ? 5 : 4;
  const featureBytes = HIST_BINS * binBytes(cells);
  const out: Code[] = [];
  for (let k = 0; k < group; k++) {
    const offset = k * featureBytes;
    out.push(
      // a = hb + (column byte << shift); hist[a + offset] += gh
      op.get(L.hb), op.get(L.p), op.i32Load8u(), op.i32(shift), op.i32Shl, op.i32Add, op.tee(L.a),
      op.get(L.a), op.v128Load(offset), op.get(L.gh), op.f64x2Add, op.v128Store(offset),
    );
    if (cells === 4) out.push(op.get(L.a), op.get(L.a), op.v128Load(offset + 16), op.get(L.one), op.f64x2Add, op.v128Store(offset + 16));
    if (k + 1 < group) out.push(op.get(L.p), op.get(L.nRows), op.i32Add, op.set(L.p));
  }
  return out;
}

/** A bundle column: each row's address comes from the column's table of byte offsets (bundling.ts, columnTables). */
function bundleFunction(cells: number, perRowBase: boolean): WasmFunction {
  // bundle params: column 0, rows 1, m 2, ordered 3, hist 4, table 5; levelBundle: column 0, rows 1, base 2, m 3, ...
  const P = perRowBase ? { col: 0, rows: 1, base: 2, m: 3, ord: 4, hist: 5, table: 6 } : { col: 0, rows: 1, base: -1, m: 2, ord: 3, hist: 4, table: 5 };
  const first = perRowBase ? 7 : 6;
  const [i, a, one] = [first, first + 1, first + 2];
  const oneBytes = [...new Uint8Array(Float64Array.of(1, 0).buffer)];
  return {
    name: perRowBase ? 'levelBundle' : 'bundle',
    params: perRowBase ? [I32, I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, V128],
    body: [
      op.v128Const(oneBytes),
      op.set(one),
      forRange(i, op.i32(0), op.get(P.m), 1, [
        // a = hist (+ base[i]) + table[column[rows[i]]]
        op.get(P.hist),
        perRowBase ? [op.get(P.base), op.get(i), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.i32Add] : [],
        op.get(P.table),
        op.get(P.col), op.get(P.rows), op.get(i), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.i32Add, op.i32Load8u(),
        op.i32(2), op.i32Shl, op.i32Add, op.i32Load(),
        op.i32Add, op.tee(a),
        op.get(a), op.v128Load(), op.get(P.ord), op.get(i), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.f64x2Add, op.v128Store(),
        cells === 4 ? [op.get(a), op.get(a), op.v128Load(16), op.get(one), op.f64x2Add, op.v128Store(16)] : [],
      ]),
    ],
  };
}

function subtract(): WasmFunction {
  // params: dst 0, src 1, bytes 2; locals: i 3
  return {
    name: 'subtract',
    params: [I32, I32, I32],
    results: [],
    locals: [I32],
    body: forRange(3, op.i32(0), op.get(2), 16, [
      op.get(0), op.get(3), op.i32Add,
      op.get(0), op.get(3), op.i32Add, op.v128Load(),
      op.get(1), op.get(3), op.i32Add, op.v128Load(),
      op.f64x2Sub,
      op.v128Store(),
    ]),
  };
}

/** e^z for the v128 local z (clamped already), as expPoly in loss.ts; leaves the result on the stack. */
function expCode(z: number, k: number, r: number, acc: number): Code {
  const horner: Code[] = [f64x2Const(EXP_COEFFICIENTS[EXP_COEFFICIENTS.length - 1]), op.set(acc)];
  for (let c = EXP_COEFFICIENTS.length - 2; c >= 0; c--) horner.push(op.get(acc), op.get(r), op.f64x2Mul, f64x2Const(EXP_COEFFICIENTS[c]), op.f64x2Add, op.set(acc));
  return [
    // k = nearest(z·log2 e); r = z - k·ln2 (in two parts); e^z = polynomial(r) · 2^k, 2^k from its exponent bits
    op.get(z), f64x2Const(Math.LOG2E), op.f64x2Mul, op.f64x2Nearest, op.set(k),
    op.get(z), op.get(k), f64x2Const(EXP_LN2_HI), op.f64x2Mul, op.f64x2Sub,
    op.get(k), f64x2Const(EXP_LN2_LO), op.f64x2Mul, op.f64x2Sub, op.set(r),
    horner,
    op.get(acc),
    op.get(k), op.i32x4TruncSatF64x2Zero, op.i64x2ExtendLowI32x4, i64x2Const(1023), op.i64x2Add, op.i32(52), op.i64x2Shl,
    op.f64x2Mul,
  ];
}

/** Shuffle (g0, g1) and (h0, h1) demoted to float32 into (g0, h0, g1, h1). */
const interleavePairs = op.i8x16Shuffle([0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]);

/**
 * Softmax gradients of two rows at a time (lanes = rows), operation for operation as softmaxGradients in loss.ts:
 * the exponentials of one row pair go to `scratch` (K × 16 bytes) between the sum and the normalisation.
 */
function softmax(): WasmFunction {
  // params: raw 0, y 1, gh 2, start 3, end 4, K 5, n 6, scratch 7, factor 8 (f64)
  // locals: i 9, j 10, a 11 (i32); max 12, sum 13, inv 14, z 15, k 16, r 17, acc 18, p 19, yv 20 (v128)
  const [i, j, a, max, sum, inv, z, k, r, acc, p, yv] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  // the class-j values of rows i and i+1: raw[a + 8j] and raw[a + 8j + 8K]
  const loadPair = (into: number): Code => [
    // lane 0 from row i, lane 1 from row i+1
    op.get(a), op.get(j), op.i32(3), op.i32Shl, op.i32Add, op.v128Load64Zero(), op.set(into),
    op.get(a), op.get(j), op.i32(3), op.i32Shl, op.i32Add, op.get(5), op.i32(3), op.i32Shl, op.i32Add, op.get(into), op.v128Load64Lane(1), op.set(into),
  ];
  return {
    name: 'softmax',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F64],
    results: [],
    locals: [I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128],
    body: forRange(i, op.get(3), op.get(4), 2, [
      // a = raw + 8 i K: row i's first class
      op.get(0), op.get(i), op.get(5), op.i32Mul, op.i32(3), op.i32Shl, op.i32Add, op.set(a),
      op.i32(0), op.set(j), loadPair(max),
      forRange(j, op.i32(1), op.get(5), 1, [loadPair(z), op.get(max), op.get(z), op.f64x2Max, op.set(max)]),
      f64x2Const(0), op.set(sum),
      forRange(j, op.i32(0), op.get(5), 1, [
        loadPair(z), op.get(z), op.get(max), op.f64x2Sub, f64x2Const(-EXP_MAX_ARG), op.f64x2Max, op.set(z),
        // scratch[j] = e^z; sum += e^z
        op.get(7), op.get(j), op.i32(4), op.i32Shl, op.i32Add, expCode(z, k, r, acc), op.tee(p), op.v128Store(),
        op.get(sum), op.get(p), op.f64x2Add, op.set(sum),
      ]),
      f64x2Const(1), op.get(sum), op.f64x2Div, op.set(inv),
      op.get(1), op.get(i), op.i32(3), op.i32Shl, op.i32Add, op.v128Load(), op.set(yv),
      forRange(j, op.i32(0), op.get(5), 1, [
        op.get(7), op.get(j), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.get(inv), op.f64x2Mul, op.set(p),
        // gh + 8 (j n + i) ← (g, h) of rows i, i+1: g = p - [y = j], h = max(factor p (1 - p), MIN_HESSIAN)
        op.get(2), op.get(j), op.get(6), op.i32Mul, op.get(i), op.i32Add, op.i32(3), op.i32Shl, op.i32Add,
        op.get(p), op.get(yv), op.get(j), op.f64ConvertI32, op.f64x2Splat, op.f64x2Eq, f64x2Const(1), op.v128And, op.f64x2Sub, op.f32x4Demote,
        op.get(8), op.f64x2Splat, op.get(p), op.f64x2Mul, f64x2Const(1), op.get(p), op.f64x2Sub, op.f64x2Mul, f64x2Const(MIN_HESSIAN), op.f64x2Max, op.f32x4Demote,
        interleavePairs,
        op.v128Store(),
      ]),
    ]),
  };
}

/**
 * The log-loss gradients of four rows at a time (two independent f64x2 chains overlap), operation for operation as
 * logisticGradients in loss.ts.
 */
function logistic(): WasmFunction {
  // params: raw 0, y 1, gh 2, start 3, end 4; locals: i 5, then per pair q: z, k, r, acc, p (v128)
  const i = 5;
  const pair = (q: number): Code => {
    const [z, k, r, acc, p] = [6 + 5 * q, 7 + 5 * q, 8 + 5 * q, 9 + 5 * q, 10 + 5 * q];
    const bytes = 16 * q; // the pair's offset from row i in raw and y (gh: 8 q)
    return [
      // z = clamp(-raw, ±EXP_MAX_ARG); p = 1 / (1 + e^z)
      op.get(0), op.get(i), op.i32(3), op.i32Shl, op.i32Add, op.v128Load(bytes), op.f64x2Neg,
      f64x2Const(EXP_MAX_ARG), op.f64x2Min, f64x2Const(-EXP_MAX_ARG), op.f64x2Max, op.set(z),
      f64x2Const(1),
      expCode(z, k, r, acc),
      f64x2Const(1), op.f64x2Add, op.f64x2Div, op.set(p),
      // gh + 8 i ← float32 (g0, h0, g1, h1): g = p - y, h = max(p (1 - p), MIN_HESSIAN)
      op.get(2), op.get(i), op.i32(3), op.i32Shl, op.i32Add,
      op.get(p), op.get(1), op.get(i), op.i32(3), op.i32Shl, op.i32Add, op.v128Load(bytes), op.f64x2Sub, op.f32x4Demote,
      op.get(p), f64x2Const(1), op.get(p), op.f64x2Sub, op.f64x2Mul, f64x2Const(MIN_HESSIAN), op.f64x2Max, op.f32x4Demote,
      interleavePairs,
      op.v128Store(bytes),
    ];
  };
  return {
    name: 'logistic',
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, ...Array<typeof V128>(10).fill(V128)],
    body: forRange(i, op.get(3), op.get(4), 4, [pair(0), pair(1)]),
  };
}

function partition(): WasmFunction {
  // params: column 0, index 1, scratch 2, start 3, end 4, lut 5; locals: i 6, left 7, right 8, row 9, side 10
  const at = (base: number, i: number): Code => [op.get(base), op.get(i), op.i32(2), op.i32Shl, op.i32Add];
  return {
    name: 'partition',
    params: [I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32],
    body: [
      op.get(3), op.set(7), op.get(3), op.set(8),
      forRange(6, op.get(3), op.get(4), 1, [
        at(1, 6), op.i32Load(), op.set(9),
        // side = lut[column[row]]; both cursors get the row, only the row's side advances
        op.get(5), op.get(0), op.get(9), op.i32Add, op.i32Load8u(), op.i32Add, op.i32Load8u(), op.set(10),
        at(1, 7), op.get(9), op.i32Store(),
        at(2, 8), op.get(9), op.i32Store(),
        op.get(7), op.i32(1), op.get(10), op.i32Sub, op.i32Add, op.set(7),
        op.get(8), op.get(10), op.i32Add, op.set(8),
      ]),
      // the right rows follow the left ones: copy scratch[start..right) to index[left..]
      at(1, 7), at(2, 3), op.get(8), op.get(3), op.i32Sub, op.i32(2), op.i32Shl, op.memoryCopy,
      op.get(7), op.get(3), op.i32Sub,
    ],
  };
}

/** build (perRowBase = false) or level (true): features in groups of 8, 4, 2, 1. */
function histogramFunction(cells: number, perRowBase: boolean): WasmFunction {
  // build params: cols 0, nRows 1, index 2, m 3, ordered 4, hist 5, f0 6, f1 7
  // level params: cols 0, nRows 1, rows 2, base 3, m 4, ordered 5, hist 6, f0 7, f1 8
  const P = perRowBase
    ? { cols: 0, nRows: 1, rows: 2, base: 3, m: 4, ord: 5, hist: 6, f0: 7, f1: 8 }
    : { cols: 0, nRows: 1, rows: 2, base: -1, m: 3, ord: 4, hist: 5, f0: 6, f1: 7 };
  const first = perRowBase ? 9 : 8;
  const L = { f: first, i: first + 1, c: first + 2, fo: first + 3, p: first + 4, hb: first + 5, a: first + 6, gh: first + 7, one: first + 8, nRows: P.nRows };
  const featureBytes = HIST_BINS * binBytes(cells);
  const pass = (group: number): Code =>
    // while (f + group <= f1) { one pass over the rows; f += group }
    [
      op.block,
      op.loop,
      op.get(L.f), op.i32(group), op.i32Add, op.get(P.f1), op.i32GtS, op.brIf(1),
      // c = cols + f · nRows; fo = f · featureBytes
      op.get(P.cols), op.get(L.f), op.get(P.nRows), op.i32Mul, op.i32Add, op.set(L.c),
      op.get(L.f), op.i32(featureBytes), op.i32Mul, op.set(L.fo),
      forRange(L.i, op.i32(0), op.get(P.m), 1, [
        // p = c + rows[i]
        op.get(L.c), op.get(P.rows), op.get(L.i), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.i32Add, op.set(L.p),
        // gh = ordered[i]
        op.get(P.ord), op.get(L.i), op.i32(4), op.i32Shl, op.i32Add, op.v128Load(), op.set(L.gh),
        // hb = hist + fo (+ base[i] for a level pass)
        op.get(P.hist), op.get(L.fo), op.i32Add,
        perRowBase ? [op.get(P.base), op.get(L.i), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), op.i32Add] : [],
        op.set(L.hb),
        featureUpdates(group, cells, L),
      ]),
      op.get(L.f), op.i32(group), op.i32Add, op.set(L.f),
      op.br(0),
      op.end,
      op.end,
    ];
  const oneBytes = [...new Uint8Array(Float64Array.of(1, 0).buffer)];
  return {
    name: perRowBase ? 'level' : 'build',
    params: perRowBase ? [I32, I32, I32, I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, I32, V128, V128],
    body: [op.v128Const(oneBytes), op.set(L.one), op.get(P.f0), op.set(L.f), pass(8), pass(4), pass(2), pass(1)],
  };
}

/** The module for `cells` float64s per bin (2, or 4 with a row count), importing a shared memory of `maxPages`. */
export function wasmKernelBytes(cells: number, minPages: number, maxPages: number): Uint8Array<ArrayBuffer> {
  if (cells !== 2 && cells !== 4) throw new RangeError(`wasm histogram kernels take 2 or 4 cells per bin, not ${cells}`);
  return wasmModule({
    memory: { shared: true, minPages, maxPages },
    functions: [
      gather(),
      histogramFunction(cells, false),
      histogramFunction(cells, true),
      partition(),
      subtract(),
      logistic(),
      bundleFunction(cells, false),
      bundleFunction(cells, true),
      softmax(),
    ],
  });
}

export function instantiateWasmKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): WasmKernels {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as WasmKernels;
}
