// One monitoring check, pure: reference and current data in, a judged result out — feature drift, missing-value
// drift, prediction drift, drift and performance per window over time, realised performance against the
// training-time baseline where labels have arrived, and the CBPE estimate where they have not. Decides which
// checks fail (what `kiln monitor --fail-on` and the webhook act on).
//
// When does drift alert? (settings.drift)
//  - the current data has fewer than min_rows rows: never (the result is reported, the check is "skipped"): the
//    distance scores of small windows exceed their fixed 0.1 threshold by sampling noise alone;
//  - alert_on: dataset — only when the share of drifted columns reaches `share` (Evidently's dataset drift);
//  - alert_on: column (default) — also when any single column drifts, since one shifted feature never reaches
//    a 0.5 share. Distance tests use their threshold as is; p-value tests (small references) and the missing-
//    value test are judged at p < p_value / m over the m columns tested (Bonferroni), so that testing many
//    columns does not turn a 5 % error per column into an alarm on most undrifted windows.

import type { Column, Frame } from '../core/frame.js';
import type { Task } from '../core/learner.js';
import { METRICS, type MetricName, type ModelOutput } from '../train/metrics/index.js';
import { type PerformanceEstimate, estimatePerformance } from './cbpe.js';
import type { ColumnDrift } from './column-drift.js';
import type { ColumnSource, ColumnValues } from './column-values.js';
import { type DatasetDrift, detectDrift } from './dataset-drift.js';
import { P_VALUE_TESTS } from './drift-options.js';
import { type MissingDrift, missingValueDrift } from './missing-drift.js';
import { type WindowEstimate, type WindowPerformance, WINDOW_METRICS, degradedMetrics, estimatedPerformance, realisedPerformance } from './performance.js';
import { predictionDrift } from './prediction-drift.js';
import { type CheckName, type MonitorSettings, driftOptionsOf } from './settings.js';
import { type Window, type WindowedDrift, driftOverWindows, rowWindows, timeWindows } from './windows.js';

export interface CheckInput {
  readonly task: Task;
  /** the project's metric: judged by default, and the retrain decision's metric */
  readonly metric: MetricName;
  /** binary: the decision threshold on P(positive); null = the likeliest class */
  readonly threshold: number | null;
  /** the model's input columns to test */
  readonly features: readonly string[];
  readonly reference: Frame | ColumnSource;
  /** the model's outputs on the reference rows (binary: P(positive); regression: values; multiclass: labels) */
  readonly referencePrediction: ColumnValues | Column | null;
  readonly current: Frame;
  /** the model's outputs on the current rows: class indices or values, probabilities (n, k) for classifiers */
  readonly output: { readonly predicted: Float64Array; readonly proba?: Float64Array; readonly nClasses?: number };
  /** (n) the current rows' outputs as prediction drift compares them (P(positive), value, or label) */
  readonly predictionColumn: Column;
  /** (n) class index or value per current row; NaN while the label has not arrived */
  readonly yTrue: Float64Array;
  /** (n) epoch ms per current row, for time windows; null when unknown */
  readonly times: Float64Array | null;
  /** training-time scores of the model */
  readonly baseline: Readonly<Partial<Record<MetricName, number>>>;
  readonly settings: MonitorSettings;
}

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CheckOutcome {
  readonly status: CheckStatus;
  /** why, in words (the failing columns or metrics with their numbers) */
  readonly reasons: readonly string[];
}

export interface PerformanceResult {
  readonly labelled: number;
  /** metrics over every labelled current row */
  readonly metrics: Readonly<Partial<Record<MetricName, number>>>;
  /** the metrics judged (settings.performance.metrics, else the project's metric) */
  readonly judged: readonly MetricName[];
  readonly baseline: Readonly<Partial<Record<MetricName, number>>>;
  readonly windows: readonly WindowPerformance[];
  /** binary classifiers: CBPE over all current rows and per window */
  readonly estimate: PerformanceEstimate | null;
  readonly estimatedWindows: readonly WindowEstimate[] | null;
  /** what the performance check was decided on */
  readonly basis: 'realised' | 'estimated' | null;
}

