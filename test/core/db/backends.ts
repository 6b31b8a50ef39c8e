// Test helper: the database backends every storage test runs against. SQLite in a fresh temp folder; PostgreSQL
// from KILN_TEST_POSTGRES_URL in a fresh schema that is dropped afterwards (skipped when the variable is unset,
// except under CI=true, where a missing server is a failure).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../../../src/core/db/index.js';

export interface TestDatabase {
  db: Db;
  /** a URL that opens the same database (and schema) again, e.g. from a child process */
  url: string;
  /** a scratch folder for files, removed by cleanup */
  dir: string;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** a reason to skip, when this backend is not available */
  skip?: string;
  open(): Promise<TestDatabase>;
}

const POSTGRES_URL = process.env.KILN_TEST_POSTGRES_URL;

function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kiln-db-test-'));
}

function withParam(url: string, key: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
}

export const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = scratchDir();
      const url = path.join(dir, 'kiln.db');
      const db = await openDb(url);
      return {
        db,
        url,
        dir,
        async cleanup() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: POSTGRES_URL || process.env.CI === 'true' ? undefined : 'KILN_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)',
    async open() {
      if (!POSTGRES_URL) throw new Error('KILN_TEST_POSTGRES_URL must be set when CI=true');
      const schema = `kiln_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      const url = withParam(POSTGRES_URL, 'schema', schema);
      const db = await openDb(url);
      const dir = scratchDir();
      return {
        db,
        url,
        dir,
        async cleanup() {
          await db.close();
          const admin = await openDb(POSTGRES_URL);
          try {
            await admin.script(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          } finally {
            await admin.close();
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
