// Exclusive feature bundling (LightGBM's EFB, exact form): sparse features that are never non-default on the same row
// (one-hot columns are the typical case) share one bin column, so a histogram pass reads one byte for the whole group
// instead of one per feature. Splits stay on the original features: a bundled feature's histogram is filled from the
// bundle's bins, and its default bin is the node's totals minus its other bins.
//
//   bundle bin 0                        every member at its default (most frequent) bin
//   bundle bins start_j .. start_j+n_j  member j's non-default bins, in bin order
//
// Histogram regions (one per feature, 256 bins each) are ordered plain features first, in column order, then the
// bundled features bundle by bundle, so a contiguous range of columns owns a contiguous range of regions.

import { binColumn, MISSING_BIN, type FeatureBinning } from './binning.js';
import type { Matrix } from '../../core/learner.js';

/** How features map to bin columns and histogram regions. */
export interface ColumnPlan {
  readonly nFeatures: number;
  readonly nColumns: number;
  /** columns [0, nPlain) hold one feature each (column c = region c), the others are bundles */
  readonly nPlain: number;
  readonly columnOf: Int32Array; // (nFeatures)
  readonly regionOf: Int32Array; // (nFeatures) histogram region of the feature
  readonly featureOfRegion: Int32Array; // (nFeatures)
  /** bundle columns: first region of their members (plain columns: the column itself); one entry past the end */
  readonly columnRegion: Int32Array; // (nColumns + 1)
  /** bundled features: default bin, and the first bundle bin of their non-default bins; -1 for plain features */
  readonly defaultBin: Int32Array; // (nFeatures)
  readonly bundleStart: Int32Array; // (nFeatures)
}

/** Features no larger than this many bins may be bundled (each costs nBins - 2 bundle bins). */
const MAX_BUNDLED_BINS = 64;
/** A feature is a candidate when at most this share of its rows is away from its default bin. */
const MAX_NON_DEFAULT_SHARE = 0.2;

/** The column of a feature's bin for one value (a bundled feature's non-default bins follow its default one). */
function bundleBin(plan: ColumnPlan, f: number, bin: number): number {
  const d = plan.defaultBin[f];
  if (bin === d) return 0;
  return plan.bundleStart[f] + (bin < d ? bin - 1 : bin - 2);
}

/** The bin of feature f stored in column value `b` of its column (the inverse of bundleBin). */
export function featureBin(plan: ColumnPlan, f: number, b: number, nBins: number): number {
  const start = plan.bundleStart[f];
  if (start < 0) return b;
  const d = plan.defaultBin[f];
  const k = b - start; // index among the non-default bins 1..nBins-1 without d
  if (b === 0 || k < 0 || k >= nBins - 2) return d;
  return k + 1 < d ? k + 1 : k + 2;
}

/**
 * Bin every feature of `x` and decide the bundles: greedy over the sparsest-first candidates (no missing values, at
 * most MAX_NON_DEFAULT_SHARE of rows off the default bin), each joining the first bundle it never collides with.
 * Writes the column-major bin matrix (nColumns × nRows) into `columns` via `out(nColumns)`, which returns it.
 */
