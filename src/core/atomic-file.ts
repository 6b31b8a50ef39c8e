// Write files so that a crash never leaves a half-written one: write a temporary file in the same folder,
// fsync it, rename it over the target, then fsync the folder so the rename itself is durable.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/**
 * Produce a file through a callback that writes to a temporary path; rename it into place only on success.
 * For writers that need a path (DuckDB's COPY, a streaming CSV writer).
 */
export async function withAtomicPath<T>(target: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const ext = path.extname(target);
  const tmp = path.join(dir, `.${path.basename(target, ext)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp${ext}`);
  try {
    const result = await write(tmp);
    const handle = await fs.open(tmp, 'r+');
    await handle.sync();
    await handle.close();
    await fs.rename(tmp, target);
    await syncDir(dir);
    return result;
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    // some file systems do not allow opening a directory; the rename is still atomic there
  }
}
