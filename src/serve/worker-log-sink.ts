// A LogSink that hands batches to a writer thread (log-writer-worker.ts) owning its own SQLite connection: the
// driver is synchronous, and an insert plus its fsync on the server's thread would stall every request queued
// behind it. The thread is started on the first write and kept referenced only while a write is in flight, so
// an idle server can exit and a closing one waits for its last batch.

import { Worker } from 'node:worker_threads';
import type { SqlValue } from '../core/db/index.js';
import type { LogSink } from './log-sink.js';

type WriterMessage = { type: 'write'; params: readonly SqlValue[]; nRows: number } | { type: 'close' };
export type WriterRequest = WriterMessage & { id: number };
export type WriterReply = { id: number; ok: true } | { id: number; ok: false; message: string };

/** The writer module beside this one: .ts from source (tsx registered in the thread first), .js from dist. */
function startWriter(file: string): Worker {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./log-writer-worker${ext}`, import.meta.url);
  if (ext === '.js') return new Worker(entry, { workerData: { file } });
  // on Node 20 a worker inheriting `--import tsx` still cannot load a .ts entry point (see core/pool.ts)
  const loader = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: { file } });
}

export class WorkerLogSink implements LogSink {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  constructor(private readonly file: string) {}

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startWriter(this.file);
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve();
      else waiting.reject(new Error(reply.message));
    });
    const fail = (error: Error): void => {
      // the thread is gone: fail what it held; the next write starts a new one
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the prediction log writer exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private send(request: WriterMessage): Promise<void> {
    const worker = this.thread();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...request, id });
    });
  }

  write(params: readonly SqlValue[], nRows: number): Promise<void> {
    return this.send({ type: 'write', params, nRows });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.send({ type: 'close' });
    } finally {
      this.worker = null;
      await worker.terminate();
    }
  }
}