export interface MonitorCheck {
  readonly rows: number;
  readonly drift: DatasetDrift;
  readonly missing: MissingDrift;
  readonly prediction: ColumnDrift | null;
  /** columns (and "prediction") whose drift counts toward the alert, by the rule at the top of this file */
  readonly alerting: readonly string[];
  readonly windows: readonly Window[];
  readonly overTime: WindowedDrift;
  readonly performance: PerformanceResult;
  readonly checks: Readonly<Record<CheckName, CheckOutcome>>;
  readonly failed: readonly CheckName[];
}

/** The CBPE estimate's value for a metric name, when CBPE estimates that metric. */
export function estimateOf(e: PerformanceEstimate, metric: MetricName): number | undefined {
  const map: Partial<Record<MetricName, number>> = { roc_auc: e.rocAuc, accuracy: e.accuracy, precision: e.precision, recall: e.recall, f1: e.f1 };
  return map[metric];
}

/** The windows over time: `auto` cuts the rows into ~10 windows of at least min_rows rows. */
export function checkWindows(n: number, times: Float64Array | null, settings: MonitorSettings): Window[] {
  const w = settings.window;
  if (typeof w === 'string' && w !== 'auto' && times) return timeWindows(times, w);
  const size = typeof w === 'number' ? w : Math.max(settings.drift.minRows, Math.ceil(n / 10));
  return rowWindows(n, Math.max(1, Math.min(size, n)));
}

export function runCheck(input: CheckInput): MonitorCheck {
  const { settings, current } = input;
  const n = current.nRows;
  const driftOptions = driftOptionsOf(settings, input.features);
  const drift = detectDrift(input.reference, current, driftOptions);
  const tested = drift.columns.filter((c) => !c.skipped);
  const prediction = input.referencePrediction ? predictionDrift(input.task, input.referencePrediction, input.predictionColumn, { ...driftOptions, columns: null }) : null;
  const m = tested.length + (prediction && !prediction.skipped ? 1 : 0);
  // Bonferroni for p-value tests: column-level alerts must not fire on most undrifted windows
  const alerts = (c: ColumnDrift): boolean => !c.skipped && (P_VALUE_TESTS.has(c.test) ? c.score < c.threshold / Math.max(1, m) : c.drifted);
  const missing = missingValueDrift(input.reference, current, { columns: driftOptions.columns ?? null, alpha: settings.drift.pValue / Math.max(1, tested.length) });
  const alerting = [...tested.filter(alerts).map((c) => c.column), ...(prediction && alerts(prediction) ? ['prediction'] : [])];

  const windows = checkWindows(n, input.times, settings);
  const overTime = driftOverWindows(input.reference, current, windows, driftOptions);
  const performance = judgePerformance(input, windows);

  const driftOutcome = judgeDrift(drift, missing, prediction, alerting, n, settings);
  const perfOutcome = performanceOutcome(performance, settings);
  const checks = { drift: driftOutcome, performance: perfOutcome };
  return { rows: n, drift, missing, prediction, alerting, windows, overTime, performance, checks, failed: (['drift', 'performance'] as const).filter((c) => checks[c].status === 'fail') };
}

const fmt = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) < 0.001 && v !== 0 ? v.toExponential(1) : v.toFixed(3)) : '—');

function describeColumn(c: ColumnDrift): string {
  return P_VALUE_TESTS.has(c.test) ? `${c.column} (${c.test} p = ${fmt(c.score)})` : `${c.column} (${c.test} ${fmt(c.score)} ≥ ${fmt(c.threshold)})`;
}

function judgeDrift(drift: DatasetDrift, missing: MissingDrift, prediction: ColumnDrift | null, alerting: readonly string[], n: number, settings: MonitorSettings): CheckOutcome {
  const reasons: string[] = [];
  const share = `${drift.nDrifted}/${drift.nTested} columns drifted (share ${fmt(drift.share)}, dataset drift at ${fmt(drift.driftShare)})`;
  if (n < settings.drift.minRows)
    return { status: 'skipped', reasons: [`${n} current rows, fewer than drift.min_rows ${settings.drift.minRows}: scores of small windows exceed the thresholds by noise alone (${share})`] };
  if (drift.drifted) reasons.push(`dataset drift: ${share}`);
  if (settings.drift.alertOn === 'column') {
    const byName = new Map([...drift.columns, ...(prediction ? [prediction] : [])].map((c) => [c.column, c]));
    const named = alerting.map((name) => describeColumn(byName.get(name) as ColumnDrift));
    if (named.length) reasons.push(`${named.length === 1 ? 'column' : 'columns'} drifted: ${named.join(', ')}`);
    const gaps = missing.columns.filter((c) => c.drifted);
    if (gaps.length) reasons.push(`missing values changed: ${gaps.map((c) => `${c.column} ${(100 * c.referenceShare).toFixed(1)} % → ${(100 * c.currentShare).toFixed(1)} %`).join(', ')}`);
  }
  return reasons.length ? { status: 'fail', reasons } : { status: 'pass', reasons: [`no drift: ${share}`] };
}

