// How well each column alone predicts the target, used to flag suspected leakage. Each column is cut into
// bins (quantile bins for numbers, one bin per label, one for missing); the target rate (or mean) per bin is
// learned on half the rows and scored on the other half, and the halves swap (2-fold cross-fitting), so a
// column of unique ids scores like chance instead of "perfect". Score: AUC for classes (one-vs-rest averaged
// over classes), R² for numbers. Pure.

import type { Column } from '../../core/frame.js';
import { quantileSorted, sortedPresent } from '../stats.js';

export type TargetTask = 'classification' | 'regression';

export interface ColumnPower {
  name: string;
  /** AUC (classification) or R² (regression), out of fold */
  score: number;
  /** 0 = no signal, 1 = perfect: 2 AUC - 1 for classes, R² for numbers */
  strength: number;
}

/** Rows used at most; larger frames are sampled with a fixed stride (deterministic). */
const MAX_ROWS = 100_000;
const NUMBER_BINS = 20;

/** The target as class indices (classification) or numbers (regression), NaN/-1 where missing. */
export interface EncodedTarget {
  task: TargetTask;
  /** (nRows) class index or -1 (classification) */
  classes?: Int32Array;
  nClasses?: number;
  /** (nRows) value or NaN (regression) */
  values?: Float64Array;
}

export function scoreColumns(columns: readonly { name: string; column: Column }[], target: EncodedTarget, nRows: number): ColumnPower[] {
  const rows = sampleRows(nRows, target);
  return columns.map(({ name, column }) => {
    const bins = binColumn(column, rows);
    const score = target.task === 'classification' ? crossFitAuc(bins, rows, target) : crossFitR2(bins, rows, target);
    const strength = target.task === 'classification' ? Math.max(0, 2 * score - 1) : Math.max(0, score);
    return { name, score, strength };
  });
}

// Rows with a target value, at most MAX_ROWS of them, taken with a fixed stride.
function sampleRows(nRows: number, target: EncodedTarget): Uint32Array {
  const present = new Uint32Array(nRows); // (nPresent) row indices
  let n = 0;
  for (let i = 0; i < nRows; i++) {
    const ok = target.task === 'classification' ? (target.classes as Int32Array)[i] >= 0 : !Number.isNaN((target.values as Float64Array)[i]);
    if (ok) present[n++] = i;
  }
  if (n <= MAX_ROWS) return present.slice(0, n);
  const out = new Uint32Array(MAX_ROWS);
  const stride = n / MAX_ROWS;
  for (let k = 0; k < MAX_ROWS; k++) out[k] = present[Math.floor(k * stride)];
  return out;
}

/** (nSampled) bin index per sampled row; bin 0 holds missing values. */
function binColumn(column: Column, rows: Uint32Array): { bins: Int32Array; nBins: number } {
  const bins = new Int32Array(rows.length);
  if (column.kind === 'category') {
    for (let k = 0; k < rows.length; k++) bins[k] = column.codes[rows[k]] + 1;
    return { bins, nBins: column.dictionary.length + 1 };
  }
  if (column.kind === 'text') {
    const index = new Map<string, number>();
    for (let k = 0; k < rows.length; k++) {
      const v = column.values[rows[k]];
      if (v === null) continue;
      let b = index.get(v);
      if (b === undefined) index.set(v, (b = index.size + 1));
      bins[k] = b;
    }
    return { bins, nBins: index.size + 1 };
  }
  const values = column.values;
  const picked = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) picked[k] = values[rows[k]];
  const sorted = sortedPresent(picked);
  // unique quantile edges: ties stay in one bin, so a value never straddles two
  const edges: number[] = [];
  for (let q = 1; q < NUMBER_BINS; q++) {
    const e = quantileSorted(sorted, q / NUMBER_BINS);
    if (!edges.length || e > edges[edges.length - 1]) edges.push(e);
  }
  for (let k = 0; k < rows.length; k++) {
    const v = picked[k];
    if (v !== v) continue;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= edges[mid]) hi = mid;
      else lo = mid + 1;
    }
    bins[k] = lo + 1;
  }
  return { bins, nBins: edges.length + 2 };
}

function crossFitAuc({ bins, nBins }: { bins: Int32Array; nBins: number }, rows: Uint32Array, target: EncodedTarget): number {
  const classes = target.classes as Int32Array;
  const nClasses = target.nClasses ?? 2;
  const n = rows.length;
  const y = new Int32Array(n);
  for (let k = 0; k < n; k++) y[k] = classes[rows[k]];
  // counts per fold: (2, nBins, nClasses) and (2, nBins)
  const counts = new Float64Array(2 * nBins * nClasses);
  const totals = new Float64Array(2 * nBins);
  const prior = new Float64Array(2 * nClasses);
  for (let k = 0; k < n; k++) {
    const f = k & 1;
    counts[(f * nBins + bins[k]) * nClasses + y[k]]++;
    totals[f * nBins + bins[k]]++;
    prior[f * nClasses + y[k]]++;
  }
  const positives = [...Array(nClasses).keys()].filter((c) => prior[c] + prior[nClasses + c] > 0);
  const classList = nClasses === 2 ? [1] : positives;
  let sum = 0;
  let weight = 0;
  const score = new Float64Array(n);
  for (const c of classList) {
    for (let k = 0; k < n; k++) {
      const other = 1 - (k & 1); // learned on the other half
      const t = totals[other * nBins + bins[k]];
      const p = prior[other * nClasses + c] / (n >> 1 || 1);
      // one pseudo-row at the prior keeps bins seen once from claiming certainty
      score[k] = (counts[(other * nBins + bins[k]) * nClasses + c] + p) / (t + 1);
    }
    const w = nClasses === 2 ? 1 : prior[c] + prior[nClasses + c];
    sum += w * auc(score, y, c);
    weight += w;
  }
  return weight > 0 ? sum / weight : 0.5;
}

/** Area under the ROC curve of `score` for class `c` against the rest, ties counted half. */
export function auc(score: Float64Array, y: Int32Array, c: number): number {
  const n = score.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && score[order[j]] === score[order[i]]) j++;
    const avgRank = (i + j + 1) / 2; // 1-based average rank of the tie group
    for (let k = i; k < j; k++) {
      if (y[order[k]] === c) {
        rankSum += avgRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function crossFitR2({ bins, nBins }: { bins: Int32Array; nBins: number }, rows: Uint32Array, target: EncodedTarget): number {
  const values = target.values as Float64Array;
  const n = rows.length;
  const sums = new Float64Array(2 * nBins); // (2, nBins)
  const counts = new Float64Array(2 * nBins);
  const foldSum = [0, 0];
  const foldCount = [0, 0];
  for (let k = 0; k < n; k++) {
    const f = k & 1;
    const v = values[rows[k]];
    sums[f * nBins + bins[k]] += v;
    counts[f * nBins + bins[k]]++;
    foldSum[f] += v;
    foldCount[f]++;
  }
  let sse = 0;
  let sst = 0;
  const mean = (foldSum[0] + foldSum[1]) / Math.max(1, n);
  for (let k = 0; k < n; k++) {
    const other = 1 - (k & 1);
    const prior = foldSum[other] / Math.max(1, foldCount[other]);
    const c = counts[other * nBins + bins[k]];
    const predicted = (sums[other * nBins + bins[k]] + prior) / (c + 1);
    const v = values[rows[k]];
    sse += (v - predicted) ** 2;
    sst += (v - mean) ** 2;
  }
  return sst > 0 ? 1 - sse / sst : 0;
}
