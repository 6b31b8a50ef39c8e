// Reading the prediction log back (for monitoring, step 6, and for tests): rows of the predictions table with
// their JSON columns parsed, filtered by model, version and time, oldest first; optionally with the label sent
// as feedback for each row (a left join on the shared key).

import type { Db, SqlValue } from '../core/db/index.js';
import { validateModelName } from '../registry/index.js';

export interface LoggedPrediction {
  requestId: string;
  rowIndex: number;
  modelName: string;
  modelVersion: number;
  /** ISO-8601 UTC */
  createdAt: string;
  latencyMs: number;
  inputs: Record<string, unknown>;
  prediction: string | number;
  score: number | null;
  probabilities: Record<string, number> | null;
  source: string;
  /** withFeedback: the actual outcome sent for this row, null while none has arrived */
  actual?: string | number | null;
}

export interface PredictionQuery {
  model?: string;
  version?: number;
  /** ISO-8601 lower bound, inclusive */
  since?: string;
  /** ISO-8601 upper bound, exclusive */
  until?: string;
  requestId?: string;
  /** default 10 000 */
  limit?: number;
  /** keep the newest `limit` rows instead of the oldest (still returned oldest first): "the last N rows" */
  newest?: boolean;
  /** join the feedback table: each row gets `actual` */
  withFeedback?: boolean;
}

interface Row {
  request_id: string;
  row_index: number;
  model_name: string;
  model_version: number;
  created_at: string;
  latency_ms: number;
  inputs: string;
  prediction: string;
  score: number | null;
  probabilities: string | null;
  source: string;
  actual?: string | null;
}

export async function readPredictions(db: Db, query: PredictionQuery = {}): Promise<LoggedPrediction[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, value: SqlValue): void => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.model !== undefined) add('p.model_name = ?', validateModelName(query.model));
  if (query.version !== undefined) add('p.model_version = ?', query.version);
  if (query.since !== undefined) add('p.created_at >= ?', query.since);
  if (query.until !== undefined) add('p.created_at < ?', query.until);
  if (query.requestId !== undefined) add('p.request_id = ?', query.requestId);
  params.push(Math.max(0, Math.floor(query.limit ?? 10_000)));
  const order = query.newest ? 'DESC' : 'ASC';
  const join = query.withFeedback ? 'LEFT JOIN feedback f ON f.request_id = p.request_id AND f.row_index = p.row_index' : '';
  const rows = await db.query<Row>(
    `SELECT p.request_id, p.row_index, p.model_name, p.model_version, p.created_at, p.latency_ms, p.inputs, p.prediction, p.score, p.probabilities, p.source${query.withFeedback ? ', f.actual' : ''}
     FROM predictions p ${join} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY p.created_at ${order}, p.request_id ${order}, p.row_index ${order} LIMIT $${params.length}`,
    params,
  );
  if (query.newest) rows.reverse();
  return rows.map((r) => ({
    requestId: r.request_id,
    rowIndex: Number(r.row_index),
    modelName: r.model_name,
    modelVersion: Number(r.model_version),
    createdAt: r.created_at,
    latencyMs: Number(r.latency_ms),
    inputs: JSON.parse(r.inputs) as Record<string, unknown>,
    prediction: JSON.parse(r.prediction) as string | number,
    score: r.score === null ? null : Number(r.score),
    probabilities: r.probabilities === null ? null : (JSON.parse(r.probabilities) as Record<string, number>),
    source: r.source,
    ...(query.withFeedback ? { actual: r.actual === null || r.actual === undefined ? null : (JSON.parse(r.actual) as string | number) } : {}),
  }));
}