export function bundleAndBin(
  x: Matrix,
  bins: readonly FeatureBinning[],
  enabled: boolean,
  out: (nColumns: number) => Uint8Array,
): ColumnPlan {
  const n = x.nRows;
  const F = bins.length;
  const column = new Uint8Array(n); // (nRows) one feature's bins
  const defaultBin = new Int32Array(F).fill(-1);
  const bundleStart = new Int32Array(F).fill(-1);
  const candidates: { f: number; nonDefault: number }[] = [];
  if (enabled) {
    const counts = new Float64Array(256);
    for (let f = 0; f < F; f++) {
      if (bins[f].nBins > MAX_BUNDLED_BINS || bins[f].nBins < 3) continue;
      binColumn(bins[f], x, f, 0, n, column, 0);
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[column[i]]++;
      if (counts[MISSING_BIN] > 0) continue;
      let d = 1;
      for (let b = 2; b < bins[f].nBins; b++) if (counts[b] > counts[d]) d = b;
      if (n - counts[d] <= MAX_NON_DEFAULT_SHARE * n) {
        defaultBin[f] = d;
        candidates.push({ f, nonDefault: n - counts[d] });
      }
    }
  }
  // greedy: most populated first, into the first bundle without a collision (and room for its bins)
  candidates.sort((a, b) => b.nonDefault - a.nonDefault || a.f - b.f);
  const bundles: { members: number[]; used: Uint8Array; bins: number }[] = [];
  for (const { f } of candidates) {
    binColumn(bins[f], x, f, 0, n, column, 0);
    const d = defaultBin[f];
    const need = bins[f].nBins - 2;
    let home = -1;
    for (let k = 0; k < bundles.length && home < 0; k++) {
      if (bundles[k].bins + need > 255) continue;
      let clash = false;
      const used = bundles[k].used;
      for (let i = 0; i < n && !clash; i++) if (column[i] !== d && used[i]) clash = true;
      if (!clash) home = k;
    }
    if (home < 0) {
      bundles.push({ members: [], used: new Uint8Array(n), bins: 0 });
      home = bundles.length - 1;
    }
    const b = bundles[home];
    for (let i = 0; i < n; i++) if (column[i] !== d) b.used[i] = 1;
    b.members.push(f);
    b.bins += need;
  }
  // single-member bundles are plain features after all
  const kept = bundles.filter((b) => b.members.length > 1);
  const bundled = new Set(kept.flatMap((b) => b.members));
  for (let f = 0; f < F; f++) if (!bundled.has(f)) defaultBin[f] = -1;

  const plain: number[] = [];
  for (let f = 0; f < F; f++) if (!bundled.has(f)) plain.push(f);
  const nPlain = plain.length;
  const nColumns = nPlain + kept.length;
  const columnOf = new Int32Array(F);
  const regionOf = new Int32Array(F);
  const featureOfRegion = new Int32Array(F);
  const columnRegion = new Int32Array(nColumns + 1);
  plain.forEach((f, c) => {
    columnOf[f] = c;
    regionOf[f] = c;
    featureOfRegion[c] = f;
    columnRegion[c] = c;
  });
  let region = nPlain;
  kept.forEach((b, k) => {
    const c = nPlain + k;
    columnRegion[c] = region;
    let start = 1;
    for (const f of b.members.sort((p, q) => p - q)) {
      columnOf[f] = c;
      regionOf[f] = region;
      featureOfRegion[region++] = f;
      bundleStart[f] = start;
      start += bins[f].nBins - 2;
    }
  });
  columnRegion[nColumns] = region;
  const plan: ColumnPlan = { nFeatures: F, nColumns, nPlain, columnOf, regionOf, featureOfRegion, columnRegion, defaultBin, bundleStart };

  const columns = out(nColumns);
  plain.forEach((f, c) => binColumn(bins[f], x, f, 0, n, columns, c * n));
  kept.forEach((b, k) => {
    const dst = columns.subarray((nPlain + k) * n, (nPlain + k + 1) * n);
    for (const f of b.members) {
      binColumn(bins[f], x, f, 0, n, column, 0);
      for (let i = 0; i < n; i++) {
        const cb = bundleBin(plan, f, column[i]);
        if (cb !== 0) dst[i] = cb;
      }
    }
  });
  return plan;
}

/** Per column: the byte offset, within a histogram slot, of each column bin's (g, h) (bin 0 of a bundle: `trash`). */
export function columnTables(plan: ColumnPlan, bins: readonly FeatureBinning[], cells: number, trash: number): Int32Array {
  const table = new Int32Array(plan.nColumns * 256).fill(trash);
  const binBytes = cells * 8;
  for (let f = 0; f < plan.nFeatures; f++) {
    const c = plan.columnOf[f];
    const regionBytes = plan.regionOf[f] * 256 * binBytes;
    for (let b = 0; b < bins[f].nBins; b++) {
      // a bundled feature has no missing values (bin 0) and its default bin is implied
      if (plan.bundleStart[f] >= 0 && (b === MISSING_BIN || b === plan.defaultBin[f])) continue;
      const cb = plan.bundleStart[f] >= 0 ? bundleBin(plan, f, b) : b;
      table[c * 256 + cb] = regionBytes + b * binBytes;
    }
  }
  return table;
}
