// Reading a SQLite table or query (sqlite:path.db with --table or --query) through better-sqlite3, streaming
// rows as arrays straight into column builders.

import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DataSourceError } from '../../core/errors.js';
import { Frame } from '../../core/frame.js';
import { noBadRows, type RawRead, type ReadOptions } from '../read-options.js';
import { ColumnBuilder } from './column-builder.js';
import { sqlIdent } from './duckdb-session.js';

export function tableQuery(options: ReadOptions, what: string): string {
  if (options.table && options.query) throw new DataSourceError('give either --table or --query, not both');
  if (options.query) return options.query;
  if (options.table) {
    const parts = options.table.split('.');
    return `SELECT * FROM ${parts.map(sqlIdent).join('.')}`;
  }
  throw new DataSourceError(`${what} needs --table <name> or --query <sql>`, { hint: 'e.g. --table customers' });
}

export function readSqlite(file: string, options: ReadOptions): RawRead {
  if (!existsSync(file)) throw new DataSourceError(`no such SQLite database: ${file}`, { hint: 'check the path after sqlite:' });
  if (statSync(file).size === 0) throw new DataSourceError(`${file} is empty, not a SQLite database`);
  const sql = tableQuery(options, `the SQLite database ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new DataSourceError(`cannot open SQLite database ${file}: ${(e as Error).message}`);
  }
  try {
    let statement: Database.Statement;
    try {
      statement = db.prepare(sql);
    } catch (e) {
      throw new DataSourceError(`SQLite rejected the query: ${(e as Error).message}`, {
        hint: options.table ? `check the table name; tables are: ${listTables(db).join(', ') || '(none)'}` : 'check the SQL',
      });
    }
    if (!statement.reader) throw new DataSourceError('the query returns no rows (it is not a SELECT)');
    const names = statement.columns().map((c) => c.name);
    const builders = names.map(() => new ColumnBuilder());
    const limit = options.limit ?? Infinity;
    let nRows = 0;
    try {
      for (const row of statement.raw(true).iterate() as IterableIterator<unknown[]>) {
        if (nRows >= limit) break;
        for (let j = 0; j < builders.length; j++) builders[j].push(row[j]);
        nRows++;
      }
    } catch (e) {
      throw new DataSourceError(`SQLite failed while reading: ${(e as Error).message}`);
    }
    const frame = Frame.fromColumns(
      names.map((n, j) => [n, builders[j].finish()] as const),
      nRows,
    );
    return { frame, report: { notes: [], badRows: noBadRows() } };
  } finally {
    db.close();
  }
}

function listTables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name").pluck().all() as string[]).slice(0, 20);
}
