// One short-lived in-memory DuckDB per read: open, run, close. Also the SQL quoting helpers, because file
// paths and column names reach SQL text (table functions take no bound parameters for their options).

import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface DuckSession {
  connection: DuckDBConnection;
  close(): void;
}

export async function openDuckSession(): Promise<DuckSession> {
  // CSV, JSON and Parquet are built into the binding; never let DuckDB fetch an extension from the network
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export async function withDuckSession<T>(work: (session: DuckSession) => Promise<T>): Promise<T> {
  const session = await openDuckSession();
  try {
    return await work(session);
  } finally {
    session.close();
  }
}

/** 'text' as a SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** "name" as a SQL identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The first line of a DuckDB error, without its "Invalid Input Error:" style prefix. */
export function duckMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].replace(/^[A-Za-z ]+Error: /, '').trim();
}
