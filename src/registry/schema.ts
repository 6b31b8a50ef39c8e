// The registry's tables, as numbered migrations (run by core/db's migrate on every open). Never edit a shipped
// migration; append a new one. JSON columns are TEXT; times are ISO-8601 TEXT (see core/db/db.ts, PORTABLE SQL).

import { sqlTypes, type Migration } from '../core/db/index.js';

export const REGISTRY_LAYER = 'registry';

export const registryMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'models, versions, aliases, alias history, artifact blobs, revision',
    up: async (db) => {
      const { id, blob } = sqlTypes(db.dialect);
      await db.script(`
        -- one row; revision grows with every registry change, so a server can poll one integer
        CREATE TABLE registry_state (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL);
        INSERT INTO registry_state (id, revision) VALUES (1, 0);

        CREATE TABLE registry_models (
          name TEXT PRIMARY KEY,
          latest_version INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );

        CREATE TABLE registry_versions (
          name TEXT NOT NULL REFERENCES registry_models (name),
          version INTEGER NOT NULL,
          kind TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          size_bytes BIGINT NOT NULL,
          artifact_store TEXT NOT NULL,  -- 'file' (artifacts folder) or 'db' (registry_artifacts)
          signature TEXT,                -- JSON
          description TEXT,
          run_id TEXT,
          data_fingerprint TEXT,         -- JSON
          metrics TEXT NOT NULL,         -- JSON object
          params TEXT NOT NULL,          -- JSON object
          kiln_version TEXT NOT NULL,
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          PRIMARY KEY (name, version)
        );
        CREATE INDEX registry_versions_run ON registry_versions (run_id);

        CREATE TABLE registry_aliases (
          name TEXT NOT NULL,
          alias TEXT NOT NULL,
          version INTEGER NOT NULL,
          updated_at TEXT NOT NULL,
          updated_by TEXT NOT NULL,
          PRIMARY KEY (name, alias),
          FOREIGN KEY (name, version) REFERENCES registry_versions (name, version)
        );

        CREATE TABLE registry_alias_history (
          id ${id},
          name TEXT NOT NULL,
          alias TEXT NOT NULL,
          action TEXT NOT NULL,          -- promote | rollback | delete
          from_version INTEGER,
          to_version INTEGER,
          at TEXT NOT NULL,
          by_user TEXT NOT NULL,
          revision BIGINT NOT NULL
        );
        CREATE INDEX registry_alias_history_key ON registry_alias_history (name, alias, id);

        -- artifact bytes when they live in the database (PostgreSQL default); keyed by content
        CREATE TABLE registry_artifacts (
          sha256 TEXT PRIMARY KEY,
          bytes ${blob} NOT NULL,
          size_bytes BIGINT NOT NULL,
          created_at TEXT NOT NULL
        );
      `);
    },
  },
];
