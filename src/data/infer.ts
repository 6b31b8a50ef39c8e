// Type inference: decide each column's semantic type (number, category, boolean, datetime, free text,
// identifier) from its values, and how to parse it. Works on a category column's dictionary with per-label
// row counts, so a million-row column with 200 labels costs one pass over the codes plus 200 parses.

import { type CategoryColumn, type Column, type ColumnKind, categoryFromStrings, Frame } from '../core/frame.js';
import { booleanPair, coerceColumn, currencySign, DATE_FORMATS, NUMBER_FORMATS, parseDate, parseNumber } from './coerce.js';
import { type ColumnInfo, type ColumnParse, type DataSchema, type DateFormat, type NumberFormat, type SemanticType, kindFor } from './schema.js';

export interface InferOptions {
  /** every label read as missing (defaults plus the user's), compared after trimming */
  markers: readonly string[];
  /** types the user fixed by name; inference still picks the parse format */
  types?: Readonly<Record<string, SemanticType>>;
}

/** A value shared by this many of the non-missing rows or more decides a mixed column's dominant type. */
const MIXED_SHARE = 0.9;

/** Infer every column of a raw frame. */
export function inferSchema(frame: Frame, options: InferOptions): DataSchema {
  return { columns: frame.names.map((name) => inferColumn(name, frame.column(name), options)) };
}

/** Convert a raw frame to the kinds its schema names. */
export function applySchema(frame: Frame, schema: DataSchema): Frame {
  return Frame.fromColumns(
    schema.columns.map((info) => [info.name, coerceColumn(frame.column(info.name), info.parse)] as const),
    frame.nRows,
  );
}

/** Infer one column's semantic type and parse rule. */
export function inferColumn(name: string, column: Column, options: InferOptions): ColumnInfo {
  const forced = options.types?.[name];
  if (column.kind === 'number') return inferNumeric(name, column.values, forced, options.markers);
  if (column.kind === 'datetime') return info(name, forced ?? 'datetime', 'datetime', options.markers, countNaN(column.values), {}, false, 'stored as dates');
  const cat = column.kind === 'category' ? column : categoryFromStrings(column.values);
  return inferLabels(name, cat, forced, options.markers);
}

function info(
  name: string,
  type: SemanticType,
  sourceKind: ColumnKind,
  markers: readonly string[],
  missing: number,
  markersFound: Record<string, number>,
  convertedFromText: boolean,
  reason: string,
  extra: Partial<ColumnParse> = {},
): ColumnInfo {
  const kind = kindFor(type, sourceKind);
  return { name, type, kind, parse: { kind, markers: [...markers], ...extra }, missing, markersFound, convertedFromText, reason };
}

function countNaN(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) n++;
  return n;
}

const ID_NAME = /(^|[^a-z])id$|^id([^a-z]|$)|[a-z]Id$|ID$|_key$|^uuid$/i;

