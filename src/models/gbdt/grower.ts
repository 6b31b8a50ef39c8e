// Grows one tree on the main thread, dispatching the heavy work (partitions, histograms, split search) to the pool.
// Leaf-wise: split the open leaf with the largest gain until maxLeaves. Depth-wise: split every open leaf of a level
// (largest gains first while the leaf budget lasts). Both go through `splitBatch`: partition the nodes, then one
// histogram job per split (smaller child built, larger = parent - smaller) that also finds the children's best splits.

import type { ParallelRunner } from '../../core/pool.js';
import { writeSideTable } from './partition.js';
import {
  C_JOBS,
  GRADIENT_BLOCK,
  C_LEVEL,
  C_STAMP,
  J_LARGE_SLOT,
  J_OUTPUT,
  J_SEARCH_LARGE,
  J_SEARCH_SMALL,
  J_SMALL_END,
  J_SMALL_SLOT,
  J_SMALL_START,
  JOB_FIELDS,
  MAX_STAMP,
  OP_HISTOGRAMS,
  OP_MARK_ROWS,
  OP_PARTITION,
  P_END,
  P_FEATURE,
  P_LEFT_COUNT,
  P_START,
  resultOffset,
  type GbdtShared,
  type GbdtViews,
} from './protocol.js';
import {
  childBounds,
  leafWeight,
  SPLIT_BIN,
  SPLIT_CATEGORICAL,
  SPLIT_DEFAULT_LEFT,
  SPLIT_FEATURE,
  SPLIT_FIELDS,
  SPLIT_GAIN,
  SPLIT_GL,
  SPLIT_HL,
  SPLIT_MASK,
} from './split.js';

/** A batch of at least this many histogram jobs may be built in one level pass (histogram.ts, buildHistogramLevel). */
const LEVEL_PASS_MIN_JOBS = 4;

export interface GrowerConfig {
  readonly growth: 'leafwise' | 'depthwise';
  /** leaves at most (a finite number: the learner resolves null) */
  readonly maxLeaves: number;
  /** depth at most (Infinity = none) */
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly minHessianLeaf: number;
  readonly l1: number;
  readonly l2: number;
  /** below this much work (rows × features + bins searched) a histogram job runs on the calling thread alone */
  readonly parallelMinWork: number;
  /** below this many rows a partition runs on the calling thread alone */
  readonly parallelMinRows: number;
  /**
   * level passes only when the bin matrix has this many bytes: smaller ones stay in cache, sparse nodes cost little
   * there and the pass's scan of every row would dominate
   */
  readonly levelPassMinBytes: number;
}

/**
 * A grown tree in bin space, nodes in creation order (root = 0). Leaf values are unscaled Newton steps. The arrays are
 * views of the grower's buffers: read them before the next grow.
 */
export interface GrownTree {
  readonly nNodes: number;
  readonly feature: Int32Array; // (nNodes) -1 = leaf
  readonly bin: Int32Array; // numeric split: bins 1..bin go left
  readonly defaultLeft: Uint8Array;
  readonly categorical: Uint8Array;
  readonly mask: Uint32Array; // (nNodes, 8) categorical split: bins going left
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array; // leaf weight
  readonly cover: Float64Array; // hessian sum
  readonly count: Float64Array; // rows
  readonly gain: Float64Array; // split gain (internal nodes)
  /** leaves: their rows are index[start..end) of the row order after growing */
  readonly start: Uint32Array;
  readonly end: Uint32Array;
}

export class TreeGrower {
  private readonly capacity: number;
  // node table (creation order), reused across trees
  private readonly feature: Int32Array;
  private readonly bin: Int32Array;
  private readonly defaultLeft: Uint8Array;
  private readonly categorical: Uint8Array;
  private readonly mask: Uint32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly value: Float64Array;
  private readonly G: Float64Array;
  private readonly H: Float64Array;
  private readonly C: Float64Array;
  private readonly gain: Float64Array;
  private readonly start: Uint32Array;
  private readonly end: Uint32Array;
  private readonly depth: Int32Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly slot: Int32Array;
  private readonly best: Float64Array; // (capacity, SPLIT_FIELDS) best split of each open leaf
  private readonly freeSlots: number[] = [];
  private nNodes = 0;
  private nLeaves = 0;
  /** bins over all features: the cost of one split search, in histogram-work units */
  private readonly totalBins: number;
  /** main-thread wall time in histogram and partition operations (fit profile) */
  histogramMs = 0;
  partitionMs = 0;