function judgePerformance(input: CheckInput, windows: readonly Window[]): PerformanceResult {
  const { task, settings } = input;
  const n = input.current.nRows;
  const judged = (settings.performance.metrics ?? [input.metric]).filter((name): name is MetricName => name in METRICS && METRICS[name as MetricName].tasks.includes(task));
  const metrics = [...new Set<MetricName>([input.metric, ...WINDOW_METRICS[task], ...judged])].filter((name) => METRICS[name].tasks.includes(task));
  const output: ModelOutput = task === 'regression' ? { predicted: input.output.predicted } : { predicted: input.output.predicted, proba: input.output.proba, nClasses: input.output.nClasses };
  const all: Window = { index: -1, label: 'all', rows: Uint32Array.from({ length: n }, (_, i) => i), start: NaN, end: NaN };
  const options = { metrics, baseline: input.baseline, maxDrop: settings.performance.maxDrop, minLabelled: 1 };
  const [whole, ...perWindow] = realisedPerformance(task, input.yTrue, output, [all, ...windows], options);
  let estimate: PerformanceEstimate | null = null;
  let estimatedWindows: WindowEstimate[] | null = null;
  if (task === 'binary' && input.output.proba && n > 0) {
    const score = Float64Array.from({ length: n }, (_, i) => (input.output.proba as Float64Array)[2 * i + 1]);
    const threshold = input.threshold ?? 0.5;
    estimate = estimatePerformance(score, { threshold, predicted: input.output.predicted });
    estimatedWindows = estimatedPerformance(score, windows, { threshold });
  }
  const labelled = whole.nLabelled;
  const basis = labelled >= settings.performance.minLabelled ? 'realised' : estimate ? 'estimated' : null;
  return { labelled, metrics: whole.metrics, judged, baseline: input.baseline, windows: perWindow, estimate, estimatedWindows, basis };
}

function performanceOutcome(p: PerformanceResult, settings: MonitorSettings): CheckOutcome {
  const { maxDrop, minLabelled } = settings.performance;
  if (p.basis === null) return { status: 'skipped', reasons: [`${p.labelled} labelled rows, fewer than performance.min_labelled ${minLabelled}; send labels with POST /v1/models/{name}/feedback or kiln monitor --labels`] };
  const values: Partial<Record<MetricName, number>> = {};
  for (const name of p.judged) values[name] = p.basis === 'realised' ? p.metrics[name] : estimateOf(p.estimate as PerformanceEstimate, name);
  const judgeable = p.judged.filter((name) => Number.isFinite(values[name]) && p.baseline[name] !== undefined);
  const where = p.basis === 'realised' ? `on ${p.labelled.toLocaleString('en-US')} labelled rows` : `estimated without labels (CBPE; ${p.labelled} labelled rows so far)`;
  if (!judgeable.length) return { status: 'skipped', reasons: [`no baseline or no value for ${p.judged.join(', ')} ${where}`] };
  const degraded = degradedMetrics(Object.fromEntries(judgeable.map((k) => [k, values[k]])), p.baseline, maxDrop);
  const line = (name: MetricName): string => `${name} ${fmt(values[name] as number)} vs ${fmt(p.baseline[name] as number)} at training`;
  if (degraded.length) return { status: 'fail', reasons: [`performance dropped ${where}: ${degraded.map(line).join(', ')} (allowed drop ${maxDrop}${degraded.some((d) => !METRICS[d].higherIsBetter) ? ', relative for errors' : ''})`] };
  return { status: 'pass', reasons: [`performance holds ${where}: ${judgeable.map(line).join(', ')}`] };
}
