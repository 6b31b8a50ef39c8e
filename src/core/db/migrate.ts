// A tiny migration runner. Each layer keeps its own numbered list of migrations in its own file and calls
// `migrate(db, 'registry', registryMigrations)` when it opens; the table kiln_migrations records what ran.
// Rules: number migrations 1, 2, 3 … per layer; never edit or renumber one that has shipped, add a new one.

import { KilnError } from '../errors.js';
import type { Db } from './db.js';

export interface Migration {
  /** 1, 2, 3 … within the layer */
  version: number;
  /** a short description, recorded beside the version */
  name: string;
  /** portable SQL (several statements allowed), or a function for dialect-specific DDL (see sqlTypes) */
  up: string | ((db: Db) => Promise<void>);
}

interface AppliedRow {
  version: number;
  name: string;
}

/** The same lock key for every Kiln process on a PostgreSQL database ("kiln" in ASCII). */
const ADVISORY_LOCK_KEY = 0x6b696c6e;

const LAYER_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

async function applied(db: Db, layer: string): Promise<AppliedRow[] | undefined> {
  try {
    return await db.query<AppliedRow>('SELECT version, name FROM kiln_migrations WHERE layer = $1 ORDER BY version', [layer]);
  } catch (e) {
    // the table does not exist yet (SQLite: "no such table", PostgreSQL: 42P01)
    const code = (e as { code?: string }).code;
    if (code === '42P01' || /no such table/.test((e as Error).message)) return undefined;
    throw e;
  }
}

function checkList(layer: string, migrations: readonly Migration[]): void {
  if (!LAYER_NAME.test(layer)) throw new Error(`migration layer name "${layer}" must be lower-case letters, digits, - or _`);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${layer} migration #${i + 1} has version ${m.version}; versions must run 1, 2, 3 …`);
  });
}

function checkAgainstDatabase(layer: string, migrations: readonly Migration[], rows: readonly AppliedRow[]): void {
  for (const row of rows) {
    const known = migrations[row.version - 1];
    if (!known) {
      throw new KilnError('E_CONFLICT', `the database has ${layer} schema version ${row.version}, newer than this Kiln knows (${migrations.length})`, {
        hint: 'upgrade Kiln, or point KILN_DATABASE_URL at another database',
        status: 503,
      });
    }
    if (known.name !== row.name) {
      throw new KilnError('E_CONFLICT', `${layer} migration ${row.version} is "${row.name}" in the database but "${known.name}" in this Kiln`, {
        hint: 'a migration was edited after it shipped; add a new migration instead',
        status: 503,
      });
    }
  }
}

/**
 * Bring `layer`'s tables up to date; returns the versions applied now (empty when already current).
 * Each migration runs in its own transaction together with its kiln_migrations row, so a crash leaves either
 * all of it or none. Safe when several processes open the same database at once: they take a lock, re-read the
 * applied versions, and only one applies each migration.
 */
export async function migrate(db: Db, layer: string, migrations: readonly Migration[]): Promise<number[]> {
  checkList(layer, migrations);
  const before = await applied(db, layer);
  if (before) {
    checkAgainstDatabase(layer, migrations, before);
    if (before.length === migrations.length) return []; // the common case: no write, no lock
  }
  const done: number[] = [];
  for (const migration of migrations) {
    await db.transaction(async (tx) => {
      // SQLite's BEGIN IMMEDIATE already excludes other writers; PostgreSQL needs an explicit lock
      if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
      await tx.script(
        'CREATE TABLE IF NOT EXISTS kiln_migrations (layer TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, ' +
          'applied_at TEXT NOT NULL, PRIMARY KEY (layer, version))',
      );
      const now = (await applied(tx, layer)) ?? [];
      checkAgainstDatabase(layer, migrations, now);
      if (now.some((r) => r.version === migration.version)) return;
      if (typeof migration.up === 'string') await tx.script(migration.up);
      else await migration.up(tx);
      await tx.exec('INSERT INTO kiln_migrations (layer, version, name, applied_at) VALUES ($1, $2, $3, $4)', [
        layer,
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      done.push(migration.version);
    });
  }
  return done;
}

/** The schema version of each layer in this database (for `kiln doctor`-style reports and tests). */
export async function schemaVersions(db: Db): Promise<Record<string, number>> {
  try {
    const rows = await db.query<{ layer: string; version: number }>('SELECT layer, MAX(version) AS version FROM kiln_migrations GROUP BY layer');
    return Object.fromEntries(rows.map((r) => [r.layer, Number(r.version)]));
  } catch (e) {
    if ((e as { code?: string }).code === '42P01' || /no such table/.test((e as Error).message)) return {};
    throw e;
  }
}
