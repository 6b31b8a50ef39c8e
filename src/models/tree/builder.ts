// Grows one CART tree, depth-first with an explicit stack. A node's rows are a contiguous range of `rows`; a split
// partitions that range in place (stably, left rows first), so children are sub-ranges and no row list is copied.
//
//   rows: [ .... node ............................ ]      after the split:  [ .. left ..... | .. right ...... ]
//          start                                end                         start         mid              end
//
// Split search per candidate feature lives in split-search.ts: histograms over bin codes ('best'), sorted raw
// values for binned features in small nodes (exact), or one random threshold (extra trees).
// Every buffer is allocated once per builder and reused for every node and every tree it grows.

import type { Rng } from '../../core/rng.js';
import type { Binning } from './binning.js';
import { decreaseInImpurityUnits, sideProxy, SQUARED_ERROR, type CriterionId } from './criterion.js';
import { TreeBuffer, type GrownTree } from './grown-tree.js';
import { classTotals, partitionClass, partitionValue, sidesFromBins, sidesFromValues, valueTotals } from './kernels.js';
import { SplitSearch, type NodeRows } from './split-search.js';

/** The training data shared by every tree of a fit (read-only). */
export interface TreeData {
  readonly nRows: number;
  readonly nCols: number;
  /** raw features, NaN = missing */
  readonly x: Float64Array; // (nCols, nRows) column-major
  /** bin codes for the 'best' splitter (null when only random splits are drawn) */
  readonly bins: Uint8Array | null; // (nCols, nRows)
  readonly binning: Binning | null;
  /** class index per row (classification), else null */
  readonly yClass: Int32Array | null; // (nRows)
  /** target per row (regression), else null */
  readonly yValue: Float64Array | null; // (nRows)
  /** number of classes; 0 for regression */
  readonly nClasses: number;
}

/** Growth settings, resolved from the learner's params once per fit. */
export interface GrowParams {
  readonly criterion: CriterionId;
  /** extra-trees thresholds instead of the best threshold */
  readonly random: boolean;
  /** Infinity = unlimited */
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly minImpurityDecrease: number;
  /** features inspected per node, 1..nCols (at least one non-constant, see findSplit) */
  readonly maxFeatures: number;
  /**
   * 'best' splitter: a node with at most this many rows searches the thresholds of a binned feature that merges
   * values ("lossy", more distinct values than bins) exactly, by sorting its raw values (Infinity = always)
   */
  readonly exactMaxRows: number;
}

/** scikit-learn's tolerance on minImpurityDecrease comparisons */
const EPSILON = 2.220446049250313e-16;
const STACK_FIELDS = 5; // start, end, depth, parent, isLeft

export class TreeBuilder implements NodeRows {
  private readonly nStats: number;
  readonly rows: Uint32Array; // (nRows) row ids; a node owns a contiguous range
  // each row's label and weight, kept in the same order as `rows` (moved with them by partitions): the split scans read
  // them sequentially instead of gathering them through the row ids
  readonly ordClass: Int32Array; // (nRows) classification: class index
  readonly ordValue: Float64Array; // (nRows) regression: target
  readonly ordWeight: Float64Array; // (nRows)
  private readonly scratchRows: Uint32Array; // (nRows) right side during a partition
  private readonly scratchClass: Int32Array; // (nRows)
  private readonly scratchValue: Float64Array; // (nRows)
  private readonly scratchWeight: Float64Array; // (nRows)
  private readonly side: Uint8Array; // (nRows) 1 = the row goes left (during a partition)
  private readonly featureOrder: Int32Array; // (nCols) partially shuffled at every node
  readonly nodeStats: Float64Array; // (nStats) the current node's totals
  private readonly search: SplitSearch;
  private readonly importance: Float64Array; // (nCols)
  // features found constant at an ancestor of the current node: a feature constant in a node is constant in all its
  // descendants, so drawing it again costs no scan (it still counts as drawn). Entries live on a stack with the depth
  // that found them; popping a node at depth d drops entries with depth >= d (they came from a finished subtree).
  private readonly isConstant: Uint8Array; // (nCols) 1 = known constant on the current path
  private readonly constantFeature: Int32Array; // (nCols) stack of known constants
  private readonly constantDepth: Int32Array; // (nCols) depth of the node that found each
  private nConstant = 0;
  private nodeDepth = 0;
  private readonly tree: TreeBuffer;
  private stack = new Int32Array(STACK_FIELDS * 64);
  private rng: Rng | null = null;
  private nodeWeight = 0; // Σw of the node being split

