// Reading JSON arrays, NDJSON and Parquet with DuckDB. Each DuckDB type is projected onto what the Frame
// reader understands: numbers -> DOUBLE, dates and timestamps -> epoch ms, booleans -> 'true'/'false' labels,
// nested values (structs, lists) -> their JSON text, anything else -> text.

import { DataParseError } from '../../core/errors.js';
import type { RawRead, ReadOptions } from '../read-options.js';
import { noBadRows } from '../read-options.js';
import { type ResultColumnKind, resultToFrame, selectWithLabelHashes } from './duckdb-frame.js';
import { duckMessage, sqlIdent, sqlString, withDuckSession } from './duckdb-session.js';
import type { FileSample } from './file-sample.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const DATES = /^(DATE|TIMESTAMP.*)$/;

/** How one DuckDB column reaches the Frame: the SQL expression and the kind it arrives as. */
export function projectColumn(name: string, duckType: string): { sql: string; kind: ResultColumnKind } {
  const id = sqlIdent(name);
  if (NUMERIC.test(duckType)) return { sql: `CAST(${id} AS DOUBLE)`, kind: 'number' };
  if (DATES.test(duckType)) {
    const asTimestamp = duckType === 'DATE' ? `CAST(${id} AS TIMESTAMP)` : id;
    return { sql: `CAST(epoch_ms(${asTimestamp}) AS DOUBLE)`, kind: 'datetime' };
  }
  if (duckType === 'BOOLEAN') return { sql: `CASE WHEN ${id} IS NULL THEN NULL WHEN ${id} THEN 'true' ELSE 'false' END`, kind: 'category' };
  if (duckType === 'VARCHAR') return { sql: id, kind: 'category' };
  if (/STRUCT|MAP|\[\]|LIST|JSON|UNION/.test(duckType)) return { sql: `CAST(to_json(${id}) AS VARCHAR)`, kind: 'category' };
  return { sql: `CAST(${id} AS VARCHAR)`, kind: 'category' };
}

/** Read a JSON, NDJSON or Parquet file into a raw Frame. */
export async function readDuckFile(file: string, sample: FileSample, options: ReadOptions): Promise<RawRead> {
  const compression = sample.gzip ? ", compression='gzip'" : '';
  let from: string;
  switch (sample.format) {
    case 'json':
      from = `read_json(${sqlString(file)}, format='array'${compression})`;
      break;
    case 'ndjson':
      from = `read_json(${sqlString(file)}, format='newline_delimited'${compression})`;
      break;
    case 'parquet':
      from = `read_parquet(${sqlString(file)})`;
      break;
    default:
      throw new DataParseError(file, `not a DuckDB file format: ${sample.format}`);
  }
  return withDuckSession(async (session) => {
    let described: { name: string; type: string }[];
    try {
      const d = await session.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
      described = d.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    } catch (e) {
      throw new DataParseError(file, `cannot read it as ${sample.format.toUpperCase()}: ${duckMessage(e)}`, {
        hint: sample.format === 'parquet' ? 'check the file is complete' : 'check it is a JSON array of objects or one JSON object per line; --format csv if it is delimited text',
        cause: e,
      });
    }
    const projected = described.map((c) => projectColumn(c.name, c.type));
    const limit = options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : '';
    try {
      // materialised, not streamed: a stream that fails part-way just ends early without an error
      const select = selectWithLabelHashes(
        projected.map((p) => p.sql),
        projected.map((p) => p.kind),
      );
      const result = await session.connection.run(`SELECT ${select} FROM ${from}${limit}`);
      const names = options.columns?.length === described.length ? options.columns : described.map((c) => c.name);
      const frame = await resultToFrame(result, names, projected.map((p) => p.kind), { expectedRows: result.rowCount });
      return { frame, report: { format: sample.format, gzip: sample.gzip, notes: [], badRows: noBadRows() } };
    } catch (e) {
      throw new DataParseError(file, duckMessage(e), { cause: e });
    }
  });
}
