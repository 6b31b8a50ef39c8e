// Where artifact bytes live. Content-addressed by sha256, so only a validated hex hash ever becomes a path:
//   files:    <dir>/<first 2 hex>/<sha256>.kiln, written atomically and fsynced BEFORE the row that names it commits
//   database: registry_artifacts(sha256, bytes), inserted in the same transaction as the version row
// A crash can leave behind only unreferenced files (complete or temp), never a row without its bytes.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.js';
import type { Db } from '../core/db/index.js';

export type ArtifactStoreKind = 'file' | 'db';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** temp files from core/atomic-file: ".<target name>.<pid>.<random>.tmp" */
const TEMP_FILE = /^\..+\.tmp$/;
const ARTIFACT_FILE = /^([0-9a-f]{64})\.kiln$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A plain Uint8Array view of a Buffer. decodeArtifact copies arrays with `.slice()`, which on a Buffer returns a
 * view into Node's shared pool instead of a copy, so decoding a Buffer directly would read the wrong bytes.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
}

function checkHash(sha: string): void {
  // the hash comes from our own rows, but a tampered database must still not steer a path
  if (!SHA256_HEX.test(sha)) throw new Error(`"${sha}" is not a sha256 hex digest`);
}

export class FileArtifacts {
  constructor(readonly dir: string) {}

  pathFor(sha: string): string {
    checkHash(sha);
    return path.join(this.dir, sha.slice(0, 2), `${sha}.kiln`);
  }

  /**
   * Make the bytes durable under their hash. An existing file with the right content is reused (its time is
   * refreshed so cleanOrphans leaves it alone until the new row commits); a damaged one is replaced.
   */
  async write(sha: string, bytes: Uint8Array): Promise<void> {
    const file = this.pathFor(sha);
    const existing = await this.read(sha);
    if (existing && sha256Hex(existing) === sha) {
      const now = new Date();
      await fs.utimes(file, now, now);
      return;
    }
    await writeFileAtomic(file, bytes);
  }

  /** The stored bytes, or undefined when the file does not exist. */
  async read(sha: string): Promise<Uint8Array | undefined> {
    try {
      return plainBytes(await fs.readFile(this.pathFor(sha)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Delete temp files and artifact files not in `referenced`, when older than `olderThanMs`. */
  async clean(referenced: ReadonlySet<string>, olderThanMs: number): Promise<string[]> {
    const removed: string[] = [];
    const cutoff = Date.now() - olderThanMs;
    let shards: string[];
    try {
      shards = await fs.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return removed;
      throw e;
    }
    for (const shard of shards) {
      const shardDir = path.join(this.dir, shard);
      if (!/^[0-9a-f]{2}$/.test(shard)) continue; // not ours: leave it
      for (const name of await fs.readdir(shardDir)) {
        const match = ARTIFACT_FILE.exec(name);
        const orphan = TEMP_FILE.test(name) || (match !== null && !referenced.has(match[1]));
        if (!orphan) continue;
        const file = path.join(shardDir, name);
        const stat = await fs.stat(file).catch(() => undefined);
        if (!stat || stat.mtimeMs > cutoff) continue;
        await fs.rm(file, { force: true });
        removed.push(file);
      }
    }
    return removed;
  }
}

export const dbArtifacts = {
  /** Inside the registering transaction; identical bytes are stored once. */
  async write(tx: Db, sha: string, bytes: Uint8Array): Promise<void> {
    await tx.exec(
      'INSERT INTO registry_artifacts (sha256, bytes, size_bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING',
      [sha, bytes, bytes.length, new Date().toISOString()],
    );
  },

  async read(db: Db, sha: string): Promise<Uint8Array | undefined> {
    const rows = await db.query<{ bytes: Uint8Array }>('SELECT bytes FROM registry_artifacts WHERE sha256 = $1', [sha]);
    return rows.length ? plainBytes(rows[0].bytes) : undefined;
  },

  /** Blobs no version references (only possible after manual edits; registration is one transaction). */
  async clean(db: Db): Promise<string[]> {
    const rows = await db.query<{ sha256: string }>(
      "DELETE FROM registry_artifacts WHERE sha256 NOT IN (SELECT sha256 FROM registry_versions WHERE artifact_store = 'db') RETURNING sha256",
    );
    return rows.map((r) => `db:${r.sha256}`);
  },
};
