// The fit-time kernel every pool thread runs (worker threads and the main thread alike): gradients by row range,
// histograms and split search by feature words, partitions by job. Which thread does which part never changes a
// result, so 1 thread and N threads produce identical trees.

import type { Kernel } from '../../core/pool.js';
import { buildHistogram2, buildHistogram4, buildHistogramLevel, clearHistogram, gatherGradients, subtractHistogram } from './histogram.js';
import { instantiateWasmKernels } from './wasm-kernels.js';
import { computeGradients } from './loss.js';
import { partitionRows } from './partition.js';
import {
  gbdtViews,
  A_END,
  A_OUTPUT,
  A_START,
  A_VALUE,
  C_JOBS,
  C_LEVEL,
  C_STAMP,
  GRADIENT_BLOCK,
  J_LARGE_SLOT,
  J_LARGE_STATS,
  J_OUTPUT,
  J_SEARCH_LARGE,
  J_SEARCH_SMALL,
  J_SMALL_END,
  J_SMALL_SLOT,
  J_SMALL_START,
  J_SMALL_STATS,
  JOB_FIELDS,
  OP_ADD_LEAVES,
  OP_GRADIENTS,
  OP_HISTOGRAMS,
  OP_MARK_ROWS,
  OP_PARTITION,
  P_END,
  P_FEATURE,
  P_LEFT_COUNT,
  P_START,
  featureRanges,
  partRange,
  resultOffset,
  ROW_SLOT_SHIFT,
  ROW_SLOT_STAMP,
  TIMER_GRADIENTS,
  TIMER_HISTOGRAM,
  TIMER_HISTOGRAM_ROWS,
  TIMER_PARTITION,
  TIMER_SEARCH,
  TIMERS,
  type GbdtShared,
} from './protocol.js';
import { SPLIT_FEATURE, SPLIT_FIELDS, SplitFinder, type NodeStats } from './split.js';

