// The request path's fast route from JSON records to a Frame: the same rules and the same Frame as the features
// layer's recordsToFrame (signature.ts), with everything that does not depend on the request prepared once per
// signature (label → code maps, the set of known keys) and no closure or Set built per request. Decoding stops
// at the first problem and returns null; the caller then runs recordsToFrame, which collects every issue into
// the canonical ValidationError. So this file decides nothing about what is valid; it only has to agree with
// recordsToFrame on valid input, and the tests check that it does.
//
// Readable form of the loop (recordsToFrame, for valid input):
//   for each record i, for each signature column c:
//     key absent → required? problem : missing;   null → missing
//     number: finite number · datetime: finite number or ISO text · text: string
//     category: string, or a finite number / boolean as its text; labels beyond the training list are appended
//   any key that is not a signature column → problem

import { categoryColumn, datetimeColumn, Frame, numberColumn, textColumn, type Column } from '../core/frame.js';
import { parseIsoDateTime, type Signature, type SignatureColumn } from '../features/index.js';

interface Prepared {
  readonly name: string;
  readonly type: SignatureColumn['type'];
  readonly required: boolean;
  /** category: the training labels in order, and label → code */
  readonly labels: readonly string[];
  readonly codes: ReadonlyMap<string, number>;
}

export class RecordDecoder {
  private readonly columns: readonly Prepared[];
  private readonly known: ReadonlySet<string>;

  constructor(signature: Signature) {
    this.columns = signature.columns.map((c) => {
      // frozen: shared by every Frame this decoder builds (Frames never change their dictionaries)
      const labels = Object.freeze(c.type === 'category' ? [...(c.categories ?? [])] : []);
      return { name: c.name, type: c.type, required: c.required, labels, codes: new Map(labels.map((l, k) => [l, k])) };
    });
    this.known = new Set(signature.columns.map((c) => c.name));
  }

  /** The Frame recordsToFrame would build, or null when any record has a problem (let recordsToFrame report it). */
  decode(records: readonly unknown[]): Frame | null {
    const n = records.length;
    for (let i = 0; i < n; i++) {
      const rec = records[i];
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return null;
      // every key must be a column (checked without building a key list)
      for (const key in rec) if (Object.hasOwn(rec, key) && !this.known.has(key)) return null;
    }
    const out = new Array<readonly [string, Column]>(this.columns.length);
    for (let j = 0; j < this.columns.length; j++) {
      const column = this.decodeColumn(this.columns[j], records as readonly Record<string, unknown>[]);
      if (!column) return null;
      out[j] = [this.columns[j].name, column];
    }
    return Frame.fromColumns(out, n);
  }

  private decodeColumn(c: Prepared, records: readonly Record<string, unknown>[]): Column | null {
    const n = records.length;
    const name = c.name;
    switch (c.type) {
      case 'number': {
        const values = new Float64Array(n); // (nRows) NaN = missing
        for (let i = 0; i < n; i++) {
          const rec = records[i];
          const v = rec[name];
          if (typeof v === 'number') {
            if (!Number.isFinite(v) || !Object.hasOwn(rec, name)) return null;
            values[i] = v;
          } else if (v === null || (v === undefined && !c.required && !Object.hasOwn(rec, name))) values[i] = NaN;
          else return null;
        }
        return numberColumn(values);
      }
      case 'category': {
        const codes = new Int32Array(n); // (nRows) -1 = missing
        let dictionary: string[] | null = null; // copied only when a label outside training arrives
        let extra: Map<string, number> | null = null;
        for (let i = 0; i < n; i++) {
          const rec = records[i];
          const v = rec[name];
          let label: string;
          if (typeof v === 'string') label = v;
          else if (v === null || (v === undefined && !c.required && !Object.hasOwn(rec, name))) {
            codes[i] = -1;
            continue;
          } else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') label = String(v);
          else return null;
          if (!Object.hasOwn(rec, name)) return null;
          let code = c.codes.get(label) ?? extra?.get(label);
          if (code === undefined) {
            dictionary ??= [...c.labels];
            extra ??= new Map();
            code = dictionary.length;
            extra.set(label, code);
            dictionary.push(label);
          }
          codes[i] = code;
        }
        return categoryColumn(codes, dictionary ?? c.labels);
      }
      case 'text': {
        const values = new Array<string | null>(n);
        for (let i = 0; i < n; i++) {
          const rec = records[i];
          const v = rec[name];
          if (typeof v === 'string' && Object.hasOwn(rec, name)) values[i] = v;
          else if (v === null || (v === undefined && !c.required && !Object.hasOwn(rec, name))) values[i] = null;
          else return null;
        }
        return textColumn(values);
      }
      case 'datetime': {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const rec = records[i];
          const v = rec[name];
          let ms: number;
          if (v === null || (v === undefined && !c.required && !Object.hasOwn(rec, name))) ms = NaN;
          else if (!Object.hasOwn(rec, name)) return null;
          else if (typeof v === 'number') {
            if (!Number.isFinite(v)) return null;
            ms = v;
          } else if (typeof v === 'string') {
            ms = parseIsoDateTime(v);
            if (Number.isNaN(ms)) return null;
          } else return null;
          values[i] = ms;
        }
        return datetimeColumn(values);
      }
    }
  }
}

const decoders = new WeakMap<Signature, RecordDecoder>();

/** The decoder of a signature, built on first use. */
export function decoderFor(signature: Signature): RecordDecoder {
  let d = decoders.get(signature);
  if (!d) decoders.set(signature, (d = new RecordDecoder(signature)));
  return d;
}
