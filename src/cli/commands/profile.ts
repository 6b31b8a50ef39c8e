// `kiln profile <source>`: read any source and report its data quality (terminal, --json, --html).
// Also defines the source options (--table, --delimiter, --no-header, …) that `clean` and `demo` share.

import { type Command, Option } from 'commander';
import { ParamError } from '../../core/errors.js';
import { formatProfile, profileDataset, readDataset, type ReadOptions, type SemanticType, writeProfileHtml } from '../../data/index.js';
import { SEMANTIC_TYPES } from '../../data/schema.js';
import { action } from '../output.js';

export interface SourceFlags {
  table?: string;
  query?: string;
  format?: ReadOptions['format'];
  delimiter?: string;
  header?: boolean;
  columns?: string;
  quote?: string;
  skipLines?: string;
  encoding?: ReadOptions['encoding'];
  missing?: string[];
  types?: string;
  skipBadRows?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Add the options every command that reads a source understands. */
export function addSourceOptions(command: Command): Command {
  return command
    .option('--table <name>', 'database table to read (sqlite:, postgres://)')
    .option('--query <sql>', 'SQL query to read (sqlite:, postgres://)')
    .addOption(new Option('--format <format>', 'file format, instead of guessing').choices(['csv', 'json', 'ndjson', 'parquet']))
    .option('--delimiter <char>', 'field delimiter, e.g. ";" or "\\t" (default: guessed)')
    .option('--header', 'the first row names the columns (default: guessed)')
    .option('--no-header', 'the first row is data, not column names')
    .option('--columns <names>', 'column names, comma-separated (for files without a header)')
    .option('--quote <char>', 'quote character, or "none" when quotes are part of the text (default: guessed)')
    .option('--skip-lines <n>', 'lines to skip at the top of the file (default: junk lines are guessed)')
    .addOption(new Option('--encoding <name>', 'text encoding (default: UTF-8, else Latin-1)').choices(['utf-8', 'latin-1']))
    .option('--missing <label>', 'also read this label as missing (repeatable), e.g. --missing unknown', collect)
    .option('--types <list>', 'fix column types, e.g. zip=category,score=number')
    .option('--skip-bad-rows', 'skip malformed lines and count them instead of failing');
}

/** Turn parsed flags into ReadOptions, rejecting bad values with the flag named. */
export function readOptionsFrom(flags: SourceFlags): ReadOptions {
  const options: ReadOptions = {
    table: flags.table,
    query: flags.query,
    format: flags.format,
    delimiter: flags.delimiter,
    header: flags.header,
    encoding: flags.encoding,
    missing: flags.missing,
    skipBadRows: flags.skipBadRows,
  };
  if (flags.columns !== undefined) options.columns = flags.columns.split(',').map((c) => c.trim());
  if (flags.quote !== undefined) options.quote = flags.quote === 'none' || flags.quote === '' ? null : flags.quote;
  if (flags.skipLines !== undefined) {
    const n = Number(flags.skipLines);
    if (!Number.isInteger(n) || n < 0) throw new ParamError([{ path: ['--skip-lines'], expected: 'a whole number >= 0', received: flags.skipLines }]);
    options.skipLines = n;
  }
  if (flags.types !== undefined) {
    const types: Record<string, SemanticType> = {};
    for (const pair of flags.types.split(',')) {
      const [name, type] = pair.split('=').map((s) => s.trim());
      if (!name || !SEMANTIC_TYPES.includes(type as SemanticType)) {
        throw new ParamError([{ path: ['--types'], expected: `name=type with type one of ${SEMANTIC_TYPES.join(', ')}`, received: JSON.stringify(pair) }]);
      }
      types[name] = type as SemanticType;
    }
    options.types = types;
  }
  return options;
}

interface ProfileFlags extends SourceFlags {
  target?: string;
  json?: boolean;
  html?: string;
}

export function register(program: Command): void {
  addSourceOptions(
    program
      .command('profile')
      .description('read a data source and report its quality: types, missing values, distributions, warnings')
      .argument('<source>', 'file (CSV/TSV/JSON/NDJSON/Parquet, .gz), sqlite:path.db, postgres://… or http(s)://…'),
  )
    .option('--target <column>', 'the column to predict: adds class balance and leakage checks')
    .option('--json', 'print the profile as JSON')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .action(
      action(async (source: string, flags: ProfileFlags) => {
        const dataset = await readDataset(source, readOptionsFrom(flags));
        const profile = profileDataset(dataset, { target: flags.target });
        if (flags.html) await writeProfileHtml(profile, flags.html);
        if (flags.json) process.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
        else {
          process.stdout.write(`${formatProfile(profile)}\n`);
          if (flags.html) process.stdout.write(`\nreport written to ${flags.html}\n`);
        }
      }),
    );
}
