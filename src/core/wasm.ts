// A minimal WebAssembly module builder for small hand-written kernels (SIMD loops over shared memory).
// Why: in JavaScript every typed-array access is bounds-checked and a (gradient, hessian) pair takes two adds; a
// WebAssembly loop adds the pair as one f64x2 and needs no checks, which measured 2× faster on the histogram
// kernels. Kernels are written as arrays of opcodes with the helpers below (readable names, one per instruction),
// assembled into bytes at run time: nothing generated is stored, nothing is downloaded.
//
//   const fn = { name: 'add', params: [I32, I32], results: [I32], locals: [], body: [op.get(0), op.get(1), op.i32Add] };
//   const bytes = wasmModule({ functions: [fn] });
//
// Only the instructions our kernels use are here; add more from the WebAssembly spec's opcode table as needed.

import { describeValue } from './errors.js';

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

export interface WasmFunction {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** extra locals after the params (locals are numbered params first) */
  readonly locals: readonly ValType[];
  /** instructions, nested arrays allowed; the final `end` is added */
  readonly body: Code;
}

export type Code = number | readonly Code[];

/** unsigned LEB128 */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uleb: ${describeValue(n)} is not a non-negative integer`);
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** signed LEB128 (32-bit values) */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (code: number): number[] => [0xfd, ...uleb(code)];
/** memory immediate: alignment (log2 bytes) and a constant offset added to the address */
const memarg = (align: number, offset: number): number[] => [align, ...uleb(offset)];

/** Instruction emitters (names follow the WebAssembly text format). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: 0x0b,
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  i32: (value: number): number[] => [0x41, ...sleb(value)],
  i32Load: (offset = 0): number[] => [0x28, ...memarg(2, offset)],
  i32Load8u: (offset = 0): number[] => [0x2d, ...memarg(0, offset)],
  i32Store: (offset = 0): number[] => [0x36, ...memarg(2, offset)],
  f64ConvertI32: 0xb7, // f64.convert_i32_s
  /** memory.copy (dest, src, bytes) */
  memoryCopy: [0xfc, ...uleb(10), 0x00, 0x00],
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  v128Load: (offset = 0): number[] => [...simd(0), ...memarg(4, offset)],
  v128Store: (offset = 0): number[] => [...simd(11), ...memarg(4, offset)],
  /** v128.load64_zero: 8 bytes into the low lane */
  v128Load64Zero: (offset = 0): number[] => [...simd(93), ...memarg(3, offset)],
  v128Const: (bytes: readonly number[]): number[] => [...simd(12), ...bytes],
  /** v128.load64_lane: 8 bytes into lane `lane`, the other lane kept */
  v128Load64Lane: (lane: number, offset = 0): number[] => [...simd(87), ...memarg(3, offset), lane],
  v128And: simd(78),
  f64x2Eq: simd(71),
  f64x2Promote: simd(95), // f64x2.promote_low_f32x4
  f32x4Demote: simd(94), // f32x4.demote_f64x2_zero
  f64x2Splat: simd(20),
  /** i8x16.shuffle: lane i of the result is byte lanes[i] of (a ++ b) */
  i8x16Shuffle: (lanes: readonly number[]): number[] => [...simd(13), ...lanes],
  f64x2Nearest: simd(148),
  f64x2Neg: simd(237),
  f64x2Add: simd(240),
  f64x2Sub: simd(241),
  f64x2Mul: simd(242),
  f64x2Div: simd(243),
  f64x2Min: simd(244),
  f64x2Max: simd(245),
  i32x4TruncSatF64x2Zero: simd(252), // i32x4.trunc_sat_f64x2_s_zero
  i64x2ExtendLowI32x4: simd(199), // i64x2.extend_low_i32x4_s
  i64x2Shl: simd(203),
  i64x2Add: simd(206),
} as const;

/** v128.const of two float64s */
export function f64x2Const(a: number, b = a): number[] {
  return op.v128Const([...new Uint8Array(Float64Array.of(a, b).buffer)]);
}

/** v128.const of two int64s (from small integers) */
export function i64x2Const(a: number, b = a): number[] {
  return op.v128Const([...new Uint8Array(BigInt64Array.of(BigInt(a), BigInt(b)).buffer)]);
}

function flatten(code: Code, out: number[]): number[] {
  if (typeof code === 'number') out.push(code);
  else for (const c of code) flatten(c, out);
  return out;
}

/**
 * `for (local = from; local < to; local += step) body` with `from`/`to` given as instruction sequences.
 * Inside `body`, branch depth 0 is the loop and 1 the block (a `br 1` breaks out).
 */
export function forRange(local: number, from: Code, to: Code, step: number, body: Code): Code {
  return [
    from,
    op.set(local),
    op.block,
    op.loop,
    op.get(local),
    to,
    op.i32GeS,
    op.brIf(1),
    body,
    op.get(local),
    op.i32(step),
    op.i32Add,
    op.set(local),
    op.br(0),
    op.end,
    op.end,
  ];
}

/** A module importing one memory as env.memory (shared when asked) and exporting the functions by name. */
export function wasmModule(spec: { functions: readonly WasmFunction[]; memory?: { shared: boolean; minPages: number; maxPages: number } }): Uint8Array<ArrayBuffer> {
  const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
  const name = (s: string): number[] => {
    const b = [...new TextEncoder().encode(s)];
    return [...uleb(b.length), ...b];
  };
  const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
  const types = spec.functions.map((f) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results]);
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  out.push(...section(1, vec(types)));
  if (spec.memory) {
    const m = spec.memory;
    const limits = m.shared ? [0x03, ...uleb(m.minPages), ...uleb(m.maxPages)] : [0x01, ...uleb(m.minPages), ...uleb(m.maxPages)];
    out.push(...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])));
  }
  out.push(...section(3, vec(spec.functions.map((_, i) => uleb(i)))));
  out.push(...section(7, vec(spec.functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))));
  const bodies = spec.functions.map((f) => {
    // locals are declared in runs of one type
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const code = [...uleb(runs.length), ...runs.flatMap(([count, t]) => [...uleb(count), t]), ...flatten(f.body, []), op.end];
    return [...uleb(code.length), ...code];
  });
  out.push(...section(10, vec(bodies)));
  return new Uint8Array(out);
}

/** 64 KiB pages holding `bytes`. */
export const wasmPages = (bytes: number): number => Math.max(1, Math.ceil(bytes / 65536));