  constructor(
    private readonly shared: GbdtShared,
    private readonly views: GbdtViews,
    private readonly session: ParallelRunner,
    private readonly config: GrowerConfig,
  ) {
    const cap = 2 * config.maxLeaves;
    this.capacity = cap;
    this.feature = new Int32Array(cap);
    this.bin = new Int32Array(cap);
    this.defaultLeft = new Uint8Array(cap);
    this.categorical = new Uint8Array(cap);
    this.mask = new Uint32Array(cap * 8);
    this.left = new Int32Array(cap);
    this.right = new Int32Array(cap);
    this.value = new Float64Array(cap);
    this.G = new Float64Array(cap);
    this.H = new Float64Array(cap);
    this.C = new Float64Array(cap);
    this.gain = new Float64Array(cap);
    this.start = new Uint32Array(cap);
    this.end = new Uint32Array(cap);
    this.depth = new Int32Array(cap);
    this.lower = new Float64Array(cap);
    this.upper = new Float64Array(cap);
    this.slot = new Int32Array(cap);
    this.best = new Float64Array(cap * SPLIT_FIELDS);
    this.totalBins = shared.nBins.reduce((sum, b) => sum + b, 0);
  }

  /**
   * Grow a tree for output `k` on rows index[0..nUsed). The totals (G, H) of those rows come from the gradient
   * blocks when every row is used, else they are summed here in row order: either way, whatever the thread count.
   */
  grow(k: number, nUsed: number): GrownTree {
    const v = this.views;
    this.nNodes = 0;
    this.nLeaves = 1;
    this.freeSlots.length = 0;
    for (let s = this.shared.nSlots - 1; s >= 0; s--) this.freeSlots.push(s);
    const gh = v.gh;
    const base = k * this.shared.nRows * 2;
    let G = 0;
    let H = 0;
    const K = this.shared.nOutputs;
    if (nUsed === this.shared.nRows) {
      for (let b = 0; b < Math.ceil(nUsed / GRADIENT_BLOCK); b++) {
        G += v.blockSums[2 * (b * K + k)];
        H += v.blockSums[2 * (b * K + k) + 1];
      }
    } else {
      for (let i = 0; i < nUsed; i++) {
        const r = v.index[i];
        G += gh[base + 2 * r];
        H += gh[base + 2 * r + 1];
      }
    }
    const root = this.newNode(0, nUsed, G, H, nUsed, 0, -Infinity, Infinity);
    if (this.canSplit(root, 1)) {
      this.slot[root] = this.freeSlots.pop()!;
      const o = 0;
      v.jobs.fill(0, o, o + JOB_FIELDS);
      v.jobs[o + J_SMALL_START] = 0;
      v.jobs[o + J_SMALL_END] = nUsed;
      v.jobs[o + J_SMALL_SLOT] = this.slot[root];
      v.jobs[o + J_LARGE_SLOT] = -1;
      v.jobs[o + J_OUTPUT] = k;
      this.writeStats(o + J_SEARCH_SMALL, root);
      v.control[C_JOBS] = 1;
      this.dispatch(OP_HISTOGRAMS, nUsed * this.shared.nFeatures + this.totalBins);
      this.collect(0, 0, root);
    }
    const batch: number[] = [];
    if (this.config.growth === 'leafwise') {
      while (this.nLeaves < this.config.maxLeaves) {
        let pick = -1;
        for (let n = 0; n < this.nNodes; n++) {
          if (this.feature[n] !== -2) continue; // open leaves only
          const o = n * SPLIT_FIELDS;
          if (this.best[o + SPLIT_FEATURE] < 0) continue;
          if (pick < 0 || this.best[o + SPLIT_GAIN] > this.best[pick * SPLIT_FIELDS + SPLIT_GAIN]) pick = n;
        }
        if (pick < 0) break;
        batch.length = 0;
        batch.push(pick);
        this.splitBatch(batch, k);
      }
    } else {
      for (let d = 0; d < this.config.maxDepth && this.nLeaves < this.config.maxLeaves; d++) {
        batch.length = 0;
        for (let n = 0; n < this.nNodes; n++)
          if (this.feature[n] === -2 && this.depth[n] === d && this.best[n * SPLIT_FIELDS + SPLIT_FEATURE] >= 0) batch.push(n);
        if (batch.length === 0) break;
        // largest gains first while the leaf budget lasts (ties: creation order)
        batch.sort((a, b) => this.best[b * SPLIT_FIELDS + SPLIT_GAIN] - this.best[a * SPLIT_FIELDS + SPLIT_GAIN] || a - b);
        if (batch.length > this.config.maxLeaves - this.nLeaves) batch.length = this.config.maxLeaves - this.nLeaves;
        batch.sort((a, b) => a - b);
        this.splitBatch(batch, k);
      }
    }
    return this.finish();
  }

