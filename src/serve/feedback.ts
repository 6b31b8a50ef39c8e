// Feedback: the actual outcome of a logged prediction, sent later (POST /v1/models/{model}/feedback or
// `kiln monitor --labels`). Stored in the feedback table keyed like the prediction log, (request_id, row_index),
// so monitoring joins a label to the prediction it judges. A second label for the same row replaces the first
// (corrections happen); labels may arrive before the prediction's log row is written.
//
// Bodies:  {"request_id": "…", "row_index": 0, "actual": "yes"}            one label (row_index defaults to 0)
//          {"feedback": [{"request_id": "…", "actual": "yes"}, …]}         a batch (up to MAX_FEEDBACK)

import type { Db, SqlValue } from '../core/db/index.js';
import { ValidationError, describeValue, type Issue } from '../core/errors.js';

export interface FeedbackItem {
  requestId: string;
  rowIndex: number;
  /** the class label (classification) or the value (regression) */
  actual: string | number;
}

/** What a label must be: one of the model's classes, or a finite number for a regressor. */
export interface TargetSpec {
  task: 'binary' | 'multiclass' | 'regression';
  classes?: readonly string[];
}

export const MAX_FEEDBACK = 10_000;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ITEM_KEYS = new Set(['request_id', 'row_index', 'actual']);
const HINT = 'send {"request_id": "…", "row_index": 0, "actual": <label>} or {"feedback": [ … ]}; the request id is the one the prediction answered with';

/** Validate a feedback body against the model's target; throws one ValidationError naming every bad field. */
export function feedbackFromBody(body: unknown, target: TargetSpec): FeedbackItem[] {
  const issues: Issue[] = [];
  const items: FeedbackItem[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError('the feedback body must be a JSON object', [{ path: [], expected: 'a JSON object', received: Array.isArray(body) ? 'an array' : describeValue(body) }], { hint: HINT });
  const obj = body as Record<string, unknown>;
  if ('feedback' in obj) {
    const list = obj.feedback;
    const extra = Object.keys(obj).filter((k) => k !== 'feedback');
    if (extra.length) issues.push({ path: [extra[0]], expected: 'only "feedback" next to a batch', received: describeValue(obj[extra[0]]) });
    if (!Array.isArray(list) || list.length === 0) issues.push({ path: ['feedback'], expected: 'a non-empty list of labels', received: describeValue(list) });
    else if (list.length > MAX_FEEDBACK) issues.push({ path: ['feedback'], expected: `at most ${MAX_FEEDBACK} labels per request`, received: `${list.length}` });
    else list.forEach((item, i) => parseItem(item, ['feedback', i], target, issues, items));
  } else parseItem(obj, [], target, issues, items);
  if (issues.length) throw new ValidationError(`the feedback is not valid: ${issueText(issues[0])}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues.slice(0, 100), { hint: HINT });
  return items;
}

function issueText(i: Issue): string {
  return `${i.path.length ? i.path.join('.') : 'body'}: expected ${i.expected}, found ${i.received}`;
}

function parseItem(raw: unknown, path: (string | number)[], target: TargetSpec, issues: Issue[], out: FeedbackItem[]): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({ path, expected: 'an object with request_id and actual', received: describeValue(raw) });
    return;
  }
  const item = raw as Record<string, unknown>;
  const before = issues.length;
  for (const key of Object.keys(item)) if (!ITEM_KEYS.has(key)) issues.push({ path: [...path, key], expected: 'one of request_id, row_index, actual', received: 'an unknown field' });
  const requestId = item.request_id;
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId))
    issues.push({ path: [...path, 'request_id'], expected: 'the request id a prediction answered with (1–128 of A-Z a-z 0-9 . _ : -)', received: describeValue(requestId) });
  const rowIndex = item.row_index ?? 0;
  if (typeof rowIndex !== 'number' || !Number.isInteger(rowIndex) || rowIndex < 0 || rowIndex > 1e9)
    issues.push({ path: [...path, 'row_index'], expected: "the record's 0-based position in its request", received: describeValue(rowIndex) });
  const actual = checkActual(item.actual, [...path, 'actual'], target, issues);
  if (issues.length === before && actual !== null) out.push({ requestId: requestId as string, rowIndex: rowIndex as number, actual });
}

function checkActual(value: unknown, path: (string | number)[], target: TargetSpec, issues: Issue[]): string | number | null {
  if (target.task === 'regression') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    issues.push({ path, expected: 'the actual value, a finite number', received: describeValue(value) });
    return null;
  }
  const classes = target.classes ?? [];
  // a label is matched as its JSON text, as the prediction API matches categories (1 → "1", true → "true")
  const label = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  if (label !== null && classes.includes(label)) return label;
  issues.push({ path, expected: `one of the model's classes (${classes.map((c) => JSON.stringify(c)).join(', ')})`, received: describeValue(value) });
  return null;
}

/** rows per statement: 5 placeholders each, far below both backends' limits */
const ROWS_PER_STATEMENT = 400;

/** Store labels (replacing earlier ones for the same rows), all or none. Returns how many rows were written. */
export async function writeFeedback(db: Db, modelName: string, items: readonly FeedbackItem[], receivedAt = new Date()): Promise<number> {
  // the same row twice in one batch: the last label wins (one statement may not update a row twice)
  const unique = new Map<string, FeedbackItem>();
  for (const item of items) unique.set(`${item.rowIndex}\u0000${item.requestId}`, item);
  const rows = [...unique.values()];
  const at = receivedAt.toISOString();
  await db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const params: SqlValue[] = [];
      const groups = chunk.map((r, i) => {
        params.push(r.requestId, r.rowIndex, modelName, JSON.stringify(r.actual), at);
        return `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`;
      });
      await tx.exec(
        `INSERT INTO feedback (request_id, row_index, model_name, actual, received_at) VALUES ${groups.join(', ')}
         ON CONFLICT (request_id, row_index) DO UPDATE SET model_name = excluded.model_name, actual = excluded.actual, received_at = excluded.received_at`,
        params,
      );
    }
  });
  return rows.length;
}

/** How many of these rows have a prediction of `modelName` in the log (labels for rows it never saw are kept). */
export async function countLogged(db: Db, modelName: string, items: readonly FeedbackItem[]): Promise<number> {
  let found = 0;
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) {
    const chunk = items.slice(start, start + ROWS_PER_STATEMENT);
    const params: SqlValue[] = [modelName];
    const keys = chunk.map((r) => {
      params.push(r.requestId, r.rowIndex);
      return `(request_id = $${params.length - 1} AND row_index = $${params.length})`;
    });
    const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM predictions WHERE model_name = $1 AND (${keys.join(' OR ')})`, params);
    found += Number(rows[0]?.n ?? 0);
  }
  return found;
}
