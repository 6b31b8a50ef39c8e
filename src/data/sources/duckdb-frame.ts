// Materialising a DuckDB result as a Frame, chunk by chunk, straight from DuckDB's vectors:
//   DOUBLE  -> copy the chunk's Float64 data into the column (one memcpy), then NaN where the validity bit is 0
//   VARCHAR -> dictionary codes: each string is looked up in a Map by a key made without decoding it (its bytes,
//              or for long strings DuckDB's 64-bit hash of it, selected alongside); only new labels get decoded
// Columns are allocated once for the expected row count (exact for materialised results, estimated from the
// file for CSV) and written in place: joining per-chunk blocks at the end would hold the data twice, since the
// blocks are only freed by a later garbage collection. (The generic getColumns() builds a JS value per cell
// and is several times slower.)

import duckdb from '@duckdb/node-bindings';
import type { DuckDBResult } from '@duckdb/node-api';
import { type Column, categoryColumn, datetimeColumn, Frame, numberColumn } from '../../core/frame.js';

/** What each result column holds: DOUBLE values (numbers, or dates as epoch ms) or VARCHAR labels. */
export type ResultColumnKind = 'number' | 'datetime' | 'category';

/**
 * The SELECT list resultToFrame expects: the column expressions in order, then `hash(expr)` for each
 * category column (in the same order), used as lookup keys for labels too long to key by their bytes.
 */
export function selectWithLabelHashes(expressions: readonly string[], kinds: readonly ResultColumnKind[]): string {
  const hashes = expressions.filter((_, j) => kinds[j] === 'category').map((e) => `hash(${e})`);
  return [...expressions, ...hashes].join(', ');
}

const decoder = new TextDecoder();

interface NumberSink {
  kind: 'number' | 'datetime';
  /** (capacity) values; rows [0, nRows) are filled */
  values: Float64Array;
}

interface LabelSink {
  kind: 'category';
  /** (capacity) codes; rows [0, nRows) are filled */
  codes: Int32Array;
  /** key -> code for labels of 7 bytes or more (see readLabels) */
  index: Map<string, number>;
  /** packed bytes -> code for labels of up to 6 bytes */
  packed: Map<number, number>;
  /** 53 bits of DuckDB's hash -> code, for labels over 12 bytes */
  hashed: Map<number, number>;
  /** (nLabels) UTF-8 byte length of each label, to check a hash hit */
  byteLengths: number[];
  /** the result column holding hash(label) */
  hashColumn: number;
  dictionary: string[];
}

type Sink = NumberSink | LabelSink;

export interface StreamOptions {
  /** stop after this many rows (for previews) */
  limit?: number;
  /** rows to allocate for up front (exact or estimated); columns grow by half when it is exceeded */
  expectedRows?: number;
}

/** Allocated when nothing better is known. */
const DEFAULT_CAPACITY = 65_536;
/** Growth factor when the estimate falls short. */
const GROWTH = 1.5;

/** Read every chunk of `result` into a Frame whose columns are `names` with `kinds`. */
export async function resultToFrame(
  result: DuckDBResult,
  names: readonly string[],
  kinds: readonly ResultColumnKind[],
  options: StreamOptions = {},
): Promise<Frame> {
  const limit = options.limit ?? Infinity;
  let capacity = Math.max(1, Math.ceil(Math.min(options.expectedRows ?? DEFAULT_CAPACITY, limit)));
  let hashColumn = names.length;
  const sinks: Sink[] = kinds.map((kind) =>
    kind === 'category'
      ? { kind, codes: new Int32Array(capacity), index: new Map(), packed: new Map(), hashed: new Map(), byteLengths: [], hashColumn: hashColumn++, dictionary: [] }
      : { kind, values: new Float64Array(capacity) },
  );
  let nRows = 0;
  while (nRows < limit) {
    const chunk = await result.fetchChunk();
    if (!chunk) break;
    const size = Math.min(chunk.rowCount, limit - nRows);
    if (size === 0) break;
    if (nRows + size > capacity) {
      capacity = Math.max(nRows + size, Math.ceil(capacity * GROWTH));
      for (const sink of sinks) grow(sink, capacity);
    }
    for (let c = 0; c < sinks.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
      const sink = sinks[c];
      if (sink.kind === 'category') readLabels(vector, duckdb.data_chunk_get_vector(chunk.chunk, sink.hashColumn), size, sink, nRows);
      else readDoubles(vector, size, sink.values, nRows);
    }
    nRows += size;
  }
  const columns: [string, Column][] = sinks.map((sink, c) => [names[c], finish(sink, nRows)]);
  return Frame.fromColumns(columns, nRows);
}