  private newNode(start: number, end: number, G: number, H: number, C: number, depth: number, lower: number, upper: number): number {
    const n = this.nNodes++;
    if (n >= this.capacity) throw new Error('gbdt grower: node table overflow');
    this.feature[n] = -2; // -2: open leaf (may still split), -1: final leaf
    this.start[n] = start;
    this.end[n] = end;
    this.G[n] = G;
    this.H[n] = H;
    this.C[n] = C;
    this.depth[n] = depth;
    this.lower[n] = lower;
    this.upper[n] = upper;
    this.slot[n] = -1;
    this.left[n] = -1;
    this.right[n] = -1;
    this.gain[n] = 0;
    this.best.fill(0, n * SPLIT_FIELDS, (n + 1) * SPLIT_FIELDS);
    this.best[n * SPLIT_FIELDS + SPLIT_FEATURE] = -1;
    return n;
  }

  /** Whether a node could still be split once `leavesAfter` leaves exist. */
  private canSplit(n: number, leavesAfter: number): boolean {
    const c = this.config;
    return (
      this.depth[n] < c.maxDepth && leavesAfter < c.maxLeaves && this.C[n] >= 2 * c.minSamplesLeaf && this.H[n] >= 2 * c.minHessianLeaf
    );
  }

  /** At o: the search flag (1 = find the node's best split), then its G, H, C, lower, upper. */
  private writeStats(o: number, n: number, search = true): void {
    const j = this.views.jobs;
    j[o] = search ? 1 : 0;
    j[o + 1] = this.G[n];
    j[o + 2] = this.H[n];
    j[o + 3] = this.C[n];
    j[o + 4] = this.lower[n];
    j[o + 5] = this.upper[n];
  }

  private dispatch(op: number, work: number): void {
    const t0 = performance.now();
    if (work < (op === OP_HISTOGRAMS ? this.config.parallelMinWork : this.config.parallelMinRows)) this.session.runSerial(op);
    else this.session.run(op);
    if (op === OP_PARTITION) this.partitionMs += performance.now() - t0;
    else this.histogramMs += performance.now() - t0;
  }

  /** Reduce the per-part results of (job, side) into node n's best split (ties: the lower part = lower features). */
  private collect(job: number, side: number, n: number): void {
    const r = this.views.results;
    const parts = this.shared.parts;
    let pick = -1;
    for (let p = 0; p < parts; p++) {
      const o = resultOffset(job, side, p, parts);
      if (r[o + SPLIT_FEATURE] < 0) continue;
      if (pick < 0 || r[o + SPLIT_GAIN] > r[pick + SPLIT_GAIN]) pick = o;
    }
    const b = n * SPLIT_FIELDS;
    if (pick < 0) {
      this.best.fill(0, b, b + SPLIT_FIELDS);
      this.best[b + SPLIT_FEATURE] = -1;
    } else this.best.set(r.subarray(pick, pick + SPLIT_FIELDS), b);
  }

