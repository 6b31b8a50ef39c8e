// Writing a Frame as CSV: RFC 4180 quoting, missing values as empty fields, dates as ISO text.
// Rows are rendered in blocks straight from the typed columns (category labels are escaped once per
// dictionary entry, not once per row) and written to a temporary file that is renamed into place.

import { promises as fs } from 'node:fs';
import { withAtomicPath } from '../../core/atomic-file.js';
import type { Column, Frame } from '../../core/frame.js';
import { formatDate, formatNumber } from '../coerce.js';

const ROWS_PER_BLOCK = 8192;

export function csvField(text: string, delimiter = ','): string {
  const needs = text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || text !== text.trim();
  return needs ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Render rows [start, end) of the frame as CSV text (no header). */
export function renderCsvRows(frame: Frame, start: number, end: number, delimiter = ','): string {
  const renderers = frame.names.map((name) => cellRenderer(frame.column(name), delimiter));
  let out = '';
  for (let i = start; i < end; i++) {
    let line = '';
    for (let j = 0; j < renderers.length; j++) {
      if (j > 0) line += delimiter;
      line += renderers[j](i);
    }
    out += line + '\n';
  }
  return out;
}

function cellRenderer(column: Column, delimiter: string): (row: number) => string {
  switch (column.kind) {
    case 'number': {
      const v = column.values;
      return (i) => (v[i] !== v[i] ? '' : formatNumber(v[i]));
    }
    case 'datetime': {
      const v = column.values;
      return (i) => (v[i] !== v[i] ? '' : formatDate(v[i]));
    }
    case 'category': {
      // an empty label must not read back as missing: quote it
      const labels = column.dictionary.map((l) => (l === '' ? '""' : csvField(l, delimiter)));
      const codes = column.codes;
      return (i) => (codes[i] < 0 ? '' : labels[codes[i]]);
    }
    case 'text': {
      const v = column.values;
      return (i) => {
        const s = v[i];
        return s === null ? '' : s === '' ? '""' : csvField(s, delimiter);
      };
    }
  }
}

export async function writeCsv(frame: Frame, target: string): Promise<void> {
  await withAtomicPath(target, async (tmp) => {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.write(frame.names.map((n) => csvField(n)).join(',') + '\n');
      for (let start = 0; start < frame.nRows; start += ROWS_PER_BLOCK) {
        await handle.write(renderCsvRows(frame, start, Math.min(frame.nRows, start + ROWS_PER_BLOCK)));
      }
    } finally {
      await handle.close();
    }
  });
}
