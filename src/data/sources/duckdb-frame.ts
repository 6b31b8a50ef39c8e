// Materialising a DuckDB result as a Frame, chunk by chunk, straight from DuckDB's vectors:
//   DOUBLE  -> copy the chunk's Float64 data into a block (one memcpy), then NaN where the validity bit is 0
//   VARCHAR -> dictionary codes: each string's bytes are looked up in a Map; only new labels get decoded
// Blocks are joined once at the end, one column at a time, so peak memory is the data plus one column.
// (The generic getColumns() builds a JS value per cell and is several times slower.)

import duckdb from '@duckdb/node-bindings';
import type { DuckDBResult } from '@duckdb/node-api';
import { type Column, categoryColumn, datetimeColumn, Frame, numberColumn } from '../../core/frame.js';

/** What each result column holds: DOUBLE values (numbers, or dates as epoch ms) or VARCHAR labels. */
export type ResultColumnKind = 'number' | 'datetime' | 'category';

const decoder = new TextDecoder();

interface NumberSink {
  kind: 'number' | 'datetime';
  blocks: Float64Array[];
}

interface LabelSink {
  kind: 'category';
  blocks: Int32Array[];
  /** key -> code; keys of short strings are their raw bytes as a binary string (see readLabels) */
  index: Map<string, number>;
  dictionary: string[];
}

type Sink = NumberSink | LabelSink;

export interface StreamOptions {
  /** stop after this many rows (for previews) */
  limit?: number;
}

/** Read every chunk of `result` into a Frame whose columns are `names` with `kinds`. */
export async function resultToFrame(
  result: DuckDBResult,
  names: readonly string[],
  kinds: readonly ResultColumnKind[],
  options: StreamOptions = {},
): Promise<Frame> {
  const sinks: Sink[] = kinds.map((kind) =>
    kind === 'category' ? { kind, blocks: [], index: new Map(), dictionary: [] } : { kind, blocks: [] },
  );
  const limit = options.limit ?? Infinity;
  let nRows = 0;
  while (nRows < limit) {
    const chunk = await result.fetchChunk();
    if (!chunk) break;
    const size = Math.min(chunk.rowCount, limit - nRows);
    if (size === 0) break;
    for (let c = 0; c < sinks.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
      const sink = sinks[c];
      if (sink.kind === 'category') sink.blocks.push(readLabels(vector, size, sink));
      else sink.blocks.push(readDoubles(vector, size));
    }
    nRows += size;
  }
  const columns: [string, Column][] = [];
  for (let c = 0; c < sinks.length; c++) {
    columns.push([names[c], joinSink(sinks[c], nRows)]);
    sinks[c].blocks = []; // let the blocks go before the next column is joined
  }
  return Frame.fromColumns(columns, nRows);
}

/** (size) float64 copy of a DOUBLE vector, NaN where the value is NULL. */
function readDoubles(vector: duckdb.Vector, size: number): Float64Array {
  const bytes = duckdb.vector_get_data(vector, size * 8);
  const out = new Float64Array(size);
  out.set(new Float64Array(bytes.buffer, bytes.byteOffset, size));
  const validity = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8);
  if (validity) {
    for (let i = 0; i < size; i++) if (((validity[i >> 3] >> (i & 7)) & 1) === 0) out[i] = NaN;
  }
  return out;
}

/**
 * (size) dictionary codes for a VARCHAR vector, -1 where NULL. A DuckDB string is a 16-byte slot: a uint32
 * length, then either the bytes inline (length <= 12) or a 4-byte prefix and a pointer. Short strings are
 * keyed by their raw bytes (String.fromCharCode on the slot, no UTF-8 decoding per row); long ones are decoded
 * and marked with a leading U+0100.
 * A label is decoded properly only the first time it is seen.
 */
function readLabels(vector: duckdb.Vector, size: number, sink: LabelSink): Int32Array {
  const slots = duckdb.vector_get_data(vector, size * 16);
  const view = new DataView(slots.buffer, slots.byteOffset, slots.byteLength);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8);
  const codes = new Int32Array(size);
  const { index, dictionary } = sink;
  for (let i = 0; i < size; i++) {
    if (validity && ((validity[i >> 3] >> (i & 7)) & 1) === 0) {
      codes[i] = -1;
      continue;
    }
    const at = i * 16;
    const length = view.getUint32(at, true);
    let key: string;
    let bytes: Uint8Array | null = null;
    if (length <= 12) {
      bytes = slots.subarray(at + 4, at + 4 + length);
      key = String.fromCharCode.apply(null, bytes as unknown as number[]);
    } else {
      bytes = duckdb.get_data_from_pointer(slots.buffer as ArrayBuffer, slots.byteOffset + at + 8, length);
      // U+0100 never occurs in a binary key, so a decoded long label cannot collide with a short one's bytes
      key = '\u0100' + decoder.decode(bytes);
    }
    let code = index.get(key);
    if (code === undefined) {
      code = dictionary.length;
      index.set(key, code);
      dictionary.push(length <= 12 ? decoder.decode(bytes) : key.slice(1));
    }
    codes[i] = code;
  }
  return codes;
}

function joinSink(sink: Sink, nRows: number): Column {
  if (sink.kind === 'category') {
    const codes = new Int32Array(nRows);
    let at = 0;
    for (const b of sink.blocks) {
      codes.set(b, at);
      at += b.length;
    }
    return categoryColumn(codes, sink.dictionary);
  }
  const values = new Float64Array(nRows);
  let at = 0;
  for (const b of sink.blocks) {
    values.set(b, at);
    at += b.length;
  }
  return sink.kind === 'number' ? numberColumn(values) : datetimeColumn(values);
}
