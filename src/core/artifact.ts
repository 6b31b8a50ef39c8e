// The artifact format: a model is data, never code. Runs in Node and in browsers (no Node imports here).
//
//   offset 0   "KILN" magic (4 bytes)
//          4   format version, uint32 LE
//          8   header length H in bytes, uint32 LE
//         12   header: UTF-8 JSON { kind, meta, arrays: [{ name, dtype, offset, length }] }, space-padded to 8 bytes
//     12 + H   blobs: each typed array's bytes, little-endian, each starting on an 8-byte boundary
//    end - 32  sha256 of every byte before it
//
// Loading checks magic, version, sizes and the hash before touching any array, and only ever parses JSON.

import { sha256 } from '@noble/hashes/sha2.js';
import { ModelFormatError } from './errors.js';

export const ARTIFACT_MAGIC = 'KILN';
export const ARTIFACT_FORMAT_VERSION = 1;
const PREFIX_BYTES = 12;
const HASH_BYTES = 32;
/** refuse headers over this size before parsing them */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

const DTYPES = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
} as const;
export type DType = keyof typeof DTYPES;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An in-memory artifact: a kind (mapped to a loader by the model registry), plain JSON meta, and named arrays. */
export interface Artifact {
  readonly kind: string;
  readonly meta: { [key: string]: Json };
  readonly arrays: Readonly<Record<string, TypedArray>>;
}

interface ArrayEntry {
  name: string;
  dtype: DType;
  /** byte offset from the start of the blob region */
  offset: number;
  /** number of elements */
  length: number;
}

function dtypeOf(a: TypedArray): DType {
  for (const [name, ctor] of Object.entries(DTYPES)) if (a instanceof ctor) return name as DType;
  throw new ModelFormatError(`unsupported array type ${Object.prototype.toString.call(a)}`);
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Big-endian machines are not supported: refuse rather than write wrong bytes. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function encodeArtifact(artifact: Artifact): Uint8Array {
  if (!LITTLE_ENDIAN) throw new ModelFormatError('artifacts can only be written on little-endian machines');
  const entries: ArrayEntry[] = [];
  let blobBytes = 0;
  for (const name of Object.keys(artifact.arrays).sort()) {
    const a = artifact.arrays[name];
    entries.push({ name, dtype: dtypeOf(a), offset: blobBytes, length: a.length });
    blobBytes = align8(blobBytes + a.byteLength);
  }
  const headerJson = JSON.stringify({ kind: artifact.kind, meta: artifact.meta, arrays: entries });
  const headerRaw = new TextEncoder().encode(headerJson);
  const headerBytes = align8(PREFIX_BYTES + headerRaw.length) - PREFIX_BYTES;
  const total = PREFIX_BYTES + headerBytes + blobBytes + HASH_BYTES;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(ARTIFACT_MAGIC), 0);
  view.setUint32(4, ARTIFACT_FORMAT_VERSION, true);
  view.setUint32(8, headerBytes, true);
  out.set(headerRaw, PREFIX_BYTES);
  out.fill(0x20, PREFIX_BYTES + headerRaw.length, PREFIX_BYTES + headerBytes);
  const blobStart = PREFIX_BYTES + headerBytes;
  for (const e of entries) {
    const a = artifact.arrays[e.name];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), blobStart + e.offset);
  }
  out.set(sha256(out.subarray(0, total - HASH_BYTES)), total - HASH_BYTES);
  return out;
}

