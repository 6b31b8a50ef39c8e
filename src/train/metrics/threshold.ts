// Choosing the decision threshold of a binary classifier: the one that maximises F1, or the one that minimises
// the total cost of errors for a declared cost matrix (fraud: a missed fraud costs far more than a false alarm).
// One sort and one sweep over the distinct scores, O(n log n). "Positive when score >= threshold".

import { metricError } from './inputs.js';
import { binaryCurve } from './ranking.js';

export interface ThresholdChoice {
  /** predict positive when score >= threshold; +Infinity means "never positive" */
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
}

export interface F1Threshold extends ThresholdChoice {
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
}

/** The threshold with the best F1 of the positive class; on ties, the highest such threshold. */
export function bestF1Threshold(yTrue: ArrayLike<number>, score: ArrayLike<number>, weights?: ArrayLike<number>): F1Threshold {
  const c = binaryCurve('best_f1_threshold', yTrue, score, weights);
  const m = c.tps.length;
  const positives = c.tps[m - 1];
  const negatives = c.fps[m - 1];
  if (positives <= 0) metricError('best_f1_threshold', 'needs at least one positive row');
  let best = -1;
  let bestF1 = 0;
  for (let i = 0; i < m; i++) {
    const f = (2 * c.tps[i]) / (2 * c.tps[i] + c.fps[i] + (positives - c.tps[i]));
    if (f > bestF1) {
      bestF1 = f;
      best = i;
    }
  }
  if (best < 0) return { threshold: Infinity, truePositives: 0, falsePositives: 0, falseNegatives: positives, trueNegatives: negatives, f1: 0, precision: 0, recall: 0 };
  const tp = c.tps[best];
  const fp = c.fps[best];
  return {
    threshold: c.thresholds[best],
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: positives - tp,
    trueNegatives: negatives - fp,
    f1: bestF1,
    precision: tp / (tp + fp),
    recall: tp / positives,
  };
}

/** Costs of each kind of error, in any unit (money, minutes); correct answers cost nothing. */
export interface ErrorCosts {
  readonly falsePositive: number;
  readonly falseNegative: number;
}

export interface CostThreshold extends ThresholdChoice {
  /** total cost over the rows (weighted) */
  readonly cost: number;
  /** cost per row */
  readonly meanCost: number;
}

function checkCosts(costs: ErrorCosts): void {
  for (const [name, v] of [['falsePositive', costs.falsePositive], ['falseNegative', costs.falseNegative]] as const)
    if (!(Number.isFinite(v) && v >= 0)) metricError('cost threshold', `costs.${name} = ${v}: must be a finite number >= 0`);
  if (costs.falsePositive + costs.falseNegative <= 0) metricError('cost threshold', 'at least one cost must be > 0');
}

/**
 * The threshold with the lowest total cost on these rows (scores need not be calibrated); on ties, the highest
 * such threshold. "Never positive" (+Infinity) is a candidate too.
 */
export function minCostThreshold(yTrue: ArrayLike<number>, score: ArrayLike<number>, costs: ErrorCosts, weights?: ArrayLike<number>): CostThreshold {
  checkCosts(costs);
  const c = binaryCurve('min_cost_threshold', yTrue, score, weights);
  const m = c.tps.length;
  const positives = c.tps[m - 1];
  const negatives = c.fps[m - 1];
  let best = -1;
  let bestCost = positives * costs.falseNegative;
  for (let i = 0; i < m; i++) {
    const cost = c.fps[i] * costs.falsePositive + (positives - c.tps[i]) * costs.falseNegative;
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  }
  const tp = best < 0 ? 0 : c.tps[best];
  const fp = best < 0 ? 0 : c.fps[best];
  return {
    threshold: best < 0 ? Infinity : c.thresholds[best],
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: positives - tp,
    trueNegatives: negatives - fp,
    cost: bestCost,
    meanCost: bestCost / (positives + negatives),
  };
}

/**
 * For calibrated probabilities, the threshold that minimises the expected cost without looking at data:
 * predict positive when p × costFN >= (1 - p) × costFP, i.e. p >= costFP / (costFP + costFN).
 */
export function bayesThreshold(costs: ErrorCosts): number {
  checkCosts(costs);
  return costs.falsePositive / (costs.falsePositive + costs.falseNegative);
}

/** 0/1 decisions for a threshold */
export function applyThreshold(score: ArrayLike<number>, threshold: number): Float64Array {
  const out = new Float64Array(score.length);
  for (let i = 0; i < score.length; i++) out[i] = score[i] >= threshold ? 1 : 0;
  return out;
}
