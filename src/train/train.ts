// `kiln train` as a library call. One run: read the data, resolve the settings, prepare folds and holdout, search
// (portfolio, then successive halving), choose and fit the final model, score it, and record the run. The clock
// starts on entry; everything up to the finished pipeline ends within the budget plus 5 %.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sha256Hex, type Json } from '../core/artifact.js';
import { isKilnError } from '../core/errors.js';
import { KILN_VERSION } from '../core/version.js';
import { type Dataset, readDataset, type ReadOptions } from '../data/index.js';
import type { Frame } from '../core/frame.js';
import type { Pipeline } from '../features/index.js';
import { Budget } from './budget.js';
import { FoldData } from './cv/fold-data.js';
import { prepareData, type PreparedData } from './cv/prepare.js';
import { chooseFamilies, type FamilyContext } from './families/index.js';
import { buildFinal, type FinalModel, planFinal, refitEstimate } from './final.js';
import { baselineRow, candidateRow, foldScores, type LeaderboardRow, rankCandidates } from './leaderboard.js';
import { DEFAULT_METRICS, type MetricName, scoreAll } from './metrics/index.js';
import { loadProject, resolveSource } from './project/load.js';
import type { Project } from './project/schema.js';
import { fingerprint, fingerprintJson, type DataFingerprint } from './runs/fingerprint.js';
import { RunStore } from './runs/store.js';
import type { Candidate } from './search/candidate.js';
import { search, type SearchEvent } from './search/search.js';
import { type Overrides, resolveSettings, settingsJson, type TrainSettings } from './settings.js';

/** share of the budget the run may overshoot by (the promise is: done within budget × 1.05) */
export const BUDGET_TOLERANCE = 0.05;

export interface TrainProgress {
  readonly phase: 'reading' | 'preparing' | 'searching' | 'final' | 'done';
  readonly elapsed: number;
  readonly budget: number | null;
  readonly trials: number;
  readonly best: { readonly name: string; readonly score: number } | null;
  readonly current: string | null;
  readonly metric: MetricName | null;
}

export interface TrainOptions {
  /** path of kiln.yaml (default ./kiln.yaml), or an already parsed project with its folder */
  readonly project?: string | { readonly project: Project; readonly dir: string };
  readonly overrides?: Overrides;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: TrainProgress) => void;
  /** where runs are recorded: an open store, or false for none; default the project's database */
  readonly store?: RunStore | false;
  /** an already read data set instead of the project's source (tests, benchmarks) */
  readonly dataset?: Dataset;
}

export interface TrainResult {
  readonly runId: string;
  readonly settings: TrainSettings;
  readonly pipeline: Pipeline;
  /** the encoded pipeline artifact (what the registry stores) */
  readonly artifact: Uint8Array;
  readonly leaderboard: readonly LeaderboardRow[];
  readonly final: FinalModel;
  /** every default metric of the task: out-of-fold (cross-validation) and on the holdout */
  readonly metrics: { readonly cv: Partial<Record<MetricName, number>>; readonly holdout: Partial<Record<MetricName, number>> | null };
  readonly fingerprint: DataFingerprint;
  readonly durationSeconds: number;
  readonly trials: number;
  readonly stoppedBy: string;
  readonly data: PreparedData;
  /** the rows as read (what the report and evaluation scripts score against) */
  readonly raw: Frame;
  readonly families: { readonly used: readonly string[]; readonly skipped: readonly { name: string; reason: string }[] };
}

