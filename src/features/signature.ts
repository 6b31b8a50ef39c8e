// The input signature of a pipeline: the columns a request may carry, their types, which ones the model needs,
// and the categories seen in training. The server validates requests with it and the runtime converts JSON
// records into a Frame with it. Isomorphic.
//
// What a prediction API should accept, and why (each violation is a 400 naming the field, never a coercion):
// - number columns take a JSON number (or null). A string such as "42" is a type error: silently parsing it
//   would hide a client bug (a column shifted, a locale "4,2") until predictions quietly go wrong.
// - category columns take a string; a number or boolean is accepted as its JSON text (1 → "1", true → "true"),
//   which is lossless. A label not seen in training is not an error: the model handles it as it was trained to
//   (one-hot: all zeros; trees: missing), and `unseenCategories` reports it for logging and monitoring.
// - datetime columns take an ISO 8601 string (no zone means UTC) or epoch milliseconds.
// - text columns take a string.
// - null means "unknown" for any column and is imputed the way training imputed gaps; NaN/Infinity are refused.
// - every feature column must be present as a key (null allowed): a missing key is more often a typo or a
//   client on an old schema than a deliberate "unknown". Identifier, dropped and target columns may be sent
//   (clients often send whole rows) and are ignored; any other key is refused as unknown.

import { ModelFormatError, ValidationError, describeValue, type Issue } from '../core/errors.js';
import { type Column, type ColumnKind, categoryColumn, categoryFromStrings, datetimeColumn, Frame, numberColumn, textColumn } from '../core/frame.js';
import type { Task } from '../core/learner.js';
import { levelCounts } from './one-hot.js';
import { sortLabels } from './transform.js';

export type SignatureType = ColumnKind;

export interface SignatureColumn {
  readonly name: string;
  readonly type: SignatureType;
  /** feature: read by the model; ignored: accepted and unused (identifiers, dropped columns); target: the label */
  readonly role: 'feature' | 'ignored' | 'target';
  /** the key must be present in each record (its value may still be null) */
  readonly required: boolean;
  /** category columns: the labels seen in training, sorted (absent when there were more than MAX_LISTED) */
  readonly categories?: readonly string[];
}

export interface Signature {
  readonly columns: readonly SignatureColumn[];
  readonly target: { readonly name: string; readonly task: Task; readonly classes?: readonly string[] } | null;
}

/** beyond this many training labels a category column's list is left out of the signature (it would bloat it) */
export const MAX_LISTED_CATEGORIES = 1000;

/**
 * The signature of a training frame: `features` are the columns the pipeline reads (required), the target is
 * optional, every other column is accepted and ignored.
 */
export function inferSignature(frame: Frame, options: { features: readonly string[]; target?: { name: string; task: Task; classes?: readonly string[] } }): Signature {
  const features = new Set(options.features);
  const columns = frame.names.map((name): SignatureColumn => {
    const col = frame.column(name);
    const role = name === options.target?.name ? 'target' : features.has(name) ? 'feature' : 'ignored';
    const out: SignatureColumn = { name, type: col.kind, role, required: role === 'feature' };
    if (col.kind === 'category') {
      const levels = levelCounts(col, frame.nRows);
      if (levels.size <= MAX_LISTED_CATEGORIES) return { ...out, categories: sortLabels(levels.keys()) };
    }
    return out;
  });
  for (const name of features) if (!frame.has(name)) throw new ValidationError(`signature: feature column "${name}" is not in the frame`, [{ path: [name], expected: 'a column of the training frame', received: 'nothing' }]);
  const target = options.target ? { name: options.target.name, task: options.target.task, ...(options.target.classes ? { classes: [...options.target.classes] } : {}) } : null;
  return { columns, target };
}

export interface RecordsOptions {
  /** prefix of every issue path, e.g. ['rows'] gives ['rows', 3, 'tenure'] */
  readonly path?: readonly (string | number)[];
  /** accept keys the signature does not know (they are dropped); default false */
  readonly allowUnknown?: boolean;
  /** stop collecting after this many issues; default 100 */
  readonly maxIssues?: number;
}