// Numbers: 0/1 columns are booleans; whole numbers unique per row are identifiers when the name says so
// or they count up without gaps (row numbers).
function inferNumeric(name: string, values: Float64Array, forced: SemanticType | undefined, markers: readonly string[]): ColumnInfo {
  const n = values.length;
  let missing = 0;
  let zeroOne = true;
  let integers = true;
  let seen0 = false;
  let seen1 = false;
  let min = Infinity;
  let max = -Infinity;
  let i = 0;
  for (; i < n; i++) {
    const v = values[i];
    if (v !== v) {
      missing++;
      continue;
    }
    if (v === 0) seen0 = true;
    else if (v === 1) seen1 = true;
    else zeroOne = false;
    if (integers && !Number.isInteger(v)) integers = false;
    // neither a flag nor whole numbers: only the missing count is still needed
    if (!integers && !zeroOne) break;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  for (i++; i < n; i++) if (values[i] !== values[i]) missing++;
  const present = n - missing;
  if (forced) return info(name, forced, 'number', markers, missing, {}, false, 'type set by the user');
  if (present > 0 && zeroOne && seen0 && seen1) return info(name, 'boolean', 'number', markers, missing, {}, false, 'only 0 and 1');
  if (integers && present >= 20 && missing === 0 && (ID_NAME.test(name) || max - min + 1 === present) && allUnique(values, min, max)) {
    return info(name, 'identifier', 'number', markers, missing, {}, false, ID_NAME.test(name) ? 'unique whole numbers, named like an id' : 'unique whole numbers counting up without gaps');
  }
  return info(name, 'number', 'number', markers, missing, {}, false, 'stored as numbers');
}

function allUnique(values: Float64Array, min: number, max: number): boolean {
  const span = max - min + 1;
  if (span <= values.length * 4 && span < 2 ** 28) {
    // a bitmap over the value range: (span) bits
    const seen = new Uint8Array(span);
    for (let i = 0; i < values.length; i++) {
      const k = values[i] - min;
      if (seen[k]) return false;
      seen[k] = 1;
    }
    return true;
  }
  const sorted = Float64Array.from(values).sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return false;
  return true;
}

// Labels: count rows per dictionary entry, then try each reading on the distinct labels only.
function inferLabels(name: string, column: CategoryColumn, forced: SemanticType | undefined, markers: readonly string[]): ColumnInfo {
  const { codes, dictionary } = column;
  const counts = new Float64Array(dictionary.length); // (nLabels) rows per label
  let nullRows = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0) nullRows++;
    else counts[c]++;
  }
  const markerSet = new Set(markers);
  const markersFound: Record<string, number> = {};
  const labels: string[] = [];
  const labelRows: number[] = [];
  let markerRows = 0;
  for (let k = 0; k < dictionary.length; k++) {
    if (counts[k] === 0) continue;
    const label = dictionary[k];
    if (markerSet.has(label) || markerSet.has(label.trim())) {
      markersFound[label] = (markersFound[label] ?? 0) + counts[k];
      markerRows += counts[k];
    } else {
      labels.push(label);
      labelRows.push(counts[k]);
    }
  }
  const missing = nullRows + markerRows;
  const present = codes.length - missing;
  const make = (type: SemanticType, reason: string, extra: Partial<ColumnParse> = {}, converted = false): ColumnInfo =>
    info(name, type, 'category', markers, missing, markersFound, converted, reason, extra);

  if (present === 0) return make(forced ?? 'category', 'no values');

  // numbers written as text
  const num = bestNumberFormat(labels, labelRows);
  if (forced === 'number' || (!forced && num.rows === present)) {
    const format = describeFormat(num.format, labels);
    return make('number', numberReason(format), { number: format }, true);
  }
  // dates written as text
  const date = bestDateFormat(labels, labelRows);
  if (forced === 'datetime' || (!forced && date.rows === present)) return make('datetime', `dates written as text (${date.format})`, { date: date.format }, true);
  if (forced) return make(forced, 'type set by the user');

  if (booleanPair(labels)) return make('boolean', 'two yes/no-like values');

  let chars = 0;
  let words = 0;
  for (let k = 0; k < labels.length; k++) {
    chars += labels[k].length * labelRows[k];
    words += countWords(labels[k]) * labelRows[k];
  }
  const avgChars = chars / present;
  const avgWords = words / present;
  const uniqueShare = labels.length / present;
  const mixedInfo = mixedOf(num.rows, date.rows, present, labels, num.format, date.format);
  let result: ColumnInfo;
  if ((avgWords >= 4 || (avgChars >= 20 && avgWords >= 2.5)) && uniqueShare >= 0.5) {
    result = make('text', `free text (${avgWords.toFixed(1)} words per value on average)`);
  } else if (present >= 20 && (uniqueShare === 1 || (uniqueShare >= 0.95 && avgWords <= 1.2))) {
    result = make('identifier', uniqueShare === 1 ? 'a different value in every row' : 'almost every row has its own value');
  } else {
    result = make('category', `${labels.length} distinct values`);
  }
  if (mixedInfo) result.mixed = mixedInfo;
  return result;
}

function countWords(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = s.charCodeAt(i) <= 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

function bestNumberFormat(labels: readonly string[], rows: readonly number[]): { format: NumberFormat; rows: number } {
  let best = { format: NUMBER_FORMATS[0], rows: -1 };
  let total = 0;
  for (const r of rows) total += r;
  for (const format of NUMBER_FORMATS) {
    let ok = 0;
    let failed = 0;
    for (let k = 0; k < labels.length; k++) {
      if (Number.isNaN(parseNumber(labels[k], format))) {
        failed += rows[k];
        // cannot beat the best any more
        if (total - failed <= best.rows) break;
      } else ok += rows[k];
    }
    if (ok > best.rows) best = { format, rows: ok };
    if (ok === total) break;
  }
  return best;
}

function bestDateFormat(labels: readonly string[], rows: readonly number[]): { format: DateFormat; rows: number } {
  let best: { format: DateFormat; rows: number } = { format: 'iso', rows: 0 };
  for (const format of DATE_FORMATS) {
    let ok = 0;
    for (let k = 0; k < labels.length; k++) if (!Number.isNaN(parseDate(labels[k], format))) ok += rows[k];
    if (ok > best.rows) best = { format, rows: ok };
  }
  return best;
}

function describeFormat(format: NumberFormat, labels: readonly string[]): NumberFormat {
  let currency: string | null = null;
  let percent = false;
  let thousands: NumberFormat['thousands'] = null;
  for (const l of labels) {
    currency ??= currencySign(l);
    if (!percent && l.trimEnd().endsWith('%')) percent = true;
    if (format.thousands !== null && thousands === null && l.includes(format.thousands)) thousands = format.thousands;
  }
  return { decimal: format.decimal, thousands, currency, percent };
}

function numberReason(format: NumberFormat): string {
  const notes = [
    format.thousands ? `thousands separator "${format.thousands}"` : '',
    format.decimal === ',' ? 'decimal comma' : '',
    format.currency ? `currency ${format.currency}` : '',
    format.percent ? 'percent signs' : '',
  ].filter(Boolean);
  return `numbers stored as text${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

function mixedOf(
  numberRows: number,
  dateRows: number,
  present: number,
  labels: readonly string[],
  numberFormat: NumberFormat,
  dateFormat: DateFormat,
): ColumnInfo['mixed'] | undefined {
  const dominant = numberRows >= dateRows ? 'number' : 'datetime';
  const rows = Math.max(numberRows, dateRows);
  if (rows === 0 || rows / present < MIXED_SHARE) return undefined;
  const odd = labels.filter((l) => (dominant === 'number' ? Number.isNaN(parseNumber(l, numberFormat)) : Number.isNaN(parseDate(l, dateFormat))));
  return { dominant, share: rows / present, examples: odd.slice(0, 5) };
}