export function decodeArtifact(bytes: Uint8Array, source = 'artifact'): Artifact {
  if (!LITTLE_ENDIAN) throw new ModelFormatError('artifacts can only be read on little-endian machines');
  const fail = (why: string): never => {
    throw new ModelFormatError(`${source}: ${why}`, { hint: 'the file is not a Kiln model, or it is damaged; export it again' });
  };
  if (bytes.length < PREFIX_BYTES + HASH_BYTES) fail(`too short (${bytes.length} bytes)`);
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== ARTIFACT_MAGIC) fail('bad magic number');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== ARTIFACT_FORMAT_VERSION) fail(`format version ${version} is not supported (this Kiln reads ${ARTIFACT_FORMAT_VERSION})`);
  const headerBytes = view.getUint32(8, true);
  if (headerBytes > MAX_HEADER_BYTES || PREFIX_BYTES + headerBytes + HASH_BYTES > bytes.length) fail('header length out of bounds');
  const expectedHash = bytes.subarray(bytes.length - HASH_BYTES);
  const actualHash = sha256(bytes.subarray(0, bytes.length - HASH_BYTES));
  for (let i = 0; i < HASH_BYTES; i++) if (expectedHash[i] !== actualHash[i]) fail('checksum mismatch');

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)));
  } catch {
    fail('header is not valid JSON');
  }
  const h = header as { kind?: unknown; meta?: unknown; arrays?: unknown };
  if (typeof h.kind !== 'string' || !h.kind) fail('header has no kind');
  if (typeof h.meta !== 'object' || h.meta === null || Array.isArray(h.meta)) fail('header meta must be an object');
  if (!Array.isArray(h.arrays)) fail('header has no array table');

  const blobStart = PREFIX_BYTES + headerBytes;
  const blobEnd = bytes.length - HASH_BYTES;
  const arrays: Record<string, TypedArray> = Object.create(null);
  for (const raw of h.arrays as unknown[]) {
    const e = raw as Partial<ArrayEntry>;
    if (typeof e.name !== 'string' || !(typeof e.dtype === 'string' && Object.hasOwn(DTYPES, e.dtype))) fail('bad array entry');
    const ctor = DTYPES[e.dtype as DType];
    const { offset, length } = e;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || (offset as number) < 0 || (length as number) < 0)
      fail(`array "${e.name}" has a bad offset or length`);
    const start = blobStart + (offset as number);
    const end = start + (length as number) * ctor.BYTES_PER_ELEMENT;
    if ((offset as number) % 8 !== 0 || end > blobEnd) fail(`array "${e.name}" lies outside the file`);
    if (Object.hasOwn(arrays, e.name as string)) fail(`array "${e.name}" appears twice`);
    // copy into a fresh, aligned buffer so the model owns its memory (a Node Buffer's slice() is a view, not a copy)
    const copy = new Uint8Array(bytes.subarray(start, end));
    arrays[e.name as string] = new ctor(copy.buffer, 0, length as number);
  }
  return { kind: h.kind as string, meta: h.meta as { [key: string]: Json }, arrays };
}

/** sha256 of bytes as lowercase hex */
export function sha256Hex(bytes: Uint8Array): string {
  const h = sha256(bytes);
  let s = '';
  for (let i = 0; i < h.length; i++) s += h[i].toString(16).padStart(2, '0');
  return s;
}

/**
 * Nest a child artifact inside a parent's: its arrays get `prefix/` names, and its kind and meta are returned
 * as JSON for the parent's meta. `unnestArtifact` reverses it.
 */
export function nestArtifact(prefix: string, child: Artifact): { entry: Json; arrays: Record<string, TypedArray> } {
  const arrays: Record<string, TypedArray> = {};
  for (const [name, a] of Object.entries(child.arrays)) arrays[`${prefix}/${name}`] = a;
  return { entry: { kind: child.kind, meta: child.meta, prefix }, arrays };
}

export function unnestArtifact(parent: Artifact, entry: Json): Artifact {
  const e = entry as { kind?: unknown; meta?: unknown; prefix?: unknown } | null;
  if (!e || typeof e.kind !== 'string' || typeof e.prefix !== 'string' || typeof e.meta !== 'object' || e.meta === null)
    throw new ModelFormatError('a nested artifact entry is malformed');
  const start = `${e.prefix}/`;
  const arrays: Record<string, TypedArray> = {};
  for (const [name, a] of Object.entries(parent.arrays)) if (name.startsWith(start)) arrays[name.slice(start.length)] = a;
  return { kind: e.kind, meta: e.meta as { [key: string]: Json }, arrays };
}

/** Fetch a named array of a given type, or fail with a format error (for model loaders). */
export function requireArray<T extends TypedArray>(
  artifact: Artifact,
  name: string,
  ctor: { new (...args: never[]): T; readonly name: string },
  length?: number,
): T {
  const a = artifact.arrays[name];
  if (!a) throw new ModelFormatError(`${artifact.kind}: missing array "${name}"`);
  if (!(a instanceof ctor)) throw new ModelFormatError(`${artifact.kind}: array "${name}" should be ${ctor.name}`);
  if (length !== undefined && a.length !== length)
    throw new ModelFormatError(`${artifact.kind}: array "${name}" has ${a.length} elements, expected ${length}`);
  return a;
}
