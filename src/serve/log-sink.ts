// Where prediction-log rows are written: the predictions table, through a Db handle, one transaction per batch.
// Rows arrive as flat parameter lists (PREDICTION_COLUMNS per row) so that they can cross to a worker thread as
// plain values.

import type { Db, SqlValue } from '../core/db/index.js';

export const PREDICTION_COLUMNS = [
  'request_id',
  'row_index',
  'model_name',
  'model_version',
  'created_at',
  'latency_ms',
  'inputs',
  'prediction',
  'score',
  'probabilities',
  'source',
] as const;

export interface LogSink {
  /** Write `nRows` rows whose values are `params` (PREDICTION_COLUMNS.length per row), all or none. */
  write(params: readonly SqlValue[], nRows: number): Promise<void>;
  close(): Promise<void>;
}

/** rows per INSERT: 11 placeholders each stays far below SQLite's and PostgreSQL's parameter limits */
const ROWS_PER_STATEMENT = 300;
const statementCache = new Map<number, string>();

function insertSql(nRows: number): string {
  let sql = statementCache.get(nRows);
  if (sql) return sql;
  const n = PREDICTION_COLUMNS.length;
  const groups: string[] = [];
  for (let r = 0; r < nRows; r++) groups.push(`(${PREDICTION_COLUMNS.map((_, c) => `$${r * n + c + 1}`).join(', ')})`);
  // a client-chosen request id sent twice must not fail the whole batch
  sql = `INSERT INTO predictions (${PREDICTION_COLUMNS.join(', ')}) VALUES ${groups.join(', ')} ON CONFLICT (request_id, row_index) DO NOTHING`;
  statementCache.set(nRows, sql);
  return sql;
}

/** Rows written through a database handle (PostgreSQL: asynchronous, so the event loop keeps serving). */
export class DbLogSink implements LogSink {
  constructor(
    private readonly db: Db,
    private readonly ownsDb = false,
  ) {}

  async write(params: readonly SqlValue[], nRows: number): Promise<void> {
    const n = PREDICTION_COLUMNS.length;
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < nRows; start += ROWS_PER_STATEMENT) {
        const count = Math.min(ROWS_PER_STATEMENT, nRows - start);
        await tx.exec(insertSql(count), params.slice(start * n, (start + count) * n));
      }
    });
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }
}
