// Retrain and promote: `kiln retrain churn [--data new.csv]`. Train a challenger with the project's settings on
// the configured window of labelled rows (a file, or the logged requests with their feedback), score champion
// and challenger on the same most recent labelled rows — held out of the challenger's training — and promote the
// challenger to `champion` only if it beats the champion by the margin; otherwise register it as `challenger`
// and say why. Every decision is recorded with its numbers (monitor_decisions); `kiln rollback <name> --alias
// champion` undoes a promotion, and a running server follows the alias without a restart.
//
//   rows (oldest → newest):  [ … outside the window … | training rows (challenger) | evaluation rows (both) ]

import { type Json } from '../../core/artifact.js';
import type { Db } from '../../core/db/index.js';
import { KilnError, NotFoundError } from '../../core/errors.js';
import { type Column, type Frame, categoryFromStrings, concatFrames, numberColumn } from '../../core/frame.js';
import { DEFAULT_MISSING_MARKERS, type Dataset, type ReadOptions, inferSchema, readDataset } from '../../data/index.js';
import { type Pipeline, recordsToFrame } from '../../features/index.js';
import type { ModelVersion, Store } from '../../registry/index.js';
import { readPredictions } from '../../serve/index.js';
import { type Evaluation, type LoadedProject, METRICS, type MetricName, type Overrides, RunStore, type TrainProgress, type TrainResult, evaluate, train } from '../../train/index.js';
import type { MonitorSettings } from '../settings.js';
import { loadVersion } from './monitor.js';
import { saveMonitoringReference } from './reference-source.js';
import type { DecisionRecord, MonitorStore } from './store.js';

export type RetrainTrigger = 'manual' | 'drift' | 'performance';

export interface RetrainOptions {
  readonly name: string;
  readonly project: LoadedProject;
  readonly db: Db;
  readonly store: Store;
  readonly monitorStore: MonitorStore;
  readonly settings: MonitorSettings;
  /** labelled rows from this file; absent: the logged requests that have feedback */
  readonly data?: string | null;
  /** a datetime column of the file that orders its rows (default: the file's row order is its time order) */
  readonly timeColumn?: string | null;
  readonly trigger?: RetrainTrigger;
  /** the challenger's budget and seed (default: monitor.retrain.time/trials, else the project's) */
  readonly overrides?: Overrides;
  /** where the training run is recorded; default the project database; false for nowhere */
  readonly runStore?: RunStore | false;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: TrainProgress) => void;
  readonly now?: number;
}

export interface RetrainResult {
  readonly decision: DecisionRecord;
  readonly champion: ModelVersion | null;
  readonly challenger: ModelVersion;
  readonly evaluation: { readonly champion: Evaluation | null; readonly challenger: Evaluation };
  readonly run: TrainResult;
  /** where the labelled rows came from, and how they were cut */
  readonly data: { readonly source: string; readonly rows: number; readonly trainingRows: number; readonly evaluationRows: number };
}

interface LabelledRows {
  readonly frame: Frame;
  /** (n) epoch ms, or null when the rows are in time order without times */
  readonly times: Float64Array | null;
  readonly source: string;
}

/** The verdict, from the two scores on the same rows. Margins are absolute, relative for error metrics. */
export function decide(metric: MetricName, champion: number | null, challenger: number, margin: number): { promote: boolean; reason: string } {
  const f = (v: number): string => v.toFixed(4);
  if (champion === null) return { promote: true, reason: `there is no champion yet: the challenger (${metric} ${f(challenger)}) becomes champion` };
  if (!Number.isFinite(challenger) || !Number.isFinite(champion))
    return { promote: false, reason: `${metric} cannot be computed on the evaluation rows (champion ${f(champion)}, challenger ${f(challenger)}): the champion stays` };
  const higher = METRICS[metric].higherIsBetter;
  const gain = higher ? challenger - champion : (champion - challenger) / Math.abs(champion || 1);
  const needed = higher ? `${margin}` : `${(100 * margin).toFixed(1)} %`;
  const by = higher ? f(gain) : `${(100 * gain).toFixed(1)} %`;
  if (gain >= margin && gain > 0) return { promote: true, reason: `the challenger's ${metric} ${f(challenger)} beats the champion's ${f(champion)} by ${by} (margin ${needed})` };
  return { promote: false, reason: `the challenger's ${metric} ${f(challenger)} does not beat the champion's ${f(champion)} by the margin ${needed} (${higher ? 'difference' : 'improvement'} ${by}): the champion stays` };
}

/** A Dataset around an already typed Frame (what train() takes instead of reading its source). */
function asDataset(frame: Frame, source: string): Dataset {
  return {
    frame,
    raw: frame,
    schema: inferSchema(frame, { markers: DEFAULT_MISSING_MARKERS }),
    source: { source, kind: 'file', notes: [], badRows: { count: 0, examples: [] }, readSeconds: 0, phases: { sniff: 0, parse: 0, infer: 0 } },
  };
}

