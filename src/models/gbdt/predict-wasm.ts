// The batch walk of complete trees (predict-complete.ts) in WebAssembly: the same records, the same decisions and the
// same order of additions (so the same bits), without bounds checks, and compiled when the model is first used rather
// than after V8 has run the JavaScript walk long enough to optimise it (most of a first batch's time on small sets).
// Deeper trees take `walkLinked` over the evaluator's linked records. One non-shared memory per model holds its
// records and a block of rows. Isomorphic: WebAssembly only, no Node imports.
//
//   walk(root, steps, c, d, rows, m, w, delta, out, kb)   tree over m prepared rows (m a multiple of 8), eight at a time
//     record at byte p: f64 threshold | i32 column byte offset in a row | i32 address of the node's catRight entries
//     child of p = 2p + c + 16·(x > threshold | catRight[slot]);  leaf value of bottom record p at (p >> 1) + d
//     rows: values, w bytes a row; a value's slot (int32) sits `delta` bytes after it; out: row i's output at out + i·kb
//   walkLinked(root, steps, rows, m, w, delta, out, kb)   the same over linked records (see predict.ts), 32 bytes each:
//     f64 threshold | f64 leaf value | i32 column byte offset | i32 left child's address | i32 unused | i32 catRight address

import { I32, op, uleb, wasmModule, wasmPages, type Code } from '../../core/wasm.js';
import type { Evaluator } from './predict.js';

const f64Load = (offset = 0): number[] => [0x2b, 3, ...uleb(offset)];
const f64Store = (offset = 0): number[] => [0x39, 3, ...uleb(offset)];
const F64_GT = 0x64;
const F64_ADD = 0xa0;
const I32_OR = 0x72;
const I32_SHR_U = 0x76;

// params
const ROOT = 0, STEPS = 1, C = 2, D = 3, ROWS = 4, M = 5, W = 6, DELTA = 7, OUT = 8, KB = 9;
// locals
const I = 10, S = 11, RB = 12, A = 13, OB = 14, P = 15; // P .. P + 7: the eight rows' records

function walkBody(): Code {
  const step = (j: number): Code => [
    // a = rb + j·w + column
    op.get(RB), op.get(W), op.i32(j), op.i32Mul, op.i32Add, op.get(P + j), op.i32Load(8), op.i32Add, op.set(A),
    // p = 2p + c + ((x > threshold | catRight[catAddr + slot]) << 4)
    op.get(P + j), op.get(P + j), op.i32Add, op.get(C), op.i32Add,
    op.get(A), f64Load(), op.get(P + j), f64Load(), F64_GT,
    op.get(P + j), op.i32Load(12), op.get(A), op.get(DELTA), op.i32Add, op.i32Load(), op.i32Add, op.i32Load8u(), I32_OR,
    op.i32(4), op.i32Shl, op.i32Add, op.set(P + j),
  ];
  const add = (j: number): Code => [
    // out[ob + j·kb] += leaf
    op.get(OB), op.get(KB), op.i32(j), op.i32Mul, op.i32Add, op.set(A),
    op.get(A), op.get(A), f64Load(), op.get(P + j), op.i32(1), I32_SHR_U, op.get(D), op.i32Add, f64Load(), F64_ADD, f64Store(),
  ];
  const rows = [0, 1, 2, 3, 4, 5, 6, 7];
  return [
    op.get(ROWS), op.set(RB),
    op.get(OUT), op.set(OB),
    forRange8(I, op.get(M), [
      rows.map((j) => [op.get(ROOT), op.set(P + j)]),
      forRangeSteps(S, op.get(STEPS), rows.map(step)),
      rows.map(add),
      op.get(RB), op.get(W), op.i32(8), op.i32Mul, op.i32Add, op.set(RB),
      op.get(OB), op.get(KB), op.i32(8), op.i32Mul, op.i32Add, op.set(OB),
    ]),
  ];
}

// walkLinked's params and locals
const L_ROOT = 0, L_STEPS = 1, L_ROWS = 2, L_M = 3, L_W = 4, L_DELTA = 5, L_OUT = 6, L_KB = 7;
const L_I = 8, L_S = 9, L_RB = 10, L_A = 11, L_OB = 12, L_P = 13;

