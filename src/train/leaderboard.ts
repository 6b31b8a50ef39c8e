// The leaderboard of a run: a baseline (the class prior, or the mean), every candidate the search looked at, and
// the final model, with cross-validation score ± std over the folds, the holdout score, fit time per fold and
// prediction time per row. Plain data: the CLI prints it, the run stores it, the report draws it.

import type { Json } from '../core/artifact.js';
import type { PreparedData } from './cv/prepare.js';
import { isBetter, type MetricName } from './metrics/index.js';
import { type Candidate, outputWidth, scoreOutput } from './search/candidate.js';

export interface LeaderboardRow {
  /** 1 = best complete candidate by cross-validation; 0 for the final model; null when not ranked */
  readonly rank: number | null;
  readonly name: string;
  readonly kind: 'final' | 'candidate' | 'baseline';
  readonly family: string;
  readonly status: string;
  readonly cv: number | null;
  readonly cvStd: number | null;
  readonly holdout: number | null;
  /** (folds) score per fold; null where not run */
  readonly folds: (number | null)[];
  /** seconds to fit one model (mean over the folds run; the final model: its final fit) */
  readonly fitSeconds: number | null;
  readonly predictMsPerRow: number | null;
  readonly params: Json;
  readonly note: string;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function candidateRow(c: Candidate, rank: number | null, holdout: number | null): LeaderboardRow {
  const cv = c.cv;
  return {
    rank,
    name: c.name,
    kind: 'candidate',
    family: c.family.name,
    status: c.status,
    cv: c.foldsRun ? finite(cv.mean) : null,
    cvStd: c.foldsRun > 1 ? finite(cv.std) : null,
    holdout,
    folds: [...c.foldScores].map((s) => finite(s)),
    fitSeconds: c.foldsRun ? c.foldSeconds : null,
    predictMsPerRow: finite(c.predictSecondsPerRow * 1000),
    params: c.params as Json,
    note: c.note || (c.origin === 'portfolio' ? 'portfolio' : c.origin === 'refined' ? 'refined from a good configuration' : 'random draw'),
  };
}

/** per-fold scores of an out-of-fold output array */
export function foldScores(data: PreparedData, oof: Float64Array, metric: MetricName): number[] {
  const width = outputWidth(data);
  return data.folds.map((f) => {
    const out = new Float64Array(f.valid.length * width);
    f.valid.forEach((row, r) => out.set(oof.subarray(row * width, (row + 1) * width), r * width));
    return scoreOutput(metric, data, Float64Array.from(f.valid, (i) => data.y[i]), out);
  });
}

/** The trivial model every real one must beat: the training class shares (classification) or mean (regression). */
export function baselineRow(data: PreparedData, metric: MetricName): LeaderboardRow {
  const width = outputWidth(data);
  const oof = new Float64Array(data.y.length * width);
  for (const f of data.folds) {
    const prior = new Float64Array(width);
    for (const i of f.train) {
      if (data.task === 'regression') prior[0] += data.y[i];
      else prior[data.y[i]]++;
    }
    for (let c = 0; c < width; c++) prior[c] /= f.train.length;
    for (const i of f.valid) oof.set(prior, i * width);
  }
  const scores = foldScores(data, oof, metric);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, scores.length - 1));
  let holdout: number | null = null;
  if (data.holdout) {
    const prior = new Float64Array(width);
    for (let i = 0; i < data.y.length; i++) {
      if (data.task === 'regression') prior[0] += data.y[i];
      else prior[data.y[i]]++;
    }
    for (let c = 0; c < width; c++) prior[c] /= data.y.length;
    const out = new Float64Array(data.holdout.y.length * width);
    for (let i = 0; i < data.holdout.y.length; i++) out.set(prior, i * width);
    holdout = finite(scoreOutput(metric, data, data.holdout.y, out));
  }
  return {
    rank: null,
    name: data.task === 'regression' ? 'baseline (training mean)' : 'baseline (class shares)',
    kind: 'baseline',
    family: 'baseline',
    status: 'complete',
    cv: finite(mean),
    cvStd: finite(std),
    holdout,
    folds: scores.map(finite),
    fitSeconds: 0,
    predictMsPerRow: 0,
    params: {},
    note: 'what a model that ignores the features scores',
  };
}

/** complete candidates ranked by CV, then the ones that stopped early, in the order they were tried */
export function rankCandidates(candidates: readonly Candidate[], metric: MetricName): Candidate[] {
  const complete = candidates.filter((c) => c.status === 'complete');
  complete.sort((a, b) => (isBetter(metric, a.cv.mean, b.cv.mean) ? -1 : isBetter(metric, b.cv.mean, a.cv.mean) ? 1 : a.id - b.id));
  return complete;
}
