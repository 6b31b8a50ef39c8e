// From the search's candidates to the pipeline that ships: pick the ensemble (or the best single model) on
// out-of-fold predictions, refit its members on every labelled row within the time left (members that cannot fit
// are dropped, lightest weight first; the best candidate's own fold models are the last resort), calibrate the
// blended probabilities and choose the decision threshold on the out-of-fold rows, and assemble the Pipeline.

import type { Json } from '../core/artifact.js';
import { isKilnError, KilnError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Rng } from '../core/rng.js';
import { inferSignature, Pipeline } from '../features/index.js';
import type { Budget } from './budget.js';
import { applyCalibration, type Calibration, type CalibrationMethod, chooseCalibration } from './calibration/calibrator.js';
import { EnsembleModel, type EnsembleMember } from './composite/ensemble-model.js';
import type { FoldData } from './cv/fold-data.js';
import { finalRows, type PreparedData } from './cv/prepare.js';
import { chooseThreshold, type ThresholdDecision } from './decision.js';
import { blend, type EnsembleSelection, selectEnsemble } from './ensemble/selection.js';
import type { FamilyContext } from './families/index.js';
import { type ErrorCosts, isBetter, type MetricName, METRICS } from './metrics/index.js';
import { type Candidate, outputWidth, scoreOutput } from './search/candidate.js';

/**
 * The ensemble draws from each family's best few candidates, not the overall top: after a long search the top is
 * full of near-copies of one family, and greedy selection among near-copies mostly fits the noise of the
 * out-of-fold rows (the winner's curse); members from different families are what make a blend generalise.
 */
const PER_FAMILY = 3;
/** safety factor on refit time estimates */
const REFIT_SAFETY = 1.3;

export interface FinalPlan {
  readonly members: readonly { readonly candidate: Candidate; readonly weight: number }[];
  /** (search rows, width) blended out-of-fold outputs */
  readonly oof: Float64Array;
  /** the metric of the blend over the scored rows */
  readonly score: number;
  /** the best single candidate's score over the same rows */
  readonly bestSingleScore: number;
  readonly selection: EnsembleSelection | null;
  /** the best candidate by cross-validation: the search kept its fold models as a last resort */
  readonly fallback: Candidate;
}

/** the scored rows of a (rows, width) array */
export function scoredPart(a: Float64Array, width: number, scored: Uint8Array): Float64Array {
  let n = 0;
  for (const s of scored) n += s;
  if (n === scored.length) return a;
  const out = new Float64Array(n * width);
  let r = 0;
  for (let i = 0; i < scored.length; i++) if (scored[i]) out.set(a.subarray(i * width, (i + 1) * width), width * r++);
  return out;
}

/**
 * Bootstrap bags for ensemble selection: many on small data, where out-of-fold scores are noisy and a greedy
 * pick overfits them; fewer on large data, where each bag costs more and the scores are steadier. With a time
 * limit, no more than fit in `seconds` at the measured cost of one bag.
 */
function selectionBags(rows: number, secondsPerBag: number, seconds: number): number {
  const wanted = Math.max(1, Math.min(16, Math.round(120_000 / Math.max(1, rows))));
  return Number.isFinite(seconds) ? Math.max(1, Math.min(wanted, Math.floor(seconds / Math.max(1e-6, secondsPerBag)))) : wanted;
}

export function planFinal(ranked: readonly Candidate[], data: PreparedData, metric: MetricName, options: { seed?: number; seconds?: number } = {}): FinalPlan {
  const seed = options.seed ?? 42;
  if (!ranked.length) throw new KilnError('E_BUDGET', 'no model finished cross-validation within the budget', { hint: 'give a larger --time, or fewer rows' });
  const width = outputWidth(data);
  const y = scoredPart(data.y, 1, data.scored);
  const pool: Candidate[] = [];
  for (const c of ranked) if (pool.filter((p) => p.family === c.family).length < PER_FAMILY) pool.push(c);
  const outputs = pool.map((c) => scoredPart(c.oof, width, data.scored));
  const bestSingleScore = scoreOutput(metric, data, y, outputs[0]);
  const single: FinalPlan = { members: [{ candidate: pool[0], weight: 1 }], oof: pool[0].oof, score: bestSingleScore, bestSingleScore, selection: null, fallback: ranked[0] };
  if (pool.length < 2) return single;
  // an ensemble when greedy selection finds one that beats the best single model on the out-of-fold rows; its
  // weights then come from bagged selection (less fitted to those rows' noise, so usually more members)
  const input = { outputs, y, task: data.task, nClasses: data.nClasses, metric };
  const started = performance.now();
  const greedy = selectEnsemble(input);
  const greedySeconds = (performance.now() - started) / 1000;
  if (greedy.weights.filter((w) => w > 0).length < 2 || !isBetter(metric, greedy.score, bestSingleScore)) return { ...single, selection: greedy };
  // a bag costs about what the greedy pass did (the same rows, candidates and rounds)
  const bags = selectionBags(y.length, greedySeconds, (options.seconds ?? Infinity) - greedySeconds);
  const selection = bags > 1 ? selectEnsemble({ ...input, bags, rng: new Rng(seed + 61) }) : greedy;
  const members = pool.map((candidate, j) => ({ candidate, weight: selection.weights[j] })).filter((m) => m.weight > 0);
  return { members, oof: blend(pool.map((c) => c.oof), selection.weights), score: selection.score, bestSingleScore, selection, fallback: ranked[0] };
}

