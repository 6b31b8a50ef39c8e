// Turning DuckDB's "CSV Error on Line: N" into a DataParseError a person can act on: we re-read the file up
// to that line ourselves, find the record it belongs to, and name the column where it goes wrong
// (where an extra field starts, where a line ends too early, where a quote opens and never closes).

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DataParseError } from '../../core/errors.js';
import type { TextEncoding } from '../read-options.js';
import type { CsvDialect } from './csv-sniff.js';
import { tokenize } from './csv-tokenize.js';

export interface CsvErrorContext {
  file: string;
  gzip: boolean;
  encoding: TextEncoding;
  dialect: CsvDialect;
  /** the physical line DuckDB reported (1-based) */
  line: number;
  duckMessage: string;
}

/** lines gathered after the reported one when a quote may span several lines */
const MAX_RECORD_LINES = 200;

const SKIP_HINT = 'fix that line, or pass --skip-bad-rows to skip malformed lines (they are counted in the report)';

export async function locateCsvError(context: CsvErrorContext): Promise<DataParseError> {
  const { file, dialect } = context;
  const expected = dialect.names.length;
  const record = await recordAt(context);
  const reported = context.duckMessage.split('\n').find((l) => /Expected Number|unterminated|quote/i.test(l))?.trim();
  if (!record) return new DataParseError(file, reported ?? 'malformed line', { line: context.line, hint: SKIP_HINT });
  // an opening quote that pairs up with quotes on later lines still started on this line: look at it alone
  const firstLine = record.text.split(/\r?\n/)[0];
  const alone = /unterminated/i.test(context.duckMessage) ? tokenize(firstLine, dialect.delimiter, dialect.quote, 1) : null;
  const tok = alone?.unterminated ? alone : tokenize(record.text, dialect.delimiter, dialect.quote, 1);
  if (tok.unterminated) {
    return new DataParseError(file, 'a quoted value opens here and is never closed', {
      line: record.startLine + tok.unterminated.line - 1,
      column: tok.unterminated.column,
      hint: `${SKIP_HINT}; if quotes are part of the text, pass --quote none`,
    });
  }
  const parsed = tok.records[0];
  if (parsed && parsed.fields.length !== expected) {
    const found = parsed.fields.length;
    const tooMany = found > expected;
    // the column where the first extra field starts, or the end of the short line
    const column = tooMany ? parsed.starts[expected] + 1 : firstLine.length + 1;
    return new DataParseError(
      file,
      `${found} fields where ${expected} were expected (${tooMany ? `field ${expected + 1} starts here` : 'the line ends here'})`,
      { line: record.startLine, column, hint: `${SKIP_HINT}; ${layoutHint(dialect)}` },
    );
  }
  return new DataParseError(file, reported ?? 'malformed line', { line: context.line, hint: SKIP_HINT });
}

/** How the file was read, and the options that change it: a wrong guess often shows up as a field count. */
function layoutHint(dialect: CsvDialect): string {
  const how = `read with delimiter ${JSON.stringify(dialect.delimiter)} and ${dialect.header ? 'a header row' : 'no header row'}`;
  return `${how}; if that is wrong, pass --delimiter, ${dialect.header ? '--no-header' : '--header'} or --columns`;
}

/**
 * The text of the record that contains physical line `line`: lines are read in order while counting quote
 * characters, since a record continues over line breaks while a quote is open (an odd count so far).
 */
async function recordAt(context: CsvErrorContext): Promise<{ text: string; startLine: number } | null> {
  const { quote } = context.dialect;
  const input = createReadStream(context.file);
  const stream = context.gzip ? input.pipe(createGunzip()) : input;
  stream.setEncoding(context.encoding === 'utf-8' ? 'utf8' : 'latin1');
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let open = false;
  let startLine = 1;
  let gathered: string[] = [];
  try {
    for await (const text of lines) {
      lineNo++;
      if (!open) {
        startLine = lineNo;
        gathered = [];
      }
      gathered.push(text);
      if (quote !== null) {
        let count = 0;
        for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) count++;
        if (count % 2 === 1) open = !open;
      }
      if (lineNo >= context.line && (!open || lineNo - context.line >= MAX_RECORD_LINES)) {
        return { text: gathered.join('\n'), startLine };
      }
    }
  } catch {
    return null;
  } finally {
    lines.close();
    input.destroy();
  }
  return gathered.length && lineNo >= context.line ? { text: gathered.join('\n'), startLine } : null;
}
