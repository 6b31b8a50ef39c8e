// The fingerprint of the data a run learned from: sha256 over the column names, kinds and typed values (so the
// same table gives the same hash whether it came from CSV, Parquet or PostgreSQL), the row count and the schema.

import { sha256 } from '@noble/hashes/sha2.js';
import type { Json } from '../../core/artifact.js';
import type { Frame } from '../../core/frame.js';

export interface DataFingerprint {
  readonly sha256: string;
  readonly rows: number;
  readonly columns: readonly { readonly name: string; readonly kind: string }[];
}

const encoder = new TextEncoder();

export function fingerprint(frame: Frame): DataFingerprint {
  const h = sha256.create();
  const text = (s: string): void => {
    h.update(encoder.encode(s));
    h.update(new Uint8Array([0]));
  };
  text(`${frame.nRows}`);
  for (const [name, col] of frame.entries()) {
    text(name);
    text(col.kind);
    if (col.kind === 'number' || col.kind === 'datetime') h.update(new Uint8Array(col.values.buffer, col.values.byteOffset, col.values.byteLength));
    else if (col.kind === 'category') {
      // labels, not codes: the sorted labels, then each row's rank among them (dictionary order does not matter)
      const order = col.dictionary.map((label, code) => ({ label, code })).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
      const rank = new Int32Array(col.dictionary.length);
      order.forEach((o, r) => {
        rank[o.code] = r;
        text(o.label);
      });
      const ranks = Int32Array.from(col.codes, (c) => (c < 0 ? -1 : rank[c]));
      h.update(new Uint8Array(ranks.buffer));
    } else for (const v of col.values) text(v ?? '\u0001');
  }
  let hex = '';
  for (const b of h.digest()) hex += b.toString(16).padStart(2, '0');
  return { sha256: hex, rows: frame.nRows, columns: frame.schema() };
}

export function fingerprintJson(f: DataFingerprint): Json {
  return { sha256: f.sha256, rows: f.rows, columns: f.columns.map((c) => ({ name: c.name, kind: c.kind })) };
}
