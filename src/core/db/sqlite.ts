// The SQLite backend (better-sqlite3): one connection per process, WAL journal so readers never block the writer,
// synchronous=FULL so a committed transaction survives a power cut, and a busy timeout so two processes queue.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DataSourceError, KilnError } from '../errors.js';
import type { Db, Row, SqlValue } from './db.js';
import { assertNotInOwnTransaction, runInTransactionScope, toSqlitePlaceholders } from './sql.js';

type Raw = BetterSqlite3.Database;
interface Prepared {
  stmt: BetterSqlite3.Statement<unknown[], unknown>;
  order: number[] | null;
}

export interface SqliteOptions {
  /** how long a statement waits for another process's write lock before failing; default 10 000 ms */
  busyTimeoutMs?: number;
}

/**
 * Connections shared by every handle opened on the same file in this process. Two connections of one process
 * must not both write: the second would spin in its busy timeout, blocking the event loop that the first needs
 * to finish, so handles share one connection and one transaction queue instead.
 */
const shared = new Map<string, Shared>();

export async function openSqlite(file: string, options: SqliteOptions = {}): Promise<Db> {
  const memory = file === ':memory:';
  const key = memory ? '' : path.resolve(file);
  const existing = memory ? undefined : shared.get(key);
  if (existing) {
    existing.refs++;
    return new SqliteDb(existing, file);
  }
  // imported here so that nothing loads the native module unless SQLite is actually used
  const { default: Database } = await import('better-sqlite3');
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  if (!memory) await fs.mkdir(path.dirname(key), { recursive: true });
  // another handle may have opened the file while this one awaited
  const raced = memory ? undefined : shared.get(key);
  if (raced) {
    raced.refs++;
    return new SqliteDb(raced, file);
  }
  let raw: Raw | undefined;
  try {
    raw = new Database(file, { timeout: busyTimeoutMs });
    raw.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!memory) raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
  } catch (e) {
    raw?.close();
    throw new DataSourceError(`cannot open the SQLite database ${file}: ${(e as Error).message}`, {
      hint: 'check that the path is a Kiln database (or does not exist yet) and that the folder is writable',
      status: 503,
      cause: e,
    });
  }
  const state: Shared = { conn: new Connection(raw), lock: new Mutex(), refs: 1, key };
  if (!memory) shared.set(key, state);
  return new SqliteDb(state, file);
}

/**
 * Parameters in `?` order (see toSqlitePlaceholders), converted to what better-sqlite3 takes: Buffers, numbers,
 * bigints, strings and null.
 */
function bind(params: readonly SqlValue[] | undefined, order: number[] | null): unknown[] {
  if (!params) return [];
  const n = order ? order.length : params.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = order ? params[order[i]] : params[i];
    if (v === undefined) out[i] = null;
    else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
    else if (v instanceof Uint8Array && !Buffer.isBuffer(v)) out[i] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    else out[i] = v;
  }
  return out;
}

/** A busy timeout that ran out is a conflict the user can act on, not an internal failure. */
function translateError(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new KilnError('E_CONFLICT', 'the SQLite database is locked by another process', {
      hint: 'another kiln command is writing; try again when it has finished',
      status: 503,
      cause: e,
    });
  }
  return e;
}

const MAX_STATEMENTS = 200;

/** State shared by the outer handle and its transaction handles. */
class Connection {
  private statements = new Map<string, Prepared>();
  closed = false;

  constructor(readonly raw: Raw) {}

