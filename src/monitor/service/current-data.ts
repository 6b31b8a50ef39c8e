// The data a check looks at, as typed Frames: the prediction log in a time or row window (inputs typed by the
// model's signature, with the labels sent as feedback), or a file. Also: labels from a file imported into the
// feedback table (`kiln monitor --labels`), and labels turned into the class indices the metrics read.

import type { Db } from '../../core/db/index.js';
import { KilnError } from '../../core/errors.js';
import { type Frame, valueAt } from '../../core/frame.js';
import { type ReadOptions, readFrame } from '../../data/index.js';
import { type Pipeline, recordsToFrame } from '../../features/index.js';
import { type FeedbackItem, feedbackFromBody, readPredictions, writeFeedback } from '../../serve/index.js';

export interface CurrentData {
  /** the rows as the model reads them (its input columns, plus whatever else the source had) */
  readonly frame: Frame;
  /** (n) epoch ms per row, or null when the source has no time */
  readonly times: Float64Array | null;
  /** (n) the actual outcome per row, null while unknown */
  readonly actual: readonly (string | number | null)[];
  /** (n) the request id and row index of each logged row; null for a file */
  readonly keys: { readonly requestId: string; readonly rowIndex: number }[] | null;
  /** where the rows came from, in words */
  readonly source: string;
}

export interface LogWindow {
  /** only rows logged by this version (default: every version of the model) */
  readonly version?: number;
  /** epoch ms, inclusive */
  readonly since?: number;
  /** epoch ms, exclusive */
  readonly until?: number;
  /** only the newest `last` rows of the window */
  readonly last?: number;
  /** the most rows read (default 1,000,000) */
  readonly limit?: number;
}

export function describeWindow(w: LogWindow): string {
  const parts = [w.version !== undefined ? `version ${w.version}` : 'all versions'];
  if (w.since !== undefined) parts.push(`since ${new Date(w.since).toISOString()}`);
  if (w.until !== undefined) parts.push(`until ${new Date(w.until).toISOString()}`);
  if (w.last !== undefined) parts.push(`last ${w.last.toLocaleString('en-US')} rows`);
  return parts.join(', ');
}

/** The model's logged requests in a window, with their feedback, oldest first. */
export async function currentFromLog(db: Db, pipeline: Pipeline, model: string, window: LogWindow = {}): Promise<CurrentData> {
  const rows = await readPredictions(db, {
    model,
    version: window.version,
    since: window.since === undefined ? undefined : new Date(window.since).toISOString(),
    until: window.until === undefined ? undefined : new Date(window.until).toISOString(),
    limit: window.last ?? window.limit ?? 1_000_000,
    newest: window.last !== undefined,
    withFeedback: true,
  });
  const source = `prediction log of ${model} (${describeWindow(window)})`;
  if (!rows.length)
    throw new KilnError('E_DATA_EMPTY', `no logged predictions in the ${source}`, { hint: 'widen the window (--since 30d, --last 5000), or give the current data as a file (--data new.csv)' });
  // records were validated when they were answered; columns another version did not know are dropped
  const frame = recordsToFrame(pipeline.signature, rows.map((r) => r.inputs), { allowUnknown: true });
  return {
    frame,
    times: Float64Array.from(rows, (r) => Date.parse(r.createdAt)),
    actual: rows.map((r) => r.actual ?? null),
    keys: rows.map((r) => ({ requestId: r.requestId, rowIndex: r.rowIndex })),
    source,
  };
}

/** Rows from a file; the target column, when present, gives the labels; `timeColumn` the times. */
export async function currentFromFile(file: string, pipeline: Pipeline, options: { readOptions?: ReadOptions; timeColumn?: string } = {}): Promise<CurrentData> {
  const frame = await readFrame(file, options.readOptions ?? {});
  if (frame.nRows === 0) throw new KilnError('E_DATA_EMPTY', `${file} has no rows`);
  let times: Float64Array | null = null;
  if (options.timeColumn) {
    if (!frame.has(options.timeColumn)) throw new KilnError('E_DATA_SCHEMA', `${file} has no column "${options.timeColumn}"`, { hint: `columns are: ${frame.names.slice(0, 30).join(', ')}` });
    const col = frame.column(options.timeColumn);
    if (col.kind !== 'datetime') throw new KilnError('E_DATA_SCHEMA', `column "${options.timeColumn}" of ${file} is ${col.kind}, not a date/time`);
    times = col.values;
  }
  const target = pipeline.target;
  const actual = frame.has(target) ? Array.from({ length: frame.nRows }, (_, i) => valueAt(frame.column(target), i)) : new Array<null>(frame.nRows).fill(null);
  return { frame, times, actual, keys: null, source: file };
}

/** Labels as the metrics read them: class index (classification) or value (regression); NaN when unknown or not a class. */
export function encodeLabels(pipeline: Pipeline, actual: readonly (string | number | null)[]): Float64Array {
  if (pipeline.task === 'regression') return Float64Array.from(actual, (a) => (typeof a === 'number' ? a : a === null ? NaN : Number(a)));
  const index = new Map((pipeline.classes ?? []).map((c, i) => [c, i]));
  return Float64Array.from(actual, (a) => (a === null ? NaN : (index.get(String(a)) ?? NaN)));
}

/**
 * Import a labelled file into the feedback table: one row per label, joined to the log by `idColumn` (and
 * `rowColumn` when the file has it; else row 0 of the request). The label is the model's target column unless
 * `labelColumn` names another. Every label is validated as the feedback route validates it.
 */
export async function importLabels(
  db: Db,
  model: string,
  pipeline: Pipeline,
  file: string,
  options: { idColumn?: string; rowColumn?: string; labelColumn?: string; readOptions?: ReadOptions } = {},
): Promise<{ imported: number; file: string }> {
  const idColumn = options.idColumn ?? 'request_id';
  const rowColumn = options.rowColumn ?? 'row_index';
  const labelColumn = options.labelColumn ?? pipeline.target;
  // ids and labels are read as text: a numeric-looking id or class must not become a float
  const frame = await readFrame(file, { ...options.readOptions, types: { ...(options.readOptions?.types ?? {}), [idColumn]: 'text' } });
  for (const c of [idColumn, labelColumn])
    if (!frame.has(c)) throw new KilnError('E_DATA_SCHEMA', `${file} has no column "${c}"`, { hint: `a labels file needs the request id (--id-column, default request_id) and the label (--label-column, default the target "${pipeline.target}")` });
  const ids = frame.column(idColumn);
  const labels = frame.column(labelColumn);
  const rowsCol = frame.has(rowColumn) ? frame.column(rowColumn) : null;
  const body: { request_id: unknown; row_index: unknown; actual: unknown }[] = [];
  for (let i = 0; i < frame.nRows; i++) {
    const actual = valueAt(labels, i);
    if (actual === null) continue; // a row without its label yet
    body.push({ request_id: String(valueAt(ids, i)), row_index: rowsCol ? valueAt(rowsCol, i) : 0, actual });
  }
  if (!body.length) throw new KilnError('E_DATA_EMPTY', `${file} has no labelled rows`);
  const items: FeedbackItem[] = [];
  for (let start = 0; start < body.length; start += 10_000) items.push(...feedbackFromBody({ feedback: body.slice(start, start + 10_000) }, pipeline));
  return { imported: await writeFeedback(db, model, items), file };
}
