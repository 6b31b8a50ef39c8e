// Classification metrics on class indices (0..k-1) and class probabilities (n×k, row-major), with the
// definitions scikit-learn uses (labels absent from both truth and prediction are left out of macro averages;
// an undefined precision or recall counts as 0), optionally weighted per row.

import { checkFinite, checkLabels, checkLength, checkNotEmpty, checkWeights, classCount, metricError } from './inputs.js';

export interface ConfusionMatrix {
  readonly nClasses: number;
  /** (nClasses, nClasses) row-major: row = true class, column = predicted class; weighted counts */
  readonly counts: Float64Array;
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: { nClasses?: number; weights?: ArrayLike<number> } = {}): ConfusionMatrix {
  const n = yTrue.length;
  checkLength('confusion matrix', 'predictions', yPred, n);
  const k = classCount(yTrue, yPred, options.nClasses);
  checkLabels('confusion matrix', yTrue, k);
  checkLabels('confusion matrix', yPred, k, 'predictions');
  checkWeights('confusion matrix', options.weights, n);
  const counts = new Float64Array(k * k);
  const w = options.weights;
  for (let i = 0; i < n; i++) counts[yTrue[i] * k + yPred[i]] += w ? w[i] : 1;
  return { nClasses: k, counts };
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = yTrue.length;
  checkNotEmpty('accuracy', n);
  checkLength('accuracy', 'predictions', yPred, n);
  const total = checkWeights('accuracy', weights, n);
  let right = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) right += weights ? weights[i] : 1;
  return right / total;
}

export interface ClassScores {
  /** per class, NaN for a class that occurs in neither truth nor prediction */
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly f1: Float64Array;
  /** weighted count of true rows per class */
  readonly support: Float64Array;
  /** true for the classes that occur in the truth or the prediction (the ones macro averages use) */
  readonly present: Uint8Array;
}

/** Precision, recall and F1 per class, from the confusion matrix. */
export function classScores(cm: ConfusionMatrix): ClassScores {
  const k = cm.nClasses;
  const c = cm.counts;
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f1 = new Float64Array(k);
  const support = new Float64Array(k);
  const present = new Uint8Array(k);
  for (let j = 0; j < k; j++) {
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < k; i++) {
      predicted += c[i * k + j];
      actual += c[j * k + i];
    }
    const tp = c[j * k + j];
    support[j] = actual;
    present[j] = predicted > 0 || actual > 0 ? 1 : 0;
    if (!present[j]) {
      precision[j] = recall[j] = f1[j] = NaN;
      continue;
    }
    // scikit-learn's zero_division default: an undefined ratio counts as 0
    precision[j] = predicted > 0 ? tp / predicted : 0;
    recall[j] = actual > 0 ? tp / actual : 0;
    const pr = precision[j] + recall[j];
    f1[j] = pr > 0 ? (2 * precision[j] * recall[j]) / pr : 0;
  }
  return { precision, recall, f1, support, present };
}

function macro(values: Float64Array, present: Uint8Array): number {
  let sum = 0;
  let m = 0;
  for (let j = 0; j < values.length; j++)
    if (present[j]) {
      sum += values[j];
      m++;
    }
  return m ? sum / m : 0;
}

export function f1Macro(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: { nClasses?: number; weights?: ArrayLike<number> } = {}): number {
  checkNotEmpty('f1_macro', yTrue.length);
  const s = classScores(confusionMatrix(yTrue, yPred, options));
  return macro(s.f1, s.present);
}

export interface BinaryScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** precision, recall and F1 of the positive class (index 1) for 0/1 labels */
export function binaryScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): BinaryScores {
  checkNotEmpty('f1', yTrue.length);
  const s = classScores(confusionMatrix(yTrue, yPred, { nClasses: 2, weights }));
  // a positive class absent from truth and prediction scores 0, as in scikit-learn
  if (!s.present[1]) return { precision: 0, recall: 0, f1: 0 };
  return { precision: s.precision[1], recall: s.recall[1], f1: s.f1[1] };
}

export const precision = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number => binaryScores(yTrue, yPred, weights).precision;
export const recall = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number => binaryScores(yTrue, yPred, weights).recall;
export const f1 = (yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weights?: ArrayLike<number>): number => binaryScores(yTrue, yPred, weights).f1;

/** the mean recall over the classes that occur in the truth */
export function balancedAccuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: { nClasses?: number; weights?: ArrayLike<number> } = {}): number {
  checkNotEmpty('balanced_accuracy', yTrue.length);
  const s = classScores(confusionMatrix(yTrue, yPred, options));
  let sum = 0;
  let m = 0;
  for (let j = 0; j < s.recall.length; j++)
    if (s.support[j] > 0) {
      sum += s.recall[j];
      m++;
    }
  return sum / m;
}

/**
 * Mean negative log-likelihood of the true class. As scikit-learn 1.2 does, probabilities are clipped to
 * [eps, 1 - eps] (eps = the float64 machine epsilon) and each row renormalised to sum to 1, so a confident
 * wrong answer costs about 36 nats, not infinity.
 * `proba` is (n, nClasses) row-major; a binary model may also give (n, 2).
 */
export function logLoss(yTrue: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number, options: { weights?: ArrayLike<number>; eps?: number } = {}): number {
  const n = yTrue.length;
  checkNotEmpty('log_loss', n);
  if (!(Number.isInteger(nClasses) && nClasses >= 2)) metricError('log_loss', `nClasses = ${nClasses}: needs 2 or more classes`);
  checkLength('log_loss', 'probabilities', proba, n * nClasses);
  checkLabels('log_loss', yTrue, nClasses);
  checkFinite('log_loss', 'probabilities', proba);
  const total = checkWeights('log_loss', options.weights, n);
  const eps = options.eps ?? Number.EPSILON;
  const w = options.weights;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < nClasses; c++) rowSum += clip(proba[i * nClasses + c], eps);
    const p = clip(proba[i * nClasses + yTrue[i]], eps) / rowSum;
    loss -= (w ? w[i] : 1) * Math.log(p);
  }
  return loss / total;
}

const clip = (p: number, eps: number): number => (p < eps ? eps : p > 1 - eps ? 1 - eps : p);

export { argmaxRows } from '../../core/argmax.js';
