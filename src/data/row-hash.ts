// Finding exact duplicate rows without building row objects: one 32-bit hash per row, mixed column by
// column (a cache-friendly pass over each typed array), then rows with equal hashes are compared exactly.
// Missing values are equal to each other. Pure.

import type { Column, Frame } from '../core/frame.js';

/** (nRows) 1 where the row repeats an earlier row exactly, else 0. */
export function duplicateRows(frame: Frame, columns: readonly string[] = frame.names): Uint8Array {
  const n = frame.nRows;
  const cols = columns.map((name) => frame.column(name));
  const hashes = new Int32Array(n).fill(0x811c9dc5); // (nRows)
  for (const col of cols) mixColumn(hashes, col);
  const duplicate = new Uint8Array(n);
  // hash -> first row with it, or the list of distinct rows sharing it (collisions are rare)
  const seen = new Map<number, number | number[]>();
  for (let i = 0; i < n; i++) {
    const h = hashes[i];
    const prior = seen.get(h);
    if (prior === undefined) {
      seen.set(h, i);
    } else if (typeof prior === 'number') {
      if (rowsEqual(cols, prior, i)) duplicate[i] = 1;
      else seen.set(h, [prior, i]);
    } else {
      if (prior.some((r) => rowsEqual(cols, r, i))) duplicate[i] = 1;
      else prior.push(i);
    }
  }
  return duplicate;
}

export function countDuplicates(frame: Frame, columns?: readonly string[]): number {
  const flags = duplicateRows(frame, columns);
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i];
  return n;
}

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);

function mix(h: number, v: number): number {
  // FNV-1a style step on a 32-bit word, then a multiply to spread the bits
  return Math.imul(h ^ v, 0x01000193);
}

function mixColumn(hashes: Int32Array, col: Column): void {
  const n = hashes.length;
  switch (col.kind) {
    case 'number':
    case 'datetime':
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        // every NaN hashes alike; -0 and 0 alike
        scratch[0] = v !== v ? NaN : v === 0 ? 0 : v;
        hashes[i] = mix(mix(hashes[i], words[0]), words[1]);
      }
      break;
    case 'category':
      for (let i = 0; i < n; i++) hashes[i] = mix(hashes[i], col.codes[i] + 2);
      break;
    case 'text':
      for (let i = 0; i < n; i++) hashes[i] = mix(hashes[i], stringHash(col.values[i]));
      break;
  }
}

function stringHash(s: string | null): number {
  if (s === null) return 0x9e3779b9;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function rowsEqual(cols: readonly Column[], a: number, b: number): boolean {
  for (const col of cols) {
    switch (col.kind) {
      case 'number':
      case 'datetime': {
        const x = col.values[a];
        const y = col.values[b];
        if (x !== y && !(x !== x && y !== y)) return false;
        break;
      }
      case 'category':
        if (col.codes[a] !== col.codes[b]) return false;
        break;
      case 'text':
        if (col.values[a] !== col.values[b]) return false;
        break;
    }
  }
  return true;
}