export function setup(shared: GbdtShared): Kernel {
  const v = gbdtViews(shared);
  // small integers everywhere a kernel indexes: a float64-represented argument makes V8 generalise the loop (~2× slower)
  const nRows = shared.nRows | 0;
  const cells = shared.cells | 0;
  const finder = new SplitFinder(shared.rules, { nBins: shared.nBins, categorical: shared.categorical, monotone: shared.monotone });
  const build = cells === 4 ? buildHistogram4 : buildHistogram2;
  const L = shared.layout;
  const featureBounds = featureRanges(shared.nBins, shared.parts);
  const wasm = shared.wasm && shared.memory ? instantiateWasmKernels(shared.wasm, shared.memory) : null;
  // per part (a thread runs its own part, or every part for small jobs): gradients of one node in row order, and the
  // rows and slot offsets of a level pass
  const ordered = L.ordered.map((at) => new Float64Array(shared.buffer, at, 2 * nRows));
  const levelRows = L.levelRows.map((at) => new Uint32Array(shared.buffer, at, nRows));
  const levelBase = L.levelBase.map((at) => new Int32Array(shared.buffer, at, nRows));
  // one gradient view per output (class), so a tree reads its block with row-indexed offsets
  const ghByOutput = Array.from({ length: shared.nOutputs }, (_, k) => v.gh.subarray(k * nRows * 2, (k + 1) * nRows * 2));
  const stats: NodeStats = { G: 0, H: 0, C: 0, lower: -Infinity, upper: Infinity };
  const readStats = (job: number, at: number): NodeStats => {
    const o = job * JOB_FIELDS + at;
    stats.G = v.jobs[o];
    stats.H = v.jobs[o + 1];
    stats.C = v.jobs[o + 2];
    stats.lower = v.jobs[o + 3];
    stats.upper = v.jobs[o + 4];
    return stats;
  };

  function histograms(part: number, parts: number): void {
    const ranges = parts === shared.parts ? featureBounds : featureRanges(shared.nBins, parts);
    const f0 = ranges[part];
    const f1 = ranges[part + 1];
    const nJobs = v.control[C_JOBS];
    const t0 = performance.now();
    if (f1 > f0) {
      // job fields are float64s: make them int32 so the kernels index with small integers (a double index is slow)
      for (let j = 0; j < nJobs; j++) clearHistogram(v.hist, (v.jobs[j * JOB_FIELDS + J_SMALL_SLOT] * v.slotSize) | 0, f0, f1, cells, shared.nBins);
      if (v.control[C_LEVEL] === 1) buildLevel(part, f0, f1);
      else {
        for (let j = 0; j < nJobs; j++) {
          const o = j * JOB_FIELDS;
          const start = v.jobs[o + J_SMALL_START] | 0;
          const end = v.jobs[o + J_SMALL_END] | 0;
          const small = (v.jobs[o + J_SMALL_SLOT] * v.slotSize) | 0;
          const k = v.jobs[o + J_OUTPUT] | 0;
          if (wasm) {
            const rows = L.index + 4 * start;
            wasm.gather(L.gh + 8 * k * nRows, rows, end - start, L.ordered[part]);
            wasm.build(L.columns, nRows, rows, end - start, L.ordered[part], L.hist + 8 * small, f0, f1);
          } else build(v.binColumns, nRows, ghByOutput[k], v.index, start, end, v.hist, small, f0, f1, ordered[part]);
          if (part === 0) v.timers[TIMER_HISTOGRAM_ROWS] += end - start;
        }
      }
      for (let j = 0; j < nJobs; j++) {
        const o = j * JOB_FIELDS;
        const largeSlot = v.jobs[o + J_LARGE_SLOT] | 0;
        if (largeSlot < 0) continue;
        const parent = (largeSlot * v.slotSize) | 0;
        const small = (v.jobs[o + J_SMALL_SLOT] * v.slotSize) | 0;
        if (wasm) {
          const per = 256 * cells * 8; // bytes per feature
          for (let f = f0; f < f1; f++) wasm.subtract(L.hist + 8 * parent + f * per, L.hist + 8 * small + f * per, shared.nBins[f] * cells * 8);
        } else subtractHistogram(v.hist, parent, small, f0, f1, cells, shared.nBins);
      }
    }
    const t1 = performance.now();
    for (let j = 0; j < nJobs; j++) {
      const o = j * JOB_FIELDS;
      for (let side = 0; side < 2; side++) {
        const out = resultOffset(j, side, part, parts);
        const wanted = v.jobs[o + (side === 0 ? J_SEARCH_SMALL : J_SEARCH_LARGE)] === 1;
        if (!wanted || f1 <= f0) {
          v.results.fill(0, out, out + SPLIT_FIELDS);
          v.results[out + SPLIT_FEATURE] = -1;
          continue;
        }
        const offset = (v.jobs[o + (side === 0 ? J_SMALL_SLOT : J_LARGE_SLOT)] * v.slotSize) | 0;
        finder.find(v.hist, offset, f0, f1, v.allowed, readStats(j, side === 0 ? J_SMALL_STATS : J_LARGE_STATS), v.results, out);
      }
    }
    v.timers[part * TIMERS + TIMER_HISTOGRAM] += t1 - t0;
    v.timers[part * TIMERS + TIMER_SEARCH] += performance.now() - t1;
  }

  /** Every job's smaller child in one ascending pass over the rows marked with this level's stamp. */
  function buildLevel(part: number, f0: number, f1: number): void {
    const stamp = v.control[C_STAMP];
    // slot offsets in bytes for the WebAssembly kernel, in float64s for the JavaScript one
    const slotSize = wasm ? 8 * v.slotSize : v.slotSize;
    const rows = levelRows[part];
    const base = levelBase[part];
    let m = 0;
    for (let r = 0; r < nRows; r++) {
      const mark = v.rowSlot[r];
      rows[m] = r;
      base[m] = (mark & (ROW_SLOT_STAMP - 1)) * slotSize;
      m += +(mark >> ROW_SLOT_SHIFT === stamp); // branch-free compaction; unmarked rows hold -1 (stamp -1)
    }
    const k = v.jobs[J_OUTPUT] | 0;
    if (wasm) {
      wasm.gather(L.gh + 8 * k * nRows, L.levelRows[part], m, L.ordered[part]);
      wasm.level(L.columns, nRows, L.levelRows[part], L.levelBase[part], m, L.ordered[part], L.hist, f0, f1);
    } else {
      gatherGradients(ghByOutput[k], rows, 0, m, ordered[part]);
      buildHistogramLevel(v.binColumns, nRows, rows, base, m, ordered[part], v.hist, f0, f1, cells);
    }
    if (part === 0) v.timers[TIMER_HISTOGRAM_ROWS] += m;
  }

  function markRows(part: number, parts: number): void {
    ownJobs(part, parts, own);
    const mark = v.control[C_STAMP] * ROW_SLOT_STAMP;
    for (let j = 0; j < v.control[C_JOBS]; j++) {
      if (!own[j]) continue;
      const o = j * JOB_FIELDS;
      const value = mark + (v.jobs[o + J_SMALL_SLOT] | 0);
      const end = v.jobs[o + J_SMALL_END] | 0;
      for (let i = v.jobs[o + J_SMALL_START] | 0; i < end; i++) v.rowSlot[v.index[i]] = value;
    }
  }

  /** Whether job j (of jobs with row ranges at fields P_START/P_END, same as A_START/A_END) is this part's. */
  function ownJobs(part: number, parts: number, own: Uint8Array): void {
    // jobs go to the part whose share of the total rows contains the job's first row (any assignment gives the same result)
    const nJobs = v.control[C_JOBS];
    let total = 0;
    for (let j = 0; j < nJobs; j++) total += v.jobs[j * JOB_FIELDS + P_END] - v.jobs[j * JOB_FIELDS + P_START];
    let before = 0;
    for (let j = 0; j < nJobs; j++) {
      const owner = total > 0 ? Math.min(parts - 1, Math.floor((before * parts) / total)) : 0;
      before += v.jobs[j * JOB_FIELDS + P_END] - v.jobs[j * JOB_FIELDS + P_START];
      own[j] = owner === part ? 1 : 0;
    }
  }
  const own = new Uint8Array(shared.maxJobs);

  function addLeaves(part: number, parts: number): void {
    ownJobs(part, parts, own);
    const k = shared.nOutputs;
    for (let j = 0; j < v.control[C_JOBS]; j++) {
      if (!own[j]) continue;
      const o = j * JOB_FIELDS;
      const end = v.jobs[o + A_END] | 0;
      const value = v.jobs[o + A_VALUE];
      const out = v.jobs[o + A_OUTPUT] | 0;
      for (let i = v.jobs[o + A_START] | 0; i < end; i++) v.raw[v.index[i] * k + out] += value;
    }
  }

  function partitions(part: number, parts: number): void {
    const t0 = performance.now();
    ownJobs(part, parts, own);
    const nJobs = v.control[C_JOBS];
    for (let j = 0; j < nJobs; j++) {
      const o = j * JOB_FIELDS;
      const start = v.jobs[o + P_START] | 0;
      const end = v.jobs[o + P_END] | 0;
      if (!own[j]) continue;
      const feature = v.jobs[o + P_FEATURE] | 0;
      v.jobs[o + P_LEFT_COUNT] = wasm
        ? wasm.partition(L.columns + feature * nRows, L.index, L.scratch, start, end, L.luts + 256 * j)
        : partitionRows(v.binColumns, feature * nRows, v.index, v.scratch, start, end, v.luts, j * 256);
    }
    v.timers[part * TIMERS + TIMER_PARTITION] += performance.now() - t0;
  }

  function gradients(part: number, parts: number): void {
    const t0 = performance.now();
    const K = shared.nOutputs;
    const [b0, b1] = partRange(Math.ceil(nRows / GRADIENT_BLOCK), part, parts);
    const start = b0 * GRADIENT_BLOCK;
    const end = Math.min(nRows, b1 * GRADIENT_BLOCK);
    if (wasm && shared.loss.kind === 'logistic' && !v.weight) {
      // rows in fours in WebAssembly, the last few here: the same bits either way
      const fours = start + ((end - start) & ~3);
      wasm.logistic(L.raw, L.y, L.gh, start, fours);
      if (fours < end) computeGradients(shared.loss, v.y, v.raw, v.weight, v.gh, nRows, fours, end);
    } else computeGradients(shared.loss, v.y, v.raw, v.weight, v.gh, nRows, start, end);
    for (let b = b0; b < b1; b++) {
      const blockEnd = Math.min(nRows, (b + 1) * GRADIENT_BLOCK);
      for (let k = 0; k < K; k++) {
        const gh = ghByOutput[k];
        let g = 0;
        let h = 0;
        for (let r = b * GRADIENT_BLOCK; r < blockEnd; r++) {
          g += gh[2 * r];
          h += gh[2 * r + 1];
        }
        v.blockSums[2 * (b * K + k)] = g;
        v.blockSums[2 * (b * K + k) + 1] = h;
      }
    }
    v.timers[part * TIMERS + TIMER_GRADIENTS] += performance.now() - t0;
  }

  return (op: number, part: number, parts: number): void => {
    if (op === OP_HISTOGRAMS) histograms(part, parts);
    else if (op === OP_PARTITION) partitions(part, parts);
    else if (op === OP_ADD_LEAVES) addLeaves(part, parts);
    else if (op === OP_MARK_ROWS) markRows(part, parts);
    else if (op === OP_GRADIENTS) gradients(part, parts);
    else throw new Error(`unknown gbdt kernel operation ${op}`);
  };
}
