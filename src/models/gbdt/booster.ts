// The boosting loop: bin the data once, then every round compute gradients, draw the round's rows and the tree's
// features, grow one tree per output, add its (shrunk) leaf values to the raw scores, and watch the validation
// metric for early stopping. The heavy kernels run on the pool; this file only orchestrates.

import type { FeatureInfo, FitOptions, Matrix } from '../../core/learner.js';
import { throwIfAborted } from '../../core/learner.js';
import { defaultThreads, LocalRunner, sharedWorkerPool, siblingModuleUrl, type ParallelRunner, type PoolSession } from '../../core/pool.js';
import { Rng } from '../../core/rng.js';
import { addBinnedTree } from './binned-tree.js';
import { binColumn, fitBinning, type FeatureBinning } from './binning.js';
import { bundleAndBin, columnTables } from './bundling.js';
import type { TreeEnsemble } from './ensemble.js';
import { EnsembleBuilder } from './ensemble-builder.js';
import { TreeGrower } from './grower.js';
import { setup as setupKernel } from './kernel.js';
import { baseScore, hasUnitHessian, lossOutputs, refitQuantile, weightedQuantile, type LossConfig } from './loss.js';
import { higherIsBetter, stopMetricValue, type StopMetric } from './metric.js';
import type { GbdtParams } from './params.js';
import {
  A_END,
  A_OUTPUT,
  A_START,
  A_VALUE,
  C_JOBS,
  gbdtViews,
  GRADIENT_BLOCK,
  JOB_FIELDS,
  OP_ADD_LEAVES,
  OP_GRADIENTS,
  planMemory,
  sharedBuffer,
  TIMER_GRADIENTS,
  TIMER_HISTOGRAM,
  TIMER_HISTOGRAM_ROWS,
  TIMER_PARTITION,
  TIMER_SEARCH,
  TIMERS,
  type GbdtShared,
  type MemoryLayout,
} from './protocol.js';
import { wasmKernelBytes } from './wasm-kernels.js';
import { wasmPages } from '../../core/wasm.js';
import { SPLIT_FIELDS } from './split.js';

export interface BoostData {
  readonly x: Matrix;
  readonly y: Float64Array;
  /** per-row weights (sample × class weights), null = all 1 */
  readonly weight: Float64Array | null;
}

export interface BoostResult {
  readonly ensemble: TreeEnsemble;
  readonly roundsRun: number;
  /** rounds kept (the best validation round with early stopping, else all) */
  readonly roundsKept: number;
  readonly bestScore: number | null;
  readonly metric: StopMetric | null;
}

/**
 * Where the last fit in this process spent its time (diagnostics for benchmarks, never part of a model):
 * wall-clock milliseconds of the main thread per phase, and CPU milliseconds summed over threads per kernel.
 */
export interface FitProfile {
  readonly threads: number;
  readonly wallMs: {
    binning: number;
    gradients: number;
    histograms: number;
    partition: number;
    /** the grower's own bookkeeping between its operations (node table, side tables, job tables) */
    treeBookkeeping: number;
    leaves: number;
    other: number;
    total: number;
  };
  readonly cpuMs: { histograms: number; splitSearch: number; partition: number; gradients: number };
  /** rows added into histograms per tree, relative to the rows of a tree (1 = only the root was built) */
  readonly histogramRowsPerTree: number;
}
export const gbdtDiagnostics: { lastProfile: FitProfile | null } = { lastProfile: null };

/**
 * Below this much work an operation runs on the calling thread alone: histogram jobs count rows × features plus
 * bins scanned, the other operations rows. About 30-50 µs of work: waking a sleeping worker costs tens of µs.
 */
const PARALLEL_MIN_WORK = 32768;
const PARALLEL_MIN_ROWS = 16384;
/**
 * Fit-wide tuning knobs, exported for tests and benchmarks (not parameters: they never change a model).
 * `minParallelFit`: a fit runs on one thread, whatever `threads` says, when a tree's root holds fewer rows × features
 * than this (its operations are then too short for waking a thread to pay: 12k rows × 54 features fitted faster on one
 * thread), or when the whole fit is under about a second of one core (2^28 rows × features × trees: starting worker
 * threads costs 30-300 ms). `levelPassMinBytes`: see GrowerConfig. `wasm`: false runs the JavaScript kernels (the
 * reference). `bundling`: false keeps every feature in its own column (bundling.ts).
 */
