// The JSON bodies POST /v1/models/{model}/predict accepts, turned into a list of records:
//   {"tenure": 3, ...}                                   one record
//   {"rows": [{...}, ...]}                               Kiln's batch form
//   {"dataframe_records": [{...}, ...]}                  MLflow
//   {"dataframe_split": {"columns": [...], "data": [[...], ...]}}   MLflow (pandas' split orientation)
//   {"instances": [{...}, ...]}                          TensorFlow Serving / MLflow
// Each form reports problems with paths into the body as sent, e.g. ['rows', 3, 'tenure'].

import { ValidationError, describeValue, type Issue } from '../core/errors.js';

export interface BodyRecords {
  records: unknown[];
  /** prefix of issue paths for record i: [...prefix, i, column]; null for a single record (paths are [column]) */
  prefix: (string | number)[] | null;
}

const BATCH_KEYS = ['rows', 'dataframe_records', 'instances'] as const;
const MAX_ISSUES = 100;

function fail(message: string, issue: Issue): never {
  throw new ValidationError(message, [issue], {
    hint: 'send one record {"column": value, ...}, or {"rows": [...]}, {"dataframe_records": [...]} or {"dataframe_split": {"columns": [...], "data": [[...]]}}',
  });
}

export function recordsFromBody(body: unknown): BodyRecords {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail('the request body must be a JSON object', { path: [], expected: 'a JSON object', received: Array.isArray(body) ? 'an array' : describeValue(body) });
  }
  const obj = body as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const key = keys[0];
    if ((BATCH_KEYS as readonly string[]).includes(key)) {
      const rows = obj[key];
      if (!Array.isArray(rows)) fail(`"${key}" must be a list of records`, { path: [key], expected: 'a list of objects', received: describeValue(rows) });
      if (rows.length === 0) fail(`"${key}" is empty`, { path: [key], expected: 'at least one record', received: 'an empty list' });
      return { records: rows, prefix: [key] };
    }
    if (key === 'dataframe_split') return { records: splitRecords(obj[key]), prefix: ['dataframe_split', 'data'] };
  }
  return { records: [obj], prefix: null };
}

/** pandas' split orientation → records (null-prototype objects, so a column may be called anything). */
function splitRecords(split: unknown): unknown[] {
  const s = split as { columns?: unknown; data?: unknown } | null;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) fail('"dataframe_split" must be an object with "columns" and "data"', { path: ['dataframe_split'], expected: 'an object', received: describeValue(s) });
  const { columns, data } = s;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string'))
    fail('"dataframe_split.columns" must be a list of column names', { path: ['dataframe_split', 'columns'], expected: 'a list of strings', received: describeValue(columns) });
  const names = columns as string[];
  const dup = names.find((c, i) => names.indexOf(c) !== i);
  if (dup !== undefined) fail(`column "${dup}" appears twice in "dataframe_split.columns"`, { path: ['dataframe_split', 'columns'], expected: 'distinct names', received: JSON.stringify(dup) });
  if (!Array.isArray(data)) fail('"dataframe_split.data" must be a list of rows', { path: ['dataframe_split', 'data'], expected: 'a list of lists', received: describeValue(data) });
  if (data.length === 0) fail('"dataframe_split.data" is empty', { path: ['dataframe_split', 'data'], expected: 'at least one row', received: 'an empty list' });
  const issues: Issue[] = [];
  const records = new Array<unknown>(data.length);
  for (let i = 0; i < data.length; i++) {
    const row = data[i] as unknown;
    if (!Array.isArray(row) || row.length !== names.length) {
      if (issues.length < MAX_ISSUES)
        issues.push({ path: ['dataframe_split', 'data', i], expected: `a list of ${names.length} values (one per column)`, received: Array.isArray(row) ? `${row.length} values` : describeValue(row) });
      continue;
    }
    const rec: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (let j = 0; j < names.length; j++) rec[names[j]] = row[j];
    records[i] = rec;
  }
  if (issues.length) throw new ValidationError(`"dataframe_split.data" has ${issues.length} malformed row(s), the first at index ${issues[0].path[2]}`, issues);
  return records;
}

/**
 * Re-express a validation error of records [i][column] in the body's own terms: a single record's paths are
 * just [column]; a batch's are [key, i, column]. The message is rebuilt from the first issue.
 */
export function withBodyPaths(error: ValidationError, prefix: (string | number)[] | null): ValidationError {
  const issues = error.issues.map((issue) => ({ ...issue, path: prefix === null ? issue.path.slice(1) : [...prefix, ...issue.path] }));
  if (!issues.length) return error;
  const first = issues[0];
  const where = first.path.length ? first.path.join('.') : 'the top level';
  const what = first.message ?? `expected ${first.expected}, got ${first.received}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return new ValidationError(`invalid input at ${where}: ${what}${more}`, issues, { hint: 'GET /v1/models/{model} describes the columns the model expects' });
}
