// Split search on one node's histogram: for each feature, scan the bins left to right (numeric) or in the order of
// gradient/hessian ratio (categorical), try missing values on both sides, and keep the split that reduces the
// regularised loss the most. Gains are XGBoost's: G²/(H+λ) per side minus the parent's (L1 soft-thresholds G);
// with monotone constraints, leaf weights are clipped to the node's bounds and splits that reverse the order fail.

import { featureCells } from './histogram.js';

/** Fields of a split record (float64s); the left-bin set of a categorical split takes 8 uint32 words. */
export const SPLIT_GAIN = 0;
export const SPLIT_FEATURE = 1; // -1: no valid split
export const SPLIT_BIN = 2; // numeric: bins 1..BIN go left
export const SPLIT_DEFAULT_LEFT = 3; // 1: missing values go left
export const SPLIT_GL = 4; // sums of the rows that go left (missing ones included when they go left)
export const SPLIT_HL = 5;
export const SPLIT_CL = 6;
export const SPLIT_CATEGORICAL = 7;
export const SPLIT_MASK = 8; // 8 words: bit b set = bin b goes left
export const SPLIT_FIELDS = 16;

export interface SplitRules {
  readonly l1: number;
  readonly l2: number;
  readonly minHessian: number;
  readonly minSamples: number;
  readonly minGain: number;
  readonly categoricalSmoothing: number;
  readonly categoricalL2: number;
  readonly minCategorySamples: number;
  readonly maxCategories: number;
  /** float64s per histogram bin: 2 (g, h) or 4 (g, h, count, unused) */
  readonly cells: number;
}

export interface FeatureMeta {
  readonly nBins: Int32Array; // (nFeatures) bins in use, missing bin included
  readonly regionOf: Int32Array; // (nFeatures) the feature's region in a histogram slot (bundling.ts)
  readonly categorical: Uint8Array; // (nFeatures)
  readonly monotone: Int8Array; // (nFeatures) -1, 0, 1
}

/** The statistics of a node a split search needs. */
export interface NodeStats {
  G: number;
  H: number;
  /** rows in the node */
  C: number;
  /** monotone bounds on the node's leaf weight */
  lower: number;
  upper: number;
}

const softThreshold = (g: number, l1: number): number => (g > l1 ? g - l1 : g < -l1 ? g + l1 : 0);

/** The optimal leaf weight for sums (G, H), clipped to [lower, upper]. */
export function leafWeight(G: number, H: number, l1: number, l2: number, lower: number, upper: number): number {
  const w = -softThreshold(G, l1) / (H + l2);
  return w < lower ? lower : w > upper ? upper : w;
}

/**
 * Monotone bounds of a split's children [lowerL, upperL, lowerR, upperR]: with a constraint, the two children are
 * separated at the midpoint of their (bounded) weights, so every later leaf on the left stays below every leaf on
 * the right (XGBoost's rule); without one they inherit the parent's bounds.
 */
export function childBounds(
  mono: number,
  GL: number,
  HL: number,
  GR: number,
  HR: number,
  l1: number,
  l2: number,
  lower: number,
  upper: number,
): [number, number, number, number] {
  if (mono === 0) return [lower, upper, lower, upper];
  const mid = (leafWeight(GL, HL, l1, l2, lower, upper) + leafWeight(GR, HR, l1, l2, lower, upper)) / 2;
  return mono > 0 ? [lower, mid, mid, upper] : [mid, upper, lower, mid];
}

/** Loss reduction of a leaf with sums (G, H) at weight w (equals softThreshold(G)² / (H + λ) at the optimum). */
function scoreAt(G: number, H: number, w: number, l1: number, l2: number): number {
  return -(2 * softThreshold(G, l1) * w + (H + l2) * w * w);
}

export class SplitFinder {
  // categorical scratch: the candidate bins of one feature and their sort keys
  private readonly catBins = new Int32Array(256);
  private readonly catKeys = new Float64Array(256);
  private readonly catMask = new Uint32Array(8);

  constructor(
    private readonly rules: SplitRules,
    private readonly meta: FeatureMeta,
  ) {}

  /**
   * Best split of a node over features[0..count) (ascending) whose `allowed` flag is set, from the histogram slot at
   * `offset`. Writes a record at out[o..o+SPLIT_FIELDS); ties go to the lower feature, then the lower bin.
   */
  find(hist: Float64Array, offset: number, features: Int32Array, count: number, allowed: Uint8Array, node: NodeStats, out: Float64Array, o: number): void {
    out.fill(0, o, o + SPLIT_FIELDS);
    out[o + SPLIT_FEATURE] = -1;
    const { l1, l2, minGain } = this.rules;
    const bounded = node.lower !== -Infinity || node.upper !== Infinity;
    const wParent = leafWeight(node.G, node.H, l1, l2, node.lower, node.upper);
    const parentScore = scoreAt(node.G, node.H, wParent, l1, l2);
    let best = minGain > 0 ? minGain : 0;
    for (let i = 0; i < count; i++) {
      const f = features[i];
      if (!allowed[f] || this.meta.nBins[f] < 3) continue;
      const gain = this.meta.categorical[f]
        ? this.scanCategorical(hist, offset, f, node, parentScore, best, out, o)
        : this.scanNumeric(hist, offset, f, node, parentScore, bounded || l1 !== 0 || this.meta.monotone[f] !== 0, best, out, o);
      if (gain > best) best = gain;
    }
  }

