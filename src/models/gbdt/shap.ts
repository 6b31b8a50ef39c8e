// TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for tree ensembles",
// algorithm 2): exact Shapley values of each feature for one prediction in O(leaves · depth²) per tree, with the
// training covers as the background distribution. Contributions plus the bias (the cover-weighted mean output)
// add up to the raw score. Isomorphic: no Node imports.

import type { TreeEnsemble } from './ensemble.js';
import { childOf } from './predict.js';

/**
 * The path of unique features from the root to the current node, as parallel arrays. Each recursion level works on
 * its own copy placed after its parent's (level d starts at offset d(d+1)/2 + ...), so no allocation per node.
 */
class PathBuffer {
  readonly feature: Int32Array;
  readonly zero: Float64Array; // fraction of "feature absent" paths that flow here
  readonly one: Float64Array; // 1 if the row itself flows here, else 0
  readonly weight: Float64Array; // permutation weights

  constructor(maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  extend(at: number, depth: number, zero: number, one: number, feature: number): void {
    const w = this.weight;
    this.feature[at + depth] = feature;
    this.zero[at + depth] = zero;
    this.one[at + depth] = one;
    w[at + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      w[at + i + 1] += (one * w[at + i] * (i + 1)) / (depth + 1);
      w[at + i] = (zero * w[at + i] * (depth - i)) / (depth + 1);
    }
  }

  unwind(at: number, depth: number, index: number): void {
    const w = this.weight;
    const one = this.one[at + index];
    const zero = this.zero[at + index];
    let next = w[at + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = w[at + i];
        w[at + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - (w[at + i] * zero * (depth - i)) / (depth + 1);
      } else w[at + i] = (w[at + i] * (depth + 1)) / (zero * (depth - i));
    }
    for (let i = index; i < depth; i++) {
      this.feature[at + i] = this.feature[at + i + 1];
      this.zero[at + i] = this.zero[at + i + 1];
      this.one[at + i] = this.one[at + i + 1];
    }
  }

  /** Sum of the weights the path would have with element `index` unwound (without changing the path). */
  unwoundSum(at: number, depth: number, index: number): number {
    const w = this.weight;
    const one = this.one[at + index];
    const zero = this.zero[at + index];
    let next = w[at + depth];
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        next = w[at + i] - (tmp * zero * (depth - i)) / (depth + 1);
      } else if (zero !== 0) total += w[at + i] / zero / ((depth - i) / (depth + 1));
    }
    return total;
  }

  copy(from: number, to: number, count: number): void {
    this.feature.copyWithin(to, from, from + count);
    this.zero.copyWithin(to, from, from + count);
    this.one.copyWithin(to, from, from + count);
    this.weight.copyWithin(to, from, from + count);
  }
}

/** Depth of the deepest tree (root = 0). */
export function maxTreeDepth(e: TreeEnsemble): number {
  let max = 0;
  const depth = new Int32Array(e.feature.length);
  for (let t = 0; t < e.nTrees; t++) {
    for (let n = e.treeStart[t]; n < e.treeStart[t + 1]; n++) {
      if (n === e.treeStart[t]) depth[n] = 0;
      if (depth[n] > max) max = depth[n];
      if (e.feature[n] >= 0) depth[e.left[n]] = depth[e.left[n] + 1] = depth[n] + 1;
    }
  }
  return max;
}

/** The cover-weighted mean output of the subtree at `n` (what the tree predicts when no feature is known). */
function meanValue(e: TreeEnsemble, n: number): number {
  if (e.feature[n] < 0) return e.threshold[n];
  const l = e.left[n];
  const cl = e.cover[l];
  const cr = e.cover[l + 1];
  return (meanValue(e, l) * cl + meanValue(e, l + 1) * cr) / (cl + cr);
}

/** Per output: base score + Σ mean tree values. The SHAP values of a row add up to its raw score minus this. */
export function expectedValues(e: TreeEnsemble): Float64Array {
  const out = e.baseScore.slice();
  for (let t = 0; t < e.nTrees; t++) out[t % e.nOutputs] += meanValue(e, e.treeStart[t]);
  return out;
}

export class TreeShap {
  private readonly path: PathBuffer;
  private readonly bias: Float64Array;

  constructor(private readonly e: TreeEnsemble) {
    this.path = new PathBuffer(maxTreeDepth(e) + 1);
    this.bias = expectedValues(e);
  }

  /**
   * Contributions of the row at rows[base..] into out[o ..], laid out (nOutputs, nFeatures + 1): per output, one value
   * per feature then the bias. out must be zeroed by the caller.
   */
  explainRow(rows: Float64Array, base: number, out: Float64Array, o: number): void {
    const e = this.e;
    const width = e.nFeatures + 1;
    for (let k = 0; k < e.nOutputs; k++) out[o + k * width + e.nFeatures] = this.bias[k];
    for (let t = 0; t < e.nTrees; t++) {
      this.recurse(e.treeStart[t], rows, base, out, o + (t % e.nOutputs) * width, 0, 0, 1, 1, -1);
    }
  }

  private recurse(n: number, rows: Float64Array, base: number, phi: Float64Array, po: number, parentAt: number, depth: number, zero: number, one: number, feature: number): void {
    const e = this.e;
    const p = this.path;
    // this level's copy of the path starts after the parent's (which holds at most depth + 1 elements)
    const at = parentAt + depth + 1;
    p.copy(parentAt, at, depth);
    p.extend(at, depth, zero, one, feature);
    const f = e.feature[n];
    if (f < 0) {
      const value = e.threshold[n];
      for (let i = 1; i <= depth; i++) {
        const w = p.unwoundSum(at, depth, i);
        phi[po + p.feature[at + i]] += w * (p.one[at + i] - p.zero[at + i]) * value;
      }
      return;
    }
    const hot = childOf(e, n, rows, base);
    const cold = hot === e.left[n] ? hot + 1 : hot - 1;
    const cover = e.cover[n];
    let incomingZero = 1;
    let incomingOne = 1;
    let d = depth;
    let k = 0;
    for (; k <= d; k++) if (p.feature[at + k] === f) break;
    if (k !== d + 1) {
      // the feature was already split on above: undo its earlier entry and merge the fractions
      incomingZero = p.zero[at + k];
      incomingOne = p.one[at + k];
      p.unwind(at, d, k);
      d -= 1;
    }
    this.recurse(hot, rows, base, phi, po, at, d + 1, (e.cover[hot] / cover) * incomingZero, incomingOne, f);
    this.recurse(cold, rows, base, phi, po, at, d + 1, (e.cover[cold] / cover) * incomingZero, 0, f);
  }
}
