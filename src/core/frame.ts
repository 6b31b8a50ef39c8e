// The Frame: named, typed columns of one length. Data is read once into a Frame and every later
// step (cleaning, features, training, serving) works on its typed arrays, never on row objects.

import { KilnError } from './errors.js';

/** Numbers; NaN marks a missing value. */
export interface NumberColumn {
  readonly kind: 'number';
  readonly values: Float64Array;
}

/** Categories as codes into a dictionary; -1 marks a missing value. */
export interface CategoryColumn {
  readonly kind: 'category';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

/** Free text; null marks a missing value. */
export interface TextColumn {
  readonly kind: 'text';
  readonly values: readonly (string | null)[];
}

/** Instants as epoch milliseconds (UTC); NaN marks a missing value. */
export interface DatetimeColumn {
  readonly kind: 'datetime';
  readonly values: Float64Array;
}

export type Column = NumberColumn | CategoryColumn | TextColumn | DatetimeColumn;
export type ColumnKind = Column['kind'];

export const numberColumn = (values: Float64Array): NumberColumn => ({ kind: 'number', values });
export const datetimeColumn = (values: Float64Array): DatetimeColumn => ({ kind: 'datetime', values });
export const textColumn = (values: readonly (string | null)[]): TextColumn => ({ kind: 'text', values });
export const categoryColumn = (codes: Int32Array, dictionary: readonly string[]): CategoryColumn => ({
  kind: 'category',
  codes,
  dictionary,
});

/** Build a category column from strings (null/undefined = missing); the dictionary keeps first-seen order. */
export function categoryFromStrings(values: ArrayLike<string | null | undefined>): CategoryColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = dictionary.length;
      index.set(v, code);
      dictionary.push(v);
    }
    codes[i] = code;
  }
  return categoryColumn(codes, dictionary);
}

export function columnLength(column: Column): number {
  return column.kind === 'category' ? column.codes.length : column.values.length;
}

export function isMissingAt(column: Column, row: number): boolean {
  switch (column.kind) {
    case 'number':
    case 'datetime':
      return Number.isNaN(column.values[row]);
    case 'category':
      return column.codes[row] < 0;
    case 'text':
      return column.values[row] === null;
  }
}

/** The value at a row as plain data (category → its label, datetime → epoch ms), null when missing. */
export function valueAt(column: Column, row: number): string | number | null {
  switch (column.kind) {
    case 'number':
    case 'datetime': {
      const v = column.values[row];
      return Number.isNaN(v) ? null : v;
    }
    case 'category': {
      const c = column.codes[row];
      return c < 0 ? null : column.dictionary[c];
    }
    case 'text':
      return column.values[row];
  }
}

export function countMissing(column: Column): number {
  let n = 0;
  const len = columnLength(column);
  for (let i = 0; i < len; i++) if (isMissingAt(column, i)) n++;
  return n;
}

/** Rows picked by index (in the given order) from one column. */
export function takeColumn(column: Column, indices: ArrayLike<number>): Column {
  const n = indices.length;
  switch (column.kind) {
    case 'number':
    case 'datetime': {
      const out = new Float64Array(n);
      const src = column.values;
      for (let i = 0; i < n; i++) out[i] = src[indices[i]];
      return { kind: column.kind, values: out };
    }
    case 'category': {
      const out = new Int32Array(n);
      const src = column.codes;
      for (let i = 0; i < n; i++) out[i] = src[indices[i]];
      return categoryColumn(out, column.dictionary);
    }
    case 'text': {
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) out[i] = column.values[indices[i]];
      return textColumn(out);
    }
  }
}

function sliceColumn(column: Column, start: number, end: number): Column {
  switch (column.kind) {
    case 'number':
    case 'datetime':
      return { kind: column.kind, values: column.values.slice(start, end) };
    case 'category':
      return categoryColumn(column.codes.slice(start, end), column.dictionary);
    case 'text':
      return textColumn(column.values.slice(start, end));
  }
}

export interface ColumnSchema {
  name: string;
  kind: ColumnKind;
}

/** An immutable table of named typed columns. Operations return new Frames that share unchanged columns. */
export class Frame {
  readonly nRows: number;
  readonly names: readonly string[];
  private readonly columns: ReadonlyMap<string, Column>;

  private constructor(names: string[], columns: Map<string, Column>, nRows: number) {
    this.names = Object.freeze(names);
    this.columns = columns;
    this.nRows = nRows;
  }

  /** Build from [name, column] pairs (order kept) or an object; all columns must have one length. */
  static fromColumns(input: Iterable<readonly [string, Column]> | Record<string, Column>, nRows?: number): Frame {
    const entries = Symbol.iterator in input ? [...(input as Iterable<readonly [string, Column]>)] : Object.entries(input);
    const names: string[] = [];
    const map = new Map<string, Column>();
    let length = nRows;
    for (const [name, col] of entries) {
      if (map.has(name)) throw new KilnError('E_DATA_SCHEMA', `duplicate column name "${name}"`);
      const len = columnLength(col);
      if (length === undefined) length = len;
      else if (len !== length)
        throw new KilnError('E_DATA_SCHEMA', `column "${name}" has ${len} rows, expected ${length}`);
      names.push(name);
      map.set(name, col);
    }
    return new Frame(names, map, length ?? 0);
  }

