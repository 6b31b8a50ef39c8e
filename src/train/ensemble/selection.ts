// Greedy ensemble selection (Caruana et al., 2004, as AutoGluon and auto-sklearn use it): start from nothing and
// repeatedly add — with replacement — the candidate whose out-of-fold predictions most improve the averaged
// predictions' score; a candidate's weight is how often it was picked. Fitted on out-of-fold predictions only,
// so the ensemble is judged on rows none of its members learned from. Bagged selection (their 2006 follow-up)
// repeats this on bootstrap samples of the rows and averages the weights: less fitting of the rows' noise.

import type { Task } from '../../core/learner.js';
import type { Rng } from '../../core/rng.js';
import { isBetter, type MetricName } from '../metrics/index.js';
import { scoreOutput } from '../search/candidate.js';

export interface EnsembleInput {
  /** bagged selection (Caruana et al. 2006): repeat on this many bootstrap samples of the rows and average the
   * weights, which keeps one lucky candidate from taking all the weight; 1 = plain greedy selection */
  readonly bags?: number;
  readonly rng?: Rng;
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
  const bags = input.bags ?? 1;
  if (bags <= 1 || !input.rng) return greedy(input);
  const n = input.y.length;
  const width = input.outputs[0].length / n;
  const weights = new Float64Array(input.outputs.length);
  for (let b = 0; b < bags; b++) {
    const rows = Uint32Array.from({ length: n }, () => input.rng!.int(n));
    const pick = (a: Float64Array, w: number): Float64Array => {
      const out = new Float64Array(n * w);
      for (let r = 0; r < n; r++) for (let c = 0; c < w; c++) out[r * w + c] = a[rows[r] * w + c];
      return out;
    };
    const y = pick(input.y, 1);
    // a bootstrap sample may miss a class entirely (rare positives): that bag cannot score, skip it
    if (input.task !== 'regression' && new Set(y).size < 2) continue;
    const one = greedy({ ...input, y, outputs: input.outputs.map((o) => pick(o, width)) });
    for (let c = 0; c < weights.length; c++) weights[c] += one.weights[c];
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return greedy(input);
  for (let c = 0; c < weights.length; c++) weights[c] /= total;
  const score = scoreOutput(input.metric, { task: input.task, nClasses: input.nClasses }, input.y, blend(input.outputs, weights));
  return { weights, score, history: [score] };
}

function greedy(input: EnsembleInput): EnsembleSelection {
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