export const gbdtTuning = { minParallelFit: 2 ** 21, levelPassMinBytes: 2 ** 22, wasm: true, bundling: true };
/** Yield to the event loop at least this often (ms) so abort signals and timers get through. */
const YIELD_EVERY_MS = 50;

export async function boost(
  train: BoostData,
  valid: BoostData | null,
  features: readonly FeatureInfo[],
  p: Readonly<GbdtParams>,
  loss: LossConfig,
  monotone: Int8Array,
  options: FitOptions,
): Promise<BoostResult> {
  const started = performance.now();
  const rng = options.rng ?? new Rng(p.seed);
  const { nRows } = train.x;
  const nFeatures = features.length;
  const K = lossOutputs(loss);
  const bins = fitBinning(train.x, features, { maxBins: p.maxBins, sampleSize: p.binSampleSize, rng });
  throwIfAborted(options.signal);

  const depthLeaves = p.maxDepth === null ? Infinity : 2 ** Math.min(p.maxDepth, 30);
  const maxLeaves = Math.max(2, Math.min(p.maxLeaves ?? Infinity, depthLeaves, Math.ceil(nRows / p.minSamplesLeaf) + 1, 1 << 16));
  const nSlots = Math.min(maxLeaves, 1024);
  // a count cell per bin only when leaves need a row minimum that the hessians cannot tell
  const cells = p.minSamplesLeaf > 1 && !(hasUnitHessian(loss.kind) && train.weight === null) ? 4 : 2;
  const requested = p.threads ?? defaultThreads();
  const rootWork = nRows * nFeatures;
  const parts = rootWork < gbdtTuning.minParallelFit || p.rounds * K * rootWork < 128 * gbdtTuning.minParallelFit ? 1 : requested;
  // bin the data into its columns (bundling sparse exclusive features), straight into the kernels' memory
  let memory: Pick<GbdtShared, 'buffer' | 'memory' | 'layout' | 'wasm'> | null = null;
  const plan = bundleAndBin(train.x, bins, gbdtTuning.bundling, (nColumns) => {
    memory = kernelMemory(planMemory(nRows, nColumns, nFeatures, K, nSlots, cells, parts, maxLeaves), cells);
    return new Uint8Array(memory.buffer, memory.layout.columns, nColumns * nRows);
  });
  const regionBins = new Int32Array(nFeatures + 1).fill(1);
  for (let f = 0; f < nFeatures; f++) regionBins[plan.regionOf[f]] = bins[f].nBins;

  const shared: GbdtShared = {
    nRows,
    nFeatures,
    parts,
    cells,
    nSlots,
    maxJobs: maxLeaves,
    nOutputs: K,
    rules: {
      l1: p.l1,
      l2: p.l2,
      minHessian: p.minHessianLeaf,
      minSamples: p.minSamplesLeaf,
      minGain: p.minSplitGain,
      categoricalSmoothing: p.categoricalSmoothing,
      categoricalL2: p.categoricalL2,
      minCategorySamples: p.minCategorySamples,
      maxCategories: p.maxCategoriesPerSplit,
      cells,
    },
    loss,
    nBins: Int32Array.from(bins, (b) => b.nBins),
    categorical: Uint8Array.from(bins, (b) => (b.categorical ? 1 : 0)),
    monotone,
    plan,
    regionBins,
    ...memory!,
    jobs: sharedBuffer(maxLeaves * JOB_FIELDS * 8),
    results: sharedBuffer(maxLeaves * 2 * parts * SPLIT_FIELDS * 8),
    control: sharedBuffer(16),
    rowSlot: sharedBuffer(nRows * 4),
    allowed: sharedBuffer(nFeatures),
    weight: train.weight ? sharedBuffer(nRows * 8) : null,
    timers: sharedBuffer(parts * TIMERS * 8),
    blockSums: sharedBuffer(Math.ceil(nRows / GRADIENT_BLOCK) * K * 16),
  };
  const v = gbdtViews(shared);
  // the bundle columns' bin → slot offset tables (the trash region, number nFeatures, takes all-default rows)
  v.tables.set(columnTables(plan, bins, cells, nFeatures * 256 * cells * 8));
  v.rowSlot.fill(-1);
  v.y.set(train.y);
  if (v.weight && train.weight) v.weight.set(train.weight);
  const binningMs = performance.now() - started;
  const base = baseScore(loss, train.y, train.weight);
  for (let i = 0; i < nRows; i++) for (let k = 0; k < K; k++) v.raw[i * K + k] = base[k];

  const validation = valid ? prepareValidation(valid, bins, base, K) : null;
  let runner: ParallelRunner;
  let session: PoolSession | null = null;
  if (parts > 1) {
    session = await sharedWorkerPool().attach(siblingModuleUrl(import.meta.url, 'kernel'), shared, parts);
    runner = session;
  } else runner = new LocalRunner(setupKernel(shared), 1);

  try {
    return await rounds();
  } finally {
    await session?.detach();
  }

  async function rounds(): Promise<BoostResult> {
    const grower = new TreeGrower(shared, v, runner, {
      growth: p.growth,
      maxLeaves,
      maxDepth: p.maxDepth ?? Infinity,
      minSamplesLeaf: p.minSamplesLeaf,
      minHessianLeaf: p.minHessianLeaf,
      l1: p.l1,
      l2: p.l2,
      parallelMinWork: PARALLEL_MIN_WORK,
      parallelMinRows: PARALLEL_MIN_ROWS,
      levelPassMinBytes: gbdtTuning.levelPassMinBytes,
    });
    const builder = new EnsembleBuilder(bins, K, base);
    const order = new Uint32Array(nRows); // the round's row order: sampled rows first, ascending
    const leafValues = new Float64Array(2 * maxLeaves); // (nodes of a tree) shrunk leaf values
    const nUsed = p.rowSubsample < 1 ? Math.max(1, Math.round(nRows * p.rowSubsample)) : nRows;
    const nAllowed = Math.max(1, Math.round(nFeatures * p.columnSubsample));
    let gradientMs = 0;
    let leavesMs = 0;
    let growMs = 0;
    const quantile = refitQuantile(loss);
    const residual = quantile !== null ? new Float64Array(nRows) : null;
    const metric: StopMetric | null = p.earlyStoppingRounds !== null && validation ? (p.earlyStoppingMetric === 'auto' ? 'loss' : p.earlyStoppingMetric) : null;
    let bestScore = NaN;
    let bestRound = 0;
    let lastYield = Date.now();
    let round = 0;
    for (; round < p.rounds; round++) {
      throwIfAborted(options.signal);
      const t0 = performance.now();
      if (nRows * K < PARALLEL_MIN_ROWS) runner.runSerial(OP_GRADIENTS);
      else runner.run(OP_GRADIENTS);
      gradientMs += performance.now() - t0;
      drawRows(order, nUsed, rng);
      for (let k = 0; k < K; k++) {
        if (nAllowed < nFeatures) {
          v.allowed.fill(0);
          for (const f of rng.sample(nFeatures, nAllowed)) v.allowed[f] = 1;
        } else v.allowed.fill(1);
        v.index.set(order);
        const t0 = performance.now();
        const tree = grower.grow(k, nUsed);
        const t1 = performance.now();
        growMs += t1 - t0;
        // leaf values: Newton steps, or the leaf's residual quantile (absolute / quantile losses), shrunk
        const value = leafValues.subarray(0, tree.nNodes);
        value.fill(0);
        if (residual) for (let i = 0; i < nUsed; i++) residual[v.index[i]] = v.y[v.index[i]] - v.raw[v.index[i]];
        let nLeaves = 0;
        for (let n = 0; n < tree.nNodes; n++) {
          if (tree.feature[n] >= 0) continue;
          const step = residual ? weightedQuantile(residual, v.weight, v.index, tree.start[n], tree.end[n], quantile!) : tree.value[n];
          value[n] = p.learningRate * step;
          const o = nLeaves++ * JOB_FIELDS;
          v.jobs[o + A_START] = tree.start[n];
          v.jobs[o + A_END] = tree.end[n];
          v.jobs[o + A_VALUE] = value[n];
          v.jobs[o + A_OUTPUT] = k;
        }
        v.control[C_JOBS] = nLeaves;
        if (nUsed < PARALLEL_MIN_ROWS) runner.runSerial(OP_ADD_LEAVES);
        else runner.run(OP_ADD_LEAVES);
        if (nUsed < nRows) addBinnedTree(tree, value, v.binColumns, nRows, plan, shared.nBins, v.index, nUsed, nRows, v.raw, K, k);
        if (validation) addBinnedTree(tree, value, validation.columns, validation.nRows, null, shared.nBins, null, 0, validation.nRows, validation.raw, K, k);
        builder.add(tree, value);
        leavesMs += performance.now() - t1;
      }
      if (metric && validation) {
        const score = stopMetricValue(metric, loss, validation.y, validation.raw, validation.weight);
        const better = Number.isNaN(bestScore) || (higherIsBetter(metric) ? score > bestScore : score < bestScore);
        if (better) {
          bestScore = score;
          bestRound = round + 1;
        }
        options.onProgress?.({ unit: 'round', done: round + 1, total: p.rounds, metric: { name: metric, value: score } });
        if (round + 1 - bestRound >= p.earlyStoppingRounds!) {
          round++;
          break;
        }
      } else options.onProgress?.({ unit: 'round', done: round + 1, total: p.rounds });
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
    }
    const kept = metric ? bestRound : round;
    const ensemble = builder.build(kept * K);
    const cpu = (timer: number): number => {
      let ms = 0;
      for (let part = 0; part < parts; part++) ms += v.timers[part * TIMERS + timer];
      return ms;
    };
    const total = performance.now() - started;
    const known = binningMs + gradientMs + growMs + leavesMs;
    const bookkeeping = growMs - grower.histogramMs - grower.partitionMs;
    gbdtDiagnostics.lastProfile = {
      threads: parts,
      wallMs: {
        binning: binningMs,
        gradients: gradientMs,
        histograms: grower.histogramMs,
        partition: grower.partitionMs,
        treeBookkeeping: bookkeeping,
        leaves: leavesMs,
        other: total - known,
        total,
      },
      cpuMs: { histograms: cpu(TIMER_HISTOGRAM), splitSearch: cpu(TIMER_SEARCH), partition: cpu(TIMER_PARTITION), gradients: cpu(TIMER_GRADIENTS) },
      histogramRowsPerTree: v.timers[TIMER_HISTOGRAM_ROWS] / Math.max(1, builder.nTrees * nUsed),
    };
    return {
      ensemble,
      roundsRun: round,
      roundsKept: kept,
      bestScore: metric ? bestScore : null,
      metric,
    };
  }
}

