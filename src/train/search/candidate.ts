// One configuration under evaluation: its family and params, and what cross-validation has learned about it so
// far — the score of each fold run, out-of-fold predictions for every scored row (what ensembling, calibration
// and the decision threshold are fitted on), the averaged holdout predictions of its fold models, and timings.

import type { Json } from '../../core/artifact.js';
import type { Matrix, Model } from '../../core/learner.js';
import { Rng } from '../../core/rng.js';
import type { FeatureChain } from '../../features/index.js';
import type { Family, FamilyContext } from '../families/index.js';
import { type MetricName, scoreMetric } from '../metrics/index.js';
import type { FoldData } from '../cv/fold-data.js';
import type { PreparedData } from '../cv/prepare.js';
import type { Params } from './space.js';

export type CandidateStatus = 'pending' | 'complete' | 'pruned' | 'over-budget' | 'failed';
export type CandidateOrigin = 'portfolio' | 'random' | 'refined';

export interface FoldModel {
  readonly chain: FeatureChain;
  readonly model: Model;
}

export class Candidate {
  status: CandidateStatus = 'pending';
  /** why it stopped (pruned, over budget, the error message) */
  note = '';
  /** (folds) primary metric per fold; NaN = not run */
  readonly foldScores: Float64Array;
  readonly foldInfo: (Json | undefined)[];
  /** (folds) seconds each fold's fit took; NaN = not run */
  readonly foldFitSeconds: Float64Array;
  /** (search rows, width) out-of-fold outputs: probabilities (width = classes) or values (width 1) */
  readonly oof: Float64Array;
  /** (holdout rows, width) the sum over fold models of their holdout outputs */
  private readonly holdoutSum: Float64Array | null;
  private holdoutModels = 0;
  predictSeconds = 0;
  predictRows = 0;
  /** the fitted fold models, kept only while this candidate may be needed as a fallback */
  foldModels: (FoldModel | undefined)[] | null = null;

  constructor(
    readonly id: number,
    readonly family: Family,
    readonly label: string,
    readonly params: Params,
    readonly origin: CandidateOrigin,
    data: PreparedData,
  ) {
    const k = data.folds.length;
    this.foldScores = new Float64Array(k).fill(NaN);
    this.foldFitSeconds = new Float64Array(k).fill(NaN);
    this.foldInfo = new Array(k).fill(undefined);
    const width = outputWidth(data);
    this.oof = new Float64Array(data.y.length * width);
    this.holdoutSum = data.holdout ? new Float64Array(data.holdout.y.length * width) : null;
  }

  /** e.g. "gbdt #4 (slow, subsampled)" */
  get name(): string {
    return `${this.family.name} #${this.id}${this.label ? ` (${this.label})` : ''}`;
  }

  get foldsRun(): number {
    let n = 0;
    for (const s of this.foldScores) if (!Number.isNaN(s)) n++;
    return n;
  }

  /** mean and standard deviation of the fold scores run so far */
  get cv(): { mean: number; std: number } {
    const scores = [...this.foldScores].filter((s) => !Number.isNaN(s));
    const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
    const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, scores.length - 1);
    return { mean, std: scores.length > 1 ? Math.sqrt(variance) : 0 };
  }

  get fitSeconds(): number {
    return [...this.foldFitSeconds].filter((s) => !Number.isNaN(s)).reduce((a, b) => a + b, 0);
  }

  /** mean fit seconds per fold run */
  get foldSeconds(): number {
    return this.fitSeconds / Math.max(1, this.foldsRun);
  }

  get predictSecondsPerRow(): number {
    return this.predictRows ? this.predictSeconds / this.predictRows : NaN;
  }

  /** the mean holdout output of the fold models run so far, or null without a holdout */
  holdoutOutput(): Float64Array | null {
    if (!this.holdoutSum || !this.holdoutModels) return null;
    return this.holdoutSum.map((v) => v / this.holdoutModels);
  }

  /** Fit fold `f`, predict its validation rows (into the out-of-fold array) and the holdout, and score it. */
  async runFold(f: number, env: FoldEnv): Promise<void> {
    const { data } = env;
    const m = env.foldData.get(f, this.family.chain, this.family.chainParams);
    const learner = this.family.learner(env.context, this.params);
    const rng = new Rng(env.seed * 7919 + this.id * 131 + f);
    const started = performance.now();
    const model = await learner.fit({ x: m.xTrain, features: m.chain.features, y: m.yTrain, nClasses: data.nClasses || undefined }, { rng, signal: env.signal });
    this.foldFitSeconds[f] = (performance.now() - started) / 1000;
    this.foldInfo[f] = (model as { info?: Json }).info;
    const valid = data.folds[f].valid;
    const t0 = performance.now();
    const out = modelOutput(model, m.xValid!, data);
    this.predictSeconds += (performance.now() - t0) / 1000;
    this.predictRows += valid.length;
    const width = outputWidth(data);
    valid.forEach((row, r) => {
      for (let c = 0; c < width; c++) this.oof[row * width + c] = out[r * width + c];
    });
    if (this.holdoutSum && m.xHoldout) {
      const h = modelOutput(model, m.xHoldout, data);
      for (let i = 0; i < h.length; i++) this.holdoutSum[i] += h[i];
      this.holdoutModels++;
    }
    const yValid = Float64Array.from(valid, (i) => data.y[i]);
    this.foldScores[f] = scoreOutput(env.metric, data, yValid, out);
    if (env.keepModels) {
      this.foldModels ??= new Array(data.folds.length).fill(undefined);
      this.foldModels[f] = { chain: m.chain, model };
    }
  }
}

export interface FoldEnv {
  readonly data: PreparedData;
  readonly foldData: FoldData;
  readonly context: FamilyContext;
  readonly metric: MetricName;
  readonly seed: number;
  readonly signal?: AbortSignal;
  /** keep the fitted fold models on the candidate (for a fallback bag) */
  readonly keepModels?: boolean;
}

/** probabilities per class (classification) or one value (regression) per row */
export function outputWidth(data: { task: string; nClasses: number }): number {
  return data.task === 'regression' ? 1 : data.nClasses;
}

export function modelOutput(model: Model, x: Matrix, data: { task: string }): Float64Array {
  return data.task === 'regression' ? model.predict(x) : model.predictProba!(x);
}

/** the metric of an output array against targets */
export function scoreOutput(metric: MetricName, data: { task: PreparedData['task']; nClasses: number }, y: Float64Array, out: Float64Array): number {
  return scoreMetric(metric, data.task, y, data.task === 'regression' ? { predicted: out } : { proba: out, nClasses: data.nClasses });
}
