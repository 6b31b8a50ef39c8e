// Reading delimited text (CSV, TSV, any delimiter, .gz) with DuckDB under a dialect we sniffed ourselves,
// so every guess is ours to explain. DuckDB gets explicit column types; when a later value does not fit a
// guessed type (a word in a "number" column) the column is re-read as text, and when the bytes turn out
// not to be UTF-8 the file is re-read as Latin-1. Malformed lines fail with file, line and column, or are
// skipped and counted with skipBadRows.

import { isUtf8 } from 'node:buffer';
import { DataParseError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { type BadRows, type RawRead, type ReadOptions, type TextEncoding, noBadRows } from '../read-options.js';
import { locateCsvError } from './csv-errors.js';
import { type CsvDialect, type SniffedType, showDelimiter, sniffCsv, unescapeDelimiter } from './csv-sniff.js';
import { type ResultColumnKind, resultToFrame, selectWithLabelHashes } from './duckdb-frame.js';
import { type DuckSession, duckMessage, sqlIdent, sqlString, withDuckSession } from './duckdb-session.js';
import type { FileSample } from './file-sample.js';

const MAX_BAD_ROW_EXAMPLES = 5;
/** DuckDB's CSV buffer; also the longest line it accepts (lines up to 2 MB by default). */
const READ_BUFFER_BYTES = 4 * 1024 * 1024;

export async function readCsv(file: string, sample: FileSample, options: ReadOptions): Promise<RawRead> {
  const started = performance.now();
  const notes: string[] = [];
  let encoding: TextEncoding = options.encoding ?? (utf8Prefix(sample.bytes, sample.wholeFile) ? 'utf-8' : 'latin-1');
  if (!options.encoding && encoding === 'latin-1') notes.push('the bytes are not valid UTF-8: read as Latin-1');
  const text = sample.bytes.toString(encoding === 'utf-8' ? 'utf8' : 'latin1');
  const dialect = sniffCsv(cutAtLastNewline(text, sample.wholeFile), {
    delimiter: options.delimiter,
    header: options.header,
    columns: options.columns,
    quote: options.quote === undefined ? undefined : options.quote === '' ? null : options.quote,
    skip: options.skipLines,
    wholeFile: sample.wholeFile,
    file,
  });
  notes.push(...dialect.notes);
  const sniffSeconds = (performance.now() - started) / 1000;
  const types = [...dialect.types];
  // each retry fixes one thing (a column's type, the encoding), so this bounds the loop
  for (let attempt = 0; attempt <= types.length + 1; attempt++) {
    const outcome = await withDuckSession((session) => readOnce(session, file, sample, dialect, types, encoding, options));
    if (outcome.ok) {
      return {
        frame: outcome.frame,
        report: {
          format: 'csv',
          gzip: sample.gzip,
          encoding,
          delimiter: dialect.delimiter,
          quote: dialect.quote,
          header: dialect.header,
          skipLines: dialect.skipLines,
          notes,
          badRows: outcome.badRows,
        },
        sniffSeconds,
      };
    }
    if (outcome.retypeColumn !== undefined) {
      types[outcome.retypeColumn] = 'VARCHAR';
      continue;
    }
    if (outcome.notUtf8 && encoding === 'utf-8' && !options.encoding) {
      encoding = 'latin-1';
      notes.push('the bytes are not valid UTF-8: read as Latin-1');
      continue;
    }
    throw await explain(outcome.error, file, sample.gzip, dialect, encoding);
  }
  throw new DataParseError(file, 'could not settle the column types', { hint: 'pass --delimiter and --columns explicitly' });
}

type Outcome =
  | { ok: true; frame: Frame; badRows: BadRows }
  | { ok: false; error: unknown; retypeColumn?: number; notUtf8?: boolean };

async function readOnce(
  session: DuckSession,
  file: string,
  sample: FileSample,
  dialect: CsvDialect,
  types: readonly SniffedType[],
  encoding: TextEncoding,
  options: ReadOptions,
): Promise<Outcome> {
  const columns = dialect.names.map((n, j) => `${sqlString(n)}: ${sqlString(types[j])}`).join(', ');
  const quote = dialect.quote === null ? "''" : sqlString(dialect.quote);
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
    // DuckDB's default 32 MB read buffers cost ~130 MB of RSS on two threads for no speed we could measure
    `buffer_size=${READ_BUFFER_BYTES}`,
  ];
  // Errors never stop the scan: a DuckDB stream that fails part-way just ends (its error is not surfaced by
  // the Node binding), which would silently drop rows. So every problem goes to reject_errors instead, and is
  // examined below: a type that does not fit is re-read as text, anything else fails or is counted.
  args.push('ignore_errors=true', 'store_rejects=true');
  // dates travel as epoch milliseconds so every numeric-like column arrives as DOUBLE
  const expressions = dialect.names.map((n, j) => (types[j] === 'DATE' || types[j] === 'TIMESTAMP' ? `CAST(epoch_ms(${sqlIdent(n)}) AS DOUBLE)` : sqlIdent(n)));
  const kinds: ResultColumnKind[] = types.map((t) => (t === 'DOUBLE' ? 'number' : t === 'VARCHAR' ? 'category' : 'datetime'));
  const projection = selectWithLabelHashes(expressions, kinds);
  const limit = options.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.limit))}` : '';
  let frame: Frame;
  try {
    const result = await session.connection.stream(`SELECT ${projection} FROM read_csv(${args.join(', ')})${limit}`);
    frame = await resultToFrame(result, dialect.names, kinds, { expectedRows: estimateRows(sample) });
  } catch (error) {
    return classify(error, dialect.names);
  }
  const rejects = await session.connection.runAndReadAll(
    'SELECT line, column_name, error_type, error_message FROM reject_errors ORDER BY line',
  );
  const badRows = noBadRows();
  const lines = new Set<number>();
  let first: { line: number; message: string } | null = null;
  for (const row of rejects.getRows()) {
    const [line, columnName, errorType, message] = row as [bigint | number, string | null, string, string];
    if (errorType === 'CAST' && columnName !== null) {
      // a value that does not fit the guessed type is not a bad row: re-read the column as text
      const j = dialect.names.indexOf(columnName);
      if (j >= 0) return { ok: false, error: new Error(message), retypeColumn: j };
    }
    if (errorType === 'INVALID UNICODE') return { ok: false, error: new Error(`CSV Error on Line: ${line}\n${message}`), notUtf8: true };
    const n = Number(line);
    first ??= { line: n, message };
    if (!lines.has(n)) {
      lines.add(n);
      if (badRows.examples.length < MAX_BAD_ROW_EXAMPLES) badRows.examples.push({ line: n, message: message.split('\n')[0] });
    }
  }
  if (first && !options.skipBadRows) return { ok: false, error: new Error(`CSV Error on Line: ${first.line}\n${first.message}`) };
  badRows.count = lines.size;
  return { ok: true, frame, badRows };
}

function classify(error: unknown, names: readonly string[]): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  const cast = /Error when converting column "((?:[^"]|"")*)"/.exec(message);
  if (cast) {
    const j = names.indexOf(cast[1].replaceAll('""', '"'));
    if (j >= 0) return { ok: false, error, retypeColumn: j };
  }
  if (/Invalid unicode|not utf-8 encoded/i.test(message)) return { ok: false, error, notUtf8: true };
  return { ok: false, error };
}

async function explain(error: unknown, file: string, gzip: boolean, dialect: CsvDialect, encoding: TextEncoding): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  const line = /CSV Error on Line: (\d+)/.exec(message);
  if (line) return locateCsvError({ file, gzip, encoding, dialect, line: Number(line[1]), duckMessage: message });
  if (/Invalid unicode|not utf-8 encoded/i.test(message))
    return new DataParseError(file, 'the text is not valid UTF-8', { hint: 'pass --encoding latin-1', cause: error });
  return new DataParseError(file, duckMessage(error), {
    hint: `read with delimiter ${showDelimiter(dialect.delimiter)}, ${dialect.header ? 'a header row' : 'no header row'}; if that is wrong, pass --delimiter, --no-header or --columns`,
    cause: error,
  });
}

/**
 * Rows to allocate for: the file size over the sample's bytes per line, plus 2 % (a short estimate costs a
 * regrowth, a long one idle memory). Unknown for gzip, whose size on disk says little.
 */
function estimateRows(sample: FileSample): number | undefined {
  if (sample.gzip) return undefined;
  let lines = 0;
  for (let i = sample.bytes.indexOf(10); i >= 0; i = sample.bytes.indexOf(10, i + 1)) lines++;
  if (sample.wholeFile || lines === 0) return lines + 1;
  return Math.ceil((sample.size / (sample.bytes.length / lines)) * 1.02) + 1024;
}

/** The sample is valid UTF-8 (a multi-byte character cut at the sample's end does not count against it). */
function utf8Prefix(bytes: Buffer, whole: boolean): boolean {
  if (isUtf8(bytes)) return true;
  if (whole) return false;
  for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) if (isUtf8(bytes.subarray(0, bytes.length - cut))) return true;
  return false;
}

function cutAtLastNewline(text: string, whole: boolean): string {
  if (whole) return text;
  const at = text.lastIndexOf('\n');
  return at > 0 ? text.slice(0, at + 1) : text;
}

export { unescapeDelimiter };