function grow(sink: Sink, capacity: number): void {
  if (sink.kind === 'category') {
    const codes = new Int32Array(capacity);
    codes.set(sink.codes);
    sink.codes = codes;
  } else {
    const values = new Float64Array(capacity);
    values.set(sink.values);
    sink.values = values;
  }
}

// The column as exactly nRows values: a view when the spare tail is small, else a trimmed copy.
function finish(sink: Sink, nRows: number): Column {
  const trim = <T extends Float64Array | Int32Array>(a: T): T =>
    (a.length - nRows > nRows / 4 + 4096 ? a.slice(0, nRows) : a.subarray(0, nRows)) as T;
  if (sink.kind === 'category') return categoryColumn(trim(sink.codes), sink.dictionary);
  const values = trim(sink.values);
  return sink.kind === 'number' ? numberColumn(values) : datetimeColumn(values);
}

/** Copy a DOUBLE vector's (size) values into out[at, at + size), NaN where the value is NULL. */
function readDoubles(vector: duckdb.Vector, size: number, out: Float64Array, at: number): void {
  const bytes = duckdb.vector_get_data(vector, size * 8);
  out.set(new Float64Array(bytes.buffer, bytes.byteOffset, size), at);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8);
  if (validity) {
    for (let i = 0; i < size; i++) if (((validity[i >> 3] >> (i & 7)) & 1) === 0) out[at + i] = NaN;
  }
}

/**
 * Dictionary codes for a VARCHAR vector's (size) values into sink.codes[at, at + size), -1 where NULL.
 * A DuckDB string is a 16-byte slot: a uint32 length, then either the bytes inline (length <= 12) or a 4-byte
 * prefix and a pointer. No key needs UTF-8 decoding per row; a label is decoded only when first seen:
 *   up to 6 bytes (most category labels): a number packed from the bytes
 *   7 to 12 bytes: the bytes as a binary string
 *   longer: 53 bits of DuckDB's 64-bit hash (from `hashes`), checked against the label's byte length
 */
function readLabels(vector: duckdb.Vector, hashes: duckdb.Vector, size: number, sink: LabelSink, at: number): void {
  const slots = duckdb.vector_get_data(vector, size * 16);
  const view = new DataView(slots.buffer, slots.byteOffset, slots.byteLength);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8);
  const hashBytes = duckdb.vector_get_data(hashes, size * 8);
  const hashView = new DataView(hashBytes.buffer, hashBytes.byteOffset, hashBytes.byteLength);
  const { codes, index, packed, hashed, byteLengths, dictionary } = sink;
  const add = (label: string, byteLength: number): number => {
    dictionary.push(label);
    byteLengths.push(byteLength);
    return dictionary.length - 1;
  };
  for (let i = 0; i < size; i++) {
    if (validity && ((validity[i >> 3] >> (i & 7)) & 1) === 0) {
      codes[at + i] = -1;
      continue;
    }
    const slot = i * 16;
    const length = view.getUint32(slot, true);
    let code: number | undefined;
    if (length <= 6) {
      // (length, bytes) packed into one exact integer below 2^51
      let key = length;
      for (let k = 0; k < length; k++) key = key * 256 + slots[slot + 4 + k];
      code = packed.get(key);
      if (code === undefined) packed.set(key, (code = add(decoder.decode(slots.subarray(slot + 4, slot + 4 + length)), length)));
    } else if (length <= 12) {
      const bytes = slots.subarray(slot + 4, slot + 4 + length);
      const key = String.fromCharCode.apply(null, bytes as unknown as number[]);
      code = index.get(key);
      if (code === undefined) index.set(key, (code = add(decoder.decode(bytes), length)));
    } else {
      const key = (hashView.getUint32(i * 8 + 4, true) & 0x1fffff) * 4294967296 + hashView.getUint32(i * 8, true);
      code = hashed.get(key);
      if (code === undefined || byteLengths[code] !== length) {
        // first sight (or, vanishingly rarely, a different label with the same 53 hash bits): decode and key by text
        const text = decoder.decode(duckdb.get_data_from_pointer(slots.buffer as ArrayBuffer, slots.byteOffset + slot + 8, length));
        const textKey = '\u0100' + text; // U+0100 never occurs in a binary key
        code = index.get(textKey);
        if (code === undefined) index.set(textKey, (code = add(text, length)));
        if (!hashed.has(key)) hashed.set(key, code);
      }
    }
    codes[at + i] = code;
  }
}
