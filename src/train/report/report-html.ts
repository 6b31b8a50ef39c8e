// `kiln train --report report.html`: one self-contained page, like the data profile's (its stylesheet is reused,
// Chart.js is inlined from node_modules: no network, works offline). Tables are rendered here; the charts are
// drawn in the browser from the JSON in #kiln-data (report-assets.ts).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { REPORT_STYLE } from '../../data/profile/report-assets.js';
import { formatDuration } from '../budget.js';
import type { LeaderboardRow } from '../leaderboard.js';
import type { TrainResult } from '../train.js';
import { reportData, type ReportData } from './report-data.js';
import { TRAIN_SCRIPT, TRAIN_STYLE } from './report-assets.js';

let chartBundle: string | null = null;

/** Chart.js's UMD bundle, found next to the package's main file (as the data profile's report loads it). */
function chartJs(): string {
  if (chartBundle === null) chartBundle = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartBundle;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const scriptSafe = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const num = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

function boardRows(rows: readonly LeaderboardRow[]): string {
  return rows
    .map((r) => {
      const cls = r.kind === 'final' ? 'final' : r.kind === 'baseline' ? 'baseline' : r.status !== 'complete' ? 'stopped' : '';
      return `<tr class="${cls}"><td class="n">${r.rank === null ? '' : r.rank === 0 ? '★' : r.rank}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.status)}</td><td class="n">${num(r.cv)}${r.cvStd !== null ? ` ± ${num(r.cvStd)}` : ''}</td><td class="n">${num(r.holdout)}</td><td class="n">${num(r.fitSeconds, 2)}</td><td class="n">${num(r.predictMsPerRow, 4)}</td><td>${escapeHtml(r.note)}</td></tr>`;
    })
    .join('');
}

function metricsTable(d: ReportData): string {
  const names = Object.keys(d.metrics.cv);
  const head = `<tr><th>metric</th><th>cross-validation (out of fold)</th>${d.metrics.holdout ? '<th>holdout</th>' : ''}</tr>`;
  const body = names.map((m) => `<tr><td>${escapeHtml(m)}${m === d.metric ? ' <span class="pill">primary</span>' : ''}</td><td class="n">${num(d.metrics.cv[m])}</td>${d.metrics.holdout ? `<td class="n">${num(d.metrics.holdout[m])}</td>` : ''}</tr>`).join('');
  return `<table class="metrics">${head}${body}</table>`;
}

function confusionTable(d: ReportData): string {
  if (!d.confusion) return '';
  const { classes, counts } = d.confusion;
  const max = Math.max(1, ...counts.flat());
  const head = `<tr><th>true ↓ / predicted →</th>${classes.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = counts
    .map((row, t) => `<tr><th>${escapeHtml(classes[t])}</th>${row.map((v) => `<td style="background:rgba(79,124,172,${(0.08 + 0.6 * (v / max)).toFixed(2)})">${v}</td>`).join('')}</tr>`)
    .join('');
  return `<section class="card"><h3>Confusion matrix</h3><table class="cm">${head}${body}</table></section>`;
}

export function renderReportHtml(d: ReportData): string {
  const chartCard = (id: string, title: string, note = ''): string => `<section class="card"><h3>${escapeHtml(title)}</h3>${note ? `<p class="reason">${escapeHtml(note)}</p>` : ''}<div class="chart"><canvas id="${id}"></canvas></div></section>`;
  const ranked = d.leaderboard.filter((r) => r.cv !== null && (r.kind !== 'candidate' || r.status === 'complete')).slice(0, 16);
  const json = JSON.stringify({ ...d, board: ranked.map((r) => ({ name: r.name, cv: r.cv, kind: r.kind })) }).replace(/</g, '\\u003c');
  const members = d.final.members.map((m) => `${escapeHtml(m.name)} (weight ${m.weight.toFixed(2)})`).join(', ');
  const budget = d.budgetSeconds === null ? `${d.trials} trials (no time limit: reproducible)` : `${formatDuration(d.durationSeconds)} of a ${formatDuration(d.budgetSeconds)} budget, ${d.trials} trials`;
  const cards = [
    d.roc ? chartCard('roc', 'ROC curve', `on ${d.scoredOn}`) : '',
    d.pr ? chartCard('pr', 'Precision–recall curve', `on ${d.scoredOn}`) : '',
    d.residuals ? chartCard('actual', 'Predicted vs actual', `on ${d.scoredOn}`) : '',
    d.residuals ? chartCard('residuals', 'Residuals', `on ${d.scoredOn}`) : '',
    confusionTable(d),
    d.calibration ? chartCard('calibration', 'Calibration', `mean predicted ${d.calibration.label} against the observed rate, 10 bins of equal size`) : '',
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(d.title)}</title><style>${REPORT_STYLE}${TRAIN_STYLE}</style></head>
<body><main>
<h1>${escapeHtml(d.title)}</h1>
<p class="summary">Run <strong>${escapeHtml(d.runId)}</strong> · ${escapeHtml(d.task)} on <strong>${escapeHtml(d.target)}</strong> · ${d.rows.toLocaleString('en-US')} rows · primary metric ${escapeHtml(d.metric)} (${d.higherIsBetter ? 'higher' : 'lower'} is better) · ${escapeHtml(budget)}</p>
<h2>Final model</h2>
<p>${d.final.members.length > 1 ? 'Ensemble' : 'Single model'}: ${members}; ${d.final.fit === 'refit' ? 'refitted on all search rows' : 'the average of its fold models'}; calibration: ${escapeHtml(d.final.calibration)}; decision threshold: ${d.final.threshold === null ? 'likeliest class' : d.final.threshold.toFixed(4)}${d.final.thresholdReason ? ` (${escapeHtml(d.final.thresholdReason)})` : ''}.</p>
${[...d.inferred, ...d.final.notes].length ? `<ul class="warnings">${[...d.inferred, ...d.final.notes].map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
${metricsTable(d)}
<h2>Leaderboard</h2>
<div class="chart wide"><canvas id="board"></canvas></div>
<table class="board"><thead><tr><th>#</th><th>model</th><th>status</th><th>CV ${escapeHtml(d.metric)} ± std</th><th>holdout</th><th>fit s</th><th>predict ms/row</th><th>note</th></tr></thead><tbody>${boardRows(d.leaderboard)}</tbody></table>
<h2>How the final model does</h2>
<div class="grid">${cards}</div>
<h2>Feature importance</h2>
<p class="reason">Permutation importance on ${escapeHtml(d.importanceOn)}: how much ${escapeHtml(d.metric)} worsens when one column's values are shuffled.</p>
<div class="chart wide"><canvas id="importance"></canvas></div>
<footer>Made by Kiln. Charts drawn with Chart.js (MIT licence), bundled in this page.</footer>
</main>
<script>${scriptSafe(chartJs())}</script>
<script type="application/json" id="kiln-data">${json}</script>
<script>${scriptSafe(TRAIN_SCRIPT)}</script>
</body></html>
`;
}

/** The report page of a finished run. */
export function renderTrainReport(result: TrainResult, title = `Training report: ${result.settings.name}`): string {
  return renderReportHtml(reportData(result, result.raw, title));
}

export async function writeTrainReport(result: TrainResult, file: string): Promise<void> {
  await writeFileAtomic(file, renderTrainReport(result));
}
