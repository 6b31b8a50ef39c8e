// What the training report shows, computed from a finished run: the leaderboard, ROC and PR curves (binary) or
// predicted-vs-actual and residuals (regression), the confusion matrix, permutation feature importance and the
// calibration curve. Curves are scored on the holdout rows by the final blend's fold models (no model saw them),
// else on the out-of-fold predictions; importance is the shipped pipeline's, in-sample (the page says so).

import type { Frame } from '../../core/frame.js';
import { Rng } from '../../core/rng.js';
import type { Pipeline } from '../../features/index.js';
import type { PreparedData } from '../cv/prepare.js';
import type { LeaderboardRow } from '../leaderboard.js';
import { calibrationBins, confusionMatrix, type MetricName, precisionRecallCurve, rocCurve, scoreMetric } from '../metrics/index.js';
import type { TrainResult } from '../train.js';
import { argmaxAt } from '../../core/argmax.js';

export interface ReportData {
  readonly title: string;
  readonly runId: string;
  readonly task: string;
  readonly target: string;
  readonly metric: MetricName;
  readonly higherIsBetter: boolean;
  readonly rows: number;
  readonly durationSeconds: number;
  readonly budgetSeconds: number | null;
  readonly trials: number;
  /** 'holdout' or 'out-of-fold': what the curves and matrices were computed on */
  readonly scoredOn: string;
  readonly metrics: { readonly cv: Record<string, number>; readonly holdout: Record<string, number> | null };
  readonly final: { readonly members: { name: string; weight: number }[]; readonly fit: string; readonly calibration: string; readonly threshold: number | null; readonly thresholdReason: string; readonly notes: readonly string[] };
  readonly leaderboard: readonly LeaderboardRow[];
  readonly roc?: { readonly fpr: number[]; readonly tpr: number[] };
  readonly pr?: { readonly recall: number[]; readonly precision: number[] };
  readonly confusion?: { readonly classes: readonly string[]; readonly counts: number[][] };
  readonly residuals?: { readonly predicted: number[]; readonly actual: number[] };
  readonly importance: { readonly column: string; readonly drop: number }[];
  readonly importanceOn: string;
  readonly calibration?: { readonly predicted: number[]; readonly observed: number[]; readonly counts: number[]; readonly label: string };
  readonly inferred: readonly string[];
}

/** points kept in a plotted curve or scatter (evenly thinned) */
const MAX_POINTS = 400;
/** rows used for permutation importance */
const IMPORTANCE_ROWS = 2000;

function thin<T>(values: ArrayLike<T>, max = MAX_POINTS): T[] {
  const n = values.length;
  if (n <= max) return Array.from(values);
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(values[Math.round((k * (n - 1)) / (max - 1))]);
  return out;
}

const round = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(5)) : v);

