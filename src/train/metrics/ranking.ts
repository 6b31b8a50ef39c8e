// Ranking metrics for a binary score: the ROC curve and its area, the precision-recall curve and average
// precision, with scikit-learn's definitions (tied scores form one threshold, so ties count half in the AUC).
// All of them sort once, O(n log n), then sweep the distinct thresholds from the highest score down.

import { checkFinite, checkLabels, checkLength, checkNotEmpty, checkWeights, metricError } from './inputs.js';

/** Cumulative counts at each distinct score, highest first: predicting "positive when score >= threshold". */
export interface BinaryCurve {
  /** (nThresholds) weighted false positives at each threshold */
  readonly fps: Float64Array;
  /** (nThresholds) weighted true positives at each threshold */
  readonly tps: Float64Array;
  /** (nThresholds) the distinct scores, decreasing */
  readonly thresholds: Float64Array;
}

export function binaryCurve(metric: string, yTrue: ArrayLike<number>, score: ArrayLike<number>, weights?: ArrayLike<number>): BinaryCurve {
  const n = yTrue.length;
  checkNotEmpty(metric, n);
  checkLength(metric, 'scores', score, n);
  checkLabels(metric, yTrue, 2);
  checkFinite(metric, 'scores', score);
  checkWeights(metric, weights, n);
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  const m = weights ? sweepWeighted(yTrue, score, weights, fps, tps, thresholds) : sweepCounts(yTrue, score, fps, tps, thresholds);
  return { fps: fps.slice(0, m), tps: tps.slice(0, m), thresholds: thresholds.slice(0, m) };
}

/** one sort of row indices by score, descending, then cumulative weights closed at the end of each tie run */
function sweepWeighted(yTrue: ArrayLike<number>, score: ArrayLike<number>, weights: ArrayLike<number>, fps: Float64Array, tps: Float64Array, thresholds: Float64Array): number {
  const n = yTrue.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[b] - score[a] || a - b);
  let tp = 0;
  let fp = 0;
  let m = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (yTrue[i] === 1) tp += weights[i];
    else fp += weights[i];
    if (r === n - 1 || score[order[r + 1]] !== score[i]) {
      fps[m] = fp;
      tps[m] = tp;
      thresholds[m] = score[i];
      m++;
    }
  }
  return m;
}

/**
 * Unweighted rows need only counts: the positives' and the negatives' scores are sorted apart with the native
 * numeric sort (several times faster than sorting indices with a comparator), then merged from the top.
 */
function sweepCounts(yTrue: ArrayLike<number>, score: ArrayLike<number>, fps: Float64Array, tps: Float64Array, thresholds: Float64Array): number {
  const n = yTrue.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) nPos++;
  const pos = new Float64Array(nPos); // (nPositives) ascending after sort
  const neg = new Float64Array(n - nPos); // (nNegatives) ascending after sort
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (yTrue[i] === 1) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  pos.sort();
  neg.sort();
  let a = nPos - 1;
  let b = neg.length - 1;
  let m = 0;
  while (a >= 0 || b >= 0) {
    const t = a < 0 ? neg[b] : b < 0 ? pos[a] : Math.max(pos[a], neg[b]);
    while (a >= 0 && pos[a] === t) a--;
    while (b >= 0 && neg[b] === t) b--;
    tps[m] = nPos - 1 - a;
    fps[m] = neg.length - 1 - b;
    thresholds[m] = t;
    m++;
  }
  return m;
}

export interface RocCurve {
  /** false positive rate, increasing from 0 to 1 */
  readonly fpr: Float64Array;
  /** true positive rate, increasing from 0 to 1 */
  readonly tpr: Float64Array;
  /** threshold of each point (positive when score >= threshold); the first is +Infinity (nobody positive) */
  readonly thresholds: Float64Array;
}

/**
 * ROC curve points. As scikit-learn's `drop_intermediate=True`, points on a straight segment between their
 * neighbours are dropped (they do not change the curve), which keeps plots small.
 */
