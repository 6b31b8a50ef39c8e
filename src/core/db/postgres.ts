// The PostgreSQL backend (pg): a connection pool for plain statements; a transaction holds one pooled connection
// from BEGIN to COMMIT. URLs may use TCP (postgres://user@host:5432/db) or a Unix socket
// (postgres:///db?host=/var/run/postgresql). Kiln's own `schema=name` parameter puts every table in that schema.

import { userInfo } from 'node:os';
import type pg from 'pg';
import { DataSourceError } from '../errors.js';
import type { Db, Row, SqlValue } from './db.js';
import { assertNotInOwnTransaction, runInTransactionScope } from './sql.js';

export interface PostgresOptions {
  /** connections in the pool; default 10 */
  maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** type ids whose default text form is a string: int8 (BIGINT, COUNT) and numeric (SUM of integers) */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Split Kiln's `schema` parameter off a URL and describe the URL without its password. */
export function parsePostgresUrl(url: string): { connectionString: string; schema?: string; location: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new DataSourceError(`the PostgreSQL URL is malformed`, { hint: 'use postgres://user@host:5432/db or postgres:///db?host=/socket/dir', cause: e });
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new DataSourceError(`schema "${schema}" in the PostgreSQL URL is not a plain lower-case name`, {
      hint: 'use letters, digits and _ only, starting with a letter or _',
    });
  }
  // edit the query string by hand so the rest of the URL stays exactly as written
  const [base, query = ''] = url.split(/\?(.*)/s, 2);
  const keep = (drop: string[]) => query.split('&').filter((p) => p && !drop.includes(decodeURIComponent(p.split('=')[0])));
  const join = (params: string[]) => (params.length ? `${base}?${params.join('&')}` : base);
  const connectionString = join(keep(['schema']));
  const location = join(keep(['schema', 'password'])).replace(/^(\w+:\/\/[^:/@]*):[^@/]*@/, '$1:***@');
  return { connectionString, schema, location };
}

/**
 * pg takes the user from the URL, PGUSER or USER; when none is set (USER is often unset in services and
 * containers) add the login name as psql would, as a `user=` parameter since an empty URL user wins over options.
 */
function withDefaultUser(connectionString: string): string {
  const parsed = new URL(connectionString);
  if (parsed.username || parsed.searchParams.get('user') || process.env.PGUSER || process.env.USER) return connectionString;
  let login: string;
  try {
    login = userInfo().username;
  } catch {
    return connectionString;
  }
  return `${connectionString}${parsed.search ? '&' : '?'}user=${encodeURIComponent(login)}`;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  // imported here so that nothing loads the driver unless PostgreSQL is actually used
  const { default: pgModule } = await import('pg');
  const { connectionString, schema, location } = parsePostgresUrl(url);
  const toNumber = (text: string): number => Number(text);
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      (oid === INT8_OID || oid === NUMERIC_OID) && format !== 'binary'
        ? toNumber
        : pgModule.types.getTypeParser(oid, format as 'text')) as typeof pgModule.types.getTypeParser,
  };
  const pool = new pgModule.Pool({
    connectionString: withDefaultUser(connectionString),
    types,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 15_000,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  // a pooled connection that dies while idle (server restart) is replaced by the pool; without a listener the
  // 'error' event would crash the process
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (e) {
      // two processes creating the same schema at once: the loser sees a unique violation, and the schema exists
      if ((e as { code?: string }).code !== '23505') throw e;
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new DataSourceError(`cannot connect to PostgreSQL at ${location}: ${(e as Error).message}`, {
      hint: 'check KILN_DATABASE_URL and that the server is running and accepts this user',
      status: 503,
      cause: e,
    });
  }
  return new PostgresDb(pool, location);
}

function bind(params: readonly SqlValue[] | undefined): unknown[] | undefined {
  if (!params || params.length === 0) return undefined;
  const out = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (v === undefined) out[i] = null;
    // booleans as 1/0, as on SQLite, so the same INTEGER column works on both
    else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
    else if (typeof v === 'bigint') out[i] = v.toString();
    else if (v instanceof Uint8Array && !Buffer.isBuffer(v)) out[i] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    else out[i] = v;
  }
  return out;
}

class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  private check(): void {
    assertNotInOwnTransaction(this);
    if (this.closed) throw new Error('the database is closed');
  }

  async query<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    this.check();
    return (await this.pool.query(sql, bind(params))).rows as T[];
  }

  async exec(sql: string, params?: readonly SqlValue[]): Promise<number> {
    this.check();
    return (await this.pool.query(sql, bind(params))).rowCount ?? 0;
  }

  async script(sql: string): Promise<void> {
    this.check();
    // without parameters pg uses the simple protocol, which accepts several statements
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.check();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const tx = new PostgresTx(client, this.location);
      try {
        const result = await runInTransactionScope(this, () => fn(tx));
        tx.finished = true;
        await client.query('COMMIT');
        return result;
      } catch (e) {
        tx.finished = true;
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw e;
      }
    } finally {
      // a connection whose rollback failed is in an unknown state: destroy it rather than reuse it
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

class PostgresTx implements Db {
  readonly dialect = 'postgres' as const;
  finished = false;
  private savepoints: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.PoolClient,
    readonly location: string,
    private readonly depth = 0,
  ) {}

  private check(): void {
    if (this.finished) throw new Error('this transaction has already finished; its handle cannot be used any more');
  }

  async query<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    this.check();
    return (await this.client.query(sql, bind(params))).rows as T[];
  }

  async exec(sql: string, params?: readonly SqlValue[]): Promise<number> {
    this.check();
    return (await this.client.query(sql, bind(params))).rowCount ?? 0;
  }

  async script(sql: string): Promise<void> {
    this.check();
    await this.client.query(sql);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.check();
    // sibling savepoints run one after another, as on SQLite
    const run = async (): Promise<T> => {
      const name = `kiln_sp_${this.depth + 1}`;
      const inner = new PostgresTx(this.client, this.location, this.depth + 1);
      await this.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(inner);
        inner.finished = true;
        await this.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (e) {
        inner.finished = true;
        await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await this.client.query(`RELEASE SAVEPOINT ${name}`);
        throw e;
      }
    };
    const result = this.savepoints.then(run, run);
    this.savepoints = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    throw new Error('close the database, not a transaction handle');
  }
}
