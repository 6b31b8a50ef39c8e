// One monitoring run, as `kiln monitor` and the server's schedule do it: resolve the version, load its pipeline and
// reference, read the current data (prediction log window or file) with its labels, run the check, record it,
// and POST the webhook when a check it alerts on fails.

import { KilnError } from '../../core/errors.js';
import type { Column } from '../../core/frame.js';
import type { Db } from '../../core/db/index.js';
import type { Json } from '../../core/artifact.js';
import { type ReadOptions } from '../../data/index.js';
import { Pipeline } from '../../features/index.js';
import type { ModelVersion, Store } from '../../registry/index.js';
import { DEFAULT_METRICS, type LoadedProject, METRICS, type MetricName, isMetricName } from '../../train/index.js';
import { type MonitorCheck, runCheck } from '../check.js';
import { PREDICTION_COLUMN, predictionColumnOf } from '../reference.js';
import type { CheckName, MonitorSettings } from '../settings.js';
import { type AlertPayload, type Delivery, alertPayload, postWebhook } from './alerts.js';
import { type CurrentData, type LogWindow, currentFromFile, currentFromLog, encodeLabels, importLabels } from './current-data.js';
import { type ReferenceChoice, type ResolvedReference, referenceFor } from './reference-source.js';
import type { MonitorStore } from './store.js';

export interface MonitorRunOptions {
  readonly db: Db;
  readonly store: Store;
  readonly monitorStore: MonitorStore;
  /** churn@champion, churn/3, churn */
  readonly ref: string;
  readonly settings: MonitorSettings;
  /** kiln.yaml: the training data (reference fallback) and read options for files */
  readonly project?: LoadedProject | null;
  /** current data: a file, or a log window (default: settings.since / settings.last, this version's rows) */
  readonly current?: { readonly file: string; readonly timeColumn?: string } | { readonly log: LogWindow };
  readonly reference?: ReferenceChoice | null;
  /** labels to import into the feedback table first */
  readonly labels?: { readonly file: string; readonly idColumn?: string; readonly labelColumn?: string } | null;
  /** write the check to monitor_checks; default true */
  readonly record?: boolean;
  /** send the webhook when an alerting check fails; default true (a webhook must also be configured) */
  readonly alert?: boolean;
  /** the report file, named in the alert */
  readonly report?: string | null;
  /** epoch ms "now" (tests); default Date.now() */
  readonly now?: number;
}

export interface MonitorRun {
  readonly at: string;
  readonly version: ModelVersion;
  readonly pipeline: Pipeline;
  readonly metric: MetricName;
  readonly reference: ResolvedReference;
  readonly current: CurrentData;
  /** (n) the model's outputs on the current rows as prediction drift compared them */
  readonly prediction: Column;
  readonly check: MonitorCheck;
  readonly checkId: number | null;
  readonly labelsImported: number;
  /** failed checks the alerts are configured for */
  readonly alerted: readonly CheckName[];
  readonly payload: AlertPayload | null;
  readonly delivery: Delivery | null;
}

/** The training-time scores a version carries in its lineage (holdout scores first: they are out of sample). */
export function baselineOf(version: ModelVersion): Partial<Record<MetricName, number>> {
  const m = version.lineage.metrics;
  const out: Partial<Record<MetricName, number>> = {};
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const v = m[`holdout_${name}`] ?? m[name];
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
  }
  return out;
}

/** The metric a version was chosen on: its pipeline's record, else the project's, else the task's default. */
export function primaryMetric(pipeline: Pipeline, project?: LoadedProject | null): MetricName {
  const recorded = pipeline.info.metric;
  if (typeof recorded === 'string' && isMetricName(recorded)) return recorded;
  const chosen = project?.project.metric;
  if (chosen && METRICS[chosen].tasks.includes(pipeline.task)) return chosen;
  return DEFAULT_METRICS[pipeline.task][0];
}

export async function loadVersion(store: Store, ref: string): Promise<{ version: ModelVersion; pipeline: Pipeline }> {
  const { version, artifact } = await store.load(ref);
  return { version, pipeline: Pipeline.fromArtifact(artifact) };
}

