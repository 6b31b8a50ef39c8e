// The fit-time kernel every pool thread runs (worker threads and the main thread alike): gradients by row range,
// histograms and split search by columns, partitions by job. Which thread does which part never changes a
// result, so 1 thread and N threads produce identical trees.

import type { Kernel } from '../../core/pool.js';
import {
  buildHistogram2,
  buildHistogram4,
  buildHistogramBundle,
  buildHistogramLevel,
  clearHistogram,
  fillDefaultBins,
  gatherGradients,
  subtractHistogram,
} from './histogram.js';
import { instantiateWasmKernels } from './wasm-kernels.js';
import { computeGradients, softmaxHessianFactor } from './loss.js';
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
  columnRanges,
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

/** What one part of a histogram operation covers: plain columns [p0, p1), bundle columns [b0, b1) and their regions. */
interface PartShare {
  readonly p0: number;
  readonly p1: number;
  readonly b0: number;
  readonly b1: number;
  readonly r0: number;
  readonly r1: number;
  /** the features whose regions the part fills, ascending (what it searches) */
  readonly features: Int32Array;
}

export function setup(shared: GbdtShared): Kernel {
  const v = gbdtViews(shared);
  // small integers everywhere a kernel indexes: a float64-represented argument makes V8 generalise the loop (~2× slower)
  const nRows = shared.nRows | 0;
  const cells = shared.cells | 0;
  const plan = shared.plan;
  const finder = new SplitFinder(shared.rules, { nBins: shared.nBins, regionOf: plan.regionOf, categorical: shared.categorical, monotone: shared.monotone });
  const build = cells === 4 ? buildHistogram4 : buildHistogram2;
  const L = shared.layout;
  const wasm = shared.wasm && shared.memory ? instantiateWasmKernels(shared.wasm, shared.memory) : null;
  // per part (a thread runs its own part, or every part for small jobs): gradients of one node in row order, the
  // rows and slot offsets of a level pass, and what the part owns (see partOf)
  const ordered = L.ordered.map((at) => new Float64Array(shared.buffer, at, 2 * nRows));
  const levelRows = L.levelRows.map((at) => new Uint32Array(shared.buffer, at, nRows));
  const levelBase = L.levelBase.map((at) => new Int32Array(shared.buffer, at, nRows));
  const owned = new Map<number, PartShare[]>();
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

  /** The columns, histogram regions and features (ascending) that part `part` of `parts` works on. */
  function partOf(part: number, parts: number): PartShare {
    let shares = owned.get(parts);
    if (!shares) {
      const bounds = columnRanges(plan, shared.nBins, parts);
      shares = [];
      for (let p = 0; p < parts; p++) {
        const c0 = bounds[p];
        const c1 = bounds[p + 1];
        // plain columns [p0, p1) fill regions [p0, p1); bundle columns [b0, b1) fill regions [r0, r1)
        const p0 = Math.min(c0, plan.nPlain);
        const p1 = Math.min(c1, plan.nPlain);
        const b0 = Math.max(c0, plan.nPlain);
        const b1 = Math.max(c1, plan.nPlain);
        const r0 = plan.columnRegion[b0];
        const r1 = plan.columnRegion[b1];
        const features: number[] = [];
        for (let r = p0; r < p1; r++) features.push(plan.featureOfRegion[r]);
        for (let r = r0; r < r1; r++) features.push(plan.featureOfRegion[r]);
        features.sort((x, y) => x - y);
        shares.push({ p0, p1, b0, b1, r0, r1, features: Int32Array.from(features) });
      }
      owned.set(parts, shares);
    }
    return shares[part];
  }

  function histograms(part: number, parts: number): void {
    const s = partOf(part, parts);
    const nJobs = v.control[C_JOBS];
    const t0 = performance.now();
    // job fields are float64s: make them int32 so the kernels index with small integers (a double index is slow)
    const slotOf = (j: number, field: number): number => (v.jobs[j * JOB_FIELDS + field] * v.slotSize) | 0;
    for (let j = 0; j < nJobs; j++) {
      clearHistogram(v.hist, slotOf(j, J_SMALL_SLOT), s.p0, s.p1, cells, shared.regionBins);
      clearHistogram(v.hist, slotOf(j, J_SMALL_SLOT), s.r0, s.r1, cells, shared.regionBins);
    }
    if (v.control[C_LEVEL] === 1) buildLevel(part, s);
    else {
      for (let j = 0; j < nJobs; j++) {
        const o = j * JOB_FIELDS;
        const start = v.jobs[o + J_SMALL_START] | 0;
        const end = v.jobs[o + J_SMALL_END] | 0;
        const small = slotOf(j, J_SMALL_SLOT);
        const k = v.jobs[o + J_OUTPUT] | 0;
        if (wasm) {
          const rows = L.index + 4 * start;
          wasm.gather(L.gh + 8 * k * nRows, rows, end - start, L.ordered[part]);
          wasm.build(L.columns, nRows, rows, end - start, L.ordered[part], L.hist + 8 * small, s.p0, s.p1);
          for (let c = s.b0; c < s.b1; c++) wasm.bundle(L.columns + c * nRows, rows, end - start, L.ordered[part], L.hist + 8 * small, L.tables + 1024 * c);
        } else {
          gatherGradients(ghByOutput[k], v.index, start, end, ordered[part]);
          build(v.binColumns, nRows, v.index, start, end, ordered[part], v.hist, small, s.p0, s.p1);
          for (let c = s.b0; c < s.b1; c++)
            buildHistogramBundle(v.binColumns, c * nRows, v.index, start, end, ordered[part], v.hist, small, null, v.tables, 256 * c, cells);
        }
        if (part === 0) v.timers[TIMER_HISTOGRAM_ROWS] += end - start;
      }
    }
    for (let j = 0; j < nJobs; j++) {
      const o = j * JOB_FIELDS + J_SMALL_STATS;
      if (s.r1 > s.r0)
        fillDefaultBins(v.hist, slotOf(j, J_SMALL_SLOT), s.r0, s.r1, cells, plan.featureOfRegion, plan.defaultBin, shared.nBins, v.jobs[o], v.jobs[o + 1], v.jobs[o + 2]);
      if ((v.jobs[j * JOB_FIELDS + J_LARGE_SLOT] | 0) < 0) continue;
      const parent = slotOf(j, J_LARGE_SLOT);
      const small = slotOf(j, J_SMALL_SLOT);
      subtractRegions(parent, small, s.p0, s.p1);
      subtractRegions(parent, small, s.r0, s.r1);
    }
    const t1 = performance.now();
    for (let j = 0; j < nJobs; j++) {
      const o = j * JOB_FIELDS;
      for (let side = 0; side < 2; side++) {
        const out = resultOffset(j, side, part, parts);
        const wanted = v.jobs[o + (side === 0 ? J_SEARCH_SMALL : J_SEARCH_LARGE)] === 1;
        if (!wanted || s.features.length === 0) {
          v.results.fill(0, out, out + SPLIT_FIELDS);
          v.results[out + SPLIT_FEATURE] = -1;
          continue;
        }
        const offset = slotOf(j, side === 0 ? J_SMALL_SLOT : J_LARGE_SLOT);
        finder.find(v.hist, offset, s.features, s.features.length, v.allowed, readStats(j, side === 0 ? J_SMALL_STATS : J_LARGE_STATS), v.results, out);
      }
    }
    v.timers[part * TIMERS + TIMER_HISTOGRAM] += t1 - t0;
    v.timers[part * TIMERS + TIMER_SEARCH] += performance.now() - t1;
  }

  function subtractRegions(parent: number, small: number, r0: number, r1: number): void {
    if (!wasm) {
      subtractHistogram(v.hist, parent, small, r0, r1, cells, shared.regionBins);
      return;
    }
    const per = 256 * cells * 8; // bytes per region
    for (let r = r0; r < r1; r++) wasm.subtract(L.hist + 8 * parent + r * per, L.hist + 8 * small + r * per, shared.regionBins[r] * cells * 8);
  }

  /** Every job's smaller child in one ascending pass over the rows marked with this level's stamp. */
  function buildLevel(part: number, s: PartShare): void {
    const stamp = v.control[C_STAMP];
    // slot offsets in bytes for the WebAssembly kernels, in float64s for the JavaScript ones
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
      wasm.level(L.columns, nRows, L.levelRows[part], L.levelBase[part], m, L.ordered[part], L.hist, s.p0, s.p1);
      for (let c = s.b0; c < s.b1; c++)
        wasm.levelBundle(L.columns + c * nRows, L.levelRows[part], L.levelBase[part], m, L.ordered[part], L.hist, L.tables + 1024 * c);
    } else {
      gatherGradients(ghByOutput[k], rows, 0, m, ordered[part]);
      buildHistogramLevel(v.binColumns, nRows, rows, base, m, ordered[part], v.hist, s.p0, s.p1, cells);
      for (let c = s.b0; c < s.b1; c++) buildHistogramBundle(v.binColumns, c * nRows, rows, 0, m, ordered[part], v.hist, 0, base, v.tables, 256 * c, cells);
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
      const column = v.jobs[o + P_FEATURE] | 0;
      v.jobs[o + P_LEFT_COUNT] = wasm
        ? wasm.partition(L.columns + column * nRows, L.index, L.scratch, start, end, L.luts + 256 * j)
        : partitionRows(v.binColumns, column * nRows, v.index, v.scratch, start, end, v.luts, j * 256);
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
    } else if (wasm && shared.loss.kind === 'softmax' && !v.weight) {
      const pairs = start + ((end - start) & ~1);
      wasm.softmax(L.raw, L.y, L.gh, start, pairs, K, nRows, L.softmax[part], softmaxHessianFactor(K));
      if (pairs < end) computeGradients(shared.loss, v.y, v.raw, v.weight, v.gh, nRows, pairs, end);
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
