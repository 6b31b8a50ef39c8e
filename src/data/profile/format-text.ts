// The profile as a readable terminal summary: one line per column, then the target and the warnings.

import type { DataProfile } from './profile.js';
import type { ColumnProfile } from './column-profile.js';
import { roundForDisplay } from './column-profile.js';
import { pct } from './warnings.js';

export function formatProfile(profile: DataProfile): string {
  const s = profile.source;
  const how = [s.format, s.delimiter !== undefined ? `delimiter ${JSON.stringify(s.delimiter)}` : '', s.header === false ? 'no header' : '', s.encoding, s.gzip ? 'gzip' : '']
    .filter(Boolean)
    .join(', ');
  const lines: string[] = [];
  lines.push(`${s.source}${how ? `  (${how})` : ''}`);
  lines.push(
    `${profile.rows.toLocaleString('en-US')} rows × ${profile.columns} columns · ${pct(profile.missingShare)} of cells missing · ${profile.duplicateRows.toLocaleString('en-US')} duplicate rows · read in ${s.readSeconds.toFixed(2)} s`,
  );
  for (const note of s.notes) lines.push(`  note: ${note}`);
  lines.push('');
  const header = ['column', 'type', 'missing', 'distinct', 'summary'];
  const rows = profile.columnProfiles.map((c) => [c.name, c.type, pct(c.missingShare), String(c.distinct), summary(c)]);
  const widths = header.map((h, j) => Math.min(j === 4 ? 70 : 28, Math.max(h.length, ...rows.map((r) => r[j].length))));
  const fit = (text: string, w: number, right = false) => {
    const t = text.length > w ? `${text.slice(0, w - 1)}…` : text;
    return right ? t.padStart(w) : t.padEnd(w);
  };
  lines.push(header.map((h, j) => fit(h, widths[j], j === 2 || j === 3)).join('  ').trimEnd());
  for (const r of rows) lines.push(r.map((v, j) => fit(v, widths[j], j === 2 || j === 3)).join('  ').trimEnd());
  const conversions = profile.columnProfiles.filter((c) => c.convertedFromText || Object.keys(c.markersFound).length);
  if (conversions.length) lines.push('');
  for (const c of conversions) {
    const markers = Object.entries(c.markersFound).map(([m, n]) => `${JSON.stringify(m)} ×${n}`);
    lines.push(`  ${c.name}: ${c.convertedFromText ? `${c.reason}; ` : ''}${markers.length ? `read as missing: ${markers.join(', ')}` : ''}`.replace(/; $/, ''));
  }
  if (profile.target) {
    lines.push('');
    const measure = profile.target.task === 'classification' ? 'AUC' : 'R²';
    const strongest = profile.predictivePower
      .slice(0, 5)
      .map((p) => `${p.name} ${p.score.toFixed(2)}`)
      .join(', ');
    lines.push(`target ${profile.target.name} (${profile.target.task}); strongest single columns (${measure}, out of fold): ${strongest || 'none'}`);
  }
  lines.push('');
  if (!profile.warnings.length) lines.push('no warnings');
  else {
    lines.push(`${profile.warnings.length} warning${profile.warnings.length > 1 ? 's' : ''}:`);
    for (const w of profile.warnings) lines.push(`  ! ${w.message}\n    → ${w.advice}`);
  }
  return lines.join('\n');
}

function summary(c: ColumnProfile): string {
  if (c.number && c.type !== 'boolean') {
    const n = c.number;
    return `min ${fmt(n.min)} · median ${fmt(n.p50)} · mean ${fmt(n.mean)} · max ${fmt(n.max)}`;
  }
  if (c.range) return `${c.range.min} … ${c.range.max}`;
  if (c.length) return `${Math.round(c.length.mean)} chars on average; e.g. ${JSON.stringify(c.top[0]?.value ?? '')}`;
  const present = c.rows - c.missing;
  if (c.type === 'identifier') return `e.g. ${c.top[0]?.value ?? ''}`;
  return c.top
    .slice(0, 4)
    .map((t) => `${t.value} ${pct(t.count / Math.max(1, present))}`)
    .join(', ');
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const r = roundForDisplay(v);
  return Math.abs(r) >= 1e6 ? r.toExponential(2) : r.toLocaleString('en-US', { maximumFractionDigits: 4 });
}
