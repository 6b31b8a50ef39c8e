// The fit-time kernel every pool thread runs (worker threads and the main thread alike): gradients by row range,
// histograms and split search by feature words, partitions by job. Which thread does which part never changes a
// result, so 1 thread and N threads produce identical trees.

import type { Kernel } from '../../core/pool.js';
import { buildHistogram2, buildHistogram3, clearHistogram, subtractHistogram } from './histogram.js';
import { computeGradients } from './loss.js';
import { partitionRows } from './partition.js';
import {
  gbdtViews,
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
  OP_GRADIENTS,
  OP_HISTOGRAMS,
  OP_PARTITION,
  P_END,
  P_FEATURE,
  P_LEFT_COUNT,
  P_START,
  partRange,
  resultOffset,
  TIMER_GRADIENTS,
  TIMER_HISTOGRAM,
  TIMER_PARTITION,
  TIMER_SEARCH,
  TIMERS,
  type GbdtShared,
} from './protocol.js';
import { SPLIT_FEATURE, SPLIT_FIELDS, SplitFinder, type NodeStats } from './split.js';

export function setup(shared: GbdtShared): Kernel {
  const v = gbdtViews(shared);
  const { nRows, nFeatures, strideWords, cells } = shared;
  const finder = new SplitFinder(shared.rules, { nBins: shared.nBins, categorical: shared.categorical, monotone: shared.monotone });
  const build = cells === 3 ? buildHistogram3 : buildHistogram2;
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
    const [w0, w1] = partRange(strideWords, part, parts);
    const f0 = Math.min(4 * w0, nFeatures);
    const f1 = Math.min(4 * w1, nFeatures);
    const nJobs = v.control[0];
    let buildMs = 0;
    let searchMs = 0;
    for (let j = 0; j < nJobs; j++) {
      const t0 = performance.now();
      const o = j * JOB_FIELDS;
      const small = v.jobs[o + J_SMALL_SLOT] * v.slotSize;
      const largeSlot = v.jobs[o + J_LARGE_SLOT];
      if (w1 > w0) {
        clearHistogram(v.hist, small, w0, w1, cells);
        build(v.binWords, strideWords, ghByOutput[v.jobs[o + J_OUTPUT]], v.index, v.jobs[o + J_SMALL_START], v.jobs[o + J_SMALL_END], v.hist, small, w0, w1);
        if (largeSlot >= 0) subtractHistogram(v.hist, largeSlot * v.slotSize, small, w0, w1, cells);
      }
      const t1 = performance.now();
      buildMs += t1 - t0;
      for (let side = 0; side < 2; side++) {
        const out = resultOffset(j, side, part, parts);
        const wanted = v.jobs[o + (side === 0 ? J_SEARCH_SMALL : J_SEARCH_LARGE)] === 1;
        if (!wanted || f1 <= f0) {
          v.results.fill(0, out, out + SPLIT_FIELDS);
          v.results[out + SPLIT_FEATURE] = -1;
          continue;
        }
        const offset = side === 0 ? small : largeSlot * v.slotSize;
        finder.find(v.hist, offset, f0, f1, v.allowed, readStats(j, side === 0 ? J_SMALL_STATS : J_LARGE_STATS), v.results, out);
      }
      searchMs += performance.now() - t1;
    }
    v.timers[part * TIMERS + TIMER_HISTOGRAM] += buildMs;
    v.timers[part * TIMERS + TIMER_SEARCH] += searchMs;
  }

  function partitions(part: number, parts: number): void {
    // jobs go to the part whose share of the total rows contains the job's first row (any assignment gives the same result)
    const t0 = performance.now();
    const nJobs = v.control[0];
    let total = 0;
    for (let j = 0; j < nJobs; j++) total += v.jobs[j * JOB_FIELDS + P_END] - v.jobs[j * JOB_FIELDS + P_START];
    let before = 0;
    for (let j = 0; j < nJobs; j++) {
      const o = j * JOB_FIELDS;
      const start = v.jobs[o + P_START];
      const end = v.jobs[o + P_END];
      const owner = total > 0 ? Math.min(parts - 1, Math.floor((before * parts) / total)) : 0;
      before += end - start;
      if (owner !== part) continue;
      const feature = v.jobs[o + P_FEATURE];
      v.jobs[o + P_LEFT_COUNT] = partitionRows(v.binColumns, feature * nRows, v.index, v.scratch, start, end, v.luts, j * 256);
    }
    v.timers[part * TIMERS + TIMER_PARTITION] += performance.now() - t0;
  }

  return (op: number, part: number, parts: number): void => {
    if (op === OP_HISTOGRAMS) histograms(part, parts);
    else if (op === OP_PARTITION) partitions(part, parts);
    else if (op === OP_GRADIENTS) {
      const t0 = performance.now();
      const [start, end] = partRange(nRows, part, parts);
      computeGradients(shared.loss, v.y, v.raw, v.weight, v.gh, nRows, start, end);
      v.timers[part * TIMERS + TIMER_GRADIENTS] += performance.now() - t0;
    } else throw new Error(`unknown gbdt kernel operation ${op}`);
  };
}
