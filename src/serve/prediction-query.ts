// Reading the prediction log back (for monitoring, step 6, and for tests): rows of the predictions table with
// their JSON columns parsed, filtered by model, version and time, oldest first.

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
}

export async function readPredictions(db: Db, query: PredictionQuery = {}): Promise<LoggedPrediction[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, value: SqlValue): void => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.model !== undefined) add('model_name = ?', validateModelName(query.model));
  if (query.version !== undefined) add('model_version = ?', query.version);
  if (query.since !== undefined) add('created_at >= ?', query.since);
  if (query.until !== undefined) add('created_at < ?', query.until);
  if (query.requestId !== undefined) add('request_id = ?', query.requestId);
  params.push(Math.max(0, Math.floor(query.limit ?? 10_000)));
  const rows = await db.query<Row>(
    `SELECT request_id, row_index, model_name, model_version, created_at, latency_ms, inputs, prediction, score, probabilities, source
     FROM predictions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, request_id, row_index LIMIT $${params.length}`,
    params,
  );
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
  }));
}
