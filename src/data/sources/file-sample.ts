// Looking at a file before reading it: does it exist, is it empty, is it gzipped, which format is it,
// and the first megabyte of its (decompressed) bytes for sniffing.

import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { DataSourceError, KilnError } from '../../core/errors.js';
import type { FileFormat } from '../read-options.js';

export const SAMPLE_BYTES = 1 << 20;

export interface FileSample {
  format: FileFormat;
  gzip: boolean;
  /** the first SAMPLE_BYTES of the content (decompressed) */
  bytes: Buffer;
  /** the sample holds the whole content */
  wholeFile: boolean;
  /** bytes on disk (compressed, for gzip) */
  size: number;
}

/** Check the file is there and not empty, and take its sample. */
export async function sampleFile(file: string, forced?: FileFormat): Promise<FileSample> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataSourceError(`no such file: ${file}`, { hint: `check the path (relative paths start from ${process.cwd()})` });
    if (code === 'EACCES') throw new DataSourceError(`no permission to read ${file}`);
    throw new DataSourceError(`cannot open ${file}: ${(e as Error).message}`);
  }
  if (stat.isDirectory()) throw new DataSourceError(`${file} is a folder, not a data file`, { hint: 'name one file inside it' });
  if (stat.size === 0) throw new KilnError('E_DATA_EMPTY', `${file} is empty (0 bytes)`, { hint: 'check that the export that wrote it finished' });
  const head = await readHead(file, SAMPLE_BYTES);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  let bytes = head;
  let wholeFile = stat.size <= SAMPLE_BYTES;
  if (gzip) {
    const sample = await gunzipHead(file, SAMPLE_BYTES);
    bytes = sample.bytes;
    wholeFile = sample.complete;
    if (bytes.length === 0) throw new KilnError('E_DATA_EMPTY', `${file} is empty once decompressed`);
  }
  const name = path.basename(file).toLowerCase().replace(/\.gz$/, '');
  return { format: forced ?? detectFormat(name, bytes), gzip, bytes, wholeFile, size: stat.size };
}

async function readHead(file: string, size: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function gunzipHead(file: string, size: number): Promise<{ bytes: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let done = false;
    const input = createReadStream(file);
    const gunzip = createGunzip();
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      input.destroy();
      gunzip.destroy();
      resolve({ bytes: Buffer.concat(parts).subarray(0, size), complete });
    };
    gunzip.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      total += chunk.length;
      if (total >= size) finish(false);
    });
    gunzip.on('end', () => finish(true));
    gunzip.on('error', (e) => {
      if (!done) reject(new DataSourceError(`${file} is not a valid gzip file: ${e.message}`));
    });
    input.on('error', (e) => {
      if (!done) reject(new DataSourceError(`cannot read ${file}: ${e.message}`));
    });
    input.pipe(gunzip);
  });
}

/** Format from the name's extension, else from the first bytes. */
export function detectFormat(name: string, bytes: Buffer): FileFormat {
  const ext = path.extname(name);
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  const first = firstNonSpace(bytes);
  if (ext === '.json' || first === '[' || first === '{') {
    if (first === '[') return 'json';
    if (first === '{') return 'ndjson';
  }
  return 'csv';
}

function firstNonSpace(bytes: Buffer): string {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i < bytes.length ? String.fromCharCode(bytes[i]) : '';
}
