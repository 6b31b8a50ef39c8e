// Test helper: every registry configuration the shared suite runs against — SQLite with artifact files (the
// default), SQLite with artifacts in the database, PostgreSQL with artifacts in the database (its default) and
// PostgreSQL with artifact files.

import path from 'node:path';
import type { Artifact } from '../../src/core/artifact.js';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { backends, type TestDatabase } from '../core/db/backends.js';

export interface StoreVariant {
  name: string;
  skip?: string;
  artifacts: 'file' | 'db';
  open(): Promise<TestRegistry>;
}

export interface TestRegistry {
  store: Store;
  database: TestDatabase;
  /** the artifacts folder (used when artifacts are files) */
  artifactsDir: string;
  /** open a second, independent store on the same registry */
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

export const storeVariants: StoreVariant[] = backends.flatMap((backend) =>
  (['file', 'db'] as const).map((artifacts) => ({
    name: `${backend.name} + artifacts in ${artifacts === 'file' ? 'files' : 'the database'}`,
    skip: backend.skip,
    artifacts,
    async open(): Promise<TestRegistry> {
      const database = await backend.open();
      // files go here when artifacts are files; with artifacts in the database, this is where openRegistry's
      // default folder is (beside kiln.db on SQLite, <project>/.kiln/artifacts otherwise), still read for old versions
      const artifactsDir =
        artifacts === 'file' || backend.name === 'sqlite' ? path.join(database.dir, 'artifacts') : path.join(database.dir, '.kiln', 'artifacts');
      const open = () =>
        openRegistry({ url: database.url, projectDir: database.dir, artifacts: artifacts === 'db' ? 'db' : { dir: artifactsDir }, env: {} });
      const store = await open();
      return {
        store,
        database,
        artifactsDir,
        reopen: open,
        async cleanup() {
          await store.close();
          await database.cleanup();
        },
      };
    },
  })),
);

/** A small artifact whose arrays depend on `seed`, with a signature in its meta as a pipeline would carry. */
export function sampleArtifact(seed: number, size = 64): Artifact {
  const weights = new Float64Array(size);
  for (let i = 0; i < size; i++) weights[i] = Math.sin(seed * 1000 + i);
  return {
    kind: 'test.model',
    meta: {
      seed,
      signature: { columns: [{ name: 'tenure', type: 'number' }, { name: 'plan', type: 'category', categories: ['a', 'b'] }] },
    },
    arrays: { weights, codes: Int32Array.from({ length: 8 }, (_, i) => i * seed) },
  };
}
