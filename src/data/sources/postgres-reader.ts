// Reading a PostgreSQL table or query (postgres://… with --table or --query) through `pg`. Rows come through a
// server-side cursor in batches, so a large table never sits in memory as row arrays; numeric and date
// types are parsed straight to numbers instead of pg's default strings.

import { userInfo } from 'node:os';
import pg from 'pg';
import { DataSourceError } from '../../core/errors.js';
import { Frame } from '../../core/frame.js';
import { noBadRows, type RawRead, type ReadOptions } from '../read-options.js';
import { redactSource } from '../source.js';
import { ColumnBuilder } from './column-builder.js';
import { tableQuery } from './sqlite-reader.js';

const BATCH_ROWS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;

// type OIDs from pg_type: int8, int2, int4, oid, float4, float8, numeric; date, timestamp, timestamptz
const NUMBER_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;

const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    if (NUMBER_OIDS.has(oid)) return (text: string) => Number(text);
    // dates and timestamps without zone are read as UTC, so the same table gives the same instants anywhere
    if (oid === DATE_OID) return (text: string) => new Date(`${text}T00:00:00Z`);
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    if (oid === TIMESTAMPTZ_OID) return (text: string) => new Date(text);
    return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};

export async function readPostgres(url: string, options: ReadOptions): Promise<RawRead> {
  const sql = tableQuery(options, 'a PostgreSQL source');
  const where = redactSource(url);
  const client = new pg.Client({ connectionString: withDefaultUser(url), types: typeParsers, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // a dropped connection is reported through the query that fails; this keeps it from crashing the process
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    throw new DataSourceError(`cannot connect to PostgreSQL at ${where}: ${describePgError(e)}`, {
      hint: 'check the server is running and the host, port, user and database in the URL',
    });
  }
  try {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`DECLARE kiln_read NO SCROLL CURSOR FOR ${sql}`);
    } catch (e) {
      throw new DataSourceError(`PostgreSQL rejected the query: ${describePgError(e)}`, {
        hint: options.table ? 'check the table name (and schema, as schema.table)' : 'check the SQL',
      });
    }
    let names: string[] | null = null;
    let builders: ColumnBuilder[] = [];
    const limit = options.limit ?? Infinity;
    let nRows = 0;
    while (nRows < limit) {
      let batch: pg.QueryArrayResult<unknown[]>;
      try {
        batch = await client.query({ text: `FETCH FORWARD ${BATCH_ROWS} FROM kiln_read`, rowMode: 'array' });
      } catch (e) {
        throw new DataSourceError(`PostgreSQL failed while reading: ${describePgError(e)}`);
      }
      if (!names) {
        names = batch.fields.map((f) => f.name);
        builders = names.map(() => new ColumnBuilder());
      }
      for (const row of batch.rows) {
        if (nRows >= limit) break;
        for (let j = 0; j < builders.length; j++) builders[j].push(row[j]);
        nRows++;
      }
      if (batch.rows.length < BATCH_ROWS) break;
    }
    await client.query('COMMIT');
    const frame = Frame.fromColumns(
      (names ?? []).map((n, j) => [n, builders[j].finish()] as const),
      nRows,
    );
    return { frame, report: { notes: [], badRows: noBadRows() } };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Like psql: a URL without a user connects as PGUSER, USER or the login name. Added as a `user=` parameter,
 * since pg lets an empty user in the URL win over a separate option.
 */
export function withDefaultUser(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username || parsed.searchParams.get('user')) return url;
  const login = process.env.PGUSER || process.env.USER || userInfo().username;
  return `${url}${parsed.search ? '&' : '?'}user=${encodeURIComponent(login)}`;
}

function describePgError(e: unknown): string {
  const err = e as { message?: string; code?: string; errors?: { message: string }[] };
  if (err.errors?.length) return err.errors.map((x) => x.message).join('; ');
  return err.message || err.code || String(e);
}
