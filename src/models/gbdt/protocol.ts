// What the fit-time threads share: one shared WebAssembly.Memory holding what the histogram kernels touch (bins,
// gradients, row order, histograms, per-thread scratch), SharedArrayBuffers for the rest (job and result tables,
// scores), their layouts, and the operation codes the grower dispatches through the pool. The main thread writes a
// job table, runs an operation (every thread does its part), then reads the result table.

import type { ColumnPlan } from './bundling.js';
import type { LossConfig } from './loss.js';
import { SPLIT_FIELDS, type SplitRules } from './split.js';

/**
 * Gradients and hessians of every output for the part's blocks of GRADIENT_BLOCK rows, and each block's sums (which
 * the root of the next trees adds up in block order: the same bits for any number of threads).
 */
export const OP_GRADIENTS = 1;
export const GRADIENT_BLOCK = 16384;
/** Per job: build the smaller child's histogram, subtract it from the parent's, search both children (by feature ranges). */
export const OP_HISTOGRAMS = 2;
/** Per job: stable partition of a node's rows into left and right (jobs shared out among the threads). */
export const OP_PARTITION = 3;
/** Per job: mark the rows of its smaller child with the job's slot in rowSlot, for a level pass (see histogram.ts). */
export const OP_MARK_ROWS = 5;
/** Per job (a leaf): add its value to the raw scores of its rows (leaves own disjoint rows). */
export const OP_ADD_LEAVES = 4;

// HIST job fields (float64s)
export const J_SMALL_START = 0; // rows index[start..end) are the smaller child
export const J_SMALL_END = 1;
export const J_SMALL_SLOT = 2; // histogram slot for the smaller child
export const J_LARGE_SLOT = 3; // slot holding the parent, which becomes the larger child (-1: no sibling needed)
export const J_OUTPUT = 4; // which output's gradients (class of a softmax tree)
export const J_SEARCH_SMALL = 5; // 1: search a split for the smaller child; its stats follow
export const J_SMALL_STATS = 6; // G, H, C, lower, upper
export const J_SEARCH_LARGE = 11;
export const J_LARGE_STATS = 12; // G, H, C, lower, upper
// PARTITION job fields (float64s); the job's bin → side table is at luts + 256·job (layout.luts), 1 = right
export const P_START = 0;
export const P_END = 1;
export const P_FEATURE = 2;
export const P_LEFT_COUNT = 3; // written by the kernel
// ADD_LEAVES job fields: rows index[start..end) get raw[row·nOutputs + output] += value
export const A_START = 0;
export const A_END = 1;
export const A_VALUE = 2;
export const A_OUTPUT = 3;
export const JOB_FIELDS = 20;
// control words
export const C_JOBS = 0;
export const C_LEVEL = 1; // 1: OP_HISTOGRAMS builds every job's smaller child in one pass over the marked rows
export const C_STAMP = 2; // the current level pass's stamp in rowSlot (marks of earlier passes are stale)
/** rowSlot holds stamp · ROW_SLOT_STAMP + slot (slots < 4096); stamps stay below MAX_STAMP so the value fits int32 */
export const ROW_SLOT_SHIFT = 12;
export const ROW_SLOT_STAMP = 1 << ROW_SLOT_SHIFT;
export const MAX_STAMP = (1 << (31 - ROW_SLOT_SHIFT)) - 1;

