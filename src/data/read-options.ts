// Options every reader understands, and what a read reports back besides the Frame.

import type { Frame } from '../core/frame.js';
import type { DataSchema, SemanticType } from './schema.js';

export type FileFormat = 'csv' | 'json' | 'ndjson' | 'parquet';
export type TextEncoding = 'utf-8' | 'latin-1';

export interface ReadOptions {
  /** force a file format instead of detecting it from the name and the first bytes */
  format?: FileFormat;
  /** field delimiter for delimited text (default: guessed); "\t" or "tab" for tabs */
  delimiter?: string;
  /** whether the first row names the columns (default: guessed) */
  header?: boolean;
  /** column names, in order (for files without a header, or to rename) */
  columns?: string[];
  /** the quote character; null when quotes are plain text (default: guessed) */
  quote?: string | null;
  /** lines to skip at the top of a delimited file (default: junk lines are guessed) */
  skipLines?: number;
  /** text encoding (default: UTF-8, or Latin-1 when the bytes are not valid UTF-8) */
  encoding?: TextEncoding;
  /** database table to read (sqlite:, postgres://) */
  table?: string;
  /** SQL query to read (sqlite:, postgres://) */
  query?: string;
  /** extra labels read as missing, on top of '', NA, N/A, null, NaN, ? */
  missing?: string[];
  /** skip malformed lines (wrong field count, broken quotes) and count them instead of failing */
  skipBadRows?: boolean;
  /** fix the semantic type of named columns instead of inferring it */
  types?: Record<string, SemanticType>;
  /** infer semantic types and convert columns (default true); false keeps the raw kinds */
  infer?: boolean;
  /** read at most this many rows */
  limit?: number;
}

export interface BadRows {
  count: number;
  /** the first few, with the 1-based line and what was wrong */
  examples: { line: number; message: string }[];
}

/** How a source was read: shown in profiles and kept in reports. */
export interface SourceReport {
  /** the source as given, password removed */
  source: string;
  kind: 'file' | 'sqlite' | 'postgres' | 'http';
  format?: FileFormat;
  gzip?: boolean;
  encoding?: TextEncoding;
  delimiter?: string;
  quote?: string | null;
  header?: boolean;
  skipLines?: number;
  /** guesses and decisions, in words */
  notes: string[];
  badRows: BadRows;
  /** wall time of the whole read */
  readSeconds: number;
  /** where the time went, in seconds: looking at the file and guessing its layout, parsing into raw columns
   * (including DuckDB), inferring and converting types */
  phases: { sniff: number; parse: number; infer: number };
}

/** A Frame with its inferred schema and how it was read. */
export interface Dataset {
  frame: Frame;
  /** the columns as the source stored them, before type inference (shares unchanged columns with frame) */
  raw: Frame;
  schema: DataSchema;
  source: SourceReport;
}

/** What a source reader hands back before type inference. */
export interface RawRead {
  frame: Frame;
  report: Omit<SourceReport, 'source' | 'kind' | 'readSeconds' | 'phases'>;
  /** seconds spent sampling and sniffing before parsing, when the reader does that */
  sniffSeconds?: number;
}

export function noBadRows(): BadRows {
  return { count: 0, examples: [] };
}