  constructor(
    private readonly data: TreeData,
    private readonly params: GrowParams,
  ) {
    if (!params.random && !data.bins) throw new Error('the best splitter needs binned data');
    this.nStats = params.criterion === SQUARED_ERROR ? 2 : data.nClasses;
    const n = data.nRows;
    const isClassification = params.criterion !== SQUARED_ERROR;
    this.rows = new Uint32Array(n);
    this.ordClass = new Int32Array(isClassification ? n : 0);
    this.ordValue = new Float64Array(isClassification ? 0 : n);
    this.ordWeight = new Float64Array(n);
    this.scratchRows = new Uint32Array(n);
    this.scratchClass = new Int32Array(isClassification ? n : 0);
    this.scratchValue = new Float64Array(isClassification ? 0 : n);
    this.scratchWeight = new Float64Array(n);
    this.side = new Uint8Array(n);
    this.featureOrder = Int32Array.from({ length: data.nCols }, (_, j) => j);
    this.nodeStats = new Float64Array(this.nStats);
    this.search = new SplitSearch(data, params, this, this.nStats);
    this.importance = new Float64Array(data.nCols);
    this.isConstant = new Uint8Array(data.nCols);
    this.constantFeature = new Int32Array(data.nCols);
    this.constantDepth = new Int32Array(data.nCols);
    this.tree = new TreeBuffer(params.criterion === SQUARED_ERROR ? 1 : data.nClasses);
  }

  /**
   * Grow a tree on the rows with weight > 0 (a bootstrap sample is a weight vector of draw counts).
   * `rng` shuffles the features inspected per node and draws random thresholds; it may be null when neither happens.
   */
  grow(weight: Float64Array, rng: Rng | null): GrownTree {
    const { params, tree, rows } = this;
    const p = this.data.nCols;
    if ((params.random || params.maxFeatures < p) && !rng) throw new Error('random splits and feature sampling need an rng');
    this.rng = rng;
    tree.reset();
    // a tree depends only on its weights and rng, not on the trees this builder grew before
    for (let j = 0; j < p; j++) this.featureOrder[j] = j;
    this.importance.fill(0);
    this.isConstant.fill(0);
    this.nConstant = 0;
    let n = 0;
    let rootWeight = 0;
    const { yClass, yValue } = this.data;
    for (let i = 0; i < this.data.nRows; i++) {
      if (weight[i] > 0) {
        rows[n] = i;
        this.ordWeight[n] = weight[i];
        if (yClass) this.ordClass[n] = yClass[i];
        else this.ordValue[n] = (yValue as Float64Array)[i];
        n++;
        rootWeight += weight[i];
      }
    }
    let sp = this.push(0, 0, n, 0, -1, 0);
    while (sp > 0) {
      sp -= STACK_FIELDS;
      const st = this.stack;
      const start = st[sp];
      const end = st[sp + 1];
      const depth = st[sp + 2];
      const parent = st[sp + 3];
      const isLeft = st[sp + 4];
      const id = tree.addNode();
      // a left child is always popped right after its parent, so its id is parent + 1 (the stored layout relies on it)
      if (parent >= 0 && !isLeft) tree.right[parent] = id;
      const nNode = end - start;
      this.nodeDepth = depth;
      while (this.nConstant > 0 && this.constantDepth[this.nConstant - 1] >= depth) this.isConstant[this.constantFeature[--this.nConstant]] = 0;
      const pure = this.computeNodeStats(start, end);
      let decrease = 0;
      let split = false;
      if (!pure && depth < params.maxDepth && nNode >= params.minSamplesSplit && nNode >= 2 * params.minSamplesLeaf) {
        this.findSplit(start, end);
        if (this.search.bestFeature >= 0) {
          const parentProxy = sideProxy(params.criterion, this.nodeStats, 0, this.nStats, this.nodeWeight);
          decrease = decreaseInImpurityUnits(params.criterion, this.search.bestProxy - parentProxy);
          split = decrease / rootWeight + EPSILON >= params.minImpurityDecrease;
        }
      }
      if (split) {
        const mid = this.partition(start, end);
        const best = this.search;
        tree.setSplit(id, best.bestFeature, best.bestThreshold, best.bestMissingLeft);
        this.importance[best.bestFeature] += Math.max(0, decrease);
        sp = this.push(sp, mid, end, depth + 1, id, 0); // right first, so the left child is popped next (pre-order ids)
        sp = this.push(sp, start, mid, depth + 1, id, 1);
      } else {
        this.writeLeaf(id);
      }
    }
    let total = 0;
    for (let j = 0; j < p; j++) total += this.importance[j];
    const importance = new Float64Array(p);
    if (total > 0) for (let j = 0; j < p; j++) importance[j] = this.importance[j] / total;
    return tree.finish(importance);
  }

