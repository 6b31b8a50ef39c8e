// `kiln monitor --report monitor.html`: one self-contained page in the style of the data profile and the training
// report (the data layer's stylesheet, escaping and inlined Chart.js are reused: no network, works offline).
// Tables are rendered here; charts are drawn in the browser from the JSON in #kiln-data (report-assets.ts).

import { writeFileAtomic } from '../../core/atomic-file.js';
import { chartJs, escapeHtml, scriptSafe } from '../../data/profile/report-html.js';
import { REPORT_STYLE } from '../../data/profile/report-assets.js';
import type { MonitorRun } from '../service/monitor.js';
import type { CheckRecord } from '../service/store.js';
import { MONITOR_SCRIPT, MONITOR_STYLE } from './report-assets.js';
import { type ReportData, reportData } from './report-data.js';

const num = (v: number | null, digits = 3): string => (v === null || !Number.isFinite(v) ? '—' : Math.abs(v) < 0.001 && v !== 0 ? v.toExponential(1) : v.toFixed(digits));

function checksTable(d: ReportData): string {
  const rows = d.checks.map((c) => `<tr><td>${c.name}</td><td><span class="status ${c.status}">${c.status === 'skipped' ? 'skipped' : c.status.toUpperCase()}</span></td><td>${c.reasons.map(escapeHtml).join('<br>')}</td></tr>`).join('');
  return `<table class="checks"><thead><tr><th>check</th><th>result</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function driftTable(d: ReportData): string {
  const rows = d.columns
    .map((c) => {
      const verdict = c.skipped ? `skipped: ${escapeHtml(c.skipped)}` : c.alerting ? 'drifted (alerts)' : c.drifted ? 'drifted' : 'no';
      return `<tr class="${c.alerting ? 'alerting' : ''}"><td>${escapeHtml(c.column)}</td><td>${c.test}</td><td class="n">${num(c.score)}</td><td class="n">${num(c.threshold)}</td><td>${verdict}</td></tr>`;
    })
    .join('');
  return `<table class="drift"><thead><tr><th>column</th><th>test</th><th>score</th><th>threshold</th><th>drift</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function performanceTable(d: ReportData): string {
  if (!d.performance.metrics.length) return '';
  const rows = d.performance.metrics.map((m) => `<tr><td>${escapeHtml(m.name)}${m.name === d.metric ? ' (primary)' : ''}</td><td class="n">${num(m.overall)}</td><td class="n">${num(m.baseline)}</td></tr>`).join('');
  return `<table><thead><tr><th>metric</th><th>current (${d.current.labelled.toLocaleString('en-US')} labelled rows)</th><th>at training</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function historyTable(d: ReportData): string {
  if (!d.history.length) return '<p class="reason">No earlier checks recorded.</p>';
  const rows = [...d.history]
    .reverse()
    .slice(0, 30)
    .map((h) => `<tr><td>${escapeHtml(h.at)}</td><td class="n">${h.version}</td><td><span class="status ${h.status === 'alert' ? 'fail' : 'pass'}">${h.status}</span></td><td>${h.drift}</td><td>${h.performance}</td><td class="n">${num(h.share, 2)}</td><td class="n">${h.rows.toLocaleString('en-US')}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>at</th><th>version</th><th>status</th><th>drift</th><th>performance</th><th>drift share</th><th>rows</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderMonitorHtml(d: ReportData): string {
  const json = JSON.stringify(d).replace(/</g, '\\u003c');
  const cards = d.distributions
    .map(
      (x, j) =>
        `<section class="card"><h3>${escapeHtml(x.column)}</h3><p class="reason">${x.test} ${num(x.score)}${x.alerting ? ' — <strong>drifted</strong>' : x.drifted ? ' — drifted' : ''}</p><div class="chart"><canvas id="dist-${j}"></canvas></div></section>`,
    )
    .join('');
  const hasDistance = d.series.some((s) => ['wasserstein', 'jensen_shannon', 'psi'].includes(s.test));
  const hasPValue = d.series.some((s) => ['ks', 'chi_square'].includes(s.test));
  const aliases = d.aliases.length ? ` (${d.aliases.map((a) => `@${escapeHtml(a)}`).join(' ')})` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(d.title)}</title><style>${REPORT_STYLE}${MONITOR_STYLE}</style></head>
<body><main>
<h1>${escapeHtml(d.title)}</h1>
<p class="summary"><strong>${escapeHtml(d.model)}/${d.version}</strong>${aliases} · ${escapeHtml(d.task)}, judged on ${escapeHtml(d.metric)} · checked ${escapeHtml(d.at)}</p>
<p class="notes">Reference: ${escapeHtml(d.reference.how)} (${d.reference.rows.toLocaleString('en-US')} rows).<br>Current: ${escapeHtml(d.current.source)}: ${d.current.rows.toLocaleString('en-US')} rows, ${d.current.labelled.toLocaleString('en-US')} labelled.</p>
<h2>Checks</h2>${checksTable(d)}
<h2>Drift per column</h2>
<p class="reason">Tests as Evidently chooses them by default: Kolmogorov–Smirnov / chi-square on references of at most 1,000 rows, normalised Wasserstein / Jensen–Shannon distance on larger ones.</p>
${driftTable(d)}
<h2>Drift over time</h2>
<div class="grid">
${hasDistance ? '<section class="card"><h3>Distance scores per window</h3><div class="chart"><canvas id="scores-distance"></canvas></div></section>' : ''}
${hasPValue ? '<section class="card"><h3>p-values per window</h3><div class="chart"><canvas id="scores-pvalue"></canvas></div></section>' : ''}
<section class="card"><h3>Share of drifted columns per window</h3><div class="chart"><canvas id="share"></canvas></div></section>
</div>
<h2>Performance over time</h2>
${performanceTable(d)}
${d.performance.metrics.length ? '<div class="chart wide"><canvas id="performance"></canvas></div>' : ''}
<h2>Reference vs current, per column</h2>
<div class="cards">${cards}</div>
<h2>Earlier checks</h2>
${d.history.length > 1 ? '<div class="chart wide"><canvas id="history"></canvas></div>' : ''}
${historyTable(d)}
<footer>Made by Kiln. Charts drawn with Chart.js (MIT licence), bundled in this page.</footer>
</main>
<script>${scriptSafe(chartJs())}</script>
<script type="application/json" id="kiln-data">${json}</script>
<script>${scriptSafe(MONITOR_SCRIPT)}</script>
</body></html>
`;
}

export function renderMonitorReport(run: MonitorRun, options: { history?: readonly CheckRecord[]; title?: string } = {}): string {
  return renderMonitorHtml(reportData(run, options));
}

export async function writeMonitorReport(run: MonitorRun, file: string, options: { history?: readonly CheckRecord[]; title?: string } = {}): Promise<void> {
  await writeFileAtomic(file, renderMonitorReport(run, options));
}
