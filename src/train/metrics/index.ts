// Metrics by name: the table the trainer, the leaderboard and `kiln evaluate` use (which way is better, which
// tasks a metric applies to), `scoreMetric` to compute one from a model's output, and the curves for reports.

import type { Task } from '../../core/learner.js';
import { accuracy, argmaxRows, balancedAccuracy, binaryScores, f1Macro, logLoss } from './classification.js';
import { metricError } from './inputs.js';
import { averagePrecision, rocAuc, rocAucOvr } from './ranking.js';
import { mae, mse, r2, rmse } from './regression.js';

export * from './classification.js';
export * from './ranking.js';
export * from './regression.js';
export * from './calibration.js';
export * from './threshold.js';

export type MetricName =
  | 'roc_auc'
  | 'pr_auc'
  | 'log_loss'
  | 'accuracy'
  | 'balanced_accuracy'
  | 'f1_macro'
  | 'f1'
  | 'precision'
  | 'recall'
  | 'rmse'
  | 'mse'
  | 'mae'
  | 'r2';

export interface MetricSpec {
  readonly higherIsBetter: boolean;
  readonly tasks: readonly Task[];
  /** 'proba' metrics read class probabilities; 'label' metrics read the predicted class; 'value' metrics regress */
  readonly needs: 'proba' | 'label' | 'value';
  readonly doc: string;
}

export const METRICS: Readonly<Record<MetricName, MetricSpec>> = {
  roc_auc: { higherIsBetter: true, tasks: ['binary', 'multiclass'], needs: 'proba', doc: 'area under the ROC curve (multiclass: one-vs-rest, macro mean)' },
  pr_auc: { higherIsBetter: true, tasks: ['binary'], needs: 'proba', doc: 'average precision of the positive class' },
  log_loss: { higherIsBetter: false, tasks: ['binary', 'multiclass'], needs: 'proba', doc: 'mean negative log-likelihood of the true class' },
  accuracy: { higherIsBetter: true, tasks: ['binary', 'multiclass'], needs: 'label', doc: 'share of rows classified correctly' },
  balanced_accuracy: { higherIsBetter: true, tasks: ['binary', 'multiclass'], needs: 'label', doc: 'mean recall over the classes' },
  f1_macro: { higherIsBetter: true, tasks: ['binary', 'multiclass'], needs: 'label', doc: 'unweighted mean F1 over the classes' },
  f1: { higherIsBetter: true, tasks: ['binary'], needs: 'label', doc: 'F1 of the positive class' },
  precision: { higherIsBetter: true, tasks: ['binary'], needs: 'label', doc: 'precision of the positive class' },
  recall: { higherIsBetter: true, tasks: ['binary'], needs: 'label', doc: 'recall of the positive class' },
  rmse: { higherIsBetter: false, tasks: ['regression'], needs: 'value', doc: 'root mean squared error' },
  mse: { higherIsBetter: false, tasks: ['regression'], needs: 'value', doc: 'mean squared error' },
  mae: { higherIsBetter: false, tasks: ['regression'], needs: 'value', doc: 'mean absolute error' },
  r2: { higherIsBetter: true, tasks: ['regression'], needs: 'value', doc: 'coefficient of determination' },
};

/** The metrics reported by default for each task, the primary one first. */
export const DEFAULT_METRICS: Readonly<Record<Task, readonly MetricName[]>> = {
  binary: ['roc_auc', 'pr_auc', 'log_loss', 'accuracy', 'f1', 'f1_macro', 'balanced_accuracy'],
  multiclass: ['log_loss', 'accuracy', 'f1_macro', 'balanced_accuracy', 'roc_auc'],
  regression: ['rmse', 'mae', 'r2'],
};

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

/** true when score `a` is strictly better than `b` for this metric */
export function isBetter(metric: MetricName, a: number, b: number): boolean {
  return METRICS[metric].higherIsBetter ? a > b : a < b;
}

/** What a model produced for the rows being scored. */
export interface ModelOutput {
  /** classification: (n, nClasses) row-major probabilities */
  readonly proba?: Float64Array;
  /** classification: predicted class index per row (argmax of proba when absent); regression: the predictions */
  readonly predicted?: Float64Array;
  /** classification: the number of classes */
  readonly nClasses?: number;
}

/** Compute one named metric. `yTrue` holds class indices (classification) or target values (regression). */
export function scoreMetric(metric: MetricName, task: Task, yTrue: ArrayLike<number>, output: ModelOutput, weights?: ArrayLike<number>): number {
  const spec = METRICS[metric];
  if (!spec) metricError('score', `unknown metric "${String(metric)}" (known: ${Object.keys(METRICS).join(', ')})`);
  if (!spec.tasks.includes(task)) metricError(metric, `does not apply to a ${task} task`);
  if (task === 'regression') {
    if (!output.predicted) metricError(metric, 'needs predictions');
    const p = output.predicted;
    switch (metric) {
      case 'rmse':
        return rmse(yTrue, p, weights);
      case 'mse':
        return mse(yTrue, p, weights);
      case 'mae':
        return mae(yTrue, p, weights);
      default:
        return r2(yTrue, p, weights);
    }
  }
  const k = output.nClasses ?? (task === 'binary' ? 2 : undefined);
  if (k === undefined) metricError(metric, 'needs the number of classes');
  if (spec.needs === 'proba') {
    if (!output.proba) metricError(metric, 'needs class probabilities');
    const proba = output.proba;
    if (metric === 'log_loss') return logLoss(yTrue, proba, k, { weights });
    if (task === 'multiclass') return rocAucOvr(yTrue, proba, k, weights);
    const positive = positiveColumn(proba, k);
    return metric === 'roc_auc' ? rocAuc(yTrue, positive, weights) : averagePrecision(yTrue, positive, weights);
  }
  const predicted = output.predicted ?? (output.proba ? argmaxRows(output.proba, k) : metricError(metric, 'needs predictions or probabilities'));
  switch (metric) {
    case 'accuracy':
      return accuracy(yTrue, predicted, weights);
    case 'balanced_accuracy':
      return balancedAccuracy(yTrue, predicted, { nClasses: k, weights });
    case 'f1_macro':
      return f1Macro(yTrue, predicted, { nClasses: k, weights });
    default:
      return binaryScores(yTrue, predicted, weights)[metric as 'f1' | 'precision' | 'recall'];
  }
}

/** Every default metric of the task, by name. */
export function scoreAll(task: Task, yTrue: ArrayLike<number>, output: ModelOutput, weights?: ArrayLike<number>): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const metric of DEFAULT_METRICS[task]) {
    if (METRICS[metric].needs === 'proba' && !output.proba) continue;
    out[metric] = scoreMetric(metric, task, yTrue, output, weights);
  }
  return out;
}

/** column 1 of an (n, 2) probability matrix */
function positiveColumn(proba: Float64Array, k: number): Float64Array {
  if (k !== 2) metricError('binary metric', `expects 2 classes, got ${k}`);
  const n = proba.length / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = proba[2 * i + 1];
  return out;
}