export function newRunId(date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function train(options: TrainOptions = {}): Promise<TrainResult> {
  const startedAt = new Date();
  const clock = performance.now();
  const { project, dir } = typeof options.project === 'object' ? options.project : await loadProject(options.project ?? 'kiln.yaml');
  const overrides = options.overrides ?? {};
  const report = (p: Omit<TrainProgress, 'elapsed'>): void => options.onProgress?.({ ...p, elapsed: (performance.now() - clock) / 1000 });
  report({ phase: 'reading', budget: overrides.seconds ?? project.budget.seconds, trials: 0, best: null, current: null, metric: project.metric ?? null });
  const source = resolveSource(project.data.source, dir);
  const dataset = options.dataset ?? (await readDataset(source, project.data.options as ReadOptions));
  const fallbackName = path.basename(dir) || 'model';
  const settings = await resolveSettings(project, dataset, overrides, fallbackName);
  const budget = new Budget(settings.seconds, { startedAt: clock, parent: options.signal });
  const metric = settings.metric;
  const runId = newRunId(startedAt);
  const print = fingerprint(dataset.frame);

  const ownsStore = options.store === undefined;
  const store = options.store === false ? null : (options.store ?? (await RunStore.open({ projectDir: dir })));
  try {
    await store?.start({
      id: runId,
      name: settings.name,
      startedAt: startedAt.toISOString(),
      kilnVersion: KILN_VERSION,
      seed: settings.seed,
      budgetSeconds: settings.seconds,
      trials: settings.trials,
      task: settings.task,
      target: settings.target,
      metric,
      dataFingerprint: fingerprintJson(print),
      settings: settingsJson(settings),
    });
    try {
      const result = await runSearchAndFinal(runId, settings, dataset, budget, report, print);
      const durationSeconds = (performance.now() - clock) / 1000;
      const done = { ...result, durationSeconds };
      await store?.finish(runId, {
        finishedAt: new Date().toISOString(),
        durationSeconds,
        leaderboard: done.leaderboard as unknown as Json,
        result: runResultJson(done),
        artifact: done.artifact,
        artifactSha256: sha256Hex(done.artifact),
        folds: result.candidates.flatMap((c) =>
          [...c.foldScores].flatMap((value, fold) => (Number.isFinite(value) ? [{ candidate: c.id, fold, family: c.family.name, value, fitSeconds: c.foldFitSeconds[fold] }] : [])),
        ),
      });
      report({ phase: 'done', budget: settings.seconds, trials: done.trials, best: null, current: null, metric });
      return done;
    } catch (e) {
      await store?.fail(runId, isKilnError(e) ? e.message : String(e), new Date().toISOString(), (performance.now() - clock) / 1000).catch(() => undefined);
      throw e;
    }
  } finally {
    if (ownsStore) await store?.close();
  }
}

async function runSearchAndFinal(
  runId: string,
  settings: TrainSettings,
  dataset: Dataset,
  budget: Budget,
  report: (p: Omit<TrainProgress, 'elapsed'>) => void,
  print: DataFingerprint,
): Promise<Omit<TrainResult, 'durationSeconds'> & { candidates: readonly Candidate[] }> {
  const { metric, seed } = settings;
  const progress = (phase: TrainProgress['phase'], trials: number, best: Candidate | null, current: string | null): void =>
    report({ phase, budget: settings.seconds, trials, best: best ? { name: best.name, score: best.cv.mean } : null, current, metric });
  progress('preparing', 0, null, null);
  const data = prepareData({ frame: dataset.frame, target: settings.target, task: settings.task, positive: settings.positive, drop: Object.keys(settings.drop), split: settings.split, seed });
  const context: FamilyContext = {
    task: settings.task,
    nRows: data.y.length,
    nColumns: data.baseChain.features.length,
    nClasses: data.nClasses,
    minorityShare: data.minorityShare,
    metric,
    costs: settings.costs !== null,
  };
  const families = chooseFamilies(context, settings.families.include, settings.families.exclude);
  const foldData = new FoldData(data, seed);
  // kept free at the end: ensemble selection, the final fits of the likely members, and packaging (scores,
  // serialising). The members are usually each family's best; the best overall always, the others mostly.
  const packaging = settings.seconds === null ? 0 : Math.max(0.5, 0.02 * settings.seconds);
  const selectionSeconds = settings.seconds === null ? Infinity : Math.max(0.5, 0.03 * settings.seconds);
  const reserve = (complete: readonly Candidate[]): number => {
    if (settings.seconds === null) return 0;
    // until one candidate has finished cross-validation, only (part of) packaging is held back: a run that ends
    // with no model is worse than one that ships the first candidate's fold models (the final stage's last resort)
    if (!complete.length) return Math.min(packaging, 0.15 * settings.seconds);
    const familyBest: Candidate[] = [];
    for (const c of rankCandidates(complete, metric)) if (familyBest.length < 5 && !familyBest.some((b) => b.family === c.family)) familyBest.push(c);
    const refit = familyBest.reduce((s, c, i) => s + (i === 0 ? 1 : 0.6) * refitEstimate(c, data), 0);
    return packaging + selectionSeconds + Math.min(refit, 0.35 * settings.seconds);
  };
  const found = await search({
    data,
    foldData,
    families: families.used,
    context,
    metric,
    seed,
    budget,
    trials: settings.trials,
    reserve,
    onEvent: (e: SearchEvent) => progress('searching', e.trials, e.best, e.type === 'fold' && e.candidate.status === 'pending' ? e.candidate.name : null),
  });
  progress('final', found.trials, rankCandidates(found.candidates, metric)[0] ?? null, 'final model');
  const ranked = rankCandidates(found.candidates, metric);
  const plan = planFinal(ranked, data, metric, { seed, seconds: selectionSeconds });
  const seconds = settings.seconds;
  const refitDeadline = seconds === null ? Infinity : budget.deadline + (BUDGET_TOLERANCE * seconds - packaging) * 1000;
  // no run id or time here: a trial-limited run must give the same artifact bytes every time (the registry
  // keeps the run id in the version's lineage)
  const info: { [key: string]: Json } = { kilnVersion: KILN_VERSION, metric, dataSha256: print.sha256 };
  const final = await buildFinal(plan, { data, raw: dataset.frame, foldData, context, metric, costs: settings.costs, budget, refitDeadline, seed, info });

  // scores: out-of-fold for every default metric, and on the holdout (the final blend's fold models: the shipped
  // fit learned from the holdout rows too)
  const width = data.task === 'regression' ? 1 : data.nClasses;
  const threshold = final.threshold?.threshold ?? null;
  const cvMetrics = metricsOf(data.task, final.oof, data, width, data.scored, threshold);
  const holdoutMetrics = data.holdout && final.holdout ? metricsOf(data.task, final.holdout, { ...data, y: data.holdout.y }, width, new Uint8Array(data.holdout.y.length).fill(1), threshold) : null;
  // the shipped pipeline's prediction time, raw rows in, on up to 1,000 rows
  const timed = dataset.frame.take(data.rows.subarray(0, 1000));
  const t0 = performance.now();
  final.pipeline.predict(timed);
  const predictMs = (performance.now() - t0) / Math.max(1, timed.nRows);
  const artifact = final.pipeline.toBytes();
  const leaderboard: LeaderboardRow[] = [];
  const finalFolds = foldScores(data, final.oof, metric);
  const mean = finalFolds.reduce((a, b) => a + b, 0) / finalFolds.length;
  leaderboard.push({
    rank: 0,
    name: final.members.length > 1 ? `ensemble of ${final.members.length}` : final.members[0].name,
    kind: 'final',
    family: final.members.length > 1 ? 'ensemble' : final.members[0].family,
    status: final.fit,
    cv: mean,
    cvStd: Math.sqrt(finalFolds.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, finalFolds.length - 1)),
    holdout: holdoutMetrics?.[metric] ?? null,
    folds: finalFolds,
    fitSeconds: final.refitSeconds,
    predictMsPerRow: predictMs,
    params: { members: final.members.map((m) => ({ name: m.name, weight: round(m.weight) })), calibration: final.calibration?.method ?? null, threshold: final.threshold?.threshold ?? null } as Json,
    note: [
      final.members.length > 1 ? `out-of-fold ${metric} of the blend ${fmt(plan.score)} against ${fmt(plan.bestSingleScore)} for the best single model` : '',
      ...final.notes,
    ]
      .filter(Boolean)
      .join('; '),
  });
  ranked.forEach((c, i) => leaderboard.push(candidateRow(c, i + 1, holdoutScore(c, data, metric))));
  leaderboard.push(baselineRow(data, metric));
  for (const c of found.candidates) if (c.status !== 'complete') leaderboard.push(candidateRow(c, null, null));
  progress('done', found.trials, ranked[0] ?? null, null);
  return {
    runId,
    settings,
    pipeline: final.pipeline,
    artifact,
    leaderboard,
    final,
    metrics: { cv: cvMetrics, holdout: holdoutMetrics },
    fingerprint: print,
    trials: found.trials,
    stoppedBy: found.stoppedBy,
    data,
    raw: dataset.frame,
    families: { used: families.used.map((f) => f.name), skipped: families.skipped },
    candidates: found.candidates,
  };
}