/** JSON records (plain objects) → a Frame typed by the signature; throws one ValidationError listing every issue. */
export function recordsToFrame(signature: Signature, records: unknown, options: RecordsOptions = {}): Frame {
  const prefix = options.path ?? [];
  const maxIssues = options.maxIssues ?? 100;
  const issues: Issue[] = [];
  const report = (issue: Issue): void => {
    if (issues.length < maxIssues) issues.push(issue);
  };
  if (!Array.isArray(records)) {
    throw new ValidationError('expected a list of records', [{ path: [...prefix], expected: 'a list of objects', received: describeValue(records) }]);
  }
  const n = records.length;
  const known = new Set(signature.columns.map((c) => c.name));
  const builders = signature.columns.map((c) => newBuilder(c, n));
  for (let i = 0; i < n && issues.length < maxIssues; i++) {
    const rec = records[i] as Record<string, unknown>;
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      report({ path: [...prefix, i], expected: 'an object with one key per column', received: describeValue(rec) });
      continue;
    }
    signature.columns.forEach((c, j) => {
      const has = Object.hasOwn(rec, c.name);
      const v = has ? rec[c.name] : undefined;
      if (!has && c.required) {
        report({ path: [...prefix, i, c.name], expected: `${typeWords(c.type)} (or null when unknown)`, received: 'nothing', message: `${c.name} is required` });
        return;
      }
      const problem = builders[j].set(i, v === undefined ? null : v);
      if (problem) report({ path: [...prefix, i, c.name], expected: problem, received: describeValue(v) });
    });
    if (!options.allowUnknown)
      for (const key of Object.keys(rec))
        if (!known.has(key)) report({ path: [...prefix, i, key], expected: 'a known column', received: describeValue(rec[key]), message: `unknown column "${key}"` });
  }
  if (issues.length) {
    const first = issues[0];
    const more = issues.length >= maxIssues ? ` (showing the first ${maxIssues})` : issues.length > 1 ? ` and ${issues.length - 1} more` : '';
    throw new ValidationError(`invalid input at ${first.path.join('.') || 'top level'}: ${first.message ?? `expected ${first.expected}, got ${first.received}`}${more}`, issues);
  }
  return Frame.fromColumns(
    signature.columns.map((c, j) => [c.name, builders[j].build()] as const),
    n,
  );
}

/**
 * Check a frame for batch scoring: every feature column present with a compatible kind (a category may arrive
 * as text, or as numbers when a new file's labels all look numeric, e.g. zip codes; a number column read as
 * category is refused). Extra columns are fine and are ignored. With
 * `kinds: false` only presence is checked (a cleaning recipe will convert kinds, e.g. numbers stored as text).
 */
export function checkFrame(signature: Signature, frame: Frame, options: { kinds?: boolean } = {}): void {
  const issues: Issue[] = [];
  for (const c of signature.columns) {
    if (c.role !== 'feature') continue;
    if (!frame.has(c.name)) {
      issues.push({ path: [c.name], expected: `a ${c.type} column`, received: 'nothing', message: `column "${c.name}" is missing` });
      continue;
    }
    if (options.kinds === false) continue;
    const kind = frame.column(c.name).kind;
    const ok = kind === c.type || (c.type === 'category' && (kind === 'text' || kind === 'number'));
    if (!ok) issues.push({ path: [c.name], expected: `a ${c.type} column`, received: `a ${kind} column`, message: `column "${c.name}" should be ${c.type}, but is ${kind}` });
  }
  if (issues.length) throw new ValidationError(`the data does not match the model's input: ${issues.map((i) => i.message).join('; ')}`, issues);
}

/**
 * The frame with category feature columns that arrived as numbers turned into labels (94107 → "94107"), the
 * one conversion that loses nothing; everything else is left to the transforms, which check kinds themselves.
 */
export function conformFrame(signature: Signature, frame: Frame): Frame {
  let out = frame;
  for (const c of signature.columns) {
    if (c.role !== 'feature' || c.type !== 'category' || !frame.has(c.name)) continue;
    const col = frame.column(c.name);
    if (col.kind !== 'number') continue;
    out = out.withColumn(c.name, categoryFromStrings(Array.from(col.values, (v) => (Number.isNaN(v) ? null : String(v)))));
  }
  return out;
}

