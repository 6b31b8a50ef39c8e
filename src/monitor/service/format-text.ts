// The terminal summary of a monitoring run: what was compared with what, each check's verdict with its reasons,
// the per-column drift table (drifted columns first), prediction and missing-value drift, realised and estimated
// performance against the training-time baseline, and where the alert went.

import Table from 'cli-table3';
import { pc } from '../../core/colors.js';
import type { MetricName } from '../../train/index.js';
import type { CheckStatus } from '../check.js';
import type { MonitorRun } from './monitor.js';

const fmt = (v: number | undefined | null, digits = 3): string => (v === undefined || v === null || !Number.isFinite(v) ? '—' : Math.abs(v) < 0.001 && v !== 0 ? v.toExponential(1) : v.toFixed(digits));

function badge(status: CheckStatus): string {
  if (status === 'fail') return pc.red('FAIL');
  if (status === 'pass') return pc.green('PASS');
  return pc.yellow('SKIP');
}

export function formatMonitorRun(run: MonitorRun, options: { columns?: number } = {}): string {
  const { check, version } = run;
  const lines: string[] = [];
  const aliases = version.aliases.length ? ` (${version.aliases.map((a) => `@${a}`).join(' ')})` : '';
  lines.push(`${pc.bold(`${version.name}/${version.version}`)}${aliases} — ${run.pipeline.task}, judged on ${run.metric}`);
  lines.push(`reference: ${run.reference.how} (${run.reference.reference.sketch.nRows.toLocaleString('en-US')} rows)`);
  lines.push(`current:   ${run.current.source}: ${check.rows.toLocaleString('en-US')} rows, ${check.performance.labelled.toLocaleString('en-US')} labelled${run.labelsImported ? ` (${run.labelsImported} labels imported)` : ''}`);
  lines.push('');
  for (const name of ['drift', 'performance'] as const) {
    const c = check.checks[name];
    lines.push(`${name.padEnd(12)} ${badge(c.status)}  ${c.reasons[0] ?? ''}`);
    for (const r of c.reasons.slice(1)) lines.push(`${' '.repeat(19)}${r}`);
  }
  lines.push('');
  const table = new Table({ head: ['column', 'test', 'score', 'threshold', 'drifted'], style: { head: [], border: [], compact: true } });
  const alerting = new Set(check.alerting);
  const columns = [...check.drift.columns].sort((a, b) => Number(alerting.has(b.column)) - Number(alerting.has(a.column)) || Number(b.drifted) - Number(a.drifted));
  const limit = options.columns ?? 25;
  for (const c of columns.slice(0, limit))
    table.push([c.column, c.test, fmt(c.score), fmt(c.threshold), c.skipped ? pc.dim(`skipped: ${c.skipped}`) : alerting.has(c.column) ? pc.red('yes') : c.drifted ? pc.yellow('yes') : 'no']);
  if (check.prediction) {
    const p = check.prediction;
    table.push([pc.italic('prediction'), p.test, fmt(p.score), fmt(p.threshold), alerting.has('prediction') ? pc.red('yes') : p.drifted ? pc.yellow('yes') : 'no']);
  }
  lines.push(table.toString());
  if (columns.length > limit) lines.push(pc.dim(`… and ${columns.length - limit} more columns (--json or --report list them all)`));
  const gaps = check.missing.columns.filter((c) => c.drifted);
  if (gaps.length) lines.push(`missing values: ${gaps.map((c) => `${c.column} ${(100 * c.referenceShare).toFixed(1)} % → ${(100 * c.currentShare).toFixed(1)} %`).join(', ')}`);
  lines.push(`dataset drift: ${check.drift.nDrifted}/${check.drift.nTested} columns (share ${fmt(check.drift.share, 2)}; drifts at ${fmt(check.drift.driftShare, 2)})${check.drift.drifted ? pc.red(' — DRIFTED') : ''}`);

  const perf = check.performance;
  const shown = Object.keys(perf.metrics) as MetricName[];
  if (perf.labelled > 0) lines.push(`performance on ${perf.labelled.toLocaleString('en-US')} labelled rows: ${shown.map((m) => `${m} ${fmt(perf.metrics[m])}${perf.baseline[m] !== undefined ? ` (training ${fmt(perf.baseline[m])})` : ''}`).join(', ')}`);
  if (perf.estimate) lines.push(`estimated without labels (CBPE): roc_auc ${fmt(perf.estimate.rocAuc)}, accuracy ${fmt(perf.estimate.accuracy)}, f1 ${fmt(perf.estimate.f1)} over ${perf.estimate.n.toLocaleString('en-US')} rows`);
  lines.push(`over time: ${check.windows.length} window${check.windows.length === 1 ? '' : 's'} (${check.windows[0]?.label ?? '—'} …), share of drifted columns per window: ${Array.from(check.overTime.share, (s) => fmt(s, 2)).join(' ')}`);
  if (run.alerted.length) {
    const d = run.delivery;
    lines.push(d ? `alert: POST ${d.url} → ${d.ok ? pc.green(`${d.status}`) : pc.red(`failed (${d.error}) after ${d.attempts} attempts`)}` : pc.dim('alert: no webhook configured (monitor.alerts.webhook in kiln.yaml)'));
  }
  return lines.join('\n');
}
