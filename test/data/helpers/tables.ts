// Test helpers that store a Frame as a database table (SQLite file, PostgreSQL table), so readers can be
// checked against the same data from every source. Numbers as REAL/double precision, everything else as text.

import Database from 'better-sqlite3';
import type pg from 'pg';
import { type Column, type Frame, valueAt } from '../../../src/core/frame.js';
import { formatDate } from '../../../src/data/coerce.js';

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const isNumeric = (c: Column) => c.kind === 'number';

function cell(column: Column, row: number): string | number | null {
  const v = valueAt(column, row);
  if (v === null) return null;
  return column.kind === 'datetime' ? formatDate(v as number) : v;
}

export function frameToSqlite(frame: Frame, file: string, table: string): void {
  const db = new Database(file);
  try {
    const cols = frame.names.map((n) => frame.column(n));
    db.exec(`CREATE TABLE ${ident(table)} (${frame.names.map((n, j) => `${ident(n)} ${isNumeric(cols[j]) ? 'REAL' : 'TEXT'}`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO ${ident(table)} VALUES (${frame.names.map(() => '?').join(', ')})`);
    db.transaction(() => {
      for (let i = 0; i < frame.nRows; i++) insert.run(cols.map((c) => cell(c, i)));
    })();
  } finally {
    db.close();
  }
}

/** One INSERT … SELECT FROM unnest(column arrays): the whole frame in a single statement. */
export async function frameToPostgres(client: pg.Client, frame: Frame, table: string): Promise<void> {
  const cols = frame.names.map((n) => frame.column(n));
  await client.query(`CREATE TABLE ${ident(table)} (${frame.names.map((n, j) => `${ident(n)} ${isNumeric(cols[j]) ? 'double precision' : 'text'}`).join(', ')})`);
  const params = cols.map((c) => Array.from({ length: frame.nRows }, (_, i) => cell(c, i)));
  const casts = cols.map((c, j) => `$${j + 1}::${isNumeric(c) ? 'float8' : 'text'}[]`);
  await client.query(`INSERT INTO ${ident(table)} SELECT * FROM unnest(${casts.join(', ')})`, params);
}
