// Feature binning for the 'best' splitter: each value becomes a Uint8 bin code so that a node's split search builds a
// histogram over codes instead of sorting rows. A feature with at most `maxBins` distinct values gets one bin per value,
// so its candidate splits are exactly those of an exhaustive search (thresholds midway between neighbouring values, as
// scikit-learn's CART does); wider features get quantile bins. Missing values (NaN) get the reserved code MISSING_BIN.
// Fit-time only; prediction compares raw values with the stored thresholds and never needs the bins.

import type { Matrix } from '../../core/learner.js';

/** code of a missing value; real bins use 0..MAX_BINS-1 */
export const MISSING_BIN = 255;
export const MAX_BINS = 255;

export interface Binning {
  /** number of bins of each feature (1..maxBins); a feature with no non-missing value has 1 */
  readonly nBins: Int32Array; // (nCols)
  /**
   * Upper edges: bin b of feature f holds the values v with edge(b-1) < v <= edge(b), where
   * edge(b) = edges[offsets[f] + b] for b < nBins[f] - 1; the last bin is open above.
   */
  readonly edges: Float64Array; // (Σ nBins[f] - 1)
  readonly offsets: Int32Array; // (nCols + 1)
  /** 1 when the feature has more distinct values than bins (its bins merge values; splits inside a bin are lost) */
  readonly lossy: Uint8Array; // (nCols)
}

/**
 * Learn bin edges from the rows of `x` (all of them). Values are sorted once per feature; each distinct value's count
 * decides where the quantile edges fall, so a heavily repeated value never straddles two bins.
 */
export function fitBinning(x: Matrix, maxBins = MAX_BINS): Binning {
  if (!(maxBins >= 2 && maxBins <= MAX_BINS)) throw new RangeError(`maxBins must be in 2..${MAX_BINS}, got ${maxBins}`);
  const { nRows, nCols, data } = x;
  const sorted = new Float64Array(nRows); // (nRows) scratch: one feature's non-missing values
  const nBins = new Int32Array(nCols);
  const offsets = new Int32Array(nCols + 1);
  const lossy = new Uint8Array(nCols);
  const perFeature: Float64Array[] = [];
  const edgeBuffer = new Float64Array(maxBins); // (maxBins - 1 used) scratch: one feature's edges
  for (let j = 0; j < nCols; j++) {
    let n = 0;
    const base = j * nRows;
    for (let i = 0; i < nRows; i++) {
      const v = data[base + i];
      if (v === v) sorted[n++] = v;
    }
    const values = sorted.subarray(0, n).sort();
    let nUnique = 0;
    for (let i = 0; i < n; i++) if (i === 0 || values[i] !== values[i - 1]) nUnique++;
    let nEdges = 0;
    if (nUnique <= maxBins) {
      for (let i = 1; i < n; i++) if (values[i] !== values[i - 1]) edgeBuffer[nEdges++] = midpoint(values[i - 1], values[i]);
    } else {
      lossy[j] = 1;
      // walk the distinct values with their cumulative count; put an edge after the value whose count first reaches
      // the next multiple of n / maxBins (at most maxBins - 1 edges since the cumulative count stays below n)
      const step = n / maxBins;
      let next = step;
      let i = 0;
      while (i < n) {
        let k = i + 1;
        while (k < n && values[k] === values[i]) k++;
        // values[i..k) are one distinct value; k rows are at or below it
        if (k < n && k >= next) {
          edgeBuffer[nEdges++] = midpoint(values[i], values[k]);
          while (next <= k) next += step;
        }
        i = k;
      }
    }
    nBins[j] = nEdges + 1;
    offsets[j + 1] = offsets[j] + nEdges;
    perFeature.push(edgeBuffer.slice(0, nEdges));
  }
  const edges = new Float64Array(offsets[nCols]);
  for (let j = 0; j < nCols; j++) edges.set(perFeature[j], offsets[j]);
  return { nBins, edges, offsets, lossy };
}

/** A threshold between two neighbouring values a < b, strictly below b so that `b <= threshold` is false. */
export function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2; // halves first: no overflow near ±Number.MAX_VALUE
  return m < b ? m : a;
}

/** Bin codes of every value of `x`, column-major like the matrix: code(v) = the first b with v <= edge(b). */
export function binMatrix(x: Matrix, binning: Binning): Uint8Array {
  const { nRows, nCols, data } = x;
  const out = new Uint8Array(nRows * nCols); // (nCols, nRows)
  for (let j = 0; j < nCols; j++) {
    const lo0 = binning.offsets[j];
    const nEdges = binning.nBins[j] - 1;
    const edges = binning.edges;
    const base = j * nRows;
    for (let i = 0; i < nRows; i++) {
      const v = data[base + i];
      if (v !== v) {
        out[base + i] = MISSING_BIN;
        continue;
      }
      let lo = 0;
      let hi = nEdges;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v <= edges[lo0 + mid]) hi = mid;
        else lo = mid + 1;
      }
      out[base + i] = lo;
    }
  }
  return out;
}

/** The raw-value threshold equivalent to "bin code <= b" for feature f (Infinity after the last bin). */
export function binThreshold(binning: Binning, f: number, b: number): number {
  return b < binning.nBins[f] - 1 ? binning.edges[binning.offsets[f] + b] : Infinity;
}
