// Fetching an http(s) URL to a temporary file, so the file readers (and DuckDB) see a normal path.
// The file keeps the URL's extension (or one implied by the content type) for format detection.

import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSourceError } from '../../core/errors.js';
import { redactSource } from '../source.js';

const CONTENT_TYPES: Record<string, string> = {
  'text/csv': '.csv',
  'text/tab-separated-values': '.tsv',
  'application/json': '.json',
  'application/x-ndjson': '.ndjson',
  'application/jsonl': '.ndjson',
  'application/vnd.apache.parquet': '.parquet',
  'application/gzip': '.gz',
};

export interface Download {
  file: string;
  /** removes the temporary folder */
  dispose(): Promise<void>;
}

export async function download(url: string): Promise<Download> {
  const where = redactSource(url);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new DataSourceError(`cannot reach ${where}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, {
      hint: 'check the address and that the server is up',
    });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new DataSourceError(`${where} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, {
      hint: response.status === 404 ? 'check the path in the URL' : undefined,
    });
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-download-'));
  const file = path.join(dir, fileName(url, response.headers.get('content-type')));
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
  } catch (e) {
    await fs.rm(dir, { recursive: true, force: true });
    throw new DataSourceError(`download of ${where} broke off: ${(e as Error).message}`);
  }
  return { file, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
}

function fileName(url: string, contentType: string | null): string {
  let base = 'data';
  try {
    base = decodeURIComponent(path.posix.basename(new URL(url).pathname)) || 'data';
  } catch {
    // keep the default name
  }
  base = base.replace(/[^\w.+-]/g, '_');
  if (!path.extname(base)) base += CONTENT_TYPES[(contentType ?? '').split(';')[0].trim().toLowerCase()] ?? '';
  return base;
}