  private splitBatch(batch: readonly number[], k: number): void {
    const v = this.views;
    const { l1, l2 } = this.config;
    // 1. partition every node of the batch
    let rows = 0;
    for (let j = 0; j < batch.length; j++) {
      const n = batch[j];
      const b = n * SPLIT_FIELDS;
      const o = j * JOB_FIELDS;
      v.jobs[o + P_START] = this.start[n];
      v.jobs[o + P_END] = this.end[n];
      const f = this.best[b + SPLIT_FEATURE];
      const plan = this.shared.plan;
      v.jobs[o + P_FEATURE] = plan.columnOf[f];
      rows += this.end[n] - this.start[n];
      writeSideTable(v.luts, j * 256, plan, f, this.shared.nBins[f], this.best, b);
    }
    v.control[C_JOBS] = batch.length;
    this.dispatch(OP_PARTITION, rows);

    // 2. children, and which of them need a histogram
    this.nLeaves += batch.length;
    let nJobs = 0;
    const jobNodes: number[] = []; // per histogram job: [small child, large child, parent]
    for (let j = 0; j < batch.length; j++) {
      const n = batch[j];
      const b = n * SPLIT_FIELDS;
      const f = this.best[b + SPLIT_FEATURE];
      const nLeft = v.jobs[j * JOB_FIELDS + P_LEFT_COUNT];
      const GL = this.best[b + SPLIT_GL];
      const HL = this.best[b + SPLIT_HL];
      const GR = this.G[n] - GL;
      const HR = this.H[n] - HL;
      const [lowerL, upperL, lowerR, upperR] = childBounds(this.shared.monotone[f], GL, HL, GR, HR, l1, l2, this.lower[n], this.upper[n]);
      const s = this.start[n];
      const e = this.end[n];
      const d = this.depth[n] + 1;
      const L = this.newNode(s, s + nLeft, GL, HL, nLeft, d, lowerL, upperL);
      const R = this.newNode(s + nLeft, e, GR, HR, e - s - nLeft, d, lowerR, upperR);
      this.feature[n] = f;
      this.bin[n] = this.best[b + SPLIT_BIN];
      this.defaultLeft[n] = this.best[b + SPLIT_DEFAULT_LEFT];
      this.categorical[n] = this.best[b + SPLIT_CATEGORICAL];
      for (let w = 0; w < 8; w++) this.mask[n * 8 + w] = this.best[b + SPLIT_MASK + w];
      this.gain[n] = this.best[b + SPLIT_GAIN];
      this.left[n] = L;
      this.right[n] = R;

      const needL = this.canSplit(L, this.nLeaves);
      const needR = this.canSplit(R, this.nLeaves);
      const parentSlot = this.slot[n];
      this.slot[n] = -1;
      if ((!needL && !needR) || this.freeSlots.length === 0) {
        // (with no free histogram slot, which a deep depth-wise tree can exhaust, the children stay leaves)
        this.freeSlots.push(parentSlot);
        continue;
      }
      const [small, large] = this.C[L] <= this.C[R] ? [L, R] : [R, L];
      const needSmall = small === L ? needL : needR;
      const needLarge = small === L ? needR : needL;
      const o = nJobs * JOB_FIELDS;
      v.jobs.fill(0, o, o + JOB_FIELDS);
      v.jobs[o + J_SMALL_START] = this.start[small];
      v.jobs[o + J_SMALL_END] = this.end[small];
      this.slot[small] = this.freeSlots.pop()!;
      v.jobs[o + J_SMALL_SLOT] = this.slot[small];
      v.jobs[o + J_OUTPUT] = k;
      if (needLarge) {
        // the parent's slot becomes the larger child's histogram by subtraction
        this.slot[large] = parentSlot;
        v.jobs[o + J_LARGE_SLOT] = parentSlot;
        this.writeStats(o + J_SEARCH_LARGE, large);
      } else {
        v.jobs[o + J_LARGE_SLOT] = -1;
        this.freeSlots.push(parentSlot);
      }
      // (the stats also fill bundled features' default bins, so they are written even without a search)
      this.writeStats(o + J_SEARCH_SMALL, small, needSmall);
      jobNodes.push(small, large, n);
      nJobs++;
    }
    if (nJobs === 0) return;
    v.control[C_JOBS] = nJobs;
    // many sparse children (depth-wise levels): mark their rows, then build them all in one ascending pass
    const level = nJobs >= LEVEL_PASS_MIN_JOBS && this.shared.nRows * this.shared.nFeatures >= this.config.levelPassMinBytes;
    if (level) {
      if (++v.control[C_STAMP] > MAX_STAMP) {
        v.rowSlot.fill(-1);
        v.control[C_STAMP] = 1;
      }
      let rows = 0;
      for (let j = 0; j < nJobs; j++) rows += v.jobs[j * JOB_FIELDS + J_SMALL_END] - v.jobs[j * JOB_FIELDS + J_SMALL_START];
      this.dispatch(OP_MARK_ROWS, rows);
    }
    v.control[C_LEVEL] = level ? 1 : 0;
    let work = 0;
    for (let j = 0; j < nJobs; j++) {
      const o = j * JOB_FIELDS;
      work += (v.jobs[o + J_SMALL_END] - v.jobs[o + J_SMALL_START]) * this.shared.nFeatures;
      work += (v.jobs[o + J_SEARCH_SMALL] + v.jobs[o + J_SEARCH_LARGE]) * this.totalBins;
    }
    this.dispatch(OP_HISTOGRAMS, work);
    v.control[C_LEVEL] = 0;
    for (let j = 0; j < nJobs; j++) {
      const small = jobNodes[3 * j];
      const large = jobNodes[3 * j + 1];
      const o = j * JOB_FIELDS;
      if (v.jobs[o + J_SEARCH_SMALL] === 1) this.collect(j, 0, small);
      if (v.jobs[o + J_SEARCH_LARGE] === 1) this.collect(j, 1, large);
      // a child that will not be split gives its histogram slot back
      if (v.jobs[o + J_SEARCH_SMALL] !== 1 || this.best[small * SPLIT_FIELDS + SPLIT_FEATURE] < 0) this.release(small);
      if (v.jobs[o + J_SEARCH_LARGE] === 1 && this.best[large * SPLIT_FIELDS + SPLIT_FEATURE] < 0) this.release(large);
    }
  }

  private release(n: number): void {
    if (this.slot[n] >= 0) this.freeSlots.push(this.slot[n]);
    this.slot[n] = -1;
  }

  private finish(): GrownTree {
    const m = this.nNodes;
    const { l1, l2 } = this.config;
    for (let n = 0; n < m; n++) {
      if (this.feature[n] < 0) {
        this.feature[n] = -1;
        this.value[n] = leafWeight(this.G[n], this.H[n], l1, l2, this.lower[n], this.upper[n]);
      } else this.value[n] = 0;
    }
    // views, not copies: valid until the next grow (the booster consumes a tree before growing the next)
    return {
      nNodes: m,
      feature: this.feature.subarray(0, m),
      bin: this.bin.subarray(0, m),
      defaultLeft: this.defaultLeft.subarray(0, m),
      categorical: this.categorical.subarray(0, m),
      mask: this.mask.subarray(0, m * 8),
      left: this.left.subarray(0, m),
      right: this.right.subarray(0, m),
      value: this.value.subarray(0, m),
      cover: this.H.subarray(0, m),
      count: this.C.subarray(0, m),
      gain: this.gain.subarray(0, m),
      start: this.start.subarray(0, m),
      end: this.end.subarray(0, m),
    };
  }
}
