// What the monitoring report draws, as plain JSON: per-column reference vs current distributions (shares per
// bin or label), drift scores per window with their thresholds, realised and estimated performance per window
// with the training-time baseline, and the history of recorded checks. Pure: a run in, data out.

import type { Frame } from '../../core/frame.js';
import type { MetricName } from '../../train/metrics/index.js';
import { PREDICTION_COLUMN } from '../reference.js';
import type { ReferenceSketch } from '../sketch.js';
import { quantileSorted } from '../stats/binning.js';
import type { MonitorRun } from '../service/monitor.js';
import type { CheckRecord } from '../service/store.js';
import { finiteSorted } from '../column-values.js';

export interface Distribution {
  readonly column: string;
  readonly kind: 'numeric' | 'categorical';
  readonly labels: string[];
  /** shares (0..1) per bin or label */
  readonly reference: number[];
  readonly current: number[];
  readonly test: string;
  readonly score: number | null;
  readonly drifted: boolean;
  readonly alerting: boolean;
}

export interface ReportData {
  readonly title: string;
  readonly model: string;
  readonly version: number;
  readonly aliases: string[];
  readonly task: string;
  readonly metric: MetricName;
  readonly at: string;
  readonly reference: { readonly how: string; readonly rows: number };
  readonly current: { readonly source: string; readonly rows: number; readonly labelled: number };
  readonly checks: { readonly name: string; readonly status: string; readonly reasons: string[] }[];
  readonly columns: { column: string; test: string; score: number | null; threshold: number | null; drifted: boolean; alerting: boolean; skipped: string | null }[];
  readonly distributions: Distribution[];
  readonly windows: { label: string; rows: number }[];
  readonly share: (number | null)[];
  readonly driftShare: number;
  readonly series: { column: string; scores: (number | null)[]; threshold: number | null; test: string }[];
  readonly performance: {
    readonly metrics: { name: string; values: (number | null)[]; baseline: number | null; overall: number | null }[];
    readonly labelled: number[];
    readonly estimated: { name: string; values: (number | null)[] }[] | null;
  };
  readonly history: { at: string; version: number; status: string; drift: string; performance: string; share: number | null; rows: number }[];
}

const NUMERIC_BINS = 20;
const MAX_LABELS = 20;
const clean = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(6)));

function numericDistribution(refSorted: Float64Array, current: Float64Array): { labels: string[]; reference: number[]; current: number[] } {
  const cur = finiteSorted(current);
  // the range both sides mostly span; values outside go to the end bins
  const lo = Math.min(quantileSorted(refSorted, 0.01), cur.length ? quantileSorted(cur, 0.01) : Infinity);
  const hi = Math.max(quantileSorted(refSorted, 0.99), cur.length ? quantileSorted(cur, 0.99) : -Infinity);
  const width = hi > lo ? (hi - lo) / NUMERIC_BINS : 1;
  const share = (sorted: Float64Array): number[] => {
    const counts = new Array<number>(NUMERIC_BINS).fill(0);
    for (const v of sorted) counts[Math.max(0, Math.min(NUMERIC_BINS - 1, Math.floor((v - lo) / width)))]++;
    return counts.map((c) => (sorted.length ? c / sorted.length : 0));
  };
  const digits = width >= 10 ? 0 : width >= 1 ? 1 : 3;
  const labels = Array.from({ length: NUMERIC_BINS }, (_, b) => (lo + b * width).toFixed(digits));
  return { labels, reference: share(refSorted), current: share(cur) };
}

function valueDistribution(ref: { readonly values: Float64Array; readonly counts: Float64Array }, current: Float64Array): { labels: string[]; reference: number[]; current: number[] } {
  const cur = new Map<number, number>();
  let nCur = 0;
  for (const v of current)
    if (Number.isFinite(v)) {
      cur.set(v, (cur.get(v) ?? 0) + 1);
      nCur++;
    }
  const nRef = ref.counts.reduce((a, b) => a + b, 0);
  const refOf = new Map(Array.from(ref.values, (v, i) => [v, ref.counts[i]]));
  const values = [...new Set([...ref.values, ...cur.keys()])].sort((a, b) => a - b);
  const refShare = (v: number): number => (nRef ? (refOf.get(v) ?? 0) / nRef : 0);
  const curShare = (v: number): number => (nCur ? (cur.get(v) ?? 0) / nCur : 0);
  const shown = values.slice(0, MAX_LABELS);
  const rest = values.slice(MAX_LABELS);
  const out = { labels: shown.map(String), reference: shown.map(refShare), current: shown.map(curShare) };
  if (rest.length) {
    out.labels.push(`(${rest.length} other values)`);
    out.reference.push(rest.reduce((sum, v) => sum + refShare(v), 0));
    out.current.push(rest.reduce((sum, v) => sum + curShare(v), 0));
  }
  return out;
}