/** Fixed for one fit; every thread receives the same object (its buffers are shared, the rest is copied). */
export interface GbdtShared {
  readonly nRows: number;
  readonly nFeatures: number;
  /** threads of the session (parts of every operation) */
  readonly parts: number;
  /** float64s per histogram bin: 2 or 3 */
  readonly cells: number;
  readonly nSlots: number;
  readonly maxJobs: number;
  readonly nOutputs: number;
  readonly rules: SplitRules;
  readonly loss: LossConfig;
  readonly nBins: Int32Array; // (nFeatures)
  /** how features map to bin columns (bundles) and histogram regions */
  readonly plan: ColumnPlan;
  readonly regionBins: Int32Array; // (nFeatures + 1) bins of each histogram region (the trash region: 1)
  readonly categorical: Uint8Array; // (nFeatures)
  readonly monotone: Int8Array; // (nFeatures)
  /** bins, gradients, row order, histograms and kernel scratch, at the byte offsets of `layout` */
  readonly buffer: SharedArrayBuffer;
  /** the WebAssembly memory whose buffer `buffer` is (null when the JavaScript kernels run) */
  readonly memory: WebAssembly.Memory | null;
  readonly layout: MemoryLayout;
  /** the compiled histogram kernels (wasm-kernels.ts), or null to run the JavaScript ones */
  readonly wasm: WebAssembly.Module | null;
  readonly jobs: SharedArrayBuffer; // float64 (maxJobs, JOB_FIELDS)
  readonly results: SharedArrayBuffer; // float64 (maxJobs, 2, parts, SPLIT_FIELDS)
  readonly control: SharedArrayBuffer; // int32 [nJobs, level pass (0/1), level stamp]
  readonly rowSlot: SharedArrayBuffer; // int32 (nRows): stamp · ROW_SLOT_STAMP + slot of the row's node in a level pass
  readonly allowed: SharedArrayBuffer; // uint8 (nFeatures): features of this tree (column subsampling)
  readonly weight: SharedArrayBuffer | null; // float64 (nRows)
  /** CPU milliseconds each part spent per kernel phase (TIMER_*), for the fit profile */
  readonly timers: SharedArrayBuffer; // float64 (parts, TIMERS)
  readonly blockSums: SharedArrayBuffer; // float64 (ceil(nRows / GRADIENT_BLOCK), nOutputs, 2): Σg, Σh per block
}

export const TIMER_HISTOGRAM = 0; // building and subtracting histograms
export const TIMER_SEARCH = 1; // split search
export const TIMER_PARTITION = 2;
export const TIMER_GRADIENTS = 3;
export const TIMER_HISTOGRAM_ROWS = 4; // not a time: rows added into histograms (by part 0), to see the subtraction at work
export const TIMERS = 5;

/** Byte offsets of the regions of the shared memory (16-byte aligned). */
export interface MemoryLayout {
  readonly columns: number; // uint8 (nColumns, nRows): the column-major bin matrix
  readonly tables: number; // int32 (nColumns, 256): per column bin, its byte offset in a slot (bundle columns use it)
  readonly index: number; // uint32 (nRows): row order, every node a contiguous range
  readonly gh: number; // float32 (nOutputs, nRows, 2)
  readonly hist: number; // float64 (nSlots, nFeatures + 1, 256, cells)
  readonly scratch: number; // uint32 (nRows): partition buffer
  readonly y: number; // float64 (nRows)
  readonly raw: number; // float64 (nRows, nOutputs): raw scores
  readonly luts: number; // uint8 (maxJobs, 256): per partition job, the side (1 = right) of every bin
  /** per part: a node's (g, h) in row order, float64 (nRows, 2) */
  readonly ordered: readonly number[];
  /** per part: the rows of a level pass, uint32 (nRows), and their slot offsets in float64s, int32 (nRows) */
  readonly levelRows: readonly number[];
  readonly levelBase: readonly number[];
  /** per part: one row pair's softmax exponentials, float64 (nOutputs, 2) */
  readonly softmax: readonly number[];
  readonly bytes: number;
}

export function planMemory(
  nRows: number,
  nColumns: number,
  nFeatures: number,
  nOutputs: number,
  nSlots: number,
  cells: number,
  parts: number,
  maxJobs: number,
): MemoryLayout {
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at += Math.ceil(bytes / 16) * 16;
    return start;
  };
  const columns = take(nRows * nColumns);
  const tables = take(nColumns * 256 * 4);
  const index = take(nRows * 4);
  const gh = take(nOutputs * nRows * 8);
  const hist = take(nSlots * (nFeatures + 1) * 256 * cells * 8);
  const scratch = take(nRows * 4);
  const y = take(nRows * 8);
  const raw = take(nRows * nOutputs * 8);
  const luts = take(maxJobs * 256);
  const ordered: number[] = [];
  const levelRows: number[] = [];
  const levelBase: number[] = [];
  const softmax: number[] = [];
  for (let p = 0; p < parts; p++) {
    ordered.push(take(nRows * 16));
    levelRows.push(take(nRows * 4));
    levelBase.push(take(nRows * 4));
    softmax.push(take(nOutputs * 16));
  }
  return { columns, tables, index, gh, hist, scratch, y, raw, luts, ordered, levelRows, levelBase, softmax, bytes: at };
}