function holdoutScore(c: Candidate, data: PreparedData, metric: MetricName): number | null {
  const out = c.holdoutOutput();
  if (!out || !data.holdout) return null;
  const s = scoreAll(data.task, data.holdout.y, data.task === 'regression' ? { predicted: out } : { proba: out, nClasses: data.nClasses })[metric];
  return s === undefined || !Number.isFinite(s) ? null : s;
}

function metricsOf(task: PreparedData['task'], oof: Float64Array, data: Pick<PreparedData, 'y' | 'nClasses'>, width: number, scored: Uint8Array, threshold: number | null): Partial<Record<MetricName, number>> {
  const rows: number[] = [];
  for (let i = 0; i < scored.length; i++) if (scored[i]) rows.push(i);
  const y = Float64Array.from(rows, (i) => data.y[i]);
  const out = new Float64Array(rows.length * width);
  rows.forEach((i, r) => out.set(oof.subarray(i * width, (i + 1) * width), r * width));
  // with a decision threshold the label metrics follow it (binary)
  const predicted = threshold === null ? undefined : Float64Array.from(rows, (_, r) => (out[2 * r + 1] >= threshold ? 1 : 0));
  const all = scoreAll(task, y, task === 'regression' ? { predicted: out } : { proba: out, predicted, nClasses: data.nClasses });
  return Object.fromEntries(DEFAULT_METRICS[task].filter((m) => all[m] !== undefined).map((m) => [m, all[m]!]));
}

const round = (v: number): number => Number(v.toFixed(4));
const fmt = (v: number): string => (Number.isFinite(v) ? v.toPrecision(5) : String(v));

/** What a run stores as its result (JSON): winner, metrics, calibration, threshold, notes. */
export function runResultJson(r: Omit<TrainResult, 'data' | 'raw'>): Json {
  return {
    winner: { members: r.final.members.map((m) => ({ name: m.name, family: m.family, weight: round(m.weight), params: m.params })), fit: r.final.fit },
    metrics: { cv: r.metrics.cv as Json, holdout: r.metrics.holdout as Json },
    calibration: r.final.calibration ? { method: r.final.calibration.method, logLoss: r.final.calibration.logLoss as Json } : null,
    threshold: r.final.threshold ? { value: r.final.threshold.threshold, reason: r.final.threshold.reason } : null,
    trials: r.trials,
    stoppedBy: r.stoppedBy,
    notes: [...r.settings.inferred, ...r.final.notes],
    families: r.families as unknown as Json,
    artifactBytes: r.artifact.length,
  };
}