/** seconds a final fit of `c` on every labelled row should take, from its fold fits */
export function refitEstimate(c: Candidate, data: PreparedData): number {
  const foldRows = data.folds.reduce((s, f) => s + f.train.length, 0) / data.folds.length;
  const work = c.family.refitWork?.(c.params, c.foldInfo) ?? 1;
  return REFIT_SAFETY * c.foldSeconds * work * (data.labelled.y.length / Math.max(1, foldRows));
}

export interface FinalModel {
  readonly pipeline: Pipeline;
  readonly members: readonly { readonly name: string; readonly family: string; readonly weight: number; readonly params: Json }[];
  /** 'refit': members fitted again on all search rows; 'bagged': the best candidate's fold models averaged */
  readonly fit: 'refit' | 'bagged';
  readonly calibration: { readonly method: CalibrationMethod | 'none'; readonly logLoss: Readonly<Record<string, number>> } | null;
  readonly threshold: ThresholdDecision | null;
  /** the blend's out-of-fold outputs after calibration (search rows × width) */
  readonly oof: Float64Array;
  /**
   * (holdout rows × width) the same blend of the members' fold models on the holdout, calibrated; null without a
   * holdout. The honest estimate: the shipped final fit also learned from the holdout rows.
   */
  readonly holdout: Float64Array | null;
  readonly oofScore: number;
  readonly notes: readonly string[];
  readonly refitSeconds: number;
}

export interface FinalOptions {
  readonly data: PreparedData;
  readonly raw: Frame;
  readonly foldData: FoldData;
  readonly context: FamilyContext;
  readonly metric: MetricName;
  readonly costs: ErrorCosts | null;
  readonly budget: Budget;
  /** performance.now() by which refits must end (the budget plus its tolerance, minus packaging) */
  readonly refitDeadline: number;
  readonly seed: number;
  readonly info: { readonly [key: string]: Json };
}

