// Turning raw values into typed ones: numbers written as text ("1,234.50", "$12", "45 %", "(3)"), dates in the
// common layouts, yes/no words, and missing markers; and converting a whole column to a target kind.
// Pure (no node: imports): the cleaning recipe applies these same rules to single prediction rows.

import {
  type Column,
  type ColumnKind,
  categoryColumn,
  datetimeColumn,
  numberColumn,
  textColumn,
} from '../core/frame.js';
import type { ColumnParse, DateFormat, NumberFormat } from './schema.js';

export const PLAIN_NUMBER: NumberFormat = { decimal: '.', thousands: null, currency: null, percent: false };

const CURRENCY_SIGNS = '$€£¥₹₽₩';
const PLAIN = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF = /^(?:inf|infinity)$/i;

/**
 * Read a number written as text under `format`; NaN when the text is not a number.
 * Accepts a sign, a currency sign before or after, a trailing %, accounting negatives "(12.50)",
 * and the format's thousands separator in proper groups of three.
 */
export function parseNumber(text: string, format: NumberFormat = PLAIN_NUMBER): number {
  let s = text.trim();
  if (s.length === 0) return NaN;
  // fast path: the plain form most cells take
  if (PLAIN.test(s)) return Number(s);
  let negative = false;
  if (s.charCodeAt(0) === 40 /* ( */ && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  // at most one sign, before or after a currency sign: "-$5", "$-5"
  let signed = false;
  for (let pass = 0; pass < 2; pass++) {
    const c = s[0];
    if (!signed && (c === '-' || c === '+')) {
      signed = true;
      if (c === '-') negative = !negative;
      s = s.slice(1).trimStart();
    }
    if (s.length && CURRENCY_SIGNS.includes(s[0])) s = s.slice(1).trimStart();
    else if (s.length && CURRENCY_SIGNS.includes(s[s.length - 1])) s = s.slice(0, -1).trimEnd();
  }
  const value = parseDigits(s, format);
  return negative ? -value : value;
}

// Digits with optional grouping and decimal mark, nothing else around them.
function parseDigits(s: string, format: NumberFormat): number {
  if (s.length === 0) return NaN;
  if (INF.test(s)) return Infinity;
  const { decimal, thousands } = format;
  let intPart = s;
  let fracPart = '';
  const at = s.lastIndexOf(decimal);
  if (at >= 0) {
    intPart = s.slice(0, at);
    fracPart = s.slice(at + 1);
    if (!/^\d*(?:[eE][+-]?\d+)?$/.test(fracPart)) return NaN;
  }
  if (thousands !== null && intPart.includes(thousands)) {
    const groups = intPart.split(thousands);
    if (!/^\d{1,3}$/.test(groups[0])) return NaN;
    for (let i = 1; i < groups.length; i++) if (!/^\d{3}$/.test(groups[i])) return NaN;
    intPart = groups.join('');
  }
  if (!/^\d*$/.test(intPart) || (intPart.length === 0 && !/^\d/.test(fracPart))) return NaN;
  const joined = fracPart.length ? `${intPart}.${fracPart}` : intPart;
  return PLAIN.test(joined) ? Number(joined) : NaN;
}

/**
 * The number formats tried, in order, when a text column might hold numbers: dot decimal first (with no, comma,
 * space or apostrophe grouping), then decimal comma ("1.234,5", "1 234,5"). Inference keeps the first format
 * that reads the most values.
 */
export const NUMBER_FORMATS: readonly NumberFormat[] = [
  PLAIN_NUMBER,
  { decimal: '.', thousands: ',', currency: null, percent: false },
  { decimal: '.', thousands: ' ', currency: null, percent: false },
  { decimal: '.', thousands: "'", currency: null, percent: false },
  { decimal: ',', thousands: null, currency: null, percent: false },
  { decimal: ',', thousands: '.', currency: null, percent: false },
  { decimal: ',', thousands: ' ', currency: null, percent: false },
];

/** The currency sign in a label, if any (for describing a column, not for parsing). */
export function currencySign(text: string): string | null {
  for (const ch of text) if (CURRENCY_SIGNS.includes(ch)) return ch;
  return null;
}

// ---------------------------------------------------------------------------------------------- booleans

const TRUE_WORDS = new Map<string, string>([
  ['yes', 'no'],
  ['true', 'false'],
  ['y', 'n'],
  ['t', 'f'],
]);

/** The yes/no pair a set of labels belongs to (compared trimmed, case-insensitive), or null. */
export function booleanPair(labels: Iterable<string>): [string, string] | null {
  let pair: [string, string] | null = null;
  for (const raw of labels) {
    const w = raw.trim().toLowerCase();
    let found: [string, string] | null = null;
    for (const [t, f] of TRUE_WORDS) if (w === t || w === f) found = [t, f];
    if (!found) return null;
    if (pair && pair[0] !== found[0]) return null;
    pair = found;
  }
  return pair;
}

// ---------------------------------------------------------------------------------------------- dates

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TIME = String.raw`(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?`;
const DATE_PATTERNS: Record<DateFormat, RegExp> = {
  iso: new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`),
  ymd: new RegExp(String.raw`^(\d{4})[/.](\d{1,2})[/.](\d{1,2})${TIME}$`),
  dmy: new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})${TIME}$`),
  mdy: new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})${TIME}$`),
  'd-mon-y': new RegExp(String.raw`^(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4})${TIME}$`),
  'mon-d-y': new RegExp(String.raw`^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})${TIME}$`),
};
/** formats tried, in order, when inferring a column's date layout */
export const DATE_FORMATS: readonly DateFormat[] = ['iso', 'ymd', 'd-mon-y', 'mon-d-y', 'mdy', 'dmy'];

function monthIndex(name: string): number {
  const m = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return m < 0 ? -1 : m + 1;
}

/** Epoch milliseconds (UTC, or the written offset) for a date in `format`; NaN when it does not fit. */
export function parseDate(text: string, format: DateFormat): number {
  const m = DATE_PATTERNS[format].exec(text.trim());
  if (!m) return NaN;
  let year: number;
  let month: number;
  let day: number;
  switch (format) {
    case 'iso':
    case 'ymd':
      [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'dmy':
      [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'mdy':
      [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'd-mon-y':
      [day, month, year] = [Number(m[1]), monthIndex(m[2]), Number(m[3])];
      break;
    case 'mon-d-y':
      [month, day, year] = [monthIndex(m[1]), Number(m[2]), Number(m[3])];
      break;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  const [hh, mm, ss, frac, zone] = [m[4], m[5], m[6], m[7], m[8]];
  const hours = hh ? Number(hh) : 0;
  const minutes = mm ? Number(mm) : 0;
  const seconds = ss ? Number(ss) : 0;
  if (hours > 23 || minutes > 59 || seconds > 60) return NaN;
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(year, month - 1, day, hours, minutes, seconds, millis);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO text for an epoch-ms instant: a bare date at midnight UTC, else the full timestamp. */
export function formatDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** Text for a number as a person writes it: integers without ".0". */
export function formatNumber(v: number): string {
  return String(v);
}

// ---------------------------------------------------------------------------------------------- columns

/**
 * Convert a column of any kind to `parse.kind`, reading markers as missing and text with the column's
 * number or date format. Values that cannot be read become missing. Category columns are converted through
 * their dictionary (each label parsed once), so this is cheap on large frames.
 */
export function coerceColumn(column: Column, parse: ColumnParse): Column {
  const markers = new Set(parse.markers);
  const isMarker = (label: string): boolean => markers.has(label) || markers.has(label.trim());
  switch (parse.kind) {
    case 'number':
    case 'datetime': {
      const read =
        parse.kind === 'number'
          ? (label: string) => parseNumber(label, parse.number ?? PLAIN_NUMBER)
          : (label: string) => parseDate(label, parse.date ?? 'iso');
      const make = parse.kind === 'number' ? numberColumn : datetimeColumn;
      if (column.kind === 'number' || column.kind === 'datetime') return column.kind === parse.kind ? column : make(column.values);
      if (column.kind === 'category') {
        // (nLabels) value per dictionary entry, then one lookup per row
        const table = new Float64Array(column.dictionary.length);
        for (let k = 0; k < table.length; k++) table[k] = isMarker(column.dictionary[k]) ? NaN : read(column.dictionary[k]);
        const out = new Float64Array(column.codes.length);
        for (let i = 0; i < out.length; i++) {
          const c = column.codes[i];
          out[i] = c < 0 ? NaN : table[c];
        }
        return make(out);
      }
      const out = new Float64Array(column.values.length);
      for (let i = 0; i < out.length; i++) {
        const v = column.values[i];
        out[i] = v === null || isMarker(v) ? NaN : read(v);
      }
      return make(out);
    }
    case 'category':
      return toCategory(column, isMarker);
    case 'text':
      return toText(column, isMarker);
  }
}

function toCategory(column: Column, isMarker: (label: string) => boolean): Column {
  const n = column.kind === 'category' ? column.codes.length : column.values.length;
  const codes = new Int32Array(n);
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codeOf = (label: string): number => {
    if (isMarker(label)) return -1;
    let c = index.get(label);
    if (c === undefined) {
      c = dictionary.length;
      index.set(label, c);
      dictionary.push(label);
    }
    return c;
  };
  if (column.kind === 'category') {
    // nothing to remove or merge: the column is already what was asked for
    if (!column.dictionary.some(isMarker) && new Set(column.dictionary).size === column.dictionary.length) return column;
    // remap through the old dictionary once; labels keep their first-seen order
    const remap = new Int32Array(column.dictionary.length).fill(-2);
    for (let i = 0; i < n; i++) {
      const c = column.codes[i];
      if (c < 0) codes[i] = -1;
      else {
        if (remap[c] === -2) remap[c] = codeOf(column.dictionary[c]);
        codes[i] = remap[c];
      }
    }
  } else if (column.kind === 'text') {
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      codes[i] = v === null ? -1 : codeOf(v);
    }
  } else {
    const format = column.kind === 'number' ? formatNumber : formatDate;
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      codes[i] = Number.isNaN(v) ? -1 : codeOf(format(v));
    }
  }
  return categoryColumn(codes, dictionary);
}

function toText(column: Column, isMarker: (label: string) => boolean): Column {
  const n = column.kind === 'category' ? column.codes.length : column.values.length;
  const out = new Array<string | null>(n);
  if (column.kind === 'category') {
    const labels = column.dictionary.map((l) => (isMarker(l) ? null : l));
    for (let i = 0; i < n; i++) out[i] = column.codes[i] < 0 ? null : labels[column.codes[i]];
  } else if (column.kind === 'text') {
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      out[i] = v === null || isMarker(v) ? null : v;
    }
  } else {
    const format = column.kind === 'number' ? formatNumber : formatDate;
    for (let i = 0; i < n; i++) out[i] = Number.isNaN(column.values[i]) ? null : format(column.values[i]);
  }
  return textColumn(out);
}

/** The kind a column would be stored in, for messages. */
export function describeKind(kind: ColumnKind): string {
  return kind === 'category' ? 'categories' : kind === 'datetime' ? 'dates' : kind === 'number' ? 'numbers' : 'text';
}
