// Writing a Frame as Parquet through DuckDB: the columns are appended chunk by chunk into an in-memory
// table (numbers as DOUBLE, dates as epoch ms then TIMESTAMP, labels and text as VARCHAR), then COPY writes
// the file to a temporary path that is renamed into place.

import { DOUBLE, DuckDBDataChunk, type DuckDBValue, VARCHAR } from '@duckdb/node-api';
import { withAtomicPath } from '../../core/atomic-file.js';
import type { Column, Frame } from '../../core/frame.js';
import { sqlIdent, sqlString, withDuckSession } from '../sources/duckdb-session.js';

const CHUNK_ROWS = 2048; // DuckDB's vector size

export async function writeParquet(frame: Frame, target: string): Promise<void> {
  await withDuckSession(async ({ connection }) => {
    const defs = frame.names.map((n, j) => `${sqlIdent(`c${j}`)} ${frame.column(n).kind === 'category' || frame.column(n).kind === 'text' ? 'VARCHAR' : 'DOUBLE'}`);
    await connection.run(`CREATE TABLE out (${defs.join(', ')})`);
    const appender = await connection.createAppender('out');
    const columns = frame.names.map((n) => frame.column(n));
    const types = columns.map((c) => (c.kind === 'category' || c.kind === 'text' ? VARCHAR : DOUBLE));
    for (let start = 0; start < frame.nRows; start += CHUNK_ROWS) {
      const end = Math.min(frame.nRows, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, end - start);
      columns.forEach((col, j) => chunk.setColumnValues(j, slice(col, start, end)));
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    const projection = frame.names.map((n, j) => {
      const id = sqlIdent(`c${j}`);
      const value = frame.column(n).kind === 'datetime' ? `epoch_ms(CAST(${id} AS BIGINT))` : id;
      return `${value} AS ${sqlIdent(n)}`;
    });
    await withAtomicPath(target, async (tmp) => {
      await connection.run(`COPY (SELECT ${projection.join(', ')} FROM out) TO ${sqlString(tmp)} (FORMAT parquet)`);
    });
  });
}

function slice(col: Column, start: number, end: number): DuckDBValue[] {
  const out = new Array<DuckDBValue>(end - start);
  switch (col.kind) {
    case 'number':
    case 'datetime':
      for (let i = start; i < end; i++) out[i - start] = Number.isNaN(col.values[i]) ? null : col.values[i];
      break;
    case 'category':
      for (let i = start; i < end; i++) out[i - start] = col.codes[i] < 0 ? null : col.dictionary[col.codes[i]];
      break;
    case 'text':
      for (let i = start; i < end; i++) out[i - start] = col.values[i];
      break;
  }
  return out;
}
