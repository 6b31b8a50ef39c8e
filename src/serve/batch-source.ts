// Where batch scoring reads a file from: the DuckDB table function that reads it. Delimited text is read under
// the data layer's own sniffed dialect (delimiter, quotes, header, junk lines, encoding) with every column as
// VARCHAR, so the scored file keeps each input value exactly as written and the model's columns are parsed by
// the data layer's rules (see batch-score.ts); JSON, NDJSON and Parquet keep their stored types.

import { isUtf8 } from 'node:buffer';
import { DataParseError } from '../core/errors.js';
import type { ReadOptions } from '../data/index.js';
import { sniffCsv } from '../data/sources/csv-sniff.js';
import { sampleFile } from '../data/sources/file-sample.js';

export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
export const sqlIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export interface FileRelation {
  /** a DuckDB FROM expression */
  sql: string;
  format: 'csv' | 'json' | 'ndjson' | 'parquet';
}

/** The bytes of a sample are UTF-8, allowing a character cut in half at the end of a partial sample. */
function utf8Sample(bytes: Buffer, whole: boolean): boolean {
  if (isUtf8(bytes)) return true;
  if (whole) return false;
  for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) if (isUtf8(bytes.subarray(0, bytes.length - cut))) return true;
  return false;
}

export async function fileRelation(file: string, options: ReadOptions = {}): Promise<FileRelation> {
  const sample = await sampleFile(file, options.format);
  const gzip = sample.gzip ? ", compression='gzip'" : '';
  switch (sample.format) {
    case 'parquet':
      return { sql: `read_parquet(${sqlString(file)})`, format: 'parquet' };
    case 'json':
      return { sql: `read_json(${sqlString(file)}, format='array'${gzip})`, format: 'json' };
    case 'ndjson':
      return { sql: `read_json(${sqlString(file)}, format='newline_delimited'${gzip})`, format: 'ndjson' };
    case 'csv':
      break;
    default:
      throw new DataParseError(file, `cannot score a ${String(sample.format)} file`);
  }
  const encoding = options.encoding ?? (utf8Sample(sample.bytes, sample.wholeFile) ? 'utf-8' : 'latin-1');
  let text = sample.bytes.toString(encoding === 'utf-8' ? 'utf8' : 'latin1');
  if (!sample.wholeFile) text = text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1)) || text;
  const dialect = sniffCsv(text, {
    delimiter: options.delimiter,
    header: options.header,
    columns: options.columns,
    quote: options.quote === undefined ? undefined : options.quote === '' ? null : options.quote,
    skip: options.skipLines,
    wholeFile: sample.wholeFile,
    file,
  });
  const quote = dialect.quote === null ? "''" : sqlString(dialect.quote);
  const columns = dialect.names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ');
  const args = [
    sqlString(file),
    `delim=${sqlString(dialect.delimiter)}`,
    `quote=${quote}`,
    `escape=${quote}`,
    `header=${dialect.header}`,
    `skip=${dialect.skipLines}`,
    `columns={${columns}}`,
    'auto_detect=false',
    `encoding=${sqlString(encoding)}`,
    `compression=${sample.gzip ? "'gzip'" : "'none'"}`,
    // DuckDB's default 32 MB read buffer alone would not fit a small memory limit; lines up to 2 MB still fit
    `buffer_size=${4 * 1024 * 1024}`,
  ];
  return { sql: `read_csv(${args.join(', ')})`, format: 'csv' };
}
