// The profile as one self-contained HTML page: the summary, warnings and a column table are rendered here,
// the charts in the browser by Chart.js, whose bundle is inlined from node_modules (no CDN, works offline).
// The page sets window.kilnReport = { charts, ready } once every chart is drawn, for tests and tooling.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.js';
import type { DataProfile } from './profile.js';
import { roundForDisplay } from './column-profile.js';
import { pct } from './warnings.js';
import { REPORT_SCRIPT, REPORT_STYLE } from './report-assets.js';

let chartBundle: string | null = null;

/** Chart.js's UMD bundle, found next to the package's main file (shared by every Kiln report page). */
export function chartJs(): string {
  if (chartBundle === null) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartBundle = readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
  }
  return chartBundle;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Text that is safe inside a <script> element. */
export const scriptSafe = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

export function renderProfileHtml(profile: DataProfile, title = `Data profile: ${profile.source.source}`): string {
  const data = JSON.stringify({
    columns: profile.columnProfiles.map((c) => ({ name: c.name, type: c.type, missingShare: c.missingShare, histogram: c.histogram })),
    power: profile.predictivePower.slice(0, 25),
    task: profile.target?.task ?? null,
  }).replace(/</g, '\\u003c');
  const s = profile.source;
  const warnings = profile.warnings.length
    ? `<ul class="warnings">${profile.warnings
        .map((w) => `<li><strong>${escapeHtml(w.message)}</strong><br><span class="advice">→ ${escapeHtml(w.advice)}</span></li>`)
        .join('')}</ul>`
    : '<p>No warnings.</p>';
  const rows = profile.columnProfiles
    .map((c) => {
      const stats = c.number
        ? `min ${num(c.number.min)} · p25 ${num(c.number.p25)} · median ${num(c.number.p50)} · p75 ${num(c.number.p75)} · max ${num(c.number.max)}<br>mean ${num(c.number.mean)} · std ${num(c.number.std)}`
        : c.range
          ? `${escapeHtml(c.range.min)} … ${escapeHtml(c.range.max)}`
          : c.top
              .slice(0, 5)
              .map((t) => `${escapeHtml(t.value.length > 40 ? `${t.value.slice(0, 39)}…` : t.value)} (${t.count})`)
              .join(', ');
      return `<tr><td>${escapeHtml(c.name)}</td><td><span class="type ${c.type}">${c.type}</span></td><td class="n">${pct(c.missingShare)}</td><td class="n">${c.distinct}</td><td>${stats}</td></tr>`;
    })
    .join('');
  const cards = profile.columnProfiles
    .map(
      (c, j) =>
        `<section class="card"><h3>${escapeHtml(c.name)} <span class="type ${c.type}">${c.type}</span></h3><p class="reason">${escapeHtml(c.reason)}; ${pct(c.missingShare)} missing, ${c.distinct} distinct</p><div class="chart"><canvas id="col-${j}"></canvas></div></section>`,
    )
    .join('');
  const how = [s.format, s.delimiter !== undefined ? `delimiter ${JSON.stringify(s.delimiter)}` : '', s.header === false ? 'no header' : '', s.encoding].filter(Boolean).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${REPORT_STYLE}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="summary">${profile.rows.toLocaleString('en-US')} rows × ${profile.columns} columns · ${pct(profile.missingShare)} of cells missing · ${profile.duplicateRows.toLocaleString('en-US')} duplicate rows${how ? ` · ${escapeHtml(how)}` : ''}${profile.target ? ` · target <strong>${escapeHtml(profile.target.name)}</strong> (${profile.target.task})` : ''}</p>
${s.notes.length ? `<p class="notes">${s.notes.map(escapeHtml).join(' · ')}</p>` : ''}
<h2>Warnings</h2>${warnings}
<h2>Missing values by column</h2><div class="chart wide"><canvas id="missing"></canvas></div>
${profile.predictivePower.length ? `<h2>How well each column alone predicts ${escapeHtml(profile.target?.name ?? '')}</h2><div class="chart wide"><canvas id="power"></canvas></div>` : ''}
<h2>Columns</h2><table><thead><tr><th>column</th><th>type</th><th>missing</th><th>distinct</th><th>statistics</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Distributions</h2><div class="cards">${cards}</div>
<footer>Made by Kiln. Charts drawn with Chart.js (MIT licence), bundled in this page.</footer>
</main>
<script>${scriptSafe(chartJs())}</script>
<script type="application/json" id="kiln-data">${data}</script>
<script>${scriptSafe(REPORT_SCRIPT)}</script>
</body></html>
`;
}

export async function writeProfileHtml(profile: DataProfile, file: string): Promise<void> {
  await writeFileAtomic(file, renderProfileHtml(profile));
}

function num(v: number): string {
  return Number.isFinite(v) ? String(roundForDisplay(v)) : String(v);
}
