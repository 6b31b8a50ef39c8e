// Guessing a delimited file's layout from its first megabyte: the delimiter (`,` `\t` `;` `|` `:`, or one of them
// followed by a space as in "a, b, c"), whether quotes are used as quoting, leading junk lines, whether the
// first row is a header, and a first guess of which columns are numbers or dates. Pure: works on decoded text.

import { DataParseError } from '../../core/errors.js';
import { tokenize, type Tokenized, type TokenizedRecord } from './csv-tokenize.js';

export interface SniffOptions {
  delimiter?: string;
  /** true/false when the user said so; undefined = guess */
  header?: boolean;
  /** column names given by the user */
  columns?: readonly string[];
  /** null = quotes are plain characters; undefined = guess */
  quote?: string | null;
  /** lines to skip before the data (or the header); undefined = guess */
  skip?: number;
  /** the sample is the whole file, so its last record is complete */
  wholeFile: boolean;
  /** the file name, for messages */
  file: string;
}

/** What DuckDB is told about a column before reading; it is only a first guess (see csv-reader retries). */
export type SniffedType = 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'VARCHAR';

export interface CsvDialect {
  delimiter: string;
  quote: string | null;
  header: boolean;
  /** physical lines before the first kept record (junk lines) */
  skipLines: number;
  names: string[];
  types: SniffedType[];
  /** records in the sample with the expected field count, as a share */
  consistency: number;
  /** what was guessed, in words, for the profile */
  notes: string[];
}

const CANDIDATES = [',', '\t', ';', '|', ':'];
/** records used to compare candidate delimiters (cheap), then to settle the chosen one (thorough) */
const CHOOSE_RECORDS = 200;
const SAMPLE_RECORDS = 2000;
const MAX_JUNK_RECORDS = 20;

const HINT =
  'if the layout was guessed wrong, say it: --delimiter ";" (or "\\t"), --no-header when the first row is data, ' +
  '--columns a,b,c to name the columns';

interface Candidate {
  delimiter: string;
  quote: string | null;
  tok: Tokenized;
  records: TokenizedRecord[];
  fieldCount: number;
  consistency: number;
  skip: number;
}

export function sniffCsv(text: string, options: SniffOptions): CsvDialect {
  const sample = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (sample.trim().length === 0) throw new DataParseError(options.file, 'the file holds no data', { hint: 'check that this is the file you meant' });
  const notes: string[] = [];
  const delimiters = options.delimiter !== undefined ? [unescapeDelimiter(options.delimiter)] : CANDIDATES;
  let best: Candidate | null = null;
  for (const delimiter of delimiters) {
    const candidate = evaluateDelimiter(sample, delimiter, options, CHOOSE_RECORDS);
    if (!best || better(candidate, best)) best = candidate;
  }
  let chosen = best as Candidate;
  if (options.delimiter === undefined && chosen.fieldCount === 1) {
    // no candidate splits the lines: a single-column file
    chosen = evaluate(sample, ',', options.quote === undefined ? '"' : options.quote, options, SAMPLE_RECORDS);
  } else {
    // settle quoting and consistency for the winner on the whole sample
    chosen = evaluateDelimiter(sample, chosen.delimiter, options, SAMPLE_RECORDS);
  }
  if (options.delimiter === undefined && chosen.fieldCount > 1) {
    const spaced = chosen.delimiter + ' ';
    if (everyDelimiterFollowedBySpace(chosen.records)) {
      const withSpace = evaluate(sample, spaced, chosen.quote, options, SAMPLE_RECORDS);
      if (withSpace.fieldCount === chosen.fieldCount && withSpace.consistency >= chosen.consistency) {
        chosen = withSpace;
        notes.push(`values are separated by "${spaced}"`);
      }
    }
  }
  if (chosen.records.length === 0) throw new DataParseError(options.file, 'no complete line of data found in the first megabyte', { hint: HINT });
  if (chosen.consistency < 0.8) {
    const counts = [...new Set(chosen.records.map((r) => r.fields.length))].sort((a, b) => a - b);
    throw new DataParseError(
      options.file,
      `cannot work out the layout: with delimiter ${showDelimiter(chosen.delimiter)} lines have ${counts.slice(0, 6).join(', ')}${counts.length > 6 ? ', …' : ''} fields`,
      { hint: HINT },
    );
  }
  if (chosen.quote === null && options.quote === undefined) notes.push('quotes are part of the values (not used for quoting)');
  if (chosen.skip > 0) notes.push(`skipped ${chosen.skip} junk line${chosen.skip > 1 ? 's' : ''} at the top`);

  const records = chosen.records.slice(chosen.skip);
  const header = options.header ?? guessHeader(records, chosen.fieldCount);
  const dataRecords = header ? records.slice(1) : records;
  const width = chosen.fieldCount;
  let names: string[];
  if (options.columns?.length) {
    if (options.columns.length !== width)
      throw new DataParseError(options.file, `--columns names ${options.columns.length} columns but the lines have ${width} fields`, { hint: HINT });
    names = [...options.columns];
  } else if (header) {
    names = cleanNames(records[0].fields.slice(0, width));
  } else {
    names = Array.from({ length: width }, (_, j) => `column${j + 1}`);
    notes.push('no header row: columns are named column1, column2, …');
  }
  const skipLines = chosen.records.length > chosen.skip ? chosen.records[chosen.skip].line - 1 : 0;
  return {
    delimiter: chosen.delimiter,
    quote: chosen.quote,
    header,
    skipLines: options.skip ?? skipLines,
    names,
    types: guessTypes(dataRecords, width),
    consistency: chosen.consistency,
    notes,
  };
}

