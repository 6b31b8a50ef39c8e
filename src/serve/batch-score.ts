// Batch scoring (`kiln predict churn@champion new.csv -o scored.csv`): every row of a source gets the registered
// pipeline's prediction (and class probabilities) beside its own columns, written as CSV or Parquet.
//
// Files are streamed through an embedded DuckDB database on disk, so a file larger than memory works:
//   1. the file is loaded into the table `input` (DuckDB spills to disk beyond its memory limit);
//   2. the model's columns are read back in chunks of `chunkRows`, parsed by the data layer's rules (the schema is
//      inferred on the first chunk with each column's type fixed by the model's signature, then applied to every
//      chunk), predicted, and appended with their row ids to the table `scores`;
//   3. `input` joined with `scores`, in the input's order, is COPYed to a temporary file renamed into place.
// Other sources (sqlite:, postgres://, http URLs) are read whole by readFrame and scored in chunks.

import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DOUBLE, DuckDBConnection, DuckDBDataChunk, DuckDBInstance, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { withAtomicPath } from '../core/atomic-file.js';
import { KilnError, ValidationError, type Issue } from '../core/errors.js';
import { categoryFromStrings, datetimeColumn, Frame, numberColumn, type Column } from '../core/frame.js';
import {
  applySchema,
  DEFAULT_MISSING_MARKERS,
  inferSchema,
  outputFormat,
  parseSource,
  readFrame,
  writeFrame,
  type DataSchema,
  type ReadOptions,
  type SemanticType,
} from '../data/index.js';
import { projectColumn } from '../data/sources/duckdb-files.js';
import { Pipeline, type PipelinePrediction, type Signature } from '../features/index.js';
import type { ModelRef, ModelVersion, Store } from '../registry/index.js';
import { fileRelation, sqlIdent, sqlString } from './batch-source.js';
// every kind kiln train ships: the families' fitted models and the ensemble/calibration wrapper
import '../train/model-kinds.js';

export interface ScoreOptions {
  /** rows predicted at a time (memory ~ chunkRows × columns); default 10 000 */
  chunkRows?: number;
  /** DuckDB's memory limit, e.g. '512MB'; default DuckDB's own (80 % of RAM) */
  memoryLimit?: string;
  /** where DuckDB's working database goes; default the system temp folder */
  workDir?: string;
  /** how to read the source (delimiter, header …), as for readFrame */
  read?: ReadOptions;
  onProgress?: (rowsScored: number) => void;
}

export interface ScoreResult {
  version: ModelVersion;
  rows: number;
  output: string;
  /** the columns added: prediction, then probability_<class> per class */
  added: string[];
}

/** DuckDB vector size: the most rows one DataChunk holds */
const VECTOR_ROWS = 2048;

const SEMANTIC: Record<Signature['columns'][number]['type'], SemanticType> = { number: 'number', category: 'category', datetime: 'datetime', text: 'text' };

/** Names of the added columns, moved aside (kiln_…) when the input already has them. */
function addedColumns(pipeline: Pipeline, taken: readonly string[]): { prediction: string; probabilities: string[] } {
  const used = new Set(taken);
  const fresh = (base: string): string => {
    let name = used.has(base) ? `kiln_${base}` : base;
    for (let k = 2; used.has(name); k++) name = `kiln_${base}_${k}`;
    used.add(name);
    return name;
  };
  const prediction = fresh('prediction');
  const probabilities = pipeline.task === 'regression' ? [] : (pipeline.classes ?? []).map((c) => fresh(`probability_${c}`));
  return { prediction, probabilities };
}

function requireFeatures(signature: Signature, names: readonly string[]): void {
  const have = new Set(names);
  const issues: Issue[] = signature.columns
    .filter((c) => c.role === 'feature' && !have.has(c.name))
    .map((c) => ({ path: [c.name], expected: `a ${c.type} column`, received: 'nothing', message: `column "${c.name}" is missing` }));
  if (issues.length) throw new ValidationError(`the data does not have the model's columns: ${issues.map((i) => i.message).join('; ')}`, issues, { hint: `the model reads: ${signature.columns.filter((c) => c.role === 'feature').map((c) => c.name).join(', ')}` });
}

/** Turns raw chunks into the kinds the model reads, with one schema for the whole file. */
class ChunkTyper {
  private schema: DataSchema | null = null;
  constructor(private readonly signature: Signature) {}

  type(raw: Frame): Frame {
    if (!this.schema) {
      const types: Record<string, SemanticType> = {};
      for (const c of this.signature.columns) if (c.role === 'feature') types[c.name] = SEMANTIC[c.type];
      this.schema = inferSchema(raw, { markers: DEFAULT_MISSING_MARKERS, types });
    }
    return applySchema(raw, this.schema);
  }
}

