// Greedy ensemble selection (Caruana et al., 2004, as AutoGluon and auto-sklearn use it): start from nothing and
// repeatedly add — with replacement — the candidate whose out-of-fold predictions most improve the averaged
// predictions' score; a candidate's weight is how often it was picked. Fitted on out-of-fold predictions only,
// so the ensemble is judged on rows none of its members learned from.

import type { Task } from '../../core/learner.js';
import { isBetter, type MetricName } from '../metrics/index.js';
import { scoreOutput } from '../search/candidate.js';

export interface EnsembleInput {
  /** (rows, width) out-of-fold outputs, one array per candidate, all over the same rows */
  readonly outputs: readonly Float64Array[];
  readonly y: Float64Array;
  readonly task: Task;
  readonly nClasses: number;
  readonly metric: MetricName;
  /** selection rounds (the weights' resolution is 1/rounds) */
  readonly rounds?: number;
}

export interface EnsembleSelection {
  /** (candidates) weight of each, summing to 1 */
  readonly weights: Float64Array;
  readonly score: number;
  /** the score after each round (for the report) */
  readonly history: readonly number[];
}

export function selectEnsemble(input: EnsembleInput): EnsembleSelection {
  const { outputs, y, metric } = input;
  const m = outputs.length;
  const rounds = input.rounds ?? 25;
  const length = outputs[0].length;
  const data = { task: input.task, nClasses: input.nClasses };
  const sum = new Float64Array(length);
  const trial = new Float64Array(length);
  const counts = new Float64Array(m);
  const history: number[] = [];
  let bestScore = NaN;
  let bestCounts = new Float64Array(m);
  for (let round = 1; round <= rounds; round++) {
    let pick = -1;
    let pickScore = NaN;
    for (let c = 0; c < m; c++) {
      const o = outputs[c];
      for (let i = 0; i < length; i++) trial[i] = (sum[i] + o[i]) / round;
      const s = scoreOutput(metric, data, y, trial);
      if (pick < 0 || isBetter(metric, s, pickScore)) {
        pick = c;
        pickScore = s;
      }
    }
    const o = outputs[pick];
    for (let i = 0; i < length; i++) sum[i] += o[i];
    counts[pick]++;
    history.push(pickScore);
    // keep the best prefix: later rounds may only add noise
    if (Number.isNaN(bestScore) || isBetter(metric, pickScore, bestScore)) {
      bestScore = pickScore;
      bestCounts = counts.slice();
    }
  }
  const total = bestCounts.reduce((a, b) => a + b, 0);
  return { weights: bestCounts.map((c) => c / total), score: bestScore, history };
}

/** the weighted average of outputs */
export function blend(outputs: readonly Float64Array[], weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(outputs[0].length);
  outputs.forEach((o, c) => {
    const w = weights[c];
    if (w > 0) for (let i = 0; i < out.length; i++) out[i] += w * o[i];
  });
  return out;
}