  private scanNumeric(hist: Float64Array, offset: number, f: number, node: NodeStats, parentScore: number, general: boolean, best: number, out: Float64Array, o: number): number {
    const { l1, l2, minHessian, minSamples, cells } = this.rules;
    const nb = this.meta.nBins[f];
    const mono = this.meta.monotone[f];
    const { G, H, C, lower, upper } = node;
    const counted = cells !== 2;
    const perHess = H > 0 ? C / H : 0; // row-count estimate when the histogram has no count cell
    const base = offset + this.meta.regionOf[f] * featureCells(cells);
    const gM = hist[base];
    const hM = hist[base + 1];
    const cM = counted ? hist[base + 2] : hM * perHess;
    const hasMissing = counted ? cM > 0 : hM > 0;
    if (!general && !hasMissing) return this.scanNumericPlain(hist, base, f, nb, node, parentScore, best, out, o);
    let GL = 0;
    let HL = 0;
    let CL = 0;
    let found = best;
    for (let t = 1; t < nb; t++) {
      const c = base + t * cells;
      const hb = hist[c + 1];
      const cb = counted ? hist[c + 2] : hb * perHess;
      if (cb === 0 && hb === 0 && t < nb - 1) continue; // an empty bin repeats the previous candidate
      GL += hist[c];
      HL += hb;
      CL += cb;
      // two candidates: missing right (left = bins 1..t), missing left (left += missing bin)
      for (let side = 0; side < 2; side++) {
        let gl = GL;
        let hl = HL;
        let cl = CL;
        if (side === 1) {
          if (!hasMissing || t === nb - 1) break;
          gl += gM;
          hl += hM;
          cl += cM;
        } else if (t === nb - 1 && !hasMissing) break;
        const gr = G - gl;
        const hr = H - hl;
        const cr = C - cl;
        if (hl < minHessian || hr < minHessian || cl < minSamples || cr < minSamples || hl <= 0 || hr <= 0) continue;
        let gain: number;
        if (!general) gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        else {
          const wl = leafWeight(gl, hl, l1, l2, lower, upper);
          const wr = leafWeight(gr, hr, l1, l2, lower, upper);
          if (mono !== 0 && mono * (wr - wl) < 0) continue;
          gain = scoreAt(gl, hl, wl, l1, l2) + scoreAt(gr, hr, wr, l1, l2) - parentScore;
        }
        if (gain > found) {
          found = gain;
          out[o + SPLIT_GAIN] = gain;
          out[o + SPLIT_FEATURE] = f;
          out[o + SPLIT_BIN] = t;
          // without missing rows here, unseen missing values follow the heavier side
          out[o + SPLIT_DEFAULT_LEFT] = side === 1 || (!hasMissing && hl >= hr) ? 1 : 0;
          out[o + SPLIT_GL] = gl;
          out[o + SPLIT_HL] = hl;
          out[o + SPLIT_CL] = cl;
          out[o + SPLIT_CATEGORICAL] = 0;
        }
      }
    }
    return found;
  }

  /**
   * The common case, kept tight: no missing values in the node, no L1, no bounds, no monotone constraint. One
   * candidate per non-empty bin; the right side only shrinks as t grows, so the scan stops once it is too small.
   */
  private scanNumericPlain(hist: Float64Array, base: number, f: number, nb: number, node: NodeStats, parentScore: number, best: number, out: Float64Array, o: number): number {
    const { l2, minHessian, minSamples, cells } = this.rules;
    const counted = cells !== 2;
    const { G, H, C } = node;
    const perHess = H > 0 ? C / H : 0;
    // a candidate beats the best so far when GL²/dL + GR²/dR > bar (d = H + λ); multiplied out, that is
    // GL²·dR + GR²·dL > bar·dL·dR: no division per candidate, one per improvement
    let bar = best + parentScore;
    let GL = 0;
    let HL = 0;
    let CL = 0;
    let pick = -1;
    let pickG = 0;
    let pickH = 0;
    let pickC = 0;
    for (let t = 1, c = base + cells; t < nb - 1; t++, c += cells) {
      const hb = hist[c + 1];
      const cb = counted ? hist[c + 2] : hb * perHess;
      if (hb === 0 && cb === 0) continue;
      GL += hist[c];
      HL += hb;
      CL += cb;
      if (HL < minHessian || CL < minSamples || HL <= 0) continue;
      const HR = H - HL;
      if (HR < minHessian || C - CL < minSamples || HR <= 0) break;
      const GR = G - GL;
      const dl = HL + l2;
      const dr = HR + l2;
      const num = GL * GL * dr + GR * GR * dl;
      if (num > bar * dl * dr) {
        bar = num / (dl * dr);
        pick = t;
        pickG = GL;
        pickH = HL;
        pickC = CL;
      }
    }
    if (pick < 0) return best;
    const gain = bar - parentScore;
    out[o + SPLIT_GAIN] = gain;
    out[o + SPLIT_FEATURE] = f;
    out[o + SPLIT_BIN] = pick;
    // no missing rows here: unseen missing values follow the heavier side
    out[o + SPLIT_DEFAULT_LEFT] = pickH >= H - pickH ? 1 : 0;
    out[o + SPLIT_GL] = pickG;
    out[o + SPLIT_HL] = pickH;
    out[o + SPLIT_CL] = pickC;
    out[o + SPLIT_CATEGORICAL] = 0;
    return gain;
  }

