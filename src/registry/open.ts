// Opening the registry: picks the database (core/db openDb rules) and where artifact bytes go, then brings the
// registry tables up to date.
//   artifacts  KILN_ARTIFACTS=db          in the database (default on PostgreSQL: every machine sees them)
//              KILN_ARTIFACTS=<folder>    files in that folder (relative to the project folder)
//              (unset, SQLite)            files in `artifacts/` beside the database file, i.e. .kiln/artifacts/

import path from 'node:path';
import { migrate, openDb, type Db } from '../core/db/index.js';
import { REGISTRY_LAYER, registryMigrations } from './schema.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './types.js';

export interface OpenRegistryOptions {
  /** database URL (see core/db openDb); default KILN_DATABASE_URL, else <projectDir>/.kiln/kiln.db */
  url?: string;
  /** use this open Db instead (the store will not close it) */
  db?: Db;
  /** the project folder; default: the current working directory */
  projectDir?: string;
  /** 'db', or a folder for artifact files; default KILN_ARTIFACTS, else as described at the top of this file */
  artifacts?: 'db' | { dir: string };
  /** where to read KILN_DATABASE_URL and KILN_ARTIFACTS; default process.env */
  env?: NodeJS.ProcessEnv;
}

function artifactPlacement(options: OpenRegistryOptions, db: Db): { writeTo: 'file' | 'db'; artifactsDir: string } {
  const env = options.env ?? process.env;
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const defaultDir =
    db.dialect === 'sqlite' && db.location !== ':memory:'
      ? path.join(path.dirname(path.resolve(projectDir, db.location)), 'artifacts')
      : path.join(projectDir, '.kiln', 'artifacts');
  const setting = options.artifacts ?? (env.KILN_ARTIFACTS?.trim() || undefined);
  if (setting === 'db') return { writeTo: 'db', artifactsDir: defaultDir };
  if (typeof setting === 'object') return { writeTo: 'file', artifactsDir: path.resolve(projectDir, setting.dir) };
  if (typeof setting === 'string') return { writeTo: 'file', artifactsDir: path.resolve(projectDir, setting) };
  return { writeTo: db.dialect === 'postgres' ? 'db' : 'file', artifactsDir: defaultDir };
}

/** Open the model registry; close it with `store.close()`. */
export async function openRegistry(options: OpenRegistryOptions = {}): Promise<Store> {
  const ownsDb = options.db === undefined;
  const db = options.db ?? (await openDb(options.url, { projectDir: options.projectDir, env: options.env }));
  try {
    await migrate(db, REGISTRY_LAYER, registryMigrations);
    return new SqlStore(db, { ...artifactPlacement(options, db), ownsDb });
  } catch (e) {
    if (ownsDb) await db.close();
    throw e;
  }
}