/** One DuckDB result chunk's column → a Frame column (numbers/dates as Float64Array, labels as categories). */
function vectorColumn(values: readonly DuckDBValue[], kind: 'number' | 'datetime' | 'category'): Column {
  if (kind === 'category') return categoryFromStrings(values as readonly (string | null)[]);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] === null ? NaN : (values[i] as number);
  return kind === 'number' ? numberColumn(out) : datetimeColumn(out);
}

/** The predictions of rows [start, end) of one scored chunk, as the `scores` table's columns. */
function scoreColumns(result: PipelinePrediction, rowIds: Float64Array, start: number, end: number): DuckDBValue[][] {
  const n = end - start;
  const ids = new Array<DuckDBValue>(n);
  const predictions = new Array<DuckDBValue>(n);
  for (let i = 0; i < n; i++) {
    ids[i] = rowIds[start + i];
    predictions[i] = result.predictions[start + i];
  }
  const columns: DuckDBValue[][] = [ids, predictions];
  if (result.probabilities && result.classes) {
    const k = result.classes.length;
    for (let c = 0; c < k; c++) {
      const p = new Array<DuckDBValue>(n);
      for (let i = 0; i < n; i++) p[i] = result.probabilities[(start + i) * k + c];
      columns.push(p);
    }
  }
  return columns;
}

async function scoreFile(pipeline: Pipeline, file: string, output: string, options: ScoreOptions): Promise<{ rows: number; added: string[] }> {
  const relation = await fileRelation(file, options.read);
  const workDir = options.workDir ?? tmpdir();
  await fs.mkdir(workDir, { recursive: true });
  const dbFile = path.join(workDir, `kiln-score-${process.pid}-${randomBytes(4).toString('hex')}.duckdb`);
  const settings: Record<string, string> = { preserve_insertion_order: 'true' };
  if (options.memoryLimit) {
    settings.memory_limit = options.memoryLimit;
    // every DuckDB thread holds its own read and insert buffers: under a small limit, one thread fits
    settings.threads = '1';
  }
  const instance = await DuckDBInstance.create(dbFile, settings);
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    await connection.run(`CREATE TABLE input AS SELECT * FROM ${relation.sql}`);
    const described = (await connection.runAndReadAll('DESCRIBE input')).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    requireFeatures(pipeline.signature, described.map((d) => d.name));
    const byName = new Map(described.map((d) => [d.name, d.type]));
    const features = pipeline.signature.columns.filter((c) => c.role === 'feature').map((c) => ({ name: c.name, ...projectColumn(c.name, byName.get(c.name)!) }));
    const added = addedColumns(pipeline, described.map((d) => d.name));
    const classification = pipeline.task !== 'regression';
    const scoreTypes: DuckDBType[] = [DOUBLE, classification ? VARCHAR : DOUBLE, ...added.probabilities.map(() => DOUBLE)];
    await connection.run(
      `CREATE TABLE scores (kiln_row DOUBLE, ${sqlIdent(added.prediction)} ${classification ? 'VARCHAR' : 'DOUBLE'}${added.probabilities.map((p) => `, ${sqlIdent(p)} DOUBLE`).join('')})`,
    );
    const appender = await connection.createAppender('scores');
    const typer = new ChunkTyper(pipeline.signature);
    const chunkRows = Math.max(1, options.chunkRows ?? 10_000);
    const total = Number((await connection.runAndReadAll('SELECT count(*) FROM input')).getRows()[0][0]);
    const projection = features.map((f) => f.sql).join(', ');
    let scored = 0;
    // page through the table by row id: each page is one finished query, so a failure surfaces as an error (a
    // long-lived DuckDB stream that fails part-way just ends, which would silently drop rows)
    for (let from = 0; from < total; from += chunkRows) {
      const page = await connection.run(`SELECT rowid, ${projection} FROM input WHERE rowid >= ${from} AND rowid < ${from + chunkRows} ORDER BY rowid`);
      const pieces: Column[][] = features.map(() => []);
      const ids: number[] = [];
      for (let c = 0; c < page.chunkCount; c++) {
        const chunk = page.getChunk(c);
        for (const id of chunk.getColumnValues(0)) ids.push(Number(id));
        features.forEach((f, j) => pieces[j].push(vectorColumn(chunk.getColumnValues(j + 1), f.kind)));
      }
      const n = ids.length;
      if (n === 0) continue;
      const raw = Frame.fromColumns(features.map((f, j) => [f.name, joinColumns(pieces[j], f.kind)] as const), n);
      const prediction = pipeline.predict(typer.type(raw));
      const rowIds = Float64Array.from(ids);
      for (let start = 0; start < n; start += VECTOR_ROWS) {
        const end = Math.min(n, start + VECTOR_ROWS);
        const chunk = DuckDBDataChunk.create(scoreTypes, end - start);
        scoreColumns(prediction, rowIds, start, end).forEach((values, j) => chunk.setColumnValues(j, values));
        appender.appendDataChunk(chunk);
      }
      scored += n;
      options.onProgress?.(scored);
    }
    appender.closeSync();
    if (scored !== total) throw new KilnError('E_INTERNAL', `batch scoring read ${scored} of ${total} rows`, { status: 500 });
    // scores were appended in row-id order, so a positional join lines them up with the input without a hash
    // table or a sort (both of which would need memory in proportion to the file); check that it does
    const misaligned = Number((await connection.runAndReadAll('SELECT count(*) FROM input i POSITIONAL JOIN scores s WHERE s.kiln_row <> i.rowid')).getRows()[0][0]);
    if (misaligned !== 0) throw new KilnError('E_INTERNAL', `batch scoring lost the row order (${misaligned} rows out of place)`, { status: 500 });
    const outputColumns = ['i.*', sqlIdent(added.prediction), ...added.probabilities.map(sqlIdent)].join(', ');
    // small row groups keep the Parquet writer's buffers within a small memory limit
    const format = outputFormat(output) === 'csv' ? '(FORMAT csv, HEADER true)' : `(FORMAT parquet${options.memoryLimit ? ', ROW_GROUP_SIZE 16384' : ''})`;
    await withAtomicPath(output, async (tmp) => {
      await connection!.run(`COPY (SELECT ${outputColumns} FROM input i POSITIONAL JOIN scores s) TO ${sqlString(tmp)} ${format}`);
    });
    return { rows: scored, added: [added.prediction, ...added.probabilities] };
  } finally {
    connection?.closeSync();
    instance.closeSync();
    await fs.rm(dbFile, { force: true });
    await fs.rm(`${dbFile}.wal`, { force: true });
  }
}

