// Prediction logging off the request path: a request's rows are turned into flat parameter values (strings and
// numbers, PREDICTION_COLUMNS per row) as it is answered, so that nothing else of the request (parsed records,
// prediction arrays) stays alive until the write; a timer hands the queued values to the sink in batches, one
// transaction per flush. The queue is bounded: when the database cannot keep up, the newest requests are dropped
// and counted rather than letting memory grow until the server dies.

import type { Db, SqlValue } from '../core/db/index.js';
import type { PipelinePrediction } from '../features/index.js';
import { DbLogSink, PREDICTION_COLUMNS, type LogSink } from './log-sink.js';
import { WorkerLogSink } from './worker-log-sink.js';

/** One answered request, as handed to the log. */
export interface LoggedRequest {
  requestId: string;
  modelName: string;
  modelVersion: number;
  /** epoch ms when the request arrived */
  at: number;
  latencyMs: number;
  /** the records as sent (or as rebuilt from the request's columns) */
  records: readonly unknown[];
  /** the JSON text of the only record, when the body was that record (stored as is, not serialised again) */
  recordText?: string;
  result: PipelinePrediction;
  source: 'v1' | 'v2';
}

export interface PredictionLogOptions {
  /** how long rows may wait before a flush; default 50 ms (short: queued rows that outlive a few young-generation
   * collections are copied into the old generation, which costs the request path more than an extra message) */
  flushMs?: number;
  /** flush at once when this many rows are waiting; default 1000 */
  batchRows?: number;
  /** drop new requests when this many rows are waiting; default 200 000 */
  maxPendingRows?: number;
  /**
   * Where rows go. Default: for a SQLite file, a worker thread with its own connection (SQLite's driver is
   * synchronous, so an insert and its fsync would otherwise stall every request behind them); otherwise the
   * database handle itself (PostgreSQL's driver is asynchronous).
   */
  sink?: LogSink;
  onError?: (error: unknown) => void;
}

export interface PredictionLogStats {
  /** rows written */
  written: number;
  /** rows dropped because the queue was full */
  dropped: number;
  /** rows waiting */
  pending: number;
  /** flushes that failed (their rows are retried while they fit in the queue) */
  failures: number;
}

const N_COLUMNS = PREDICTION_COLUMNS.length;

/** each class list's labels as JSON text, computed once per list (a served model keeps its list) */
const classKeyCache = new WeakMap<readonly string[], string[]>();
function classKeys(classes: readonly string[]): string[] {
  let keys = classKeyCache.get(classes);
  if (!keys) classKeyCache.set(classes, (keys = classes.map((c) => JSON.stringify(c))));
  return keys;
}

/** The parameters of every row of one request, appended to `out`. */
function requestRows(entry: LoggedRequest, out: SqlValue[]): void {
  const { result } = entry;
  const createdAt = new Date(entry.at).toISOString();
  const classes = result.classes;
  const k = classes?.length ?? 0;
  const keys = classes && classKeys(classes);
  for (let i = 0; i < entry.records.length; i++) {
    let score: number;
    let probabilities: string | null = null;
    let prediction: string;
    if (classes && result.probabilities && keys) {
      const p = result.probabilities;
      let text = '{';
      for (let c = 0; c < k; c++) text += `${c ? ',' : ''}${keys[c]}:${p[i * k + c]}`;
      probabilities = `${text}}`;
      score = k === 2 ? p[i * 2 + 1] : p[i * k + result.values[i]];
      prediction = keys[result.values[i]]; // the predicted label is classes[values[i]]
    } else {
      score = result.values[i];
      prediction = JSON.stringify(result.predictions[i]);
    }
    out.push(
      entry.requestId,
      i,
      entry.modelName,
      entry.modelVersion,
      createdAt,
      entry.latencyMs,
      entry.recordText ?? JSON.stringify(entry.records[i]),
      prediction,
      Number.isFinite(score) ? score : null,
      probabilities,
      entry.source,
    );
  }
}

export class PredictionLog {
  /** (pendingRows, PREDICTION_COLUMNS) row-major: the queued rows' parameter values */
  private queue: SqlValue[] = [];
  private pendingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly stats = { written: 0, dropped: 0, failures: 0 };
  private readonly flushMs: number;
  private readonly batchRows: number;
  private readonly maxPendingRows: number;
  private readonly sink: LogSink;

  constructor(
    db: Db,
    private readonly options: PredictionLogOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 50;
    this.batchRows = options.batchRows ?? 1000;
    this.maxPendingRows = options.maxPendingRows ?? 200_000;
    this.sink = options.sink ?? (db.dialect === 'sqlite' && db.location !== ':memory:' ? new WorkerLogSink(db.location) : new DbLogSink(db));
  }

  /** Queue one answered request's rows; never throws, never waits. */
  add(entry: LoggedRequest): void {
    const n = entry.records.length;
    if (this.closed || this.pendingRows + n > this.maxPendingRows) {
      this.stats.dropped += n;
      return;
    }
    const before = this.queue.length;
    try {
      requestRows(entry, this.queue);
    } catch (e) {
      // a value JSON cannot write: the request's rows are lost, and counted as such
      this.queue.length = before;
      this.stats.dropped += n;
      this.options.onError?.(e);
      return;
    }
    this.pendingRows += n;
    if (this.pendingRows >= this.batchRows) this.schedule(0);
    else this.schedule(this.flushMs);
  }

  getStats(): PredictionLogStats {
    return { ...this.stats, pending: this.pendingRows };
  }

  private schedule(delayMs: number): void {
    if (this.flushing) return; // the running flush reschedules when it ends
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  /** Write everything queued so far (also called by the timer). Resolves when written or failed. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (!this.queue.length) return Promise.resolve();
    const batch = this.queue;
    const rows = this.pendingRows;
    this.queue = [];
    this.pendingRows = 0;
    this.flushing = this.write(batch)
      .then(() => {
        this.stats.written += rows;
      })
      .catch((e: unknown) => {
        this.stats.failures++;
        this.options.onError?.(e);
        // keep the rows for the next attempt while they fit; older rows go first
        if (!this.closed && rows + this.pendingRows <= this.maxPendingRows) {
          this.queue = batch.concat(this.queue);
          this.pendingRows += rows;
        } else this.stats.dropped += rows;
      })
      .finally(() => {
        this.flushing = null;
        if (this.queue.length && !this.closed) this.schedule(this.stats.failures && this.pendingRows < this.batchRows ? 1000 : this.flushMs);
      });
    return this.flushing;
  }

  private async write(batch: SqlValue[]): Promise<void> {
    await this.sink.write(batch, batch.length / N_COLUMNS);
  }

  /** Stop accepting, write what is queued, stop the timer. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    this.closed = true;
    // a failed final flush left its rows queued: they are lost, and counted as such
    this.stats.dropped += this.pendingRows;
    this.queue = [];
    this.pendingRows = 0;
    await this.sink.close();
  }
}