function walkLinkedBody(): Code {
  const step = (j: number): Code => [
    op.get(L_RB), op.get(L_W), op.i32(j), op.i32Mul, op.i32Add, op.get(L_P + j), op.i32Load(16), op.i32Add, op.set(L_A),
    // p = left + ((x > threshold | catRight[catAddr + slot]) << 5)
    op.get(L_P + j), op.i32Load(20),
    op.get(L_A), f64Load(), op.get(L_P + j), f64Load(), F64_GT,
    op.get(L_P + j), op.i32Load(28), op.get(L_A), op.get(L_DELTA), op.i32Add, op.i32Load(), op.i32Add, op.i32Load8u(), I32_OR,
    op.i32(5), op.i32Shl, op.i32Add, op.set(L_P + j),
  ];
  const add = (j: number): Code => [
    op.get(L_OB), op.get(L_KB), op.i32(j), op.i32Mul, op.i32Add, op.set(L_A),
    op.get(L_A), op.get(L_A), f64Load(), op.get(L_P + j), f64Load(8), F64_ADD, f64Store(),
  ];
  const rows = [0, 1, 2, 3, 4, 5, 6, 7];
  return [
    op.get(L_ROWS), op.set(L_RB),
    op.get(L_OUT), op.set(L_OB),
    forRange8(L_I, op.get(L_M), [
      rows.map((j) => [op.get(L_ROOT), op.set(L_P + j)]),
      forRangeSteps(L_S, op.get(L_STEPS), rows.map(step)),
      rows.map(add),
      op.get(L_RB), op.get(L_W), op.i32(8), op.i32Mul, op.i32Add, op.set(L_RB),
      op.get(L_OB), op.get(L_KB), op.i32(8), op.i32Mul, op.i32Add, op.set(L_OB),
    ]),
  ];
}

/** for (local = 0; local < to; local += 8) body */
function forRange8(local: number, to: Code, body: Code): Code {
  return loopUpTo(local, to, 8, body);
}

/** for (local = 0; local < to; local++) body */
function forRangeSteps(local: number, to: Code, body: Code): Code {
  return loopUpTo(local, to, 1, body);
}

function loopUpTo(local: number, to: Code, step: number, body: Code): Code {
  return [
    op.i32(0), op.set(local),
    op.block, op.loop,
    op.get(local), to, op.i32GeS, op.brIf(1),
    body,
    op.get(local), op.i32(step), op.i32Add, op.set(local),
    op.br(0),
    op.end, op.end,
  ];
}

let compiled: WebAssembly.Module | null = null;

function walkModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(
    wasmModule({
      memory: { shared: false, minPages: 1, maxPages: 65536 },
      functions: [
        { name: 'walk', params: Array<typeof I32>(10).fill(I32), results: [], locals: Array<typeof I32>(13).fill(I32), body: walkBody() },
        { name: 'walkLinked', params: Array<typeof I32>(8).fill(I32), results: [], locals: Array<typeof I32>(13).fill(I32), body: walkLinkedBody() },
      ],
    }),
  );
  return compiled;
}

/** A model's trees in WebAssembly memory, with room for one block of prepared rows and its outputs. */
export interface WasmWalker {
  walk(root: number, steps: number, c: number, d: number, rows: number, m: number, w: number, delta: number, out: number, kb: number): void;
  walkLinked(root: number, steps: number, rows: number, m: number, w: number, delta: number, out: number, kb: number): void;
  readonly complete: Uint8Array; // (nTrees) 1: walk, 0: walkLinked
  readonly rootAddr: Int32Array; // (nTrees) byte address of each tree's first record (complete or linked)
  readonly c: Int32Array; // (nTrees) per-tree constant of the child step
  readonly d: Int32Array; // (nTrees) per-tree constant of the leaf address
  readonly values: Float64Array; // (blockRows, 2·nFeatures) over memory: the prepared rows' values
  readonly slots: Int32Array; // their slots, one per 8-byte cell (cell i's slot at index 2i)
  readonly out: Float64Array; // (blockRows, nOutputs) over memory
  readonly rows: number; // byte address of `values`
  readonly delta: number; // bytes from a value to its slot
  readonly outAddr: number; // byte address of `out`
}

