// Helpers shared by both backends: placeholder translation for SQLite, and the guard that stops code inside a
// transaction from using the outer handle by mistake.

import { AsyncLocalStorage } from 'node:async_hooks';

/** SQL with anonymous `?` placeholders, and for each `?` the 0-based index of the parameter it takes. */
export interface SqliteStatementText {
  sql: string;
  /** null when the k-th `?` takes parameter k (no reordering needed) */
  order: number[] | null;
}

const translated = new Map<string, SqliteStatementText>();
const MAX_CACHED = 500;

/**
 * Rewrite PostgreSQL placeholders ($1, $2 …) as anonymous `?` plus the parameter order, so `$2 … $1 … $2`
 * binds [p2, p1, p2]. (better-sqlite3 reads SQLite's own ?1 as a named parameter, so those cannot be used.)
 * Text inside quotes and comments is left alone. Results are cached per SQL string.
 */
export function toSqlitePlaceholders(sql: string): SqliteStatementText {
  const hit = translated.get(sql);
  if (hit !== undefined) return hit;
  let out = '';
  const order: number[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      // a quoted string or identifier; a doubled quote is an escaped quote and simply re-enters the loop
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? n : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '$' && i + 1 < n && sql.charCodeAt(i + 1) >= 48 && sql.charCodeAt(i + 1) <= 57) {
      let j = i + 1;
      while (j < n && sql.charCodeAt(j) >= 48 && sql.charCodeAt(j) <= 57) j++;
      order.push(Number(sql.slice(i + 1, j)) - 1);
      out += '?';
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  const result = { sql: out, order: order.every((p, k) => p === k) ? null : order };
  if (translated.size >= MAX_CACHED) translated.clear();
  translated.set(sql, result);
  return result;
}

/** The transactions open in the current async context; a token is closed when its transaction ends, so work
 *  started inside a transaction that outlives it (a timer, say) may use the outer handle afterwards. */
interface TransactionToken {
  readonly owner: object;
  open: boolean;
}
const insideTransaction = new AsyncLocalStorage<readonly TransactionToken[]>();

export async function runInTransactionScope<T>(owner: object, fn: () => Promise<T>): Promise<T> {
  const token: TransactionToken = { owner, open: true };
  try {
    return await insideTransaction.run([...(insideTransaction.getStore() ?? []), token], fn);
  } finally {
    token.open = false;
  }
}

/** Throw when the outer handle is used inside its own transaction (see Db.transaction). */
export function assertNotInOwnTransaction(owner: object): void {
  const tokens = insideTransaction.getStore();
  if (tokens?.some((t) => t.open && t.owner === owner)) {
    throw new Error('a query used the outer database handle inside its own transaction; use the `tx` handle passed to the callback');
  }
}

/** True for a unique or primary-key violation on either backend (for insert-or-detect-duplicate code). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
