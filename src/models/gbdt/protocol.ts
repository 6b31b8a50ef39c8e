// What the fit-time threads share: the SharedArrayBuffers (bins, gradients, row order, histograms, job and result
// tables), their layouts, and the operation codes the grower dispatches through the pool. The main thread writes a
// job table, runs an operation (every thread does its part), then reads the result table.

import type { LossConfig } from './loss.js';
import { SPLIT_FIELDS, type SplitRules } from './split.js';

/** Gradients and hessians of rows [n·part/parts, n·(part+1)/parts) for every output. */
export const OP_GRADIENTS = 1;
/** Per job: build the smaller child's histogram, subtract it from the parent's, search both children (by words). */
export const OP_HISTOGRAMS = 2;
/** Per job: stable partition of a node's rows into left and right (jobs shared out among the threads). */
export const OP_PARTITION = 3;

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
// PARTITION job fields (float64s); the job's bin → side table is luts[job·256 ..], 1 = right
export const P_START = 0;
export const P_END = 1;
export const P_FEATURE = 2;
export const P_LEFT_COUNT = 3; // written by the kernel
export const JOB_FIELDS = 20;

/** Fixed for one fit; every thread receives the same object (its buffers are shared, the rest is copied). */
export interface GbdtShared {
  readonly nRows: number;
  readonly nFeatures: number;
  /** 32-bit words per row of the row-major bin matrix */
  readonly strideWords: number;
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
  readonly categorical: Uint8Array; // (nFeatures)
  readonly monotone: Int8Array; // (nFeatures)
  readonly binRows: SharedArrayBuffer; // uint8 (nRows, strideWords·4)
  readonly binColumns: SharedArrayBuffer; // uint8 (nFeatures, nRows)
  readonly gh: SharedArrayBuffer; // float32 (nOutputs, nRows, 2)
  readonly index: SharedArrayBuffer; // uint32 (nRows): row order, every node a contiguous range
  readonly scratch: SharedArrayBuffer; // uint32 (nRows): partition buffer
  readonly hist: SharedArrayBuffer; // float64 (nSlots, strideWords·4, 256, cells)
  readonly jobs: SharedArrayBuffer; // float64 (maxJobs, JOB_FIELDS)
  readonly luts: SharedArrayBuffer; // uint8 (maxJobs, 256)
  readonly results: SharedArrayBuffer; // float64 (maxJobs, 2, parts, SPLIT_FIELDS)
  readonly control: SharedArrayBuffer; // int32 [nJobs]
  readonly allowed: SharedArrayBuffer; // uint8 (nFeatures): features of this tree (column subsampling)
  readonly y: SharedArrayBuffer; // float64 (nRows)
  readonly raw: SharedArrayBuffer; // float64 (nRows, nOutputs)
  readonly weight: SharedArrayBuffer | null; // float64 (nRows)
  /** CPU milliseconds each part spent per kernel phase (TIMER_*), for the fit profile */
  readonly timers: SharedArrayBuffer; // float64 (parts, TIMERS)
}

export const TIMER_HISTOGRAM = 0; // building and subtracting histograms
export const TIMER_SEARCH = 1; // split search
export const TIMER_PARTITION = 2;
export const TIMER_GRADIENTS = 3;
export const TIMERS = 4;

/** Typed views over a GbdtShared, the same on every thread. */
export interface GbdtViews {
  readonly binWords: Uint32Array;
  readonly binColumns: Uint8Array;
  readonly gh: Float32Array;
  readonly index: Uint32Array;
  readonly scratch: Uint32Array;
  readonly hist: Float64Array;
  readonly jobs: Float64Array;
  readonly luts: Uint8Array;
  readonly results: Float64Array;
  readonly control: Int32Array;
  readonly allowed: Uint8Array;
  readonly y: Float64Array;
  readonly raw: Float64Array;
  readonly weight: Float64Array | null;
  readonly timers: Float64Array;
  /** float64s per histogram slot */
  readonly slotSize: number;
}

export function gbdtViews(s: GbdtShared): GbdtViews {
  return {
    binWords: new Uint32Array(s.binRows),
    binColumns: new Uint8Array(s.binColumns),
    gh: new Float32Array(s.gh),
    index: new Uint32Array(s.index),
    scratch: new Uint32Array(s.scratch),
    hist: new Float64Array(s.hist),
    jobs: new Float64Array(s.jobs),
    luts: new Uint8Array(s.luts),
    results: new Float64Array(s.results),
    control: new Int32Array(s.control),
    allowed: new Uint8Array(s.allowed),
    y: new Float64Array(s.y),
    raw: new Float64Array(s.raw),
    weight: s.weight ? new Float64Array(s.weight) : null,
    timers: new Float64Array(s.timers),
    slotSize: s.strideWords * 4 * 256 * s.cells,
  };
}

/** Offset of the split record of (job, side 0 = smaller / 1 = larger child, part) in the result table. */
export const resultOffset = (job: number, side: number, part: number, parts: number): number => ((job * 2 + side) * parts + part) * SPLIT_FIELDS;

/** The contiguous range [start, end) of `n` items that part `part` of `parts` owns. */
export function partRange(n: number, part: number, parts: number): [number, number] {
  return [Math.floor((n * part) / parts), Math.floor((n * (part + 1)) / parts)];
}

export function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}
