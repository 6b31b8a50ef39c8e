// A small CSV tokenizer for samples and diagnostics (DuckDB does the real reading). It splits text into
// records under one dialect and notes what looks wrong: quotes that open and never close, and "stray" quotes
// that sit inside a value instead of around it (a sign the file does not use quoting at all).

export interface TokenizedRecord {
  fields: string[];
  /** 1-based line where the record starts */
  line: number;
  /** 0-based character offset of each field's start within its line (for error columns) */
  starts: number[];
}

export interface Tokenized {
  records: TokenizedRecord[];
  /** quotes inside unquoted values, or closing quotes followed by more text */
  stray: number;
  /** fields properly wrapped in quotes */
  quoted: number;
  /** a quote opened at this line and column (1-based) and never closed */
  unterminated: { line: number; column: number } | null;
  /** the text ended inside the last record (a truncated sample) */
  endedMidRecord: boolean;
}

/**
 * Split `text` into records. `quote` null means quotes are ordinary characters. Stops after `limit` records.
 * Blank lines produce no record.
 */
export function tokenize(text: string, delimiter: string, quote: string | null, limit = Infinity): Tokenized {
  const out: Tokenized = { records: [], stray: 0, quoted: 0, unterminated: null, endedMidRecord: false };
  const n = text.length;
  const dl = delimiter.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < n && out.records.length < limit) {
    // blank line: no record
    if (text[i] === '\n' || text[i] === '\r') {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    const record: TokenizedRecord = { fields: [], line, starts: [] };
    let endOfRecord = false;
    while (!endOfRecord) {
      record.starts.push(i - lineStart);
      let value = '';
      if (quote !== null && text[i] === quote) {
        const openLine = line;
        const openColumn = i - lineStart + 1;
        let j = i + 1;
        let closed = false;
        while (j < n) {
          const k = text.indexOf(quote, j);
          if (k < 0) break;
          value += text.slice(j, k);
          for (let p = j; p < k; p++) {
            if (text[p] === '\n') {
              line++;
              lineStart = p + 1;
            }
          }
          if (text[k + 1] === quote) {
            value += quote;
            j = k + 2;
            continue;
          }
          j = k + 1;
          closed = true;
          break;
        }
        if (!closed) {
          out.unterminated ??= { line: openLine, column: openColumn };
          out.endedMidRecord = true;
          record.fields.push(value + text.slice(j));
          out.records.push(record);
          return out;
        }
        out.quoted++;
        i = j;
        // text after the closing quote and before the delimiter is a stray quote situation
        let extraEnd = i;
        while (extraEnd < n && !text.startsWith(delimiter, extraEnd) && text[extraEnd] !== '\n' && text[extraEnd] !== '\r') extraEnd++;
        if (extraEnd > i) {
          out.stray++;
          value += text.slice(i, extraEnd);
          i = extraEnd;
        }
      } else {
        let j = i;
        while (j < n && text[j] !== '\n' && text[j] !== '\r' && !(text[j] === delimiter[0] && (dl === 1 || text.startsWith(delimiter, j)))) j++;
        value = text.slice(i, j);
        if (quote !== null && value.includes(quote)) out.stray++;
        i = j;
      }
      record.fields.push(value);
      if (i < n && text.startsWith(delimiter, i)) {
        i += dl;
        continue;
      }
      endOfRecord = true;
      if (i >= n) out.endedMidRecord = true;
      else {
        i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        lineStart = i;
      }
    }
    out.records.push(record);
  }
  return out;
}