/** Concatenate one column's per-vector pieces (all of one kind) into one column. */
function joinColumns(pieces: Column[], kind: 'number' | 'datetime' | 'category'): Column {
  if (kind !== 'category') {
    const total = pieces.reduce((s, p) => s + (p as { values: Float64Array }).values.length, 0);
    const out = new Float64Array(total);
    let at = 0;
    for (const p of pieces) {
      const v = (p as { values: Float64Array }).values;
      out.set(v, at);
      at += v.length;
    }
    return kind === 'number' ? numberColumn(out) : datetimeColumn(out);
  }
  const labels: (string | null)[] = [];
  for (const p of pieces) {
    if (p.kind !== 'category') continue;
    for (let i = 0; i < p.codes.length; i++) labels.push(p.codes[i] < 0 ? null : p.dictionary[p.codes[i]]);
  }
  return categoryFromStrings(labels);
}

/** Frames not from a file: score the whole frame in chunks and write it with the data layer's writers. */
async function scoreFrame(pipeline: Pipeline, frame: Frame, output: string, options: ScoreOptions): Promise<{ rows: number; added: string[] }> {
  requireFeatures(pipeline.signature, frame.names);
  const added = addedColumns(pipeline, frame.names);
  const n = frame.nRows;
  const predictions = new Array<string | number>(n);
  const probabilities = added.probabilities.map(() => new Float64Array(n));
  const chunkRows = Math.max(1, options.chunkRows ?? 10_000);
  for (let start = 0; start < n; start += chunkRows) {
    const end = Math.min(n, start + chunkRows);
    const rows = Array.from({ length: end - start }, (_, i) => start + i);
    const r = pipeline.predict(frame.take(rows));
    for (let i = start; i < end; i++) predictions[i] = r.predictions[i - start];
    const k = probabilities.length;
    if (r.probabilities) for (let i = start; i < end; i++) for (let c = 0; c < k; c++) probabilities[c][i] = r.probabilities[(i - start) * k + c];
    options.onProgress?.(end);
  }
  let out = frame.withColumn(
    added.prediction,
    pipeline.task === 'regression' ? numberColumn(Float64Array.from(predictions as number[])) : categoryFromStrings(predictions as string[]),
  );
  added.probabilities.forEach((name, c) => (out = out.withColumn(name, numberColumn(probabilities[c]))));
  await writeFrame(out, output);
  return { rows: n, added: [added.prediction, ...added.probabilities] };
}

/** Score `source` with the registered version `ref` names and write `output` (.csv or .parquet). */
export async function scoreSource(store: Store, ref: string | ModelRef, source: string, output: string, options: ScoreOptions = {}): Promise<ScoreResult> {
  outputFormat(output); // fail on an unknown extension before any work
  const { version, artifact } = await store.load(ref);
  const pipeline = Pipeline.fromArtifact(artifact);
  const spec = parseSource(source);
  const { rows, added } =
    spec.kind === 'file' ? await scoreFile(pipeline, spec.path, output, options) : await scoreFrame(pipeline, await readFrame(source, options.read), output, options);
  return { version, rows, output, added };
}
