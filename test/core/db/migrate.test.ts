// The migration runner on both backends: applies in order once, per layer, atomically, and refuses mismatches.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { migrate, openDb, schemaVersions, sqlTypes, type Migration } from '../../../src/core/db/index.js';
import { backends } from './backends.js';

const notes: Migration[] = [
  { version: 1, name: 'notes table', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' },
  {
    version: 2,
    name: 'attachments',
    up: async (db) => {
      await db.script(`CREATE TABLE attachments (id ${sqlTypes(db.dialect).id}, note_id INTEGER NOT NULL, data ${sqlTypes(db.dialect).blob})`);
    },
  },
];

for (const backend of backends) {
  describe(`migrate on ${backend.name}`, { skip: backend.skip }, () => {
    test('applies pending migrations in order, once; layers are independent', async () => {
      const t = await backend.open();
      try {
        assert.deepEqual(await schemaVersions(t.db), {});
        assert.deepEqual(await migrate(t.db, 'notes', notes.slice(0, 1)), [1]);
        assert.deepEqual(await migrate(t.db, 'notes', notes), [2]);
        assert.deepEqual(await migrate(t.db, 'notes', notes), []);
        assert.deepEqual(await migrate(t.db, 'other', [{ version: 1, name: 'x', up: 'CREATE TABLE other_x (v INTEGER)' }]), [1]);
        assert.deepEqual(await schemaVersions(t.db), { notes: 2, other: 1 });
        await t.db.exec('INSERT INTO attachments (note_id, data) VALUES ($1, $2)', [1, new Uint8Array([9])]);
      } finally {
        await t.cleanup();
      }
    });

    test('a failing migration leaves nothing behind, and the error names the cause', async () => {
      const t = await backend.open();
      try {
        const broken: Migration[] = [
          notes[0],
          { version: 2, name: 'half done', up: 'CREATE TABLE half (v INTEGER); INSERT INTO no_such_table VALUES (1)' },
        ];
        await assert.rejects(migrate(t.db, 'notes', broken), /no_such_table/);
        assert.deepEqual(await schemaVersions(t.db), { notes: 1 });
        await assert.rejects(t.db.query('SELECT * FROM half'), /half/);
      } finally {
        await t.cleanup();
      }
    });

    test('a database from a newer Kiln, or an edited migration, is refused with a hint', async () => {
      const t = await backend.open();
      try {
        await migrate(t.db, 'notes', notes);
        await assert.rejects(migrate(t.db, 'notes', notes.slice(0, 1)), (e: Error & { hint?: string }) => {
          assert.match(e.message, /notes schema version 2, newer than this Kiln knows \(1\)/);
          assert.match(e.hint ?? '', /upgrade Kiln/);
          return true;
        });
        const renamed = [{ ...notes[0], name: 'renamed' }, notes[1]];
        await assert.rejects(migrate(t.db, 'notes', renamed), /notes migration 1 is "notes table" in the database but "renamed"/);
      } finally {
        await t.cleanup();
      }
    });

    test('a badly numbered list is a programming error', async () => {
      const t = await backend.open();
      try {
        await assert.rejects(migrate(t.db, 'notes', [notes[1]]), /versions must run 1, 2, 3/);
        await assert.rejects(migrate(t.db, 'Bad Layer', notes), /layer name/);
      } finally {
        await t.cleanup();
      }
    });

    test('several handles migrating at once apply each migration exactly once', async () => {
      const t = await backend.open();
      const others = await Promise.all([openDb(t.url), openDb(t.url), openDb(t.url)]);
      try {
        const results = await Promise.all([t.db, ...others].map((db) => migrate(db, 'notes', notes)));
        assert.deepEqual(results.flat().sort(), [1, 2]);
        assert.deepEqual(await schemaVersions(t.db), { notes: 2 });
      } finally {
        await Promise.all(others.map((db) => db.close()));
        await t.cleanup();
      }
    });
  });
}