  /**
   * Categories with enough rows are ordered by g / (h + smoothing); the left side is a run of up to maxCategories
   * from either end of that order. Rare categories stay with the right side; missing values try both.
   */
  private scanCategorical(hist: Float64Array, offset: number, f: number, node: NodeStats, parentScore: number, best: number, out: Float64Array, o: number): number {
    const { l1, minHessian, minSamples, cells, categoricalSmoothing, minCategorySamples, maxCategories } = this.rules;
    const l2 = this.rules.l2 + this.rules.categoricalL2;
    const nb = this.meta.nBins[f];
    const { G, H, C, lower, upper } = node;
    const counted = cells !== 2;
    const perHess = H > 0 ? C / H : 0;
    const base = offset + this.meta.regionOf[f] * featureCells(cells);
    const bins = this.catBins;
    const keys = this.catKeys;
    let m = 0;
    let present = 0; // non-empty categories, whether or not they are frequent enough to be ordered
    for (let b = 1; b < nb; b++) {
      const c = base + b * cells;
      const hb = hist[c + 1];
      const cb = counted ? hist[c + 2] : hb * perHess;
      if (hb > 0) present++;
      if (cb < minCategorySamples || hb <= 0) continue;
      // insertion sort by key, then bin: at most 255 entries, and stable
      const key = hist[c] / (hb + categoricalSmoothing);
      let i = m++;
      while (i > 0 && keys[i - 1] > key) {
        keys[i] = keys[i - 1];
        bins[i] = bins[i - 1];
        i--;
      }
      keys[i] = key;
      bins[i] = b;
    }
    if (m < 2) return best;
    const gM = hist[base];
    const hM = hist[base + 1];
    const cM = counted ? hist[base + 2] : hM * perHess;
    const hasMissing = counted ? cM > 0 : hM > 0;
    const maxRun = Math.min(maxCategories, m - 1);
    // when every category is in the order and runs may reach m - 1, the runs from the high end are the complements
    // of those from the low end (same partitions, sides swapped): one direction is enough
    const directions = maxRun === m - 1 && present === m ? 1 : 2;
    const plain = l1 === 0 && lower === -Infinity && upper === Infinity;
    let found = best;
    let bestFrom = -1; // 0: run from the low end, 1: from the high end
    let bestRun = 0;
    for (let from = 0; from < directions; from++) {
      let GL = 0;
      let HL = 0;
      let CL = 0;
      for (let j = 0; j < maxRun; j++) {
        const b = bins[from === 0 ? j : m - 1 - j];
        const c = base + b * cells;
        GL += hist[c];
        HL += hist[c + 1];
        CL += counted ? hist[c + 2] : hist[c + 1] * perHess;
        for (let side = 0; side < (hasMissing ? 2 : 1); side++) {
          const gl = side ? GL + gM : GL;
          const hl = side ? HL + hM : HL;
          const cl = side ? CL + cM : CL;
          const gr = G - gl;
          const hr = H - hl;
          const cr = C - cl;
          if (hl < minHessian || hr < minHessian || cl < minSamples || cr < minSamples || hl <= 0 || hr <= 0) continue;
          const gain = plain
            ? (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore
            : scoreAt(gl, hl, leafWeight(gl, hl, l1, l2, lower, upper), l1, l2) +
              scoreAt(gr, hr, leafWeight(gr, hr, l1, l2, lower, upper), l1, l2) -
              parentScore;
          if (gain > found) {
            found = gain;
            bestFrom = from;
            bestRun = j + 1;
            out[o + SPLIT_GAIN] = gain;
            out[o + SPLIT_FEATURE] = f;
            out[o + SPLIT_BIN] = 0;
            out[o + SPLIT_DEFAULT_LEFT] = side === 1 || (!hasMissing && hl >= hr) ? 1 : 0;
            out[o + SPLIT_GL] = gl;
            out[o + SPLIT_HL] = hl;
            out[o + SPLIT_CL] = cl;
            out[o + SPLIT_CATEGORICAL] = 1;
          }
        }
      }
    }
    if (bestFrom >= 0) {
      const mask = this.catMask;
      mask.fill(0);
      for (let j = 0; j < bestRun; j++) {
        const b = bins[bestFrom === 0 ? j : m - 1 - j];
        mask[b >>> 5] |= 1 << (b & 31);
      }
      for (let k = 0; k < 8; k++) out[o + SPLIT_MASK + k] = mask[k];
    }
    return found;
  }
}
