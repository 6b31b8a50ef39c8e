// Split search on one feature of one node, for the tree builder (builder.ts). Three strategies, each recording the
// best split seen so far in the best* fields (the builder resets them per node with begin()):
//   histogramSplit  'best' splitter: a histogram of the node's rows over the feature's bin codes (weight and class
//                   weights or Σwy per bin), then one scan over the bins evaluates every threshold, twice when the
//                   node has missing values (missing rows left, then right: the learned default direction), plus
//                   "non-missing | missing" as a split of its own.
//   exactSplit      'best' splitter on a feature whose bins merge values, in small nodes: sort the raw values and
//                   evaluate a threshold midway between every two neighbouring distinct values (scikit-learn's CART).
//   randomSplit     extra-trees: one threshold drawn uniformly between the node's min and max of the feature,
//                   evaluated on raw values with missing rows sent to whichever side scores better.
// A split whose node had no missing value for its feature sends future missing values to the heavier child.
// Every buffer is allocated once and reused for every feature, node and tree.

import type { Rng } from '../../core/rng.js';
import { binThreshold, midpoint, MISSING_BIN, type Binning } from './binning.js';
import type { GrowParams, TreeData } from './builder.js';
import { complementProxy, sideProxy } from './criterion.js';
import { gatherForExact, gatherValues, histogramClass, histogramValue, sortPairs, splitSumsClass, splitSumsValue } from './kernels.js';

/** The builder's view of the rows, shared with the search (same arrays, never reallocated). */
export interface NodeRows {
  /** row ids; the current node owns rows[start, end) */
  readonly rows: Uint32Array; // (nRows)
  /** class index, target and weight of the row at the same position as in `rows` */
  readonly ordClass: Int32Array; // (nRows) classification
  readonly ordValue: Float64Array; // (nRows) regression
  readonly ordWeight: Float64Array; // (nRows)
  /** the current node's totals: class weights, or [Σw, Σwy] */
  readonly nodeStats: Float64Array; // (nStats)
}

export class SplitSearch {
  // the best split found at the current node (bestFeature = -1: none yet); bestBin = -1 for raw-value thresholds
  bestProxy = -Infinity;
  bestFeature = -1;
  bestBin = 0;
  bestThreshold = 0;
  bestMissingLeft = false;
  private nodeWeight = 0;
  private rng: Rng | null = null;
  private readonly rows: Uint32Array;
  private readonly ordClass: Int32Array;
  private readonly ordValue: Float64Array;
  private readonly ordWeight: Float64Array;
  private readonly nodeStats: Float64Array;
  private readonly hist: Float64Array; // (256, nStats) per bin: class weights, or [Σw, Σwy]
  private readonly binWeight = new Float64Array(256); // Σw per bin
  private readonly counts = new Int32Array(256); // rows per bin
  private readonly leftStats: Float64Array; // (nStats) running left-side totals
  private readonly missStats: Float64Array; // (nStats) missing rows' totals
  private readonly values: Float64Array; // (nRows) one feature's values for the node's rows (random and exact search)
  private readonly positions: Int32Array; // (nRows) their positions in `rows` (exact search)
  private readonly sortStack = new Int32Array(128);
  private readonly scalars = new Float64Array(2); // small results handed back by the kernels

  constructor(
    private readonly data: TreeData,
    private readonly params: GrowParams,
    node: NodeRows,
    private readonly nStats: number,
  ) {
    this.rows = node.rows;
    this.ordClass = node.ordClass;
    this.ordValue = node.ordValue;
    this.ordWeight = node.ordWeight;
    this.nodeStats = node.nodeStats;
    this.hist = new Float64Array(256 * nStats);
    this.leftStats = new Float64Array(nStats);
    this.missStats = new Float64Array(nStats);
    const exact = !params.random && params.exactMaxRows > 0 && data.binning !== null && data.binning.lossy.some((v) => v === 1);
    this.values = new Float64Array(params.random || exact ? data.nRows : 0);
    this.positions = new Int32Array(exact ? data.nRows : 0);
  }

  /** Start a node: forget the best split; `nodeWeight` is Σw of its rows (nodeStats must already hold its totals). */
  begin(nodeWeight: number, rng: Rng | null): void {
    this.nodeWeight = nodeWeight;
    this.rng = rng;
    this.bestProxy = -Infinity;
    this.bestFeature = -1;
  }

  /** 'best' splitter on one feature; false when the feature is constant in the node. */
  histogramSplit(f: number, start: number, end: number): boolean {
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
  exactSplit(f: number, start: number, end: number): boolean {
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
  randomSplit(f: number, start: number, end: number): boolean {
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
}