export function reportData(result: TrainResult, raw: Frame, title: string): ReportData {
  const { data, settings } = result;
  const metric = settings.metric;
  const k = data.nClasses;
  // what to score: the shipped pipeline on the holdout, else the final blend's out-of-fold outputs
  let y: Float64Array;
  let proba: Float64Array | undefined;
  let values: Float64Array;
  let scoredOn: string;
  const threshold = result.final.threshold?.threshold ?? null;
  const labels = (p: Float64Array, n: number): Float64Array => Float64Array.from({ length: n }, (_, r) => (threshold !== null ? (p[2 * r + 1] >= threshold ? 1 : 0) : argmaxAt(p, r, k)));
  if (data.holdout && result.final.holdout) {
    // the final blend's fold models on the holdout: rows none of them learned from
    y = data.holdout.y;
    if (data.task === 'regression') values = result.final.holdout;
    else {
      proba = result.final.holdout;
      values = labels(proba, y.length);
    }
    scoredOn = `the ${data.holdout.y.length.toLocaleString('en-US')} holdout rows, by the final blend's fold models (never trained on them)`;
  } else {
    const rows: number[] = [];
    for (let i = 0; i < data.scored.length; i++) if (data.scored[i]) rows.push(i);
    y = Float64Array.from(rows, (i) => data.y[i]);
    const width = data.task === 'regression' ? 1 : k;
    const oof = Float64Array.from({ length: rows.length * width }, (_, j) => result.final.oof[rows[Math.floor(j / width)] * width + (j % width)]);
    if (data.task === 'regression') values = oof;
    else {
      proba = oof;
      values = labels(oof, rows.length);
    }
    scoredOn = 'out-of-fold predictions (no holdout: the data has under 1,000 rows or holdout is 0)';
  }
  const out: Partial<{ -readonly [K in keyof ReportData]: ReportData[K] }> = {};
  if (data.task === 'binary' && proba) {
    const p1 = Float64Array.from({ length: y.length }, (_, i) => proba![2 * i + 1]);
    if (y.some((v) => v === 1) && y.some((v) => v === 0)) {
      const roc = rocCurve(y, p1);
      out.roc = { fpr: thin(roc.fpr).map(round), tpr: thin(roc.tpr).map(round) };
      const pr = precisionRecallCurve(y, p1);
      out.pr = { recall: thin(pr.recall).map(round), precision: thin(pr.precision).map(round) };
    }
    const bins = calibrationBins(y, p1, { nBins: 10, strategy: 'quantile' });
    out.calibration = { predicted: [...bins.meanPredicted].map(round), observed: [...bins.fractionPositive].map(round), counts: [...bins.count], label: `P(${data.classes![1]})` };
  } else if (data.task === 'multiclass' && proba) {
    // confidence calibration: the top class's probability against how often the top class is right
    const conf = Float64Array.from({ length: y.length }, (_, i) => proba![i * k + argmaxAt(proba!, i, k)]);
    const right = Float64Array.from({ length: y.length }, (_, i) => (argmaxAt(proba!, i, k) === y[i] ? 1 : 0));
    const bins = calibrationBins(right, conf, { nBins: 10, strategy: 'quantile' });
    out.calibration = { predicted: [...bins.meanPredicted].map(round), observed: [...bins.fractionPositive].map(round), counts: [...bins.count], label: 'top-class probability' };
  }
  if (data.task !== 'regression') {
    const cm = confusionMatrix(y, values, { nClasses: k });
    out.confusion = { classes: data.classes!, counts: Array.from({ length: k }, (_, t) => Array.from({ length: k }, (_, p) => cm.counts[t * k + p])) };
  } else {
    const idx = thin(Array.from({ length: y.length }, (_, i) => i), 1000);
    out.residuals = { predicted: idx.map((i) => round(values[i])), actual: idx.map((i) => round(y[i])) };
  }
  const { importance, on } = permutationImportance(result.pipeline, raw, data, metric, settings.seed);
  const f = result.final;
  return {
    title,
    runId: result.runId,
    task: settings.task,
    target: settings.target,
    metric,
    higherIsBetter: metricHigher(metric),
    rows: raw.nRows,
    durationSeconds: result.durationSeconds,
    budgetSeconds: settings.seconds,
    trials: result.trials,
    scoredOn,
    metrics: { cv: result.metrics.cv as Record<string, number>, holdout: result.metrics.holdout as Record<string, number> | null },
    final: {
      members: f.members.map((m) => ({ name: m.name, weight: m.weight })),
      fit: f.fit,
      calibration: f.calibration?.method ?? 'none',
      threshold: f.threshold?.threshold ?? null,
      thresholdReason: f.threshold?.reason ?? '',
      notes: f.notes,
    },
    leaderboard: result.leaderboard,
    importance,
    importanceOn: on,
    inferred: settings.inferred,
    ...out,
  };
}

function metricHigher(metric: MetricName): boolean {
  return !['log_loss', 'rmse', 'mse', 'mae'].includes(metric);
}

/**
 * How much the metric worsens when one input column's values are shuffled (the others untouched): model-agnostic,
 * so it works for ensembles. On holdout rows when there are any.
 */
function permutationImportance(pipeline: Pipeline, raw: Frame, data: PreparedData, metric: MetricName, seed: number): { importance: { column: string; drop: number }[]; on: string } {
  const rng = new Rng(seed + 404);
  // the shipped fit learned from every labelled row, so there are no unseen labelled rows left: this is in-sample
  const pool = data.labelled.rows;
  const yPool = data.labelled.y;
  const pick = pool.length > IMPORTANCE_ROWS ? rng.sample(pool.length, IMPORTANCE_ROWS).sort() : Uint32Array.from({ length: pool.length }, (_, i) => i);
  const frame = raw.take(Array.from(pick, (i) => pool[i]));
  const y = Float64Array.from(pick, (i) => yPool[i]);
  const score = (f: Frame): number => {
    const out = pipeline.predict(f);
    return scoreMetric(metric, data.task, y, data.task === 'regression' ? { predicted: out.values } : { proba: out.probabilities, predicted: out.values, nClasses: data.nClasses });
  };
  const base = score(frame);
  const sign = metricHigher(metric) ? 1 : -1;
  const importance = pipeline.chain.inputs.map((column) => {
    const order = rng.permutation(frame.nRows);
    const shuffled = frame.withColumn(column, frame.take(order).column(column));
    return { column, drop: round(sign * (base - score(shuffled))) };
  });
  importance.sort((a, b) => b.drop - a.drop);
  return { importance, on: `${frame.nRows.toLocaleString('en-US')} rows the final model learned from (in-sample: it shows what the model relies on)` };
}