  static empty(): Frame {
    return new Frame([], new Map(), 0);
  }

  get nCols(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    return this.columns.has(name);
  }

  column(name: string): Column {
    const col = this.columns.get(name);
    if (!col) {
      throw new KilnError('E_DATA_SCHEMA', `no column "${name}"`, {
        hint: `columns are: ${this.names.slice(0, 30).join(', ')}${this.names.length > 30 ? ', …' : ''}`,
      });
    }
    return col;
  }

  schema(): ColumnSchema[] {
    return this.names.map((name) => ({ name, kind: this.column(name).kind }));
  }

  *entries(): IterableIterator<[string, Column]> {
    for (const name of this.names) yield [name, this.column(name)];
  }

  select(names: readonly string[]): Frame {
    return Frame.fromColumns(
      names.map((n) => [n, this.column(n)] as const),
      this.nRows,
    );
  }

  drop(names: readonly string[]): Frame {
    const gone = new Set(names);
    return this.select(this.names.filter((n) => !gone.has(n)));
  }

  /** a copy with `name` added or replaced (kept in place when it exists) */
  withColumn(name: string, column: Column): Frame {
    if (this.names.length > 0 && columnLength(column) !== this.nRows)
      throw new KilnError('E_DATA_SCHEMA', `column "${name}" has ${columnLength(column)} rows, expected ${this.nRows}`);
    const names = this.has(name) ? [...this.names] : [...this.names, name];
    const map = new Map(this.columns);
    map.set(name, column);
    return new Frame(names, map, columnLength(column));
  }

  rename(mapping: Record<string, string>): Frame {
    return Frame.fromColumns(
      this.names.map((n) => [mapping[n] ?? n, this.column(n)] as const),
      this.nRows,
    );
  }

  /** rows by index, in the order given */
  take(indices: ArrayLike<number>): Frame {
    return Frame.fromColumns(
      this.names.map((n) => [n, takeColumn(this.column(n), indices)] as const),
      indices.length,
    );
  }

  slice(start: number, end = this.nRows): Frame {
    const s = Math.max(0, Math.min(start, this.nRows));
    const e = Math.max(s, Math.min(end, this.nRows));
    return Frame.fromColumns(
      this.names.map((n) => [n, sliceColumn(this.column(n), s, e)] as const),
      e - s,
    );
  }

  /** one row as a plain object (for display and small outputs; not for hot paths) */
  row(index: number): Record<string, string | number | null> {
    const out: Record<string, string | number | null> = {};
    for (const name of this.names) out[name] = valueAt(this.column(name), index);
    return out;
  }

  toRecords(limit = this.nRows): Record<string, string | number | null>[] {
    const n = Math.min(limit, this.nRows);
    const out = new Array<Record<string, string | number | null>>(n);
    for (let i = 0; i < n; i++) out[i] = this.row(i);
    return out;
  }
}

/** Stack frames with the same column names and kinds; category dictionaries are merged. */
export function concatFrames(frames: readonly Frame[]): Frame {
  if (frames.length === 0) return Frame.empty();
  const first = frames[0];
  const total = frames.reduce((s, f) => s + f.nRows, 0);
  const cols: [string, Column][] = [];
  for (const name of first.names) {
    const parts = frames.map((f) => f.column(name));
    const kind = parts[0].kind;
    if (parts.some((p) => p.kind !== kind))
      throw new KilnError('E_DATA_SCHEMA', `column "${name}" has different kinds across the frames being stacked`);
    if (kind === 'number' || kind === 'datetime') {
      const out = new Float64Array(total);
      let at = 0;
      for (const p of parts as (NumberColumn | DatetimeColumn)[]) {
        out.set(p.values, at);
        at += p.values.length;
      }
      cols.push([name, { kind, values: out }]);
    } else if (kind === 'text') {
      cols.push([name, textColumn((parts as TextColumn[]).flatMap((p) => p.values))]);
    } else {
      const index = new Map<string, number>();
      const dictionary: string[] = [];
      const codes = new Int32Array(total);
      let at = 0;
      for (const p of parts as CategoryColumn[]) {
        const remap = p.dictionary.map((label) => {
          let c = index.get(label);
          if (c === undefined) {
            c = dictionary.length;
            index.set(label, c);
            dictionary.push(label);
          }
          return c;
        });
        for (let i = 0; i < p.codes.length; i++) codes[at + i] = p.codes[i] < 0 ? -1 : remap[p.codes[i]];
        at += p.codes.length;
      }
      cols.push([name, categoryColumn(codes, dictionary)]);
    }
  }
  return Frame.fromColumns(cols, total);
}
