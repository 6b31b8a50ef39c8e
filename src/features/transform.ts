// What every fitted feature transform is: immutable data learned from training rows, that maps a Frame to a
// Frame by replacing the columns it reads with the columns it makes, and that serialises to plain JSON.
// Isomorphic (no node: imports): the browser runtime applies the same transforms.

import type { Json } from '../core/artifact.js';
import { KilnError, ModelFormatError } from '../core/errors.js';
import { type Column, type ColumnKind, Frame } from '../core/frame.js';

export type TransformType = 'impute' | 'scale' | 'one-hot' | 'ordinal' | 'target' | 'datetime-parts';

export interface TransformJson {
  readonly type: TransformType;
  readonly [key: string]: Json;
}

export interface FittedTransform {
  readonly type: TransformType;
  /** the input columns it reads (and replaces) */
  readonly inputs: readonly string[];
  transform(frame: Frame): Frame;
  toJSON(): TransformJson;
}

/**
 * A frame where each named column is replaced, in place, by the columns given for it (none drops it, several
 * expand it); every other column stays where it was. New names must not collide with existing ones.
 */
export function replaceColumns(frame: Frame, replacements: ReadonlyMap<string, readonly (readonly [string, Column])[]>): Frame {
  const out: (readonly [string, Column])[] = [];
  for (const name of frame.names) {
    const r = replacements.get(name);
    if (r) out.push(...r);
    else out.push([name, frame.column(name)]);
  }
  return Frame.fromColumns(out, frame.nRows);
}

/** The column, checked to be one of the kinds a transform accepts (fails naming the column). */
export function requireColumn(owner: string, frame: Frame, name: string, kinds: readonly ColumnKind[]): Column {
  if (!frame.has(name))
    throw new KilnError('E_DATA_SCHEMA', `${owner}: column "${name}" is missing`, { hint: 'the model was trained with it; supply it (null when unknown)' });
  const col = frame.column(name);
  if (!kinds.includes(col.kind)) throw new KilnError('E_DATA_SCHEMA', `${owner}: column "${name}" should be ${kinds.join(' or ')}, but is ${col.kind}`);
  return col;
}

/** The labels of a category-like column as strings (null when missing): categories, text, or numbers as text. */
export function labelsOf(col: Column): (i: number) => string | null {
  switch (col.kind) {
    case 'category':
      return (i) => (col.codes[i] < 0 ? null : col.dictionary[col.codes[i]]);
    case 'text':
      return (i) => col.values[i];
    case 'number':
    case 'datetime':
      return (i) => (Number.isNaN(col.values[i]) ? null : String(col.values[i]));
  }
}

/**
 * For a category column, a lookup from its dictionary codes to an index in `levels` (-1 when unknown), built once
 * per dictionary so the row loop is an array read; other kinds go through their labels.
 */
export function codeMapper(col: Column, index: ReadonlyMap<string, number>): (i: number) => number {
  if (col.kind === 'category') {
    const remap = new Int32Array(col.dictionary.length);
    for (let k = 0; k < remap.length; k++) remap[k] = index.get(col.dictionary[k]) ?? -1;
    const codes = col.codes;
    return (i) => (codes[i] < 0 ? -2 : remap[codes[i]]);
  }
  const label = labelsOf(col);
  return (i) => {
    const l = label(i);
    return l === null ? -2 : (index.get(l) ?? -1);
  };
}
/** codeMapper's result for a missing value (unknown labels give -1) */
export const MISSING_CODE = -2;

/** Sort labels as scikit-learn sorts strings (by code unit; equal to code point order outside the astral planes). */
export function sortLabels(labels: Iterable<string>): string[] {
  return [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Shared shape checks for fromJSON: fail with a format error rather than a TypeError later. */
export function expectArray(owner: string, value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ModelFormatError(`${owner}: ${what} must be a list`);
  return value;
}

export function expectString(owner: string, value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ModelFormatError(`${owner}: ${what} must be a string`);
  return value;
}

export function expectNumber(owner: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ModelFormatError(`${owner}: ${what} must be a finite number`);
  return value;
}

export function expectStrings(owner: string, value: unknown, what: string): string[] {
  const a = expectArray(owner, value, what);
  a.forEach((v, i) => expectString(owner, v, `${what}[${i}]`));
  return a as string[];
}

/** a new column name that does not clash with `taken` (adds #2, #3... when needed) */
export function freshName(base: string, taken: Set<string>): string {
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}#${k}`;
  taken.add(name);
  return name;
}