function better(a: Candidate, b: Candidate): boolean {
  const aSplits = a.fieldCount > 1;
  const bSplits = b.fieldCount > 1;
  if (aSplits !== bSplits) return aSplits;
  if (Math.abs(a.consistency - b.consistency) > 1e-9) return a.consistency > b.consistency;
  return a.fieldCount > b.fieldCount;
}

// For one delimiter, decide whether quotes quote: they do unless they turn up inside values while reading
// without quoting gives lines that agree at least as well.
function evaluateDelimiter(sample: string, delimiter: string, options: SniffOptions, limit: number): Candidate {
  if (options.quote !== undefined) return evaluate(sample, delimiter, options.quote, options, limit);
  const quoted = evaluate(sample, delimiter, '"', options, limit);
  if (quoted.tok.stray === 0) return quoted;
  const plain = evaluate(sample, delimiter, null, options, limit);
  return plain.consistency >= quoted.consistency && plain.fieldCount >= quoted.fieldCount ? plain : quoted;
}

function evaluate(sample: string, delimiter: string, quote: string | null, options: SniffOptions, limit: number): Candidate {
  const tok = tokenize(sample, delimiter, quote, limit);
  let records = tok.records;
  // the sample (or the limit) may stop inside the last record
  if ((!options.wholeFile || records.length === limit) && tok.endedMidRecord && records.length > 1) records = records.slice(0, -1);
  const tally = new Map<number, number>();
  for (const r of records) tally.set(r.fields.length, (tally.get(r.fields.length) ?? 0) + 1);
  let fieldCount = 1;
  let top = 0;
  for (const [count, times] of tally) {
    if (times > top || (times === top && count > fieldCount)) {
      fieldCount = count;
      top = times;
    }
  }
  let skip = 0;
  if (options.skip === undefined) {
    while (skip < records.length && skip < MAX_JUNK_RECORDS && records[skip].fields.length < fieldCount) skip++;
    // junk is a line or two above the data, never a large part of it
    if (skip === records.length || skip === MAX_JUNK_RECORDS || skip > Math.max(1, Math.floor(records.length / 10))) skip = 0;
  } else {
    skip = records.findIndex((r) => r.line > (options.skip ?? 0));
    if (skip < 0) skip = records.length;
  }
  const kept = records.length - skip;
  let agree = 0;
  for (let k = skip; k < records.length; k++) if (records[k].fields.length === fieldCount) agree++;
  return { delimiter, quote, tok, records, fieldCount, consistency: kept > 0 ? agree / kept : 0, skip };
}

function everyDelimiterFollowedBySpace(records: readonly TokenizedRecord[]): boolean {
  let seen = 0;
  for (const r of records) {
    for (let j = 1; j < r.fields.length; j++) {
      if (!r.fields[j].startsWith(' ')) return false;
      seen++;
    }
  }
  return seen > 0;
}