/** Copy the complete layout and the linked records of the evaluator into a fresh memory. */
export function buildWasmWalker(ev: Pick<Evaluator, 'e' | 'f64' | 'i32' | 'catRight' | 'depth' | 'complete'>, blockRows: number): WasmWalker {
  const { complete: ct, catRight, depth } = ev;
  const { nFeatures, nOutputs } = ev.e;
  const align = (n: number): number => (n + 15) & ~15;
  const recordsAt = 16; // address 0 stays unused
  const linkedAt = align(recordsAt + ct.f64.byteLength);
  const leavesAt = align(linkedAt + ev.f64.byteLength);
  const catAt = align(leavesAt + ct.leaves.byteLength);
  const rowsAt = align(catAt + catRight.length);
  const rowBytes = blockRows * 2 * nFeatures * 8;
  const slotsAt = align(rowsAt + rowBytes);
  const outAt = align(slotsAt + rowBytes);
  const pages = wasmPages(outAt + blockRows * nOutputs * 8);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages }); // never grows: views stay valid
  const buf = memory.buffer;
  new Uint8Array(buf, recordsAt, ct.f64.byteLength).set(new Uint8Array(ct.f64.buffer, ct.f64.byteOffset, ct.f64.byteLength));
  const i32 = new Int32Array(buf, recordsAt, ct.i32.length);
  // columns as byte offsets in a row, category tables as addresses
  for (let r = 0; r < i32.length; r += 4) {
    i32[r + 2] *= 8;
    i32[r + 3] += catAt;
  }
  new Uint8Array(buf, linkedAt, ev.f64.byteLength).set(new Uint8Array(ev.f64.buffer, ev.f64.byteOffset, ev.f64.byteLength));
  const linked = new Int32Array(buf, linkedAt, ev.i32.length);
  for (let r = 0; r < linked.length; r += 8) {
    linked[r + 4] *= 8;
    linked[r + 5] = linkedAt + 32 * linked[r + 5];
    linked[r + 7] += catAt;
  }
  new Float64Array(buf, leavesAt, ct.leaves.length).set(ct.leaves);
  new Uint8Array(buf, catAt, catRight.length).set(catRight);
  const nTrees = ct.nodeBase.length;
  const rootAddr = new Int32Array(nTrees);
  const c = new Int32Array(nTrees);
  const d = new Int32Array(nTrees);
  const complete = new Uint8Array(nTrees);
  for (let t = 0; t < nTrees; t++) {
    const base = ct.nodeBase[t];
    if (base < 0) {
      rootAddr[t] = linkedAt + 32 * ev.e.treeStart[t];
      continue;
    }
    complete[t] = 1;
    rootAddr[t] = recordsAt + 16 * base;
    // record n at p = R + 16n: child 2n + 1 - base + v  →  2p + 16 - R - 16·base + 16v
    c[t] = 16 - recordsAt - 16 * base;
    // leaf of bottom record n: leaves[leafBase - base - 2^depth + 1 + n] at L + 8(...) = (p >> 1) - R/2 + L + 8(...)
    d[t] = leavesAt + 8 * (ct.leafBase[t] - base - (1 << depth[t]) + 1) - recordsAt / 2;
  }
  const instance = new WebAssembly.Instance(walkModule(), { env: { memory } });
  return {
    walk: instance.exports.walk as WasmWalker['walk'],
    walkLinked: instance.exports.walkLinked as WasmWalker['walkLinked'],
    complete,
    rootAddr,
    c,
    d,
    values: new Float64Array(buf, rowsAt, blockRows * 2 * nFeatures),
    slots: new Int32Array(buf, slotsAt, blockRows * 2 * nFeatures * 2),
    out: new Float64Array(buf, outAt, blockRows * nOutputs),
    rows: rowsAt,
    delta: slotsAt - rowsAt,
    outAddr: outAt,
  };
}