async function rowsFromFile(file: string, project: LoadedProject, target: string, timeColumn: string | null): Promise<LabelledRows> {
  const { frame } = await readDataset(file, project.project.data.options as ReadOptions);
  if (!frame.has(target)) throw new KilnError('E_DATA_SCHEMA', `${file} has no "${target}" column: retraining needs labelled rows`);
  let times: Float64Array | null = null;
  if (timeColumn) {
    if (!frame.has(timeColumn)) throw new KilnError('E_DATA_SCHEMA', `${file} has no time column "${timeColumn}"`);
    const col = frame.column(timeColumn);
    if (col.kind !== 'datetime' && col.kind !== 'number') throw new KilnError('E_DATA_SCHEMA', `column "${timeColumn}" of ${file} is ${col.kind}, not a time`);
    times = col.values;
  }
  return { frame, times, source: file };
}

async function rowsFromLog(db: Db, name: string, pipeline: Pipeline, since: number | undefined): Promise<LabelledRows> {
  const logged = await readPredictions(db, { model: name, withFeedback: true, since: since === undefined ? undefined : new Date(since).toISOString(), limit: 5_000_000 });
  const rows = logged.filter((r) => r.actual !== null && r.actual !== undefined);
  if (!rows.length)
    throw new KilnError('E_DATA_EMPTY', `no logged prediction of ${name} has a label yet`, { hint: 'send outcomes with POST /v1/models/{name}/feedback or kiln monitor --labels, or retrain from a file with --data' });
  // inputs typed by the serving signature; the label sent as feedback is the target (a target sent with the
  // request is replaced)
  const inputs = recordsToFrame(pipeline.signature, rows.map((r) => r.inputs), { allowUnknown: true });
  const target: Column = pipeline.task === 'regression' ? numberColumn(Float64Array.from(rows, (r) => Number(r.actual))) : categoryFromStrings(rows.map((r) => String(r.actual)));
  return { frame: inputs.withColumn(pipeline.target, target), times: Float64Array.from(rows, (r) => Date.parse(r.createdAt)), source: `prediction log of ${name} with feedback` };
}

/** Order rows by time (stable), keep the window, and cut off the newest as evaluation rows. */
export function cutRows(n: number, times: Float64Array | null, settings: MonitorSettings['retrain']): { training: number[]; evaluation: number[] } {
  const order = Array.from({ length: n }, (_, i) => i);
  if (times) order.sort((a, b) => (times[a] - times[b]) || a - b);
  let kept = order;
  const w = settings.window;
  if (w !== 'all' && 'rows' in w) kept = order.slice(Math.max(0, n - w.rows));
  else if (w !== 'all' && times) {
    const newest = times[order[n - 1]];
    kept = order.filter((i) => times[i] >= newest - w.days * 86_400_000);
  }
  const nEval = settings.evaluation < 1 ? Math.round(settings.evaluation * kept.length) : Math.min(settings.evaluation, kept.length);
  return { training: kept.slice(0, kept.length - nEval), evaluation: kept.slice(kept.length - nEval) };
}

const MIN_TRAINING_ROWS = 50;
const MIN_EVALUATION_ROWS = 20;