function categoricalDistribution(refLabels: readonly string[], refCounts: Float64Array, current: Frame, column: string): { labels: string[]; reference: number[]; current: number[] } {
  const col = current.column(column);
  const cur = new Map<string, number>();
  let nCur = 0;
  if (col.kind === 'category')
    for (const code of col.codes) {
      if (code < 0) continue;
      const label = col.dictionary[code];
      cur.set(label, (cur.get(label) ?? 0) + 1);
      nCur++;
    }
  const ref = new Map(refLabels.map((l, i) => [l, refCounts[i]]));
  const nRef = refCounts.reduce((a, b) => a + b, 0);
  const labels = [...new Set([...ref.keys(), ...cur.keys()])];
  const refShare = (l: string): number => (nRef ? (ref.get(l) ?? 0) / nRef : 0);
  const curShare = (l: string): number => (nCur ? (cur.get(l) ?? 0) / nCur : 0);
  labels.sort((a, b) => Math.max(refShare(b), curShare(b)) - Math.max(refShare(a), curShare(a)));
  const top = labels.slice(0, MAX_LABELS);
  const rest = labels.slice(MAX_LABELS);
  const out = { labels: top, reference: top.map(refShare), current: top.map(curShare) };
  if (rest.length) {
    out.labels.push(`(${rest.length} others)`);
    out.reference.push(rest.reduce((s, l) => s + refShare(l), 0));
    out.current.push(rest.reduce((s, l) => s + curShare(l), 0));
  }
  return out;
}

function distributionOf(sketch: ReferenceSketch, current: Frame, column: string, currentColumn?: Frame): Pick<Distribution, 'kind' | 'labels' | 'reference' | 'current'> | null {
  const ref = sketch.values(column);
  const frame = currentColumn ?? current;
  if (!ref || !frame.has(column)) return null;
  const col = frame.column(column);
  if (ref.kind === 'numeric' && col.kind === 'number') {
    // few distinct values (0/1 flags, counts): one bar per value, as the tests count them
    if (ref.distinct) return { kind: 'numeric', ...valueDistribution(ref.distinct, col.values) };
    return { kind: 'numeric', ...numericDistribution(ref.sorted, col.values) };
  }
  if (ref.kind === 'categorical' && col.kind === 'category') return { kind: 'categorical', ...categoricalDistribution(ref.labels, ref.counts, frame, column) };
  return null;
}

export function reportData(run: MonitorRun, options: { history?: readonly CheckRecord[]; title?: string } = {}): ReportData {
  const { check, version } = run;
  const sketch = run.reference.reference.sketch;
  const alerting = new Set(check.alerting);
  const all = [...check.drift.columns, ...(check.prediction ? [check.prediction] : [])];
  const distributions: Distribution[] = [];
  const ordered = [...all].sort((a, b) => Number(alerting.has(b.column)) - Number(alerting.has(a.column)) || (b.drifted ? 1 : 0) - (a.drifted ? 1 : 0));
  for (const c of ordered) {
    const isPrediction = c.column === 'prediction';
    const name = isPrediction ? PREDICTION_COLUMN : c.column;
    const frame = isPrediction ? run.current.frame.withColumn(PREDICTION_COLUMN, run.prediction) : run.current.frame;
    const d = sketch.names.includes(name) ? distributionOf(sketch, frame, name) : null;
    if (d) distributions.push({ column: c.column, ...d, test: c.test, score: clean(c.score), drifted: c.drifted, alerting: alerting.has(c.column) });
  }
  const windows = check.overTime.windows.map((w) => ({ label: w.window.label, rows: w.window.rows.length }));
  const series = check.overTime.series.map((s) => ({ column: s.column, scores: Array.from(s.scores, (v) => clean(v)), threshold: clean(s.thresholds.find((t) => Number.isFinite(t))), test: s.tests.find(Boolean) ?? '' }));
  const perf = check.performance;
  const names = Object.keys(perf.metrics) as MetricName[];
  const est = perf.estimatedWindows;
  const estimateNames: [string, (e: NonNullable<typeof est>[number]) => number][] = [['roc_auc', (e) => e.estimate.rocAuc], ['accuracy', (e) => e.estimate.accuracy], ['f1', (e) => e.estimate.f1]];
  return {
    title: options.title ?? `Monitoring report: ${version.name}/${version.version}`,
    model: version.name,
    version: version.version,
    aliases: version.aliases,
    task: run.pipeline.task,
    metric: run.metric,
    at: run.at,
    reference: { how: run.reference.how, rows: sketch.nRows },
    current: { source: run.current.source, rows: check.rows, labelled: perf.labelled },
    checks: (['drift', 'performance'] as const).map((name) => ({ name, status: check.checks[name].status, reasons: [...check.checks[name].reasons] })),
    columns: all.map((c) => ({ column: c.column, test: c.test, score: clean(c.score), threshold: clean(c.threshold), drifted: c.drifted, alerting: alerting.has(c.column), skipped: c.skipped ?? null })),
    distributions,
    windows,
    share: Array.from(check.overTime.share, (v) => clean(v)),
    driftShare: check.drift.driftShare,
    series,
    performance: {
      metrics: names.map((name) => ({ name, values: perf.windows.map((w) => clean(w.metrics[name])), baseline: clean(perf.baseline[name]), overall: clean(perf.metrics[name]) })),
      labelled: perf.windows.map((w) => w.nLabelled),
      estimated: est ? estimateNames.map(([name, get]) => ({ name, values: est.map((e) => clean(get(e))) })) : null,
    },
    history: (options.history ?? []).map((h) => ({ at: h.at, version: h.modelVersion, status: h.status, drift: h.drift, performance: h.performance, share: h.driftShare, rows: h.currentRows })),
  };
}
