// Grows one CART tree, depth-first with an explicit stack. A node's rows are a contiguous range of `rows`; a split
// partitions that range in place (stably, left rows first), so children are sub-ranges and no row list is copied.
//
//   rows: [ .... node ............................ ]      after the split:  [ .. left ..... | .. right ...... ]
//          start                                end                         start         mid              end
//
// Split search, per candidate feature:
//   'best'   (CART): a histogram of the node's rows over the feature's bin codes (weight and class weights or Σwy per
//            bin), then one scan over the bins evaluates every threshold, twice when the node has missing values
//            (missing rows left, then right: the learned default direction), plus "non-missing | missing" as a split.
//            A feature with more distinct values than bins ("lossy") is searched exactly instead in nodes of at most
//            `exactMaxRows` rows: its raw values are sorted and every midpoint between neighbours is a candidate.
//   'random' (extra-trees): one threshold drawn uniformly between the node's min and max of the feature, evaluated on
//            raw values with missing rows sent to whichever side scores better.
// A split whose node had no missing value for its feature sends future missing values to the heavier child.
// Every buffer is allocated once per builder and reused for every node and every tree it grows.

import type { Rng } from '../../core/rng.js';
import { binThreshold, midpoint, MISSING_BIN, type Binning } from './binning.js';
import { complementProxy, decreaseInImpurityUnits, sideProxy, SQUARED_ERROR, type CriterionId } from './criterion.js';
import { TreeBuffer, type GrownTree } from './grown-tree.js';
import {
  classTotals,
  gatherForExact,
  gatherValues,
  histogramClass,
  histogramValue,
  partitionClass,
  partitionValue,
  sidesFromBins,
  sidesFromValues,
  sortPairs,
  splitSumsClass,
  splitSumsValue,
  valueTotals,
} from './kernels.js';

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