/**
 * The shared memory of the histogram kernels: a WebAssembly memory with the kernels compiled for it, or (when the
 * regions would not fit in 2 GiB of 32-bit addresses, or `gbdtTuning.wasm` is off) a plain buffer for the
 * JavaScript kernels.
 */
function kernelMemory(layout: MemoryLayout, cells: number): Pick<GbdtShared, 'buffer' | 'memory' | 'layout' | 'wasm'> {
  if (gbdtTuning.wasm && layout.bytes < 2 ** 31) {
    const pages = wasmPages(layout.bytes);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const wasm = new WebAssembly.Module(wasmKernelBytes(cells, pages, pages));
    return { buffer: memory.buffer as unknown as SharedArrayBuffer, memory, layout, wasm };
  }
  return { buffer: sharedBuffer(layout.bytes), memory: null, layout, wasm: null };
}

/** The round's rows: all rows in order, or `nUsed` drawn without replacement (ascending) followed by the others. */
function drawRows(order: Uint32Array, nUsed: number, rng: Rng): void {
  const n = order.length;
  if (nUsed >= n) {
    for (let i = 0; i < n; i++) order[i] = i;
    return;
  }
  const chosen = rng.sample(n, nUsed);
  let a = 0;
  let b = nUsed;
  for (let i = 0, c = 0; i < n; i++) {
    if (c < nUsed && chosen[c] === i) {
      order[a++] = i;
      c++;
    } else order[b++] = i;
  }
}

interface Validation {
  readonly nRows: number;
  readonly columns: Uint8Array; // (nFeatures, nRows)
  readonly raw: Float64Array; // (nRows, nOutputs)
  readonly y: Float64Array;
  readonly weight: Float64Array | null;
}

function prepareValidation(valid: BoostData, bins: readonly FeatureBinning[], base: Float64Array, K: number): Validation {
  const n = valid.x.nRows;
  const columns = new Uint8Array(n * bins.length);
  for (let j = 0; j < bins.length; j++) binColumn(bins[j], valid.x, j, 0, n, columns, j * n);
  const raw = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) raw[i * K + k] = base[k];
  return { nRows: n, columns, raw, y: valid.y, weight: valid.weight };
}
