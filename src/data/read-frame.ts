// readFrame / readDataset: any source string to a typed Frame. The source is read into raw columns
// (numbers, dates, labels), then every column's semantic type is inferred and the columns converted.

import { KilnError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { applySchema, inferSchema } from './infer.js';
import type { Dataset, RawRead, ReadOptions } from './read-options.js';
import { type DataSchema, DEFAULT_MISSING_MARKERS, kindFor } from './schema.js';
import { parseSource, redactSource } from './source.js';
import { readCsv } from './sources/csv-reader.js';
import { readDuckFile } from './sources/duckdb-files.js';
import { sampleFile } from './sources/file-sample.js';
import { download } from './sources/http-download.js';
import { readPostgres } from './sources/postgres-reader.js';
import { readSqlite } from './sources/sqlite-reader.js';

/** Read any source into a typed Frame (see `readDataset` for the schema and read report). */
export async function readFrame(source: string, options: ReadOptions = {}): Promise<Frame> {
  return (await readDataset(source, options)).frame;
}

/** Read any source: the typed Frame, the inferred schema and how it was read. */
export async function readDataset(source: string, options: ReadOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const spec = parseSource(source);
  let raw: RawRead;
  switch (spec.kind) {
    case 'file':
      raw = await readFile(spec.path, options);
      break;
    case 'sqlite':
      raw = readSqlite(spec.path, options);
      break;
    case 'postgres':
      raw = await readPostgres(spec.url, options);
      break;
    case 'http': {
      const fetched = await download(spec.url);
      try {
        raw = await readFile(fetched.file, options, redactSource(spec.url));
      } finally {
        await fetched.dispose();
      }
      break;
    }
  }
  const shown = redactSource(source);
  if (raw.frame.nCols === 0) throw new KilnError('E_DATA_EMPTY', `${shown} has no columns`);
  if (raw.frame.nRows === 0 && options.limit !== 0) {
    throw new KilnError('E_DATA_EMPTY', `${shown} holds no rows${raw.frame.nCols ? ` (only the columns ${raw.frame.names.slice(0, 8).join(', ')}${raw.frame.nCols > 8 ? ', …' : ''})` : ''}`, {
      hint: spec.kind === 'postgres' || spec.kind === 'sqlite' ? 'check the table or the query' : 'check that this is the file you meant',
    });
  }
  const parsed = performance.now();
  const markers = [...new Set([...DEFAULT_MISSING_MARKERS, ...(options.missing ?? [])])];
  let schema: DataSchema;
  let frame = raw.frame;
  if (options.infer === false) schema = rawSchema(raw.frame, markers);
  else {
    schema = inferSchema(raw.frame, { markers, types: options.types });
    frame = applySchema(raw.frame, schema);
  }
  return {
    frame,
    raw: raw.frame,
    schema,
    source: {
      source: shown,
      kind: spec.kind,
      ...raw.report,
      readSeconds: (performance.now() - started) / 1000,
      phases: {
        sniff: raw.sniffSeconds ?? 0,
        parse: (parsed - started) / 1000 - (raw.sniffSeconds ?? 0),
        infer: (performance.now() - parsed) / 1000,
      },
    },
  };
}

async function readFile(file: string, options: ReadOptions, shownAs?: string): Promise<RawRead> {
  const sample = await sampleFile(file, options.format);
  try {
    return sample.format === 'csv' ? await readCsv(file, sample, options) : await readDuckFile(file, sample, options);
  } catch (e) {
    // a downloaded file's temporary path means nothing to the user: name the URL instead
    if (shownAs && e instanceof Error) e.message = e.message.split(file).join(shownAs);
    throw e;
  }
}

function rawSchema(frame: Frame, markers: string[]): DataSchema {
  return {
    columns: frame.schema().map(({ name, kind }) => {
      const type = kind === 'number' ? 'number' : kind === 'datetime' ? 'datetime' : kind === 'text' ? 'text' : 'category';
      return {
        name,
        type,
        kind: kindFor(type, kind),
        parse: { kind, markers },
        missing: 0,
        markersFound: {},
        convertedFromText: false,
        reason: 'as stored (inference off)',
      };
    }),
  };
}
