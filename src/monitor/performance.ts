// Performance over time: realised metrics per window once labels have arrived (scored with train/metrics),
// compared with the training-time baseline, and CBPE estimates per window while they have not.

import { KilnError } from '../core/errors.js';
import type { Task } from '../core/learner.js';
import { METRICS, type MetricName, type ModelOutput, scoreMetric } from '../train/metrics/index.js';
import { type IsotonicCalibration, applyIsotonic } from '../train/calibration/isotonic.js';
import { type PerformanceEstimate, estimatePerformance } from './cbpe.js';
import type { Window } from './windows.js';

/** Metrics reported per window by default. */
export const WINDOW_METRICS: Readonly<Record<Task, readonly MetricName[]>> = {
  binary: ['accuracy', 'roc_auc', 'f1'],
  multiclass: ['accuracy', 'roc_auc', 'f1_macro'],
  regression: ['rmse', 'mae'],
};

export interface PerformanceOptions {
  metrics?: readonly MetricName[];
  /** training-time (validation) scores to compare with */
  baseline?: Readonly<Partial<Record<MetricName, number>>>;
  /**
   * how much worse than the baseline counts as degraded: an absolute drop for higher-is-better metrics
   * (0.05 = five points of accuracy or AUC), a relative rise for error metrics (0.05 = RMSE 5 % higher)
   */
  maxDrop?: number;
  /** windows with fewer labelled rows get no metrics (too noisy to judge) */
  minLabelled?: number;
}

export interface WindowPerformance {
  readonly window: Window;
  /** rows of the window whose label has arrived */
  readonly nLabelled: number;
  /** NaN when the window has too few labelled rows, or lacks a class the metric needs */
  readonly metrics: Readonly<Partial<Record<MetricName, number>>>;
  /** metrics worse than the baseline by more than maxDrop */
  readonly degraded: readonly MetricName[];
}

/**
 * Realised metrics per window. `yTrue` holds class indices (classification) or targets (regression) for every
 * current row, NaN where the label has not arrived; `output` is the model's output for the same rows.
 */
export function realisedPerformance(task: Task, yTrue: ArrayLike<number>, output: ModelOutput, windows: readonly Window[], options: PerformanceOptions = {}): WindowPerformance[] {
  const metrics = options.metrics ?? WINDOW_METRICS[task];
  const { maxDrop = 0.05, minLabelled = 1 } = options;
  const k = task === 'regression' ? 1 : (output.nClasses ?? 2);
  return windows.map((window) => {
    const rows = Array.from(window.rows).filter((r) => !Number.isNaN(yTrue[r]));
    const y = Float64Array.from(rows, (r) => yTrue[r]);
    const sub: ModelOutput = {
      nClasses: output.nClasses,
      proba: output.proba ? takeRows(output.proba, rows, k) : undefined,
      predicted: output.predicted ? Float64Array.from(rows, (r) => (output.predicted as Float64Array)[r]) : undefined,
    };
    const classes = task === 'regression' ? 0 : new Set(y).size;
    const values: Partial<Record<MetricName, number>> = {};
    for (const metric of metrics) {
      const needsAllClasses = metric === 'roc_auc' || metric === 'pr_auc';
      values[metric] = rows.length < Math.max(1, minLabelled) || (needsAllClasses && classes < k) ? NaN : scoreMetric(metric, task, y, sub);
    }
    return { window, nLabelled: rows.length, metrics: values, degraded: degradedMetrics(values, options.baseline, maxDrop) };
  });
}

/** Metrics worse than their baseline by more than `maxDrop` (see PerformanceOptions.maxDrop). */
export function degradedMetrics(values: Readonly<Partial<Record<MetricName, number>>>, baseline: Readonly<Partial<Record<MetricName, number>>> | undefined, maxDrop: number): MetricName[] {
  if (!baseline) return [];
  const out: MetricName[] = [];
  for (const [name, value] of Object.entries(values) as [MetricName, number][]) {
    const base = baseline[name];
    if (base === undefined || !Number.isFinite(value)) continue;
    const worse = METRICS[name].higherIsBetter ? value < base - maxDrop : value > base * (1 + maxDrop);
    if (worse) out.push(name);
  }
  return out;
}

export interface WindowEstimate {
  readonly window: Window;
  readonly estimate: PerformanceEstimate;
}

/**
 * CBPE estimates per window from positive-class scores of a binary classifier. With a calibration (fitted on
 * labelled reference rows) the expectations use calibrated probabilities while the predicted class stays the
 * model's own decision, raw score >= threshold.
 */
export function estimatedPerformance(score: ArrayLike<number>, windows: readonly Window[], options: { threshold?: number; calibration?: IsotonicCalibration } = {}): WindowEstimate[] {
  const threshold = options.threshold ?? 0.5;
  const probability = options.calibration ? applyIsotonic(options.calibration, score) : score;
  return windows.map((window) => {
    if (window.rows.length === 0) throw new KilnError('E_DATA_EMPTY', `window ${window.label} has no rows`);
    const p = Float64Array.from(window.rows, (r) => probability[r]);
    const predicted = Float64Array.from(window.rows, (r) => (score[r] >= threshold ? 1 : 0));
    return { window, estimate: estimatePerformance(p, { threshold, predicted }) };
  });
}

/** rows of an (n, k) row-major matrix */
function takeRows(matrix: ArrayLike<number>, rows: readonly number[], k: number): Float64Array {
  const out = new Float64Array(rows.length * k); // (rows, k)
  rows.forEach((r, i) => {
    for (let j = 0; j < k; j++) out[i * k + j] = matrix[r * k + j];
  });
  return out;
}
