// Database access shared by the layers that store things (train: runs, registry: models, serve: prediction logs,
// monitor: drift history). One `Db` interface, two backends, portable SQL, per-layer migrations.
//
//   const db = await openDb();                        // .kiln/kiln.db, or KILN_DATABASE_URL=postgres://…
//   await migrate(db, 'runs', runMigrations);         // your layer's numbered migrations, in your layer's folder
//   await db.exec('INSERT INTO runs (id, at) VALUES ($1, $2)', [id, at]);
//   const rows = await db.query<{ id: string }>('SELECT id FROM runs WHERE at > $1', [since]);
//   await db.transaction(async (tx) => { … tx.exec(…) … });   // commit on return, rollback on throw
//   await db.close();
export type { Db, Dialect, Row, SqlValue } from './db.js';
export { sqlTypes } from './db.js';
export { defaultDbPath, openDb, resolveDbTarget, type DbTarget, type OpenDbOptions } from './open.js';
export { migrate, schemaVersions, type Migration } from './migrate.js';
export { isUniqueViolation } from './sql.js';
