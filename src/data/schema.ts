// What the data layer knows about each column beyond its physical kind: the semantic type a person would
// name (boolean, identifier, free text...), how raw values were parsed into it, and what was odd on the way.
// Pure data, no node: imports, so recipes and the browser runtime can carry it.

import type { ColumnKind } from '../core/frame.js';

/** The semantic type of a column. Physical storage is always one of the Frame kinds (see `kindFor`). */
export type SemanticType = 'number' | 'category' | 'boolean' | 'datetime' | 'text' | 'identifier';

export const SEMANTIC_TYPES: readonly SemanticType[] = ['number', 'category', 'boolean', 'datetime', 'text', 'identifier'];

/** How numbers written as text are read: `1,234.5`, `$12`, `45 %`, `1.234,5`. */
export interface NumberFormat {
  /** the decimal mark */
  decimal: '.' | ',';
  /** the thousands separator seen in the data, or null */
  thousands: ',' | '.' | ' ' | "'" | null;
  /** a currency sign seen in front of or after the numbers, or null */
  currency: string | null;
  /** values carried a trailing % (the number is kept as written: "45%" -> 45) */
  percent: boolean;
}

/** Date layouts Kiln recognises in text; `iso` covers `2024-05-01`, `2024-05-01 13:45:00`, `2024-05-01T13:45Z`. */
export type DateFormat = 'iso' | 'ymd' | 'dmy' | 'mdy' | 'd-mon-y' | 'mon-d-y';

/** How to turn whatever arrives (number, label, text) into the column's physical kind. */
export interface ColumnParse {
  kind: ColumnKind;
  /** labels (compared after trimming surrounding whitespace) that mean "missing" */
  markers: string[];
  number?: NumberFormat;
  date?: DateFormat;
}

/** Everything known about one column after inference. */
export interface ColumnInfo {
  name: string;
  type: SemanticType;
  kind: ColumnKind;
  parse: ColumnParse;
  /** rows missing after parsing (markers included) */
  missing: number;
  /** how many values each marker turned into "missing", e.g. { "?": 1836, " ": 11 } */
  markersFound: Record<string, number>;
  /** the source stored this column as text but it holds numbers/dates/booleans */
  convertedFromText: boolean;
  /** set when the column mixes kinds of values, e.g. mostly numbers with a few words */
  mixed?: { dominant: 'number' | 'datetime'; share: number; examples: string[] };
  /** a short reason for the chosen type, shown in profiles */
  reason: string;
}

export interface DataSchema {
  columns: ColumnInfo[];
}

/** The physical Frame kind that stores a semantic type (numeric booleans and ids stay numbers). */
export function kindFor(type: SemanticType, sourceKind: ColumnKind): ColumnKind {
  switch (type) {
    case 'number':
      return 'number';
    case 'datetime':
      return 'datetime';
    case 'text':
      return 'text';
    case 'boolean':
      return sourceKind === 'number' ? 'number' : 'category';
    case 'identifier':
      return sourceKind === 'number' ? 'number' : 'text';
    case 'category':
      return 'category';
  }
}

/** The missing-value markers every reader recognises (compared after trimming). Users add more with `missing`. */
export const DEFAULT_MISSING_MARKERS: readonly string[] = ['', 'NA', 'N/A', 'n/a', 'null', 'NULL', 'NaN', 'nan', '?'];
