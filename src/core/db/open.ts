// Choosing and opening the database: `.kiln/kiln.db` (SQLite) in the project folder by default, PostgreSQL when
// KILN_DATABASE_URL (or the url argument) says postgres://…. Drivers are imported only when used.

import path from 'node:path';
import { DataSourceError } from '../errors.js';
import type { Db, Dialect } from './db.js';

export interface OpenDbOptions {
  /** the project folder holding `.kiln/`; default: the current working directory */
  projectDir?: string;
  /** the environment to read KILN_DATABASE_URL from; default: process.env */
  env?: NodeJS.ProcessEnv;
}

export interface DbTarget {
  dialect: Dialect;
  /** a file path or ':memory:' for SQLite, the connection URL for PostgreSQL */
  target: string;
}

/** The default SQLite file for a project. */
export function defaultDbPath(projectDir: string = process.cwd()): string {
  return path.join(path.resolve(projectDir), '.kiln', 'kiln.db');
}

/**
 * Decide which database a URL names. Accepted forms:
 *   (none)                            KILN_DATABASE_URL, else <projectDir>/.kiln/kiln.db
 *   postgres://… / postgresql://…     PostgreSQL (TCP, or a socket folder with ?host=/path)
 *   sqlite:///abs/file.db, sqlite:rel/file.db, sqlite::memory:, file:…, :memory:, a plain path   SQLite
 */
export function resolveDbTarget(url?: string, options: OpenDbOptions = {}): DbTarget {
  const env = options.env ?? process.env;
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const chosen = url ?? (env.KILN_DATABASE_URL?.trim() || undefined);
  if (chosen === undefined) return { dialect: 'sqlite', target: defaultDbPath(projectDir) };
  if (/^postgres(ql)?:\/\//i.test(chosen)) return { dialect: 'postgres', target: chosen };
  if (chosen === ':memory:') return { dialect: 'sqlite', target: ':memory:' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(chosen);
  // a Windows drive letter (C:\…) is a path, not a scheme
  if (scheme && !/^[a-z]:[\\/]/i.test(chosen)) {
    const name = scheme[1].toLowerCase();
    if (name !== 'sqlite' && name !== 'file') {
      throw new DataSourceError(`database URL scheme "${name}:" is not supported`, {
        hint: 'use postgres://… for PostgreSQL, or a file path (or sqlite:path) for SQLite',
      });
    }
    let rest = chosen.slice(scheme[0].length);
    if (rest === ':memory:') return { dialect: 'sqlite', target: ':memory:' };
    // sqlite:///abs → /abs; sqlite://rel is read as rel
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (!rest) throw new DataSourceError(`database URL "${chosen}" names no file`, { hint: 'e.g. sqlite:.kiln/kiln.db' });
    return { dialect: 'sqlite', target: path.resolve(projectDir, decodeURIComponent(rest)) };
  }
  return { dialect: 'sqlite', target: path.resolve(projectDir, chosen) };
}

/** Open the project's database (see resolveDbTarget for the URL forms). The caller closes it. */
export async function openDb(url?: string, options: OpenDbOptions = {}): Promise<Db> {
  const { dialect, target } = resolveDbTarget(url, options);
  if (dialect === 'postgres') {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(target);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(target);
}
