// The decision threshold of a binary model, chosen on out-of-fold probabilities: the cheapest under a declared
// cost matrix, the best F1, or the best value of another label metric (accuracy, balanced accuracy, macro F1).
// Ranking and probability metrics (ROC-AUC, PR-AUC, log-loss) do not depend on a threshold: the model keeps the
// plain "likeliest class" rule (0.5 on calibrated probabilities).

import { bestF1Threshold, type ErrorCosts, type MetricName, METRICS, minCostThreshold, scoreMetric } from './metrics/index.js';

export interface ThresholdDecision {
  /** null: predict the likeliest class */
  readonly threshold: number | null;
  /** why, in words */
  readonly reason: string;
}

/** candidate thresholds at most (quantiles of the scores) when maximising a label metric by sweeping */
const SWEEP_POINTS = 200;

export function chooseThreshold(y: Float64Array, p1: Float64Array, metric: MetricName, costs: ErrorCosts | null): ThresholdDecision {
  if (costs) {
    const c = minCostThreshold(y, p1, costs);
    return {
      threshold: clamp(c.threshold),
      reason: `lowest total cost on out-of-fold predictions with a false positive costing ${costs.falsePositive} and a false negative ${costs.falseNegative} (${c.meanCost.toPrecision(3)} per row)`,
    };
  }
  if (metric === 'f1') {
    const c = bestF1Threshold(y, p1);
    return { threshold: clamp(c.threshold), reason: `best F1 on out-of-fold predictions (${c.f1.toFixed(3)})` };
  }
  if (METRICS[metric].needs !== 'label' || metric === 'precision' || metric === 'recall') {
    // precision or recall alone are maximised by degenerate thresholds, so they keep the neutral rule too
    return { threshold: null, reason: `${metric} does not depend on a threshold: the likeliest class is predicted` };
  }
  const sorted = Float64Array.from(p1).sort();
  let best = 0.5;
  let bestScore = score(metric, y, p1, 0.5);
  const seen = new Set<number>();
  for (let q = 1; q < SWEEP_POINTS; q++) {
    const t = sorted[Math.floor((q / SWEEP_POINTS) * (sorted.length - 1))];
    if (seen.has(t)) continue;
    seen.add(t);
    const s = score(metric, y, p1, t);
    if (s > bestScore) {
      bestScore = s;
      best = t;
    }
  }
  return { threshold: best, reason: `best ${metric} on out-of-fold predictions (${bestScore.toFixed(4)})` };
}

function score(metric: MetricName, y: Float64Array, p1: Float64Array, t: number): number {
  const predicted = p1.map((p) => (p >= t ? 1 : 0));
  return scoreMetric(metric, 'binary', y, { predicted, nClasses: 2 });
}

/** "never positive" (+Infinity) becomes 1, the largest threshold a pipeline accepts */
function clamp(t: number): number {
  return Math.min(1, Math.max(0, t));
}