  private prepare(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      const text = toSqlitePlaceholders(sql);
      prepared = { stmt: this.raw.prepare(text.sql), order: text.order };
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  query<T>(sql: string, params?: readonly SqlValue[]): T[] {
    if (this.closed) throw new Error('the database is closed');
    try {
      const { stmt, order } = this.prepare(sql);
      if (stmt.reader) return stmt.all(...bind(params, order)) as T[];
      stmt.run(...bind(params, order));
      return [];
    } catch (e) {
      throw translateError(e);
    }
  }

  exec(sql: string, params?: readonly SqlValue[]): number {
    if (this.closed) throw new Error('the database is closed');
    try {
      const { stmt, order } = this.prepare(sql);
      if (stmt.reader) return stmt.all(...bind(params, order)).length;
      return stmt.run(...bind(params, order)).changes;
    } catch (e) {
      throw translateError(e);
    }
  }

  script(sql: string): void {
    if (this.closed) throw new Error('the database is closed');
    try {
      this.raw.exec(sql);
    } catch (e) {
      throw translateError(e);
    }
  }
}

/** A queue that lets one async holder at a time through; `waiting` counts holders running or queued. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  waiting = 0;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.waiting++;
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      return await fn();
    } finally {
      this.waiting--;
      release();
    }
  }
}

interface Shared {
  conn: Connection;
  /** held by a transaction from BEGIN to COMMIT/ROLLBACK; plain statements wait only while it is taken */
  lock: Mutex;
  /** open handles on this connection */
  refs: number;
  /** the key in `shared` ('' for :memory:, which is never shared) */
  key: string;
}

class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private closed = false;

  constructor(
    private readonly state: Shared,
    readonly location: string,
  ) {}

  /** Run now when no transaction is open or queued (the common case), else after them, in order. */
  private run<T>(work: (conn: Connection) => T): Promise<T> {
    // the guard is keyed by the shared connection: a sibling handle would wait for this transaction too
    assertNotInOwnTransaction(this.state);
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const { conn, lock } = this.state;
    if (lock.waiting === 0) {
      try {
        return Promise.resolve(work(conn));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return lock.run(async () => work(conn));
  }

  query<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.run((conn) => conn.query<T>(sql, params));
  }

  exec(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.run((conn) => conn.exec(sql, params));
  }

  script(sql: string): Promise<void> {
    return this.run((conn) => conn.script(sql));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    assertNotInOwnTransaction(this.state);
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const { conn, lock } = this.state;
    return lock.run(async () => {
      conn.script('BEGIN IMMEDIATE');
      const tx = new SqliteTx(conn, this.location);
      try {
        const result = await runInTransactionScope(this.state, () => fn(tx));
        tx.finished = true;
        conn.script('COMMIT');
        return result;
      } catch (e) {
        tx.finished = true;
        if (conn.raw.inTransaction) conn.raw.exec('ROLLBACK');
        throw e;
      }
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    assertNotInOwnTransaction(this.state);
    this.closed = true;
    const state = this.state;
    return state.lock.run(async () => {
      if (--state.refs > 0) return;
      if (shared.get(state.key) === state) shared.delete(state.key);
      state.conn.closed = true;
      state.conn.raw.close();
    });
  }
}

/** The handle given to a transaction callback; nested transactions become savepoints, one at a time. */
class SqliteTx implements Db {
  readonly dialect = 'sqlite' as const;
  finished = false;
  private readonly nested = new Mutex();

  constructor(
    private readonly conn: Connection,
    readonly location: string,
    private readonly depth = 0,
  ) {}

  private check(): void {
    if (this.finished) throw new Error('this transaction has already finished; its handle cannot be used any more');
  }

  async query<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    this.check();
    return this.conn.query<T>(sql, params);
  }

  async exec(sql: string, params?: readonly SqlValue[]): Promise<number> {
    this.check();
    return this.conn.exec(sql, params);
  }

  async script(sql: string): Promise<void> {
    this.check();
    this.conn.script(sql);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.check();
    return this.nested.run(async () => {
      const name = `kiln_sp_${this.depth + 1}`;
      const inner = new SqliteTx(this.conn, this.location, this.depth + 1);
      this.conn.script(`SAVEPOINT ${name}`);
      try {
        const result = await fn(inner);
        inner.finished = true;
        this.conn.script(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (e) {
        inner.finished = true;
        this.conn.script(`ROLLBACK TO SAVEPOINT ${name}`);
        this.conn.script(`RELEASE SAVEPOINT ${name}`);
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    throw new Error('close the database, not a transaction handle');
  }
}
