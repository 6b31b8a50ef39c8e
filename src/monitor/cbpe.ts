// Performance without labels: confidence-based performance estimation (CBPE, as NannyML does it) for binary
// classifiers whose probabilities are calibrated. If p is the calibrated probability that a row is positive,
// a row predicted positive (p >= threshold) is a true positive with probability p and a false positive with
// probability 1 - p; a row predicted negative is a false negative with probability p and a true negative with
// 1 - p. Summing gives the expected confusion matrix, and the metrics follow from it. ROC AUC is the area under
// the expected ROC curve: at each score cut-off, TPR = Σ p / Σ p and FPR = Σ (1 - p) / Σ (1 - p) over the rows
// above it. Calibrate first (isotonic.ts) if the model's scores are not probabilities.

import { KilnError, ValidationError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { accuracy, binaryScores, rocAuc } from '../train/metrics/index.js';

export interface ExpectedConfusion {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface PerformanceEstimate {
  readonly n: number;
  readonly rocAuc: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly confusion: ExpectedConfusion;
}

/** The metrics CBPE estimates, by the names train/metrics uses. */
export const CBPE_METRICS = ['roc_auc', 'accuracy', 'precision', 'recall', 'f1'] as const;

/**
 * Estimate the metrics the model would score on these rows, from calibrated positive-class probabilities.
 * The predicted class is `p >= threshold` unless the model's own decisions are given as `predicted` (0/1 per
 * row) — needed when the probabilities were calibrated after the model decided on its raw scores.
 */
export function estimatePerformance(probability: ArrayLike<number>, options: { threshold?: number; predicted?: ArrayLike<number> } = {}): PerformanceEstimate {
  const threshold = options.threshold ?? 0.5;
  const n = probability.length;
  if (n === 0) throw new KilnError('E_DATA_EMPTY', 'performance estimation needs at least one prediction');
  const predicted = options.predicted;
  if (predicted && predicted.length !== n) throw new KilnError('E_VALIDATION', `predicted has ${predicted.length} values, expected ${n}`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    const p = probability[i];
    if (!(p >= 0 && p <= 1))
      throw new ValidationError(`probability ${p} at row ${i} is not in [0, 1]`, [{ path: [i], expected: 'a probability in [0, 1]', received: String(p) }]);
    if (predicted ? predicted[i] === 1 : p >= threshold) {
      tp += p;
      fp += 1 - p;
    } else {
      fn += p;
      tn += 1 - p;
    }
  }
  return { n, rocAuc: expectedRocAuc(probability), ...scoresFromConfusion({ tp, fp, fn, tn }), confusion: { tp, fp, fn, tn } };
}

/** accuracy, precision, recall and F1 of a (possibly fractional) confusion matrix; 0 where undefined, as scikit-learn */
export function scoresFromConfusion(c: ExpectedConfusion): { accuracy: number; precision: number; recall: number; f1: number } {
  const total = c.tp + c.fp + c.fn + c.tn;
  return {
    accuracy: total > 0 ? (c.tp + c.tn) / total : 0,
    precision: c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0,
    recall: c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0,
    f1: 2 * c.tp + c.fp + c.fn > 0 ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : 0,
  };
}

/**
 * Area under the expected ROC curve. Rows are visited from the highest probability down; rows sharing a
 * probability form one step (a tie moves TPR and FPR together, i.e. a diagonal segment). NaN when every
 * probability is 0 or every one is 1 (no expected positives or negatives).
 */
export function expectedRocAuc(probability: ArrayLike<number>): number {
  const sorted = Float64Array.from(probability).sort().reverse(); // (n) descending
  let positives = 0;
  for (const p of sorted) positives += p;
  const negatives = sorted.length - positives;
  if (!(positives > 0) || !(negatives > 0)) return NaN;
  let area = 0;
  let tpr = 0;
  let fpr = 0;
  for (let i = 0; i < sorted.length; ) {
    const p = sorted[i];
    let dp = 0;
    let dn = 0;
    while (i < sorted.length && sorted[i] === p) {
      dp += p;
      dn += 1 - p;
      i++;
    }
    const nextTpr = tpr + dp / positives;
    const nextFpr = fpr + dn / negatives;
    area += ((nextFpr - fpr) * (tpr + nextTpr)) / 2;
    tpr = nextTpr;
    fpr = nextFpr;
  }
  return area;
}

/** Standard deviations of the realised metrics, by CBPE_METRICS name. */
export type MetricSpread = Readonly<Record<(typeof CBPE_METRICS)[number], number>>;

/**
 * How far the realised metrics can land from the estimate by chance alone: labels are drawn `draws` times as
 * independent Bernoulli(p) (what calibration means), the metrics are scored with train/metrics, and their
 * standard deviations returned. Use ±2 of these as a band around the estimate; a realised value outside ±3 of
 * them says the probabilities were not calibrated for these rows. Seeded, so a report can be reproduced.
 */
export function realisedSpread(
  probability: ArrayLike<number>,
  options: { draws?: number; seed?: number; threshold?: number; predicted?: ArrayLike<number> } = {},
): MetricSpread {
  const { draws = 200, seed = 1, threshold = 0.5 } = options;
  const n = probability.length;
  if (n === 0) throw new KilnError('E_DATA_EMPTY', 'the spread needs at least one prediction');
  const rng = new Rng(seed);
  const predicted = options.predicted ?? Float64Array.from(probability, (p) => (p >= threshold ? 1 : 0));
  const labels = new Float64Array(n); // (n) one draw of 0/1 labels
  const sums = { roc_auc: [0, 0, 0], accuracy: [0, 0, 0], precision: [0, 0, 0], recall: [0, 0, 0], f1: [0, 0, 0] }; // [count, sum, sum of squares]
  const add = (key: keyof typeof sums, v: number): void => {
    if (!Number.isFinite(v)) return;
    const s = sums[key];
    s[0]++;
    s[1] += v;
    s[2] += v * v;
  };
  for (let d = 0; d < draws; d++) {
    let positives = 0;
    for (let i = 0; i < n; i++) {
      labels[i] = rng.next() < probability[i] ? 1 : 0;
      positives += labels[i];
    }
    const scores = binaryScores(labels, predicted);
    add('accuracy', accuracy(labels, predicted));
    add('precision', scores.precision);
    add('recall', scores.recall);
    add('f1', scores.f1);
    if (positives > 0 && positives < n) add('roc_auc', rocAuc(labels, probability));
  }
  const sd = ([count, sum, squares]: number[]): number => (count > 1 ? Math.sqrt(Math.max(0, (squares - (sum * sum) / count) / (count - 1))) : NaN);
  return { roc_auc: sd(sums.roc_auc), accuracy: sd(sums.accuracy), precision: sd(sums.precision), recall: sd(sums.recall), f1: sd(sums.f1) };
}