/** Labels of feature columns that training never saw, per column (for logging; they are not errors). */
export function unseenCategories(signature: Signature, frame: Frame): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of signature.columns) {
    if (c.role !== 'feature' || c.type !== 'category' || !c.categories || !frame.has(c.name)) continue;
    const known = new Set(c.categories);
    const seen = [...levelCounts(frame.column(c.name), frame.nRows).keys()].filter((l) => !known.has(l));
    if (seen.length) out[c.name] = sortLabels(seen);
  }
  return out;
}

export function signatureFromJSON(json: unknown): Signature {
  const s = json as Partial<Signature> | null;
  const fail = (why: string): never => {
    throw new ModelFormatError(`signature: ${why}`);
  };
  if (!s || !Array.isArray(s.columns)) return fail('no column list');
  const names = new Set<string>();
  s.columns.forEach((c, i) => {
    if (typeof c?.name !== 'string') fail(`columns[${i}] has no name`);
    if (names.has(c.name)) fail(`column "${c.name}" appears twice`);
    names.add(c.name);
    if (!['number', 'category', 'datetime', 'text'].includes(c.type)) fail(`column "${c.name}" has unknown type`);
    if (!['feature', 'ignored', 'target'].includes(c.role) || typeof c.required !== 'boolean') fail(`column "${c.name}" has a malformed role`);
    if (c.categories !== undefined && !(Array.isArray(c.categories) && (c.categories as unknown[]).every((l) => typeof l === 'string'))) fail(`column "${c.name}" has malformed categories`);
  });
  const t = s.target;
  if (t !== null && (typeof t !== 'object' || typeof t?.name !== 'string' || !['binary', 'multiclass', 'regression'].includes(t.task))) fail('malformed target');
  return { columns: s.columns, target: t ?? null };
}

function typeWords(type: SignatureType): string {
  return { number: 'a number', category: 'a string', datetime: 'an ISO 8601 date-time string or epoch milliseconds', text: 'a string' }[type];
}

interface Builder {
  /** store a value (null = missing); returns what was expected when the value has the wrong type */
  set(i: number, v: unknown): string | null;
  build(): Column;
}

function newBuilder(c: SignatureColumn, n: number): Builder {
  switch (c.type) {
    case 'number': {
      const values = new Float64Array(n).fill(NaN);
      return {
        set: (i, v) => {
          if (v === null) return null;
          if (typeof v !== 'number') return 'a number';
          if (!Number.isFinite(v)) return 'a finite number';
          values[i] = v;
          return null;
        },
        build: () => numberColumn(values),
      };
    }
    case 'datetime': {
      const values = new Float64Array(n).fill(NaN);
      return {
        set: (i, v) => {
          if (v === null) return null;
          const ms = typeof v === 'number' ? (Number.isFinite(v) ? v : NaN) : typeof v === 'string' ? parseIsoDateTime(v) : NaN;
          if (Number.isNaN(ms)) return typeWords('datetime');
          values[i] = ms;
          return null;
        },
        build: () => datetimeColumn(values),
      };
    }
    case 'text': {
      const values = new Array<string | null>(n).fill(null);
      return {
        set: (i, v) => {
          if (v === null) return null;
          if (typeof v !== 'string') return 'a string';
          values[i] = v;
          return null;
        },
        build: () => textColumn(values),
      };
    }
    case 'category': {
      // start from the training labels so codes line up with training when possible
      const dictionary = [...(c.categories ?? [])];
      const index = new Map(dictionary.map((l, k) => [l, k]));
      const codes = new Int32Array(n).fill(-1);
      return {
        set: (i, v) => {
          if (v === null) return null;
          let label: string;
          if (typeof v === 'string') label = v;
          else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') label = String(v);
          else return 'a string';
          let code = index.get(label);
          if (code === undefined) {
            code = dictionary.length;
            index.set(label, code);
            dictionary.push(label);
          }
          codes[i] = code;
          return null;
        },
        build: () => categoryColumn(codes, dictionary),
      };
    }
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Strict ISO 8601 date or date-time; no zone means UTC. NaN when the text is not one or the date is impossible. */
export function parseIsoDateTime(text: string): number {
  const m = ISO.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  const check = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March: refuse instead
  if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) return NaN;
  if (!zone || zone === 'Z') return ms;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