export function rocCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, options: { weights?: ArrayLike<number>; dropIntermediate?: boolean } = {}): RocCurve {
  const c = binaryCurve('roc_curve', yTrue, score, options.weights);
  const m = c.fps.length;
  const keep: number[] = [];
  for (let i = 0; i < m; i++) {
    const collinear =
      options.dropIntermediate !== false && i > 0 && i < m - 1 &&
      c.fps[i + 1] - 2 * c.fps[i] + c.fps[i - 1] === 0 && c.tps[i + 1] - 2 * c.tps[i] + c.tps[i - 1] === 0;
    if (!collinear) keep.push(i);
  }
  const positives = c.tps[m - 1];
  const negatives = c.fps[m - 1];
  if (positives <= 0 || negatives <= 0) metricError('roc_curve', 'needs both classes among the rows (only one is present)');
  const fpr = new Float64Array(keep.length + 1);
  const tpr = new Float64Array(keep.length + 1);
  const thresholds = new Float64Array(keep.length + 1);
  thresholds[0] = Infinity;
  keep.forEach((i, r) => {
    fpr[r + 1] = c.fps[i] / negatives;
    tpr[r + 1] = c.tps[i] / positives;
    thresholds[r + 1] = c.thresholds[i];
  });
  return { fpr, tpr, thresholds };
}

/** area under a curve by the trapezoidal rule; x must be monotonic */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

/** Area under the ROC curve for 0/1 labels and a score where higher means "more likely positive". */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const r = rocCurve(yTrue, score, { weights, dropIntermediate: false });
  return trapezoid(r.fpr, r.tpr);
}

/**
 * Multiclass ROC AUC, one class against the rest, unweighted mean over classes (scikit-learn's
 * `multi_class="ovr", average="macro"`). `proba` is (n, nClasses) row-major.
 */
export function rocAucOvr(yTrue: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number, weights?: ArrayLike<number>): number {
  const n = yTrue.length;
  checkLength('roc_auc_ovr', 'probabilities', proba, n * nClasses);
  checkLabels('roc_auc_ovr', yTrue, nClasses);
  const isClass = new Float64Array(n);
  const column = new Float64Array(n);
  let sum = 0;
  for (let c = 0; c < nClasses; c++) {
    for (let i = 0; i < n; i++) {
      isClass[i] = yTrue[i] === c ? 1 : 0;
      column[i] = proba[i * nClasses + c];
    }
    sum += rocAuc(isClass, column, weights);
  }
  return sum / nClasses;
}

export interface PrCurve {
  /** precision, from the lowest threshold up, ending with the conventional point precision 1 at recall 0 */
  readonly precision: Float64Array;
  /** recall, decreasing to 0 */
  readonly recall: Float64Array;
  /** (length - 1) thresholds, increasing; point r uses "positive when score >= thresholds[r]" */
  readonly thresholds: Float64Array;
}

/** Precision-recall curve points in scikit-learn's order (recall decreasing). */
export function precisionRecallCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, weights?: ArrayLike<number>): PrCurve {
  const c = binaryCurve('precision_recall_curve', yTrue, score, weights);
  const m = c.tps.length;
  const positives = c.tps[m - 1];
  if (positives <= 0) metricError('precision_recall_curve', 'needs at least one positive row');
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thresholds = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const r = m - 1 - i;
    const predicted = c.tps[i] + c.fps[i];
    precision[r] = predicted > 0 ? c.tps[i] / predicted : 0;
    recall[r] = c.tps[i] / positives;
    thresholds[r] = c.thresholds[i];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds };
}

/**
 * Average precision (what the reports call PR-AUC): sum over thresholds of (recall gained) × precision,
 * the step-wise integral scikit-learn uses, without the optimistic linear interpolation of a trapezoid.
 */
export function averagePrecision(yTrue: ArrayLike<number>, score: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const c = binaryCurve('average_precision', yTrue, score, weights);
  const m = c.tps.length;
  const positives = c.tps[m - 1];
  if (positives <= 0) metricError('average_precision', 'needs at least one positive row');
  let ap = 0;
  let previousRecall = 0;
  for (let i = 0; i < m; i++) {
    const recallHere = c.tps[i] / positives;
    const predicted = c.tps[i] + c.fps[i];
    if (predicted > 0) ap += (recallHere - previousRecall) * (c.tps[i] / predicted);
    previousRecall = recallHere;
  }
  return ap;
}