/** Typed views over a GbdtShared, the same on every thread. */
export interface GbdtViews {
  readonly binColumns: Uint8Array;
  readonly tables: Int32Array;
  readonly gh: Float32Array;
  readonly index: Uint32Array;
  readonly scratch: Uint32Array;
  readonly hist: Float64Array;
  readonly jobs: Float64Array;
  readonly luts: Uint8Array;
  readonly results: Float64Array;
  readonly control: Int32Array;
  readonly rowSlot: Int32Array;
  readonly allowed: Uint8Array;
  readonly y: Float64Array;
  readonly raw: Float64Array;
  readonly weight: Float64Array | null;
  readonly timers: Float64Array;
  readonly blockSums: Float64Array;
  /** float64s per histogram slot */
  readonly slotSize: number;
}

export function gbdtViews(s: GbdtShared): GbdtViews {
  const m = s.buffer;
  const L = s.layout;
  return {
    binColumns: new Uint8Array(m, L.columns, s.nRows * s.plan.nColumns),
    tables: new Int32Array(m, L.tables, s.plan.nColumns * 256),
    gh: new Float32Array(m, L.gh, s.nOutputs * s.nRows * 2),
    index: new Uint32Array(m, L.index, s.nRows),
    scratch: new Uint32Array(m, L.scratch, s.nRows),
    hist: new Float64Array(m, L.hist, s.nSlots * (s.nFeatures + 1) * 256 * s.cells),
    jobs: new Float64Array(s.jobs),
    luts: new Uint8Array(m, L.luts, s.maxJobs * 256),
    results: new Float64Array(s.results),
    control: new Int32Array(s.control),
    rowSlot: new Int32Array(s.rowSlot),
    allowed: new Uint8Array(s.allowed),
    y: new Float64Array(m, L.y, s.nRows),
    raw: new Float64Array(m, L.raw, s.nRows * s.nOutputs),
    weight: s.weight ? new Float64Array(s.weight) : null,
    timers: new Float64Array(s.timers),
    blockSums: new Float64Array(s.blockSums),
    slotSize: (s.nFeatures + 1) * 256 * s.cells,
  };
}

/** Offset of the split record of (job, side 0 = smaller / 1 = larger child, part) in the result table. */
export const resultOffset = (job: number, side: number, part: number, parts: number): number => ((job * 2 + side) * parts + part) * SPLIT_FIELDS;

/** The contiguous range [start, end) of `n` items that part `part` of `parts` owns. */
export function partRange(n: number, part: number, parts: number): [number, number] {
  return [Math.floor((n * part) / parts) | 0, Math.floor((n * (part + 1)) / parts) | 0];
}

/**
 * Split the columns into `parts` contiguous ranges of about equal work: a histogram build costs about the same for
 * every column, a split search grows with the bins of its features (a one-hot column scans 2 bins, a numeric one 255).
 * Returns the parts + 1 column boundaries.
 */
export function columnRanges(plan: ColumnPlan, nBins: Int32Array, parts: number): Int32Array {
  const weight = new Float64Array(plan.nColumns).fill(1);
  for (let f = 0; f < plan.nFeatures; f++) weight[plan.columnOf[f]] += nBins[f] / 32;
  let total = 0;
  for (let c = 0; c < plan.nColumns; c++) total += weight[c];
  const bounds = new Int32Array(parts + 1);
  let acc = 0;
  let part = 1;
  for (let c = 0; c < plan.nColumns && part < parts; c++) {
    acc += weight[c];
    while (part < parts && acc >= (total * part) / parts) bounds[part++] = c + 1;
  }
  for (; part <= parts; part++) bounds[part] = plan.nColumns;
  return bounds;
}

export function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}