  private push(sp: number, start: number, end: number, depth: number, parent: number, isLeft: number): number {
    if (sp + STACK_FIELDS > this.stack.length) {
      const bigger = new Int32Array(this.stack.length * 2);
      bigger.set(this.stack);
      this.stack = bigger;
    }
    const st = this.stack;
    st[sp] = start;
    st[sp + 1] = end;
    st[sp + 2] = depth;
    st[sp + 3] = parent;
    st[sp + 4] = isLeft;
    return sp + STACK_FIELDS;
  }

  /** Fill nodeStats/nodeWeight from the node's rows; true when the node is pure (nothing left to split). */
  private computeNodeStats(start: number, end: number): boolean {
    const stats = this.nodeStats;
    if (this.data.yClass) {
      const nonEmpty = classTotals(this.ordClass, this.ordWeight, start, end, stats, this.nStats);
      let w = 0;
      for (let k = 0; k < this.nStats; k++) w += stats[k];
      this.nodeWeight = w;
      return nonEmpty <= 1;
    }
    const pure = valueTotals(this.ordValue, this.ordWeight, start, end, stats);
    this.nodeWeight = stats[0];
    return pure;
  }

  private writeLeaf(id: number): void {
    const off = this.tree.setLeaf(id);
    const value = this.tree.value;
    const w = this.nodeWeight;
    if (this.params.criterion === SQUARED_ERROR) value[off] = this.nodeStats[1] / w;
    else for (let k = 0; k < this.nStats; k++) value[off + k] = this.nodeStats[k] / w;
  }

  /**
   * Inspect features in random order until `maxFeatures` were drawn and at least one was not constant in the node
   * (scikit-learn's rule: constant features count as drawn); the search keeps the best split (bestFeature = -1 when
   * none is valid).
   */
  private findSplit(start: number, end: number): void {
    const search = this.search;
    search.begin(this.nodeWeight, this.rng);
    const order = this.featureOrder;
    const p = order.length;
    const shuffle = this.params.maxFeatures < p;
    const rng = this.rng as Rng;
    const maxFeatures = this.params.maxFeatures;
    let nonConstant = 0;
    for (let i = 0; i < p && (i < maxFeatures || nonConstant === 0); i++) {
      if (shuffle) {
        const j = i + rng.int(p - i);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      const f = order[i];
      if (this.isConstant[f]) continue;
      const informative = this.params.random
        ? search.randomSplit(f, start, end)
        : end - start <= this.params.exactMaxRows && (this.data.binning as Binning).lossy[f] === 1
          ? search.exactSplit(f, start, end)
          : search.histogramSplit(f, start, end);
      if (informative) nonConstant++;
      else {
        this.isConstant[f] = 1;
        this.constantFeature[this.nConstant] = f;
        this.constantDepth[this.nConstant++] = this.nodeDepth;
      }
    }
  }

  /** Partition the node's rows (with their labels and weights) by the best split; returns the first right position. */
  private partition(start: number, end: number): number {
    const { rows, side } = this;
    const best = this.search;
    const base = best.bestFeature * this.data.nRows;
    if (best.bestBin >= 0) {
      // a 'best' split decides on bin codes, exactly as its histogram counted them
      sidesFromBins(this.data.bins as Uint8Array, base, rows, start, end, best.bestBin, best.bestMissingLeft, side);
    } else {
      sidesFromValues(this.data.x, base, rows, start, end, best.bestThreshold, best.bestMissingLeft, side);
    }
    return this.data.yClass
      ? partitionClass(side, start, end, rows, this.ordClass, this.ordWeight, this.scratchRows, this.scratchClass, this.scratchWeight)
      : partitionValue(side, start, end, rows, this.ordValue, this.ordWeight, this.scratchRows, this.scratchValue, this.scratchWeight);
  }
}
