// DatetimeParts: a datetime column becomes number columns a model can use — calendar parts (year, month, day,
// day of week, day of year, hour, minute, second) and the elapsed days since 1970 (a trend). Parts are read in
// UTC, the Frame's convention. 'auto' keeps the parts that vary in training (no "hour" for plain dates).

import type { Json } from '../core/artifact.js';
import { ModelFormatError } from '../core/errors.js';
import { type Column, Frame, numberColumn } from '../core/frame.js';
import { expectArray, expectString, expectStrings, type FittedTransform, freshName, replaceColumns, requireColumn, type TransformJson } from './transform.js';

export const DATE_PARTS = ['year', 'month', 'day', 'dayOfWeek', 'dayOfYear', 'hour', 'minute', 'second', 'elapsedDays'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

const DAY_MS = 86_400_000;

/** one part of an instant (epoch ms, UTC); dayOfWeek is 0 for Monday as in pandas */
export function datePart(ms: number, part: DatePart): number {
  if (Number.isNaN(ms)) return NaN;
  const d = new Date(ms);
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'dayOfWeek':
      return (d.getUTCDay() + 6) % 7;
    case 'dayOfYear':
      return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    case 'hour':
      return d.getUTCHours();
    case 'minute':
      return d.getUTCMinutes();
    case 'second':
      return d.getUTCSeconds();
    case 'elapsedDays':
      return ms / DAY_MS;
  }
}

export interface DatetimePartsOptions {
  /** columns to expand; default every datetime column */
  readonly columns?: readonly string[];
  /** the parts to make, or 'auto' (default): every part that takes more than one value in training */
  readonly parts?: readonly DatePart[] | 'auto';
}

interface PartsColumn {
  readonly name: string;
  readonly parts: readonly DatePart[];
  /** output column names, one per part */
  readonly outputs: readonly string[];
}

const OWNER = 'datetime parts';

export class DatetimeParts implements FittedTransform {
  readonly type = 'datetime-parts' as const;
  readonly columns: readonly PartsColumn[];
  readonly inputs: readonly string[];

  private constructor(columns: readonly PartsColumn[]) {
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ name: c.name, parts: [...c.parts], outputs: [...c.outputs] })));
    this.inputs = Object.freeze(columns.map((c) => c.name));
  }

  static fit(frame: Frame, options: DatetimePartsOptions = {}): DatetimeParts {
    const names = options.columns ?? frame.names.filter((n) => frame.column(n).kind === 'datetime');
    const taken = new Set(frame.names.filter((n) => !names.includes(n)));
    return new DatetimeParts(
      names.map((name) => {
        const values = (requireColumn(OWNER, frame, name, ['datetime']) as { values: Float64Array }).values;
        const parts = options.parts === undefined || options.parts === 'auto' ? DATE_PARTS.filter((p) => varies(values, p)) : [...options.parts];
        return { name, parts, outputs: parts.map((p) => freshName(`${name}.${p}`, taken)) };
      }),
    );
  }

  transform(frame: Frame): Frame {
    const replacements = new Map<string, (readonly [string, Column])[]>();
    for (const c of this.columns) {
      const values = (requireColumn(OWNER, frame, c.name, ['datetime']) as { values: Float64Array }).values;
      replacements.set(
        c.name,
        c.parts.map((part, k) => [c.outputs[k], numberColumn(Float64Array.from(values, (ms) => datePart(ms, part)))] as const),
      );
    }
    return replaceColumns(frame, replacements);
  }

  toJSON(): TransformJson {
    return { type: 'datetime-parts', columns: this.columns.map((c) => ({ name: c.name, parts: [...c.parts], outputs: [...c.outputs] }) as Json) };
  }

  static fromJSON(json: TransformJson): DatetimeParts {
    return new DatetimeParts(
      expectArray(OWNER, json.columns, 'columns').map((raw, i) => {
        const c = raw as Record<string, unknown>;
        const parts = expectStrings(OWNER, c?.parts, `columns[${i}].parts`);
        const outputs = expectStrings(OWNER, c.outputs, `columns[${i}].outputs`);
        if (!parts.every((p) => (DATE_PARTS as readonly string[]).includes(p)) || outputs.length !== parts.length)
          throw new ModelFormatError(`${OWNER}: columns[${i}] has unknown parts or mismatched outputs`);
        return { name: expectString(OWNER, c.name, `columns[${i}].name`), parts: parts as DatePart[], outputs };
      }),
    );
  }
}

function varies(values: Float64Array, part: DatePart): boolean {
  let first = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = datePart(values[i], part);
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return true;
  }
  return false;
}