export class TreeBuilder {
  private readonly nStats: number;
  private readonly rows: Uint32Array; // (nRows) row ids; a node owns a contiguous range
  // each row's label and weight, kept in the same order as `rows` (moved with them by partitions): the split scans read
  // them sequentially instead of gathering them through the row ids
  private readonly ordClass: Int32Array; // (nRows) classification: class index
  private readonly ordValue: Float64Array; // (nRows) regression: target
  private readonly ordWeight: Float64Array; // (nRows)
  private readonly scratchRows: Uint32Array; // (nRows) right side during a partition
  private readonly scratchClass: Int32Array; // (nRows)
  private readonly scratchValue: Float64Array; // (nRows)
  private readonly scratchWeight: Float64Array; // (nRows)
  private readonly side: Uint8Array; // (nRows) 1 = the row goes left (during a partition)
  private readonly featureOrder: Int32Array; // (nCols) partially shuffled at every node
  private readonly hist: Float64Array; // (256, nStats) per bin: class weights, or [Σw, Σwy]
  private readonly binWeight: Float64Array; // (256) Σw per bin
  private readonly counts: Int32Array; // (256) rows per bin
  private readonly nodeStats: Float64Array; // (nStats) the current node's totals
  private readonly leftStats: Float64Array; // (nStats) running left-side totals
  private readonly missStats: Float64Array; // (nStats) missing rows' totals (random splitter)
  private readonly values: Float64Array; // (nRows) one feature's values for the node's rows (random and exact search)
  private readonly positions: Int32Array; // (nRows) their positions in `rows` (exact search)
  private readonly sortStack = new Int32Array(128);
  private readonly scalars = new Float64Array(2); // small results handed back by the kernels
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
  // the node being split and the best split found for it so far
  private nodeWeight = 0;
  private bestProxy = -Infinity;
  private bestFeature = -1;
  private bestBin = 0;
  private bestThreshold = 0;
  private bestMissingLeft = false;

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
    this.hist = new Float64Array(256 * this.nStats);
    this.binWeight = new Float64Array(256);
    this.counts = new Int32Array(256);
    this.nodeStats = new Float64Array(this.nStats);
    this.leftStats = new Float64Array(this.nStats);
    this.missStats = new Float64Array(this.nStats);
    const exact = !params.random && params.exactMaxRows > 0 && data.binning !== null && data.binning.lossy.some((v) => v === 1);
    this.values = new Float64Array(params.random || exact ? data.nRows : 0);
    this.positions = new Int32Array(exact ? data.nRows : 0);
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
        if (this.bestFeature >= 0) {
          const parentProxy = sideProxy(params.criterion, this.nodeStats, 0, this.nStats, this.nodeWeight);
          decrease = decreaseInImpurityUnits(params.criterion, this.bestProxy - parentProxy);
          split = decrease / rootWeight + EPSILON >= params.minImpurityDecrease;
        }
      }
      if (split) {
        const mid = this.partition(start, end);
        tree.setSplit(id, this.bestFeature, this.bestThreshold, this.bestMissingLeft);
        this.importance[this.bestFeature] += Math.max(0, decrease);
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
   * (scikit-learn's rule: constant features count as drawn), keeping the best split in the best* fields
   * (bestFeature = -1 when none is valid).
   */
  private findSplit(start: number, end: number): void {
    this.bestProxy = -Infinity;
    this.bestFeature = -1;
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
        ? this.randomSplit(f, start, end)
        : end - start <= this.params.exactMaxRows && (this.data.binning as Binning).lossy[f] === 1
          ? this.exactSplit(f, start, end)
          : this.histogramSplit(f, start, end);
      if (informative) nonConstant++;
      else {
        this.isConstant[f] = 1;
        this.constantFeature[this.nConstant] = f;
        this.constantDepth[this.nConstant++] = this.nodeDepth;
      }
    }
  }

  /** 'best' splitter on one feature; false when the feature is constant in the node. */
  private histogramSplit(f: number, start: number, end: number): boolean {
    const { rows, ordWeight, counts, binWeight, hist } = this;
    const bins = this.data.bins as Uint8Array;
    const base = f * this.data.nRows;
    const packed = this.data.yClass
      ? histogramClass(bins, base, rows, this.ordClass, ordWeight, start, end, counts, binWeight, hist, this.nStats)
      : histogramValue(bins, base, rows, this.ordValue, ordWeight, start, end, counts, binWeight, hist);
    const lo = packed & 0xff;
    let hi = packed >> 8;
    if (hi === MISSING_BIN) {
      // the top code seen is the missing one: find the highest real bin present
      hi = (this.data.binning as Binning).nBins[f] - 1;
      while (hi >= lo && counts[hi] === 0) hi--;
    }
    const informative = lo <= hi && (lo < hi || counts[MISSING_BIN] > 0);
    if (informative) this.scanBins(f, end - start, lo, hi);
    // leave the histogram all-zero for the next feature: clear only what may have been touched
    for (let b = lo; b <= hi; b++) this.clearBin(b);
    this.clearBin(MISSING_BIN);
    return informative;
  }

  private clearBin(b: number): void {
    this.counts[b] = 0;
    this.binWeight[b] = 0;
    const off = b * this.nStats;
    for (let k = 0; k < this.nStats; k++) this.hist[off + k] = 0;
  }

  /** Evaluate every threshold between bins lo..hi of feature f (see the file header for the missing-value passes). */
  private scanBins(f: number, nNode: number, lo: number, hi: number): void {
    const { hist, counts, binWeight, nStats, nodeStats, leftStats: left } = this;
    const criterion = this.params.criterion;
    const minLeaf = this.params.minSamplesLeaf;
    const total = this.nodeWeight;
    const nMissing = counts[MISSING_BIN];
    const missingOff = MISSING_BIN * nStats;
    for (let dir = 0; dir < (nMissing > 0 ? 2 : 1); dir++) {
      // dir 0: missing rows go right; dir 1: they go left
      let nLeft = dir === 0 ? 0 : nMissing;
      let wLeft = dir === 0 ? 0 : binWeight[MISSING_BIN];
      for (let k = 0; k < nStats; k++) left[k] = dir === 0 ? 0 : hist[missingOff + k];
      // with missing rows on the right, "every non-missing row left" (b = hi) is a valid split too
      const last = dir === 0 && nMissing > 0 ? hi : hi - 1;
      for (let b = lo; b <= last; b++) {
        const c = counts[b];
        if (c === 0) continue;
        nLeft += c;
        wLeft += binWeight[b];
        const off = b * nStats;
        for (let k = 0; k < nStats; k++) left[k] += hist[off + k];
        if (nLeft < minLeaf) continue;
        if (nNode - nLeft < minLeaf) break;
        const proxy = sideProxy(criterion, left, 0, nStats, wLeft) + complementProxy(criterion, nodeStats, left, nStats, total - wLeft);
        if (proxy > this.bestProxy) {
          this.bestProxy = proxy;
          this.bestFeature = f;
          this.bestBin = b;
          // no missing values here in training: at prediction they follow the heavier side
          this.bestMissingLeft = nMissing > 0 ? dir === 1 : wLeft >= total - wLeft;
          this.bestThreshold = b === hi ? Infinity : binThreshold(this.data.binning as Binning, f, b);
        }
      }
    }
  }

  /**
   * Exact 'best' search on one feature: sort the node's raw values and evaluate a threshold midway between every two
   * neighbouring distinct values (scikit-learn's CART), missing rows left and right as in scanBins. Used for small
   * nodes of binned-and-lossy features, where bins would hide most thresholds. False when the feature is constant.
   */
  private exactSplit(f: number, start: number, end: number): boolean {
    const { values, positions, scalars, missStats: miss, leftStats: left, nStats, ordWeight: weight, nodeStats } = this;
    const label = this.data.yClass ? this.ordClass : null;
    const value = this.ordValue;
    const nNode = end - start;
    const m = gatherForExact(this.data.x, f * this.data.nRows, this.rows, start, end, label, value, weight, values, positions, miss, nStats, scalars);
    const nMissing = nNode - m;
    if (m === 0) return false;
    sortPairs(values, positions, m, this.sortStack);
    if (values[0] === values[m - 1] && nMissing === 0) return false;
    const criterion = this.params.criterion;
    const minLeaf = this.params.minSamplesLeaf;
    const total = this.nodeWeight;
    for (let dir = 0; dir < (nMissing > 0 ? 2 : 1); dir++) {
      // dir 0: missing rows go right; dir 1: they go left
      let nLeft = dir === 0 ? 0 : nMissing;
      let wLeft = dir === 0 ? 0 : scalars[0];
      for (let k = 0; k < nStats; k++) left[k] = dir === 0 ? 0 : miss[k];
      for (let j = 0; j < m; j++) {
        const i = positions[j];
        const w = weight[i];
        if (label) left[label[i]] += w;
        else {
          left[0] += w;
          left[1] += w * value[i];
        }
        nLeft++;
        wLeft += w;
        const last = j === m - 1;
        if (!last && values[j + 1] === values[j]) continue; // no threshold between equal values
        if (last && !(dir === 0 && nMissing > 0)) break; // "all non-missing | missing" is the only split after the last
        if (nLeft < minLeaf) continue;
        if (nNode - nLeft < minLeaf) break;
        const proxy = sideProxy(criterion, left, 0, nStats, wLeft) + complementProxy(criterion, nodeStats, left, nStats, total - wLeft);
        if (proxy > this.bestProxy) {
          this.bestProxy = proxy;
          this.bestFeature = f;
          this.bestBin = -1;
          this.bestThreshold = last ? Infinity : midpoint(values[j], values[j + 1]);
          this.bestMissingLeft = nMissing > 0 ? dir === 1 : wLeft >= total - wLeft;
        }
      }
    }
    return true;
  }

  /** 'random' splitter on one feature; false when the feature is constant in the node. */
  private randomSplit(f: number, start: number, end: number): boolean {
    const { leftStats: left, missStats: miss, values, scalars } = this;
    const base = f * this.data.nRows;
    const nNode = end - start;
    const nMissing = gatherValues(this.data.x, base, this.rows, start, end, values, scalars);
    const min = scalars[0];
    const max = scalars[1];
    let threshold: number;
    if (max > min) {
      threshold = min + (this.rng as Rng).next() * (max - min);
      if (threshold >= max) threshold = min; // rounding can reach max, which would leave the right side empty
    } else if (nMissing > 0 && nMissing < nNode) threshold = Infinity; // only "non-missing | missing" is possible
    else return false;
    const nLeft = this.data.yClass
      ? splitSumsClass(values, threshold, this.ordClass, this.ordWeight, start, nNode, left, miss, this.nStats, scalars)
      : splitSumsValue(values, threshold, this.ordValue, this.ordWeight, start, nNode, left, miss, scalars);
    const wLeft = scalars[0];
    const wMissing = scalars[1];
    // no missing values here in training: at prediction they follow the heavier side
    this.considerRandom(f, threshold, nMissing === 0 && wLeft >= this.nodeWeight - wLeft, nNode, nLeft, wLeft);
    if (nMissing > 0) {
      for (let k = 0; k < this.nStats; k++) left[k] += miss[k];
      this.considerRandom(f, threshold, true, nNode, nLeft + nMissing, wLeft + wMissing);
    }
    return true;
  }

  private considerRandom(f: number, threshold: number, missingLeft: boolean, nNode: number, nLeft: number, wLeft: number): void {
    const minLeaf = this.params.minSamplesLeaf;
    if (nLeft < minLeaf || nNode - nLeft < minLeaf) return;
    const criterion = this.params.criterion;
    const proxy =
      sideProxy(criterion, this.leftStats, 0, this.nStats, wLeft) +
      complementProxy(criterion, this.nodeStats, this.leftStats, this.nStats, this.nodeWeight - wLeft);
    if (proxy > this.bestProxy) {
      this.bestProxy = proxy;
      this.bestFeature = f;
      this.bestBin = -1;
      this.bestThreshold = threshold;
      this.bestMissingLeft = missingLeft;
    }
  }

  /** Partition the node's rows (with their labels and weights) by the best split; returns the first right position. */
  private partition(start: number, end: number): number {
    const { rows, side } = this;
    const base = this.bestFeature * this.data.nRows;
    if (this.bestBin >= 0) {
      // a 'best' split decides on bin codes, exactly as its histogram counted them
      sidesFromBins(this.data.bins as Uint8Array, base, rows, start, end, this.bestBin, this.bestMissingLeft, side);
    } else {
      sidesFromValues(this.data.x, base, rows, start, end, this.bestThreshold, this.bestMissingLeft, side);
    }
    return this.data.yClass
      ? partitionClass(side, start, end, rows, this.ordClass, this.ordWeight, this.scratchRows, this.scratchClass, this.scratchWeight)
      : partitionValue(side, start, end, rows, this.ordValue, this.ordWeight, this.scratchRows, this.scratchValue, this.scratchWeight);
  }
}
