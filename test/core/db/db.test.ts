// The Db interface on both backends: types, parameters, transactions, the misuse guards.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isUniqueViolation, openDb, sqlTypes, type Db } from '../../../src/core/db/index.js';
import { backends, type Backend } from './backends.js';

async function withDb(backend: Backend, fn: (db: Db, url: string) => Promise<void>): Promise<void> {
  const t = await backend.open();
  try {
    await fn(t.db, t.url);
  } finally {
    await t.cleanup();
  }
}

for (const backend of backends) {
  describe(`Db on ${backend.name}`, { skip: backend.skip }, () => {
    test('values round-trip with the same JS types on both backends', () =>
      withDb(backend, async (db) => {
        const { blob } = sqlTypes(db.dialect);
        await db.script(`CREATE TABLE t (i INTEGER, b BIGINT, d DOUBLE PRECISION, s TEXT, n TEXT, x ${blob}, f INTEGER)`);
        const bytes = new Uint8Array([0, 1, 254, 255]);
        const changed = await db.exec('INSERT INTO t (i, b, d, s, n, x, f) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          7,
          2 ** 40,
          0.25,
          "it's",
          undefined,
          bytes,
          true,
        ]);
        assert.equal(changed, 1);
        const [row] = await db.query<{ i: number; b: number; d: number; s: string; n: null; x: Uint8Array; f: number }>('SELECT * FROM t');
        assert.equal(row.i, 7);
        assert.equal(row.b, 2 ** 40);
        assert.equal(row.d, 0.25);
        assert.equal(row.s, "it's");
        assert.equal(row.n, null);
        assert.deepEqual(new Uint8Array(row.x), bytes);
        assert.equal(row.f, 1);
        const [agg] = await db.query<{ c: number; total: number }>('SELECT COUNT(*) AS c, SUM(b) AS total FROM t');
        assert.equal(agg.c, 1);
        assert.equal(agg.total, 2 ** 40);
      }));

    test('a placeholder may repeat; exec counts changed rows; RETURNING gives rows', () =>
      withDb(backend, async (db) => {
        await db.script(`CREATE TABLE p (id ${sqlTypes(db.dialect).id}, a INTEGER, b INTEGER, note TEXT)`);
        const ids = await db.query<{ id: number }>("INSERT INTO p (a, b, note) VALUES ($1, $1, 'costs $2') RETURNING id", [5]);
        assert.equal(ids.length, 1);
        assert.equal(typeof ids[0].id, 'number');
        await db.exec('INSERT INTO p (a, b) VALUES ($1, $2)', [6, 7]);
        assert.deepEqual(await db.query('SELECT a, b, note FROM p WHERE a = $1', [5]), [{ a: 5, b: 5, note: 'costs $2' }]);
        assert.equal(await db.exec('UPDATE p SET b = b + 1'), 2);
      }));

    test('a transaction commits on return and rolls back on throw, rethrowing the error', () =>
      withDb(backend, async (db) => {
        await db.script('CREATE TABLE k (v INTEGER)');
        const out = await db.transaction(async (tx) => {
          await tx.exec('INSERT INTO k VALUES ($1)', [1]);
          return 'done';
        });
        assert.equal(out, 'done');
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.exec('INSERT INTO k VALUES ($1)', [2]);
            throw new Error('boom');
          }),
          /boom/,
        );
        assert.deepEqual(await db.query('SELECT v FROM k'), [{ v: 1 }]);
      }));

    test('nested transactions are savepoints: an inner failure keeps the outer work', () =>
      withDb(backend, async (db) => {
        await db.script('CREATE TABLE k (v INTEGER)');
        await db.transaction(async (tx) => {
          await tx.exec('INSERT INTO k VALUES (1)');
          await assert.rejects(
            tx.transaction(async (inner) => {
              await inner.exec('INSERT INTO k VALUES (2)');
              throw new Error('inner');
            }),
            /inner/,
          );
          await tx.transaction(async (inner) => {
            await inner.exec('INSERT INTO k VALUES (3)');
          });
        });
        assert.deepEqual(await db.query('SELECT v FROM k ORDER BY v'), [{ v: 1 }, { v: 3 }]);
      }));

    test('using the outer handle inside its transaction, or a finished tx handle, fails clearly', () =>
      withDb(backend, async (db) => {
        await db.script('CREATE TABLE k (v INTEGER)');
        let leaked: Db | undefined;
        await assert.rejects(
          db.transaction(async (tx) => {
            leaked = tx;
            await db.query('SELECT v FROM k');
          }),
          /use the `tx` handle/,
        );
        await assert.rejects(async () => leaked!.query('SELECT 1'), /already finished/);
        // the guard is over once the transaction ends
        assert.deepEqual(await db.query('SELECT v FROM k'), []);
      }));

    test('parallel transactions on one handle each see the others committed (no lost update)', () =>
      withDb(backend, async (db) => {
        await db.script('CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
        await db.exec('INSERT INTO c VALUES (1, 0)');
        await Promise.all(
          Array.from({ length: 20 }, () =>
            db.transaction(async (tx) => {
              const [{ n }] = await tx.query<{ n: number }>('UPDATE c SET n = n + 1 WHERE id = 1 RETURNING n');
              await tx.exec('INSERT INTO c VALUES ($1, 0)', [100 + n]);
            }),
          ),
        );
        const [{ n }] = await db.query<{ n: number }>('SELECT n FROM c WHERE id = 1');
        assert.equal(n, 20);
        const [{ rows }] = await db.query<{ rows: number }>('SELECT COUNT(*) AS rows FROM c');
        assert.equal(rows, 21);
      }));

    test('a plain query issued during a transaction never sees its uncommitted rows', () =>
      withDb(backend, async (db) => {
        await db.script('CREATE TABLE k (v INTEGER)');
        let seen: unknown[] | undefined;
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const running = db
          .transaction(async (tx) => {
            await tx.exec('INSERT INTO k VALUES (1)');
            await gate;
            throw new Error('roll back');
          })
          .catch(() => undefined);
        const reader = db.query('SELECT v FROM k').then((rows) => (seen = rows));
        release();
        await Promise.all([running, reader]);
        assert.deepEqual(seen, []);
      }));

    test('a second handle on the same database sees committed data; close makes a handle unusable', () =>
      withDb(backend, async (db, url) => {
        await db.script('CREATE TABLE k (v INTEGER)');
        await db.exec('INSERT INTO k VALUES (42)');
        const other = await openDb(url);
        assert.deepEqual(await other.query('SELECT v FROM k'), [{ v: 42 }]);
        await other.close();
        await assert.rejects(other.query('SELECT 1'), /closed/);
        // the first handle still works after its sibling closed
        assert.deepEqual(await db.query('SELECT v FROM k'), [{ v: 42 }]);
      }));

    test('SQL errors reject with the driver message; a duplicate key is recognisable on both backends', () =>
      withDb(backend, async (db) => {
        await assert.rejects(db.query('SELECT * FROM missing_table'), /missing_table/);
        await db.script('CREATE TABLE u (k TEXT PRIMARY KEY)');
        await db.exec('INSERT INTO u VALUES ($1)', ['a']);
        await assert.rejects(db.exec('INSERT INTO u VALUES ($1)', ['a']), (e: unknown) => isUniqueViolation(e));
        await assert.rejects(db.exec('INSERT INTO missing_table VALUES (1)'), (e: unknown) => !isUniqueViolation(e));
      }));
  });
}

describe('SQLite specifics', () => {
  test('durability settings: WAL journal, synchronous=FULL, busy timeout, foreign keys', async () => {
    const sqlite = backends[0];
    const t = await sqlite.open();
    try {
      assert.deepEqual(await t.db.query('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
      assert.deepEqual(await t.db.query('PRAGMA synchronous'), [{ synchronous: 2 }]);
      assert.deepEqual(await t.db.query('PRAGMA foreign_keys'), [{ foreign_keys: 1 }]);
      const [{ timeout }] = await t.db.query<{ timeout: number }>('PRAGMA busy_timeout');
      assert.ok(timeout >= 1000);
    } finally {
      await t.cleanup();
    }
  });
});
