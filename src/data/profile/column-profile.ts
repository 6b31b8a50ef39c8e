// Per-column statistics for the data-quality profile: missing share, distinct count, min/max/mean/std and
// quantiles for numbers, top values for labels, a histogram for every kind. Pure.

import type { Column } from '../../core/frame.js';
import { formatDate } from '../coerce.js';
import type { ColumnInfo, SemanticType } from '../schema.js';
import { codeCounts, histogram, moments, quantileSorted, sortedPresent } from '../stats.js';

export interface Histogram {
  /** bar labels (a value, or a bin "[a, b)") */
  labels: string[];
  counts: number[];
}

export interface NumberStats {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** 5th, 25th, 50th, 75th and 95th percentiles */
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  zeros: number;
  negatives: number;
}

export interface ColumnProfile {
  name: string;
  type: SemanticType;
  kind: Column['kind'];
  reason: string;
  rows: number;
  missing: number;
  missingShare: number;
  distinct: number;
  /** the most frequent values with their row counts (up to 10) */
  top: { value: string; count: number }[];
  number?: NumberStats;
  /** ISO first and last instant */
  range?: { min: string; max: string };
  /** characters per value, for text */
  length?: { mean: number; min: number; max: number };
  histogram: Histogram;
  markersFound: Record<string, number>;
  convertedFromText: boolean;
  mixed?: ColumnInfo['mixed'];
}

const TOP = 10;
const BINS = 30;

export function profileColumn(column: Column, info: ColumnInfo): ColumnProfile {
  const rows = column.kind === 'category' ? column.codes.length : column.values.length;
  const base = {
    name: info.name,
    type: info.type,
    kind: column.kind,
    reason: info.reason,
    rows,
    markersFound: info.markersFound,
    convertedFromText: info.convertedFromText,
    ...(info.mixed ? { mixed: info.mixed } : {}),
  };
  switch (column.kind) {
    case 'number':
    case 'datetime':
      return { ...base, ...numericProfile(column.values, column.kind === 'datetime') };
    case 'category':
      return { ...base, ...labelProfile(column.codes, column.dictionary) };
    case 'text':
      return { ...base, ...textProfile(column.values) };
  }
}

function numericProfile(values: Float64Array, isDate: boolean) {
  const rows = values.length;
  const sorted = sortedPresent(values); // (nPresent)
  const m = moments(values);
  const missing = rows - sorted.length;
  // runs of equal values give the distinct count, the most frequent values and (few values) the bars
  let distinct = 0;
  const top: { value: number; count: number }[] = []; // (<= TOP) most frequent, descending
  const few: { value: number; count: number }[] = []; // every run while there are at most BINS of them
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const run = { value: sorted[i], count: j - i };
    distinct++;
    if (few.length <= BINS) few.push(run);
    if (top.length < TOP || run.count > top[top.length - 1].count) {
      top.push(run);
      top.sort((a, b) => b.count - a.count || a.value - b.value);
      if (top.length > TOP) top.pop();
    }
    i = j;
  }
  const show = (v: number) => (isDate ? formatDate(v) : String(roundForDisplay(v)));
  let hist: Histogram;
  if (distinct <= BINS) hist = { labels: few.map((r) => show(r.value)), counts: few.map((r) => r.count) };
  else {
    const h = histogram(values, BINS, m.min, m.max);
    hist = { labels: h.counts.map((_, k) => show(h.edges[k])), counts: h.counts };
  }
  let zeros = 0;
  let negatives = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] === 0) zeros++;
    else if (sorted[i] < 0) negatives++;
  }
  const out = {
    missing,
    missingShare: rows ? missing / rows : 0,
    distinct,
    top: top.map((r) => ({ value: show(r.value), count: r.count })),
    histogram: hist,
  };
  if (isDate) return { ...out, ...(sorted.length ? { range: { min: formatDate(m.min), max: formatDate(m.max) } } : {}) };
  return {
    ...out,
    number: {
      min: m.min,
      max: m.max,
      mean: m.mean,
      std: m.std,
      p5: quantileSorted(sorted, 0.05),
      p25: quantileSorted(sorted, 0.25),
      p50: quantileSorted(sorted, 0.5),
      p75: quantileSorted(sorted, 0.75),
      p95: quantileSorted(sorted, 0.95),
      zeros,
      negatives,
    },
  };
}

function labelProfile(codes: Int32Array, dictionary: readonly string[]) {
  const counts = codeCounts(codes, dictionary.length);
  let present = 0;
  let distinct = 0;
  const order: number[] = [];
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] > 0) {
      distinct++;
      present += counts[k];
      order.push(k);
    }
  }
  order.sort((a, b) => counts[b] - counts[a] || (dictionary[a] < dictionary[b] ? -1 : 1));
  const top = order.slice(0, TOP).map((k) => ({ value: dictionary[k], count: counts[k] }));
  const shown = order.slice(0, BINS);
  const other = present - shown.reduce((s, k) => s + counts[k], 0);
  const histogram: Histogram = {
    labels: [...shown.map((k) => dictionary[k]), ...(other > 0 ? ['(other)'] : [])],
    counts: [...shown.map((k) => counts[k]), ...(other > 0 ? [other] : [])],
  };
  const missing = codes.length - present;
  return { missing, missingShare: codes.length ? missing / codes.length : 0, distinct, top, histogram };
}

function textProfile(values: readonly (string | null)[]) {
  const counts = new Map<string, number>();
  const lengths = new Float64Array(values.length).fill(NaN);
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) {
      missing++;
      continue;
    }
    lengths[i] = v.length;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([value, count]) => ({ value: value.length > 80 ? `${value.slice(0, 79)}…` : value, count }));
  const m = moments(lengths);
  const h = histogram(lengths, Math.min(BINS, Math.max(1, m.max - m.min)), m.min, m.max);
  return {
    missing,
    missingShare: values.length ? missing / values.length : 0,
    distinct: counts.size,
    top,
    length: { mean: m.mean, min: m.min, max: m.max },
    histogram: { labels: h.counts.map((_, k) => `${Math.round(h.edges[k])} chars`), counts: h.counts },
  };
}

/** Enough digits to read, not the full float. */
export function roundForDisplay(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  return Number(v.toPrecision(6));
}
