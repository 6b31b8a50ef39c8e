// Choosing the backend from a URL, placeholder translation, and the default database location.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultDbPath, openDb, resolveDbTarget } from '../../../src/core/db/index.js';
import { parsePostgresUrl } from '../../../src/core/db/postgres.js';
import { toSqlitePlaceholders } from '../../../src/core/db/sql.js';

test('placeholders become ? with a parameter order; quotes and comments are left alone', () => {
  assert.deepEqual(toSqlitePlaceholders('SELECT $1, $2'), { sql: 'SELECT ?, ?', order: null });
  assert.deepEqual(toSqlitePlaceholders('SELECT $2, $1, $2'), { sql: 'SELECT ?, ?, ?', order: [1, 0, 1] });
  const eleven = Array.from({ length: 11 }, (_, i) => `$${11 - i}`).join(',');
  assert.deepEqual(toSqlitePlaceholders(eleven).order, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  const tricky = `SELECT '$1 it''s', "col$2", $1 -- $3\n/* $4 */ FROM t WHERE a = $2`;
  assert.deepEqual(toSqlitePlaceholders(tricky), {
    sql: `SELECT '$1 it''s', "col$2", ? -- $3\n/* $4 */ FROM t WHERE a = ?`,
    order: null,
  });
});

test('URL forms: default file, env, postgres, sqlite: and file: URLs, plain paths; unknown schemes refused', () => {
  const projectDir = '/srv/project';
  assert.deepEqual(resolveDbTarget(undefined, { projectDir, env: {} }), { dialect: 'sqlite', target: '/srv/project/.kiln/kiln.db' });
  assert.deepEqual(resolveDbTarget(undefined, { projectDir, env: { KILN_DATABASE_URL: 'postgres://h/db' } }), {
    dialect: 'postgres',
    target: 'postgres://h/db',
  });
  assert.equal(resolveDbTarget('postgresql:///db?host=/run', { projectDir }).dialect, 'postgres');
  assert.equal(resolveDbTarget('sqlite:///abs/k.db', { projectDir }).target, '/abs/k.db');
  assert.equal(resolveDbTarget('sqlite:data/k.db', { projectDir }).target, '/srv/project/data/k.db');
  assert.equal(resolveDbTarget('file:k.db', { projectDir }).target, '/srv/project/k.db');
  assert.equal(resolveDbTarget('sqlite::memory:', { projectDir }).target, ':memory:');
  assert.equal(resolveDbTarget('other/k.db', { projectDir }).target, '/srv/project/other/k.db');
  assert.throws(() => resolveDbTarget('mysql://h/db', { projectDir }), /"mysql:" is not supported/);
});

test('PostgreSQL URLs: the schema parameter is split off and passwords never reach the location', () => {
  assert.deepEqual(parsePostgresUrl('postgres:///kiln?host=/var/run/postgresql&schema=team_a'), {
    connectionString: 'postgres:///kiln?host=/var/run/postgresql',
    schema: 'team_a',
    location: 'postgres:///kiln?host=/var/run/postgresql',
  });
  const withSecret = parsePostgresUrl('postgres://me:s3cret@db.internal:5432/kiln?password=other&sslmode=require');
  assert.equal(withSecret.location, 'postgres://me:***@db.internal:5432/kiln?sslmode=require');
  assert.equal(withSecret.schema, undefined);
  assert.throws(() => parsePostgresUrl('postgres://h/db?schema=x;drop'), /not a plain lower-case name/);
});

test('openDb() with no URL creates .kiln/kiln.db in the project folder', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-open-'));
  try {
    const saved = process.env.KILN_DATABASE_URL;
    delete process.env.KILN_DATABASE_URL;
    try {
      const db = await openDb(undefined, { projectDir: dir });
      assert.equal(db.dialect, 'sqlite');
      assert.equal(db.location, defaultDbPath(dir));
      await db.close();
    } finally {
      if (saved !== undefined) process.env.KILN_DATABASE_URL = saved;
    }
    assert.ok(existsSync(path.join(dir, '.kiln', 'kiln.db')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreachable PostgreSQL server is a clear error naming the location, not a crash', async () => {
  await assert.rejects(openDb('postgres://nobody@127.0.0.1:1/none'), (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, 'E_DATA_SOURCE');
    assert.match(e.message, /cannot connect to PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
    assert.match(e.hint ?? '', /KILN_DATABASE_URL/);
    return true;
  });
});

test('a file that is not a database is refused clearly', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-open-'));
  try {
    const file = path.join(dir, 'notes.txt');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'this is not a database, just some text that is long enough to have a header '.repeat(20));
    await assert.rejects(openDb(file), /cannot open the SQLite database .*notes\.txt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('drivers load lazily: importing the layers loads neither; SQLite use loads only better-sqlite3', () => {
  const registry = fileURLToPath(new URL('../../../src/registry/index.ts', import.meta.url));
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-lazy-'));
  try {
    const script = `
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(import.meta.url).cache)
        .filter((k) => /node_modules[\\/](pg|better-sqlite3)[\\/]/.test(k))
        .map((k) => k.match(/node_modules[\\/](pg|better-sqlite3)[\\/]/)[1]);
      const { openRegistry } = await import(${JSON.stringify(registry)});
      const afterImport = [...new Set(loaded())];
      const store = await openRegistry({ projectDir: ${JSON.stringify(dir)}, env: {} });
      await store.close();
      console.log(JSON.stringify({ afterImport, afterOpen: [...new Set(loaded())] }));`;
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { afterImport: [], afterOpen: ['better-sqlite3'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