export async function retrain(options: RetrainOptions): Promise<RetrainResult> {
  const { name, project, settings } = options;
  const at = new Date(options.now ?? Date.now()).toISOString();
  const trigger = options.trigger ?? 'manual';
  let champion: { version: ModelVersion; pipeline: Pipeline } | null = null;
  try {
    champion = await loadVersion(options.store, `${name}@champion`);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const target = champion?.pipeline.target ?? project.project.target;
  if (!target) throw new KilnError('E_PROJECT', 'target: kiln.yaml names no target and there is no champion to take it from');
  const r = settings.retrain;
  const timeColumn = options.timeColumn ?? (project.project.split.scheme === 'time' ? project.project.split.column : null);
  let rows: LabelledRows;
  if (options.data) rows = await rowsFromFile(options.data, project, target, timeColumn);
  else {
    if (!champion) throw new NotFoundError(`${name} has no champion whose logged requests could be retrained on`, { hint: 'give the labelled rows as a file: kiln retrain --data new.csv' });
    rows = await rowsFromLog(options.db, name, champion.pipeline, undefined);
  }
  const { training, evaluation } = cutRows(rows.frame.nRows, rows.times, r);
  if (training.length < MIN_TRAINING_ROWS || evaluation.length < MIN_EVALUATION_ROWS)
    throw new KilnError('E_DATA_EMPTY', `${rows.frame.nRows} labelled rows (${rows.source}) leave ${training.length} to train on and ${evaluation.length} to evaluate on; at least ${MIN_TRAINING_ROWS} and ${MIN_EVALUATION_ROWS} are needed`, {
      hint: 'wait for more labels, widen monitor.retrain.window, or give a file with --data',
    });
  let trainFrame = rows.frame.take(training);
  if (r.includeProjectData) {
    const original = (await readDataset(project.source, project.project.data.options as ReadOptions)).frame;
    const missing = trainFrame.names.filter((c) => !original.has(c));
    if (missing.length) throw new KilnError('E_DATA_SCHEMA', `monitor.retrain.include_project_data: the project's data lacks ${missing.join(', ')}`);
    trainFrame = concatFrames([original.select(trainFrame.names), trainFrame]);
  }
  const evalFrame = rows.frame.take(evaluation);

  const overrides: Overrides = { ...(r.trials !== null ? { trials: r.trials } : r.seconds !== null ? { seconds: r.seconds } : {}), ...options.overrides };
  const ownsRuns = options.runStore === undefined;
  const runStore = options.runStore === false ? false : (options.runStore ?? (await RunStore.open({ db: options.db })));
  try {
    const run = await train({ project: { project: { ...project.project, name }, dir: project.dir }, dataset: asDataset(trainFrame, rows.source), overrides, store: runStore, signal: options.signal, onProgress: options.onProgress });
    const metric = run.settings.metric;
    const challengerEval = evaluate(run.pipeline, evalFrame);
    const championEval = champion ? evaluate(champion.pipeline, evalFrame) : null;
    const challengerScore = challengerEval.metrics[metric] ?? NaN;
    const championScore = championEval ? (championEval.metrics[metric] ?? NaN) : null;
    const verdict = decide(metric, championScore, challengerScore, r.margin);

    const lineageMetrics: { [k: string]: Json } = { [metric]: run.metrics.cv[metric] ?? null, [`evaluation_${metric}`]: Number.isFinite(challengerScore) ? challengerScore : null };
    if (run.metrics.holdout) lineageMetrics[`holdout_${metric}`] = run.metrics.holdout[metric] ?? null;
    for (const [k, v] of Object.entries(run.metrics.cv)) if (!(k in lineageMetrics) && v !== undefined) lineageMetrics[k] = v;
    const registered = await options.store.register({
      name,
      artifact: run.artifact,
      description: `kiln retrain (${trigger}) run ${run.runId}`,
      lineage: {
        runId: run.runId,
        dataFingerprint: { sha256: run.fingerprint.sha256, rows: run.fingerprint.rows, columns: run.fingerprint.columns.map((c) => ({ ...c })) },
        metrics: lineageMetrics,
        params: { members: run.final.members.map((x) => ({ name: x.name, family: x.family, weight: x.weight, params: x.params })), calibration: run.final.calibration?.method ?? null, threshold: run.final.threshold?.threshold ?? null, retrainedFrom: champion ? champion.version.version : null },
      },
    });
    const ref = `${name}/${registered.version}`;
    await options.store.promote(ref, verdict.promote ? 'champion' : 'challenger');
    if (runStore) await runStore.setRegistryRef(run.runId, ref);
    await saveMonitoringReference(options.monitorStore, name, registered.version, trainFrame, run.pipeline, `retraining rows (${rows.source})`);
    const challenger = await options.store.resolve(ref);

    const round = (m: Partial<Record<MetricName, number>>): Json => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Number.isFinite(v) ? Number((v as number).toPrecision(6)) : null]));
    const span = (idx: number[]): Json => (rows.times ? { from: new Date(rows.times[idx[0]]).toISOString(), to: new Date(rows.times[idx[idx.length - 1]]).toISOString() } : { firstRow: idx[0], lastRow: idx[idx.length - 1] });
    const record: Omit<DecisionRecord, 'id'> = {
      modelName: name,
      at,
      trigger,
      championVersion: champion?.version.version ?? null,
      challengerVersion: registered.version,
      metric,
      championScore: championScore !== null && Number.isFinite(championScore) ? championScore : null,
      challengerScore: Number.isFinite(challengerScore) ? challengerScore : null,
      margin: r.margin,
      evaluationRows: evalFrame.nRows,
      trainingRows: trainFrame.nRows,
      promoted: verdict.promote,
      reason: verdict.reason,
      details: {
        runId: run.runId,
        source: rows.source,
        window: r.window === 'all' ? 'all' : (r.window as Json),
        training: span(training),
        evaluation: span(evaluation),
        includeProjectData: r.includeProjectData,
        champion: championEval ? round(championEval.metrics) : null,
        challenger: round(challengerEval.metrics),
        alias: verdict.promote ? 'champion' : 'challenger',
      },
    };
    const id = await options.monitorStore.recordDecision(record);
    return {
      decision: { id, ...record },
      champion: champion?.version ?? null,
      challenger,
      evaluation: { champion: championEval, challenger: challengerEval },
      run,
      data: { source: rows.source, rows: rows.frame.nRows, trainingRows: trainFrame.nRows, evaluationRows: evalFrame.nRows },
    };
  } finally {
    if (ownsRuns && runStore) await runStore.close();
  }
}

/** When the automatic policy may retrain again: the last decision plus monitor.retrain.min_interval. */
export async function retrainAllowed(monitorStore: MonitorStore, name: string, settings: MonitorSettings, now = Date.now()): Promise<{ allowed: boolean; next: number | null; last: string | null }> {
  const decisions = await monitorStore.listDecisions(name, 1);
  const last = decisions.at(-1)?.at ?? null;
  if (last === null) return { allowed: true, next: null, last };
  const next = Date.parse(last) + settings.retrain.minInterval;
  return { allowed: now >= next, next, last };
}

