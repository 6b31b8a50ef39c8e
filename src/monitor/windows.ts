// Windows over the current data, for drift and performance over time: consecutive row windows of a fixed size,
// or time windows (fixed widths in ms, or calendar hour/day/ISO week/month in UTC) over a datetime column.
// `driftOverWindows` runs the dataset drift check per window and lays the scores out as series for a report.

import { KilnError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { ColumnDrift } from './column-drift.js';
import type { ColumnSource } from './column-values.js';
import { type DatasetDrift, detectDrift } from './dataset-drift.js';
import type { DriftOptions } from './drift-options.js';

export interface Window {
  readonly index: number;
  /** "rows 0–999" or the ISO instant the window starts */
  readonly label: string;
  /** (nRowsInWindow) row indices into the current data, ascending */
  readonly rows: Uint32Array;
  /** time windows: [start, end) in epoch ms; row windows: NaN */
  readonly start: number;
  readonly end: number;
}

export type TimeUnit = 'hour' | 'day' | 'week' | 'month';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 1970-01-05 was a Monday: ISO weeks are counted from there */
const MONDAY_ORIGIN = 4 * DAY;

/**
 * Consecutive windows of `size` rows. The last, shorter window is kept only when it has at least `minRows` rows
 * (default: size / 2), so a trailing handful of rows does not make a noisy point.
 */
export function rowWindows(nRows: number, size: number, options: { minRows?: number } = {}): Window[] {
  if (!Number.isInteger(size) || size < 1) throw new KilnError('E_PARAM', `window size = ${size}: must be an integer >= 1`);
  const minRows = options.minRows ?? Math.ceil(size / 2);
  const out: Window[] = [];
  for (let start = 0; start < nRows; start += size) {
    const end = Math.min(start + size, nRows);
    if (end - start < minRows && out.length > 0) break;
    const rows = new Uint32Array(end - start);
    for (let i = 0; i < rows.length; i++) rows[i] = start + i;
    out.push({ index: out.length, label: `rows ${start}–${end - 1}`, rows, start: NaN, end: NaN });
  }
  return out;
}

/**
 * Time windows over epoch-ms instants: every non-empty bucket of the given width, oldest first. A number is a
 * width in ms counted from `origin` (default 0, the epoch); a unit is a calendar bucket in UTC (weeks start on
 * Monday). Rows without a time are left out.
 */
export function timeWindows(times: ArrayLike<number>, width: number | TimeUnit, options: { origin?: number } = {}): Window[] {
  if (typeof width === 'number' && !(width > 0)) throw new KilnError('E_PARAM', `window width = ${width}: must be > 0 ms`);
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (!Number.isFinite(t)) continue;
    const start = bucketStart(t, width, options.origin ?? 0);
    let rows = buckets.get(start);
    if (!rows) buckets.set(start, (rows = []));
    rows.push(i);
  }
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((start, index) => ({
      index,
      label: new Date(start).toISOString(),
      rows: Uint32Array.from(buckets.get(start) as number[]),
      start,
      end: bucketEnd(start, width),
    }));
}

function bucketStart(t: number, width: number | TimeUnit, origin: number): number {
  switch (width) {
    case 'hour':
      return Math.floor(t / HOUR) * HOUR;
    case 'day':
      return Math.floor(t / DAY) * DAY;
    case 'week':
      return Math.floor((t - MONDAY_ORIGIN) / (7 * DAY)) * 7 * DAY + MONDAY_ORIGIN;
    case 'month': {
      const d = new Date(t);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
    default:
      return Math.floor((t - origin) / width) * width + origin;
  }
}

function bucketEnd(start: number, width: number | TimeUnit): number {
  switch (width) {
    case 'hour':
      return start + HOUR;
    case 'day':
      return start + DAY;
    case 'week':
      return start + 7 * DAY;
    case 'month': {
      const d = new Date(start);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    default:
      return start + width;
  }
}

/** One column's drift scores across the windows, for plotting (NaN where the column was skipped). */
export interface DriftSeries {
  readonly column: string;
  /** (nWindows) */
  readonly tests: readonly string[];
  readonly scores: Float64Array;
  readonly thresholds: Float64Array;
  readonly drifted: Uint8Array;
}

export interface WindowedDrift {
  readonly windows: readonly { readonly window: Window; readonly drift: DatasetDrift }[];
  readonly series: readonly DriftSeries[];
  /** (nWindows) share of drifted columns per window */
  readonly share: Float64Array;
}

/**
 * The dataset drift check on each window of `current`. Windows with fewer than `minRows` rows (default 1) are
 * left out. The reference can be a Frame or a sketch.
 */
export function driftOverWindows(
  reference: Frame | ColumnSource,
  current: Frame,
  windows: readonly Window[],
  options: Partial<DriftOptions> & { minRows?: number } = {},
): WindowedDrift {
  const { minRows = 1, ...driftOptions } = options;
  const results = windows.filter((w) => w.rows.length >= minRows).map((window) => ({ window, drift: detectDrift(reference, current.take(window.rows), driftOptions) }));
  const names = [...new Set(results.flatMap((r) => r.drift.columns.map((c) => c.column)))];
  const series = names.map((column): DriftSeries => {
    const n = results.length;
    const scores = new Float64Array(n).fill(NaN);
    const thresholds = new Float64Array(n).fill(NaN);
    const drifted = new Uint8Array(n);
    const tests: string[] = new Array<string>(n).fill('');
    results.forEach((r, i) => {
      const c: ColumnDrift | undefined = r.drift.columns.find((x) => x.column === column);
      if (!c) return;
      scores[i] = c.score;
      thresholds[i] = c.threshold;
      drifted[i] = c.drifted ? 1 : 0;
      tests[i] = c.test;
    });
    return { column, tests, scores, thresholds, drifted };
  });
  return { windows: results, series, share: Float64Array.from(results, (r) => r.drift.share) };
}