export async function buildFinal(plan: FinalPlan, o: FinalOptions): Promise<FinalModel> {
  const { data } = o;
  const notes: string[] = [];
  let members = [...plan.members];
  // drop the lightest members until the estimated refit fits the time left
  const timeLeft = (): number => (o.refitDeadline - performance.now()) / 1000;
  while (o.budget.seconds !== null && members.length > 1 && members.reduce((s, m) => s + refitEstimate(m.candidate, data), 0) > timeLeft()) {
    const lightest = members.reduce((a, b) => (b.weight < a.weight ? b : a));
    members = members.filter((m) => m !== lightest);
    notes.push(`left ${lightest.candidate.name} out of the ensemble: refitting every member would not fit the time left`);
  }
  const started = performance.now();
  // the final fit learns from every labelled row, the holdout included (it has been used for scoring by now)
  const rows = members.length ? finalRows(data, o.raw) : null;
  const fitted: EnsembleMember[] = [];
  const kept: { candidate: Candidate; weight: number }[] = [];
  for (const m of members) {
    if (o.budget.seconds !== null && refitEstimate(m.candidate, data) > timeLeft()) {
      notes.push(`${m.candidate.name} was not refitted: ~${refitEstimate(m.candidate, data).toFixed(1)}s needed, ${Math.max(0, timeLeft()).toFixed(1)}s left`);
      continue;
    }
    const limit = o.budget.signal(o.refitDeadline, `the final fit of ${m.candidate.name}`);
    try {
      const all = o.foldData.final(rows!, m.candidate.family.chain, m.candidate.family.chainParams);
      const params = m.candidate.family.refitParams(m.candidate.params, m.candidate.foldInfo);
      const learner = m.candidate.family.learner(o.context, params);
      const model = await learner.fit({ x: all.xTrain, features: all.chain.features, y: all.yTrain, nClasses: data.nClasses || undefined }, { rng: new Rng(o.seed * 7919 + m.candidate.id * 131 + 97), signal: limit.signal });
      fitted.push({ label: m.candidate.name, weight: m.weight, chain: all.chain, model });
      kept.push(m);
    } catch (e) {
      o.budget.checkCancelled();
      if (!(isKilnError(e) && e.code === 'E_BUDGET')) throw e;
      notes.push(`the final fit of ${m.candidate.name} ran out of time`);
    } finally {
      limit.dispose();
    }
  }
  const refitSeconds = (performance.now() - started) / 1000;
  let fit: FinalModel['fit'] = 'refit';
  let oof = plan.oof;
  let used = kept;
  let base = rows?.baseChain ?? data.baseChain;
  let fitRows = rows?.rows ?? data.rows;
  if (!fitted.length) {
    // last resort: the best candidate's fold models, already trained, averaged (bagging)
    const best = plan.fallback;
    if (!best.foldModels || best.foldModels.some((m) => m === undefined)) throw new KilnError('E_BUDGET', 'no final model could be fitted within the budget', { hint: 'give a larger --time' });
    for (const [f, m] of best.foldModels.entries()) fitted.push({ label: `${best.name} fold ${f + 1}`, weight: 1, chain: m!.chain, model: m!.model });
    used = [{ candidate: best, weight: 1 }];
    oof = best.oof;
    fit = 'bagged';
    // the fold models read the search rows' base chain
    base = data.baseChain;
    fitRows = data.rows;
    notes.push(`shipped the average of ${best.name}'s ${fitted.length} fold models: no final fit fitted the time left`);
  } else if (kept.length < plan.members.length) {
    const total = kept.reduce((s, m) => s + m.weight, 0);
    oof = blend(kept.map((m) => m.candidate.oof), kept.map((m) => m.weight / total));
  }

  // calibration and threshold, on the blended out-of-fold rows
  const width = outputWidth(data);
  const y = scoredPart(data.y, 1, data.scored);
  let calibration: Calibration | null = null;
  let calibrationReport: FinalModel['calibration'] = null;
  if (data.task !== 'regression') {
    const methods: CalibrationMethod[] = data.task === 'multiclass' ? ['temperature'] : ['roc_auc', 'pr_auc'].includes(o.metric) ? ['platt'] : ['platt', 'isotonic'];
    const choice = chooseCalibration(scoredPart(oof, width, data.scored), y, data.nClasses, methods, new Rng(o.seed + 5));
    calibration = choice.calibration;
    calibrationReport = { method: calibration?.method ?? 'none', logLoss: choice.logLoss };
    if (calibration) oof = applyCalibration(calibration, oof, data.nClasses);
  }
  let holdout: Float64Array | null = null;
  const holdoutOutputs = used.map((m) => m.candidate.holdoutOutput());
  if (data.holdout && holdoutOutputs.every((h) => h !== null)) {
    const total = used.reduce((s, m) => s + m.weight, 0);
    holdout = blend(holdoutOutputs as Float64Array[], used.map((m) => m.weight / total));
    if (calibration) holdout = applyCalibration(calibration, holdout, data.nClasses);
  }
  let threshold: ThresholdDecision | null = null;
  if (data.task === 'binary') {
    const scoredOof = scoredPart(oof, 2, data.scored);
    threshold = chooseThreshold(y, Float64Array.from({ length: y.length }, (_, i) => scoredOof[2 * i + 1]), o.metric, o.costs);
  }
  const oofScore = scoreOutput(o.metric, data, y, scoredPart(oof, width, data.scored));

  const model = new EnsembleModel({ task: data.task, nClasses: data.nClasses || undefined, columns: base.encoder.columns, members: fitted, calibration });
  const flat = fitted.length === 1 && !calibration && base.steps.length === 0;
  const chain = flat ? fitted[0].chain : base;
  const signature = inferSignature(o.raw.take(fitRows), { features: chain.inputs, target: { name: data.target, task: data.task, classes: data.classes } });
  const pipeline = new Pipeline({
    task: data.task,
    target: data.target,
    signature,
    recipe: null,
    chain,
    // one member, no calibration, no date parts: the plain model on its own chain (any Kiln loader reads it)
    model: flat ? fitted[0].model : model,
    classes: data.classes,
    threshold: threshold?.threshold ?? null,
    info: o.info,
  });
  return {
    pipeline,
    members: used.map((m) => ({ name: m.candidate.name, family: m.candidate.family.name, weight: m.weight, params: m.candidate.params as Json })),
    fit,
    calibration: calibrationReport,
    threshold,
    oof,
    holdout,
    oofScore,
    notes,
    refitSeconds,
  };
}

/** whether a lower value of the metric is better (for display arrows) */
export function lowerIsBetter(metric: MetricName): boolean {
  return !METRICS[metric].higherIsBetter;
}