export async function runMonitor(options: MonitorRunOptions): Promise<MonitorRun> {
  const now = options.now ?? Date.now();
  const at = new Date(now).toISOString();
  const { settings } = options;
  const { version, pipeline } = await loadVersion(options.store, options.ref);
  const readOptions = (options.project?.project.data.options ?? {}) as ReadOptions;
  let labelsImported = 0;
  if (options.labels) labelsImported = (await importLabels(options.db, version.name, pipeline, options.labels.file, { ...options.labels, readOptions })).imported;
  const reference = await referenceFor({ db: options.db, monitorStore: options.monitorStore, version, pipeline, project: options.project ?? null, choice: options.reference });

  const given = options.current;
  const window: LogWindow = given && 'log' in given ? given.log : { version: version.version, since: settings.since === null ? undefined : now - settings.since, last: settings.last ?? undefined };
  const current = given && 'file' in given ? await currentFromFile(given.file, pipeline, { readOptions, timeColumn: given.timeColumn }) : await currentFromLog(options.db, pipeline, version.name, window);

  const result = pipeline.predict(current.frame);
  const sketch = reference.reference.sketch;
  const metric = primaryMetric(pipeline, options.project);
  const prediction = predictionColumnOf(pipeline.task, result);
  const check = runCheck({
    task: pipeline.task,
    metric,
    threshold: pipeline.threshold,
    features: reference.reference.features,
    reference: sketch,
    referencePrediction: sketch.names.includes(PREDICTION_COLUMN) ? sketch.values(PREDICTION_COLUMN) : null,
    current: current.frame,
    output: { predicted: result.values, proba: result.probabilities, nClasses: pipeline.classes?.length },
    predictionColumn: prediction,
    yTrue: encodeLabels(pipeline, current.actual),
    times: current.times,
    baseline: baselineOf(version),
    settings,
  });
  if (check.rows === 0) throw new KilnError('E_DATA_EMPTY', 'no current rows to check');

  const checkId = options.record === false ? null : await options.monitorStore.recordCheck({
    modelName: version.name,
    modelVersion: version.version,
    at,
    status: check.failed.length ? 'alert' : 'ok',
    drift: check.checks.drift.status,
    performance: check.checks.performance.status,
    currentRows: check.rows,
    labelledRows: check.performance.labelled,
    driftShare: check.drift.share,
    summary: checkSummary(check),
  });

  const alerted = check.failed.filter((c) => settings.alerts.on.includes(c));
  let payload: AlertPayload | null = null;
  let delivery: Delivery | null = null;
  if (alerted.length) {
    payload = alertPayload({ model: version.name, version: version.version, at, check, source: current.source, checkId, report: options.report ?? null, failed: alerted });
    if (settings.alerts.webhook && options.alert !== false) delivery = await postWebhook(settings.alerts.webhook, payload);
  }
  return { at, version, pipeline, metric, reference, current, prediction, check, checkId, labelsImported, alerted, payload, delivery };
}

/** What a recorded check keeps: enough to draw the history of scores without re-running anything. */
export function checkSummary(check: MonitorCheck): Json {
  const num = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null);
  return {
    checks: { drift: { status: check.checks.drift.status, reasons: [...check.checks.drift.reasons] }, performance: { status: check.checks.performance.status, reasons: [...check.checks.performance.reasons] } },
    alerting: [...check.alerting],
    columns: check.drift.columns.map((c) => ({ column: c.column, test: c.test, score: num(c.score), drifted: c.drifted })),
    prediction: check.prediction ? { test: check.prediction.test, score: num(check.prediction.score), drifted: check.prediction.drifted } : null,
    metrics: Object.fromEntries(Object.entries(check.performance.metrics).map(([k, v]) => [k, num(v as number)])),
    estimate: check.performance.estimate ? { roc_auc: num(check.performance.estimate.rocAuc), accuracy: num(check.performance.estimate.accuracy), f1: num(check.performance.estimate.f1) } : null,
  };
}