const STRICT_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$/;

/** A number a person wrote as a code (zip "02134", id "007") keeps its text: leading zeros matter. */
function leadingZero(v: string): boolean {
  const s = v[0] === '-' || v[0] === '+' ? v.slice(1) : v;
  return s.length > 1 && s[0] === '0' && s[1] !== '.';
}

function guessTypes(records: readonly TokenizedRecord[], width: number): SniffedType[] {
  const types: SniffedType[] = [];
  for (let j = 0; j < width; j++) {
    let numbers = 0;
    let dates = 0;
    let stamps = 0;
    let present = 0;
    for (const r of records) {
      const v = r.fields[j];
      if (v === undefined || v === '') continue;
      present++;
      if (STRICT_NUMBER.test(v) && !leadingZero(v)) numbers++;
      else if (ISO_DATE.test(v)) dates++;
      else if (ISO_TIMESTAMP.test(v)) stamps++;
    }
    if (present > 0 && numbers === present) types.push('DOUBLE');
    else if (present > 0 && dates === present) types.push('DATE');
    else if (present > 0 && stamps + dates === present && stamps > 0) types.push('TIMESTAMP');
    else types.push('VARCHAR');
  }
  return types;
}

// A first row is a header when it has text where the rows below have numbers, or, for all-text files, when
// its values are distinct, non-empty and never appear again in their column.
function guessHeader(records: readonly TokenizedRecord[], width: number): boolean {
  if (records.length < 2) return records.length === 1 && records[0].fields.every((f) => f !== '' && !STRICT_NUMBER.test(f));
  const first = records[0].fields;
  const rest = records.slice(1);
  let evidence = 0;
  let against = 0;
  let numericColumns = 0;
  for (let j = 0; j < width; j++) {
    let present = 0;
    let numbers = 0;
    for (const r of rest) {
      const v = r.fields[j];
      if (v === undefined || v.trim() === '') continue;
      present++;
      if (STRICT_NUMBER.test(v.trim())) numbers++;
    }
    if (present === 0 || numbers / present < 0.9) continue;
    numericColumns++;
    const head = (first[j] ?? '').trim();
    if (head !== '' && !STRICT_NUMBER.test(head)) evidence++;
    else if (STRICT_NUMBER.test(head)) against++;
  }
  if (numericColumns > 0) return evidence > 0 && against === 0;
  const heads = first.slice(0, width).map((f) => f.trim());
  if (heads.some((h) => h === '') || new Set(heads).size !== heads.length) return false;
  for (let j = 0; j < width; j++) {
    for (const r of rest) if ((r.fields[j] ?? '').trim() === heads[j]) return false;
  }
  // and some name must look unlike its column's values ("name" over "Ann", "Bob"), else a list of words
  // such as occupations, whose first word is just the first value, would lose a row
  for (let j = 0; j < width; j++) {
    const shapes = new Set(rest.map((r) => shapeOf((r.fields[j] ?? '').trim())));
    if (!shapes.has(shapeOf(heads[j]))) return true;
  }
  return false;
}

/** A value's outline: runs of digits, lower-case and upper-case letters collapsed ("943 users" -> "9 a"). */
function shapeOf(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = /\p{N}/u.test(ch) ? '9' : /\p{Ll}/u.test(ch) ? 'a' : /\p{Lu}/u.test(ch) ? 'A' : ch;
    if (out[out.length - 1] !== c) out += c;
  }
  return out;
}

/** Header names made usable: trimmed, empty ones named by position, repeats suffixed. */
export function cleanNames(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((r, j) => {
    let name = r.trim() || `column${j + 1}`;
    const times = seen.get(name) ?? 0;
    seen.set(name, times + 1);
    if (times > 0) name = `${name}_${times + 1}`;
    return name;
  });
}

/** Accept "\t", "tab" and friends on the command line. */
export function unescapeDelimiter(d: string): string {
  const named: Record<string, string> = { '\\t': '\t', tab: '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ' };
  return named[d.toLowerCase()] ?? d;
}

export function showDelimiter(d: string): string {
  return JSON.stringify(d);
}
