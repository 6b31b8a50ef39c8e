// The worker-thread pool: long-lived threads that run a *kernel module* over SharedArrayBuffers.
// A caller attaches a kernel (a module exporting `setup(shared)`) to some workers, then runs synchronous
// parallel regions: `session.run(op)` wakes the workers through a shared control word, runs part 0 on the
// calling thread, and returns once every part is done. Dispatch costs microseconds, not a message round trip.
//
//   caller                              worker i (i = 1..parts-1)
//   ctrl[OP] = op, ctrl[PENDING] = n-1  Atomics.wait(ctrl[EPOCH])  (after a short spin)
//   ctrl[EPOCH]++ ; notify  ─────────►  kernel(op, i, parts)
//   kernel(op, 0, parts)                ctrl[PENDING]-- ; the last one notifies
//   wait until ctrl[PENDING] == 0  ◄──
//
// Kernels must make results independent of how many parts there are (e.g. split features, or rows into
// elementwise work), so that 1 thread and N threads give identical bits; `runSerial` runs all parts on the
// caller, which is how small jobs skip the dispatch cost. Node-only (fit time); predictors never import this.
//
// Waiting is a short spin (a dispatch right after another costs well under a microsecond), then Atomics.wait: on a
// busy machine a long spin starves the very thread it waits for. A kernel's exception is caught and rethrown by run;
// a worker thread that dies inside a region (out of memory) would leave the caller waiting, so kernels work in
// memory that was allocated before the session.

import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** A kernel instance: does its share (`part` of `parts`) of operation `op`. */
export type Kernel = (op: number, part: number, parts: number) => void;

/** What a kernel module exports: `setup` receives the same shared data on every thread and returns the kernel. */
export interface KernelModule<S> {
  setup(shared: S): Kernel;
}

/** Slots of the control block (Int32Array over a SharedArrayBuffer). */
const EPOCH = 0; // incremented once per dispatch; workers wait on it
const OP = 1; // the operation to run; DETACH leaves the sync loop
const PENDING = 2; // workers still running the current dispatch
const ERROR = 3; // 1 when a worker's kernel threw (its message is in the error buffer)
const CONTROL_INTS = 8;
const ERROR_BYTES = 4096;
export const DETACH_OP = -1;

/** How long to spin on the control word before sleeping in Atomics.wait (iterations of an atomic load). */
const SPIN_ITERATIONS = 2000;

/** Messages between the pool and its workers (posted only while a worker is not in a sync loop). */
export type PoolRequest = {
  type: 'attach';
  moduleUrl: string;
  shared: unknown;
  control: SharedArrayBuffer;
  errorBuffer: SharedArrayBuffer;
  part: number;
  parts: number;
};
export type PoolReply = { type: 'ready' } | { type: 'detached' } | { type: 'failed'; message: string };

/**
 * URL of a module that sits beside the caller: `.ts` when the caller runs from source (tsx), `.js` from dist.
 */
export function siblingModuleUrl(callerUrl: string, baseName: string): URL {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${baseName}${ext}`, callerUrl);
}

/** The number of threads to use when the caller does not say: the cores this process may use. */
export function defaultThreads(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * Start a thread on `entry`. From source (a `.ts` entry, the parent running under tsx) the thread first registers
 * tsx's loader itself: on Node 20 a worker inheriting `--import tsx` still cannot load a `.ts` entry point.
 */
function startWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const loader = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true });
}

interface PoolWorker {
  readonly worker: Worker;
  /** set when the thread exited (it crashed or was terminated); dead workers are replaced */
  dead: boolean;
  /** resolves the pending attach/detach request */
  waiting: ((reply: PoolReply | Error) => void) | null;
}

export class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private closed = false;
  /** attaches are exclusive: a second attach waits for the first session to detach */
  private lock: Promise<void> = Promise.resolve();

  private constructor() {}

  /** A pool with `size` worker threads (the caller's thread is extra: a session of `parts` uses parts-1 workers). */
  static create(size: number): WorkerPool {
    const pool = new WorkerPool();
    pool.grow(size);
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private grow(size: number): void {
    const entry = siblingModuleUrl(import.meta.url, 'pool-worker');
    for (let i = this.workers.length - 1; i >= 0; i--) if (this.workers[i].dead) this.workers.splice(i, 1);
    while (this.workers.length < size) {
      const worker = startWorker(entry);
      const pw: PoolWorker = { worker, dead: false, waiting: null };
      worker.on('message', (reply: PoolReply) => {
        const w = pw.waiting;
        pw.waiting = null;
        w?.(reply);
      });
      worker.on('error', (err) => {
        pw.dead = true;
        const w = pw.waiting;
        pw.waiting = null;
        w?.(err);
      });
      worker.on('exit', (code) => {
        pw.dead = true;
        const w = pw.waiting;
        pw.waiting = null;
        w?.(new Error(`pool worker exited with code ${code}`));
      });
      worker.unref();
      this.workers.push(pw);
    }
  }

  /**
   * Load `moduleUrl` on `parts - 1` workers (growing the pool if needed) and on this thread, call its `setup(shared)`
   * everywhere, and return a session for synchronous parallel regions. `shared` is structured-cloned, so its
   * SharedArrayBuffers are the same memory on every thread. Call `detach()` when done (in a finally).
   */
  async attach<S>(moduleUrl: URL, shared: S, parts: number): Promise<PoolSession> {
    if (this.closed) throw new Error('worker pool is closed');
    if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be an integer >= 1, got ${parts}`);
    let release!: () => void;
    const previous = this.lock;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      this.grow(parts - 1);
      const mod = (await import(moduleUrl.href)) as KernelModule<S>;
      const local = mod.setup(shared);
      const control = new SharedArrayBuffer(CONTROL_INTS * 4);
      const errorBuffer = new SharedArrayBuffer(ERROR_BYTES);
      const used = this.workers.slice(0, parts - 1);
      const replies = await Promise.all(
        used.map((pw, i) =>
          this.request(pw, { type: 'attach', moduleUrl: moduleUrl.href, shared, control, errorBuffer, part: i + 1, parts }),
        ),
      );
      const failed = replies.find((r): r is Extract<PoolReply, { type: 'failed' }> => r.type === 'failed');
      const session = new PoolSession(local, parts, control, errorBuffer, used, (s) => this.finish(s, release));
      if (failed) {
        await session.detach();
        throw new Error(`worker setup failed: ${failed.message}`);
      }
      return session;
    } catch (err) {
      release();
      throw err;
    }
  }

  private async finish(session: PoolSession, release: () => void): Promise<void> {
    try {
      await Promise.all(session.workers.map((pw) => this.awaitReply(pw)));
    } finally {
      release();
    }
  }

  private request(pw: PoolWorker, message: PoolRequest): Promise<PoolReply> {
    const reply = this.awaitReply(pw);
    pw.worker.postMessage(message);
    return reply;
  }

  private awaitReply(pw: PoolWorker): Promise<PoolReply> {
    // a worker is ref'd only while we wait for its reply: an idle pool must not keep the process alive
    pw.worker.ref();
    return new Promise<PoolReply>((resolve, reject) => {
      pw.waiting = (r) => {
        pw.worker.unref();
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
    });
  }

  /** Stop every worker. Sessions must be detached first. */
  async close(): Promise<void> {
    this.closed = true;
    await this.lock;
    await Promise.all(this.workers.map((pw) => pw.worker.terminate()));
    this.workers.length = 0;
  }
}

/** An attached kernel: `run` and `runSerial` are synchronous and must not be called after `detach`. */
export class PoolSession implements ParallelRunner {
  private readonly control: Int32Array;
  private readonly errorBytes: Uint8Array;
  private detached = false;

  constructor(
    private readonly kernel: Kernel,
    /** how many parts a parallel region is cut into (threads, the caller included) */
    readonly parts: number,
    controlBuffer: SharedArrayBuffer,
    errorBuffer: SharedArrayBuffer,
    /** @internal */ readonly workers: readonly PoolWorker[],
    private readonly onDetach: (s: PoolSession) => Promise<void>,
  ) {
    this.control = new Int32Array(controlBuffer);
    this.errorBytes = new Uint8Array(errorBuffer);
  }

  /** Run `op` on every part in parallel; part 0 runs on this thread. Throws if any part threw. */
  run(op: number): void {
    if (this.detached) throw new Error('pool session is detached');
    if (this.parts === 1) {
      this.kernel(op, 0, 1);
      return;
    }
    const c = this.control;
    Atomics.store(c, OP, op);
    Atomics.store(c, PENDING, this.parts - 1);
    Atomics.add(c, EPOCH, 1);
    Atomics.notify(c, EPOCH);
    let localError: unknown = null;
    try {
      this.kernel(op, 0, this.parts);
    } catch (err) {
      localError = err;
    }
    waitForZero(c);
    if (localError) throw localError;
    if (Atomics.load(c, ERROR) !== 0) {
      const end = this.errorBytes.indexOf(0);
      const message = new TextDecoder().decode(this.errorBytes.slice(0, end < 0 ? ERROR_BYTES : end));
      Atomics.store(c, ERROR, 0);
      throw new Error(`worker kernel failed: ${message}`);
    }
  }

  /** Run every part of `op` on this thread, in order: same results as `run`, without waking anyone. */
  runSerial(op: number): void {
    if (this.detached) throw new Error('pool session is detached');
    for (let part = 0; part < this.parts; part++) this.kernel(op, part, this.parts);
  }

  /** Release the workers (they return to the pool). */
  async detach(): Promise<void> {
    if (this.detached) return;
    this.detached = true;
    if (this.workers.length) {
      const c = this.control;
      Atomics.store(c, OP, DETACH_OP);
      Atomics.store(c, PENDING, 0);
      Atomics.add(c, EPOCH, 1);
      Atomics.notify(c, EPOCH);
    }
    await this.onDetach(this);
  }
}

/** A part that has not finished after this long is taken for a dead thread: fail rather than hang. */
const STALL_MS = 300_000;

function waitForZero(c: Int32Array): void {
  for (let i = 0; i < SPIN_ITERATIONS; i++) if (Atomics.load(c, PENDING) === 0) return;
  const started = Date.now();
  for (;;) {
    const v = Atomics.load(c, PENDING);
    if (v === 0) return;
    // waits can return early (interrupts): the loop re-checks the count
    Atomics.wait(c, PENDING, v, 1000);
    if (Date.now() - started > STALL_MS) throw new Error(`worker thread did not finish its part within ${STALL_MS / 1000} s`);
  }
}

/** The worker side of the sync loop (used by pool-worker.ts): serve dispatches until DETACH. */
export function serveSession(kernel: Kernel, control: SharedArrayBuffer, errorBuffer: SharedArrayBuffer, part: number, parts: number): void {
  const c = new Int32Array(control);
  const errorBytes = new Uint8Array(errorBuffer);
  // a session's control block is fresh (epoch 0); the caller may dispatch before this thread gets here
  let seen = 0;
  for (;;) {
    let epoch = Atomics.load(c, EPOCH);
    for (let spins = 0; epoch === seen && spins < SPIN_ITERATIONS; spins++) epoch = Atomics.load(c, EPOCH);
    // only a new epoch is work: a wait may return without one
    while (epoch === seen) {
      Atomics.wait(c, EPOCH, seen);
      epoch = Atomics.load(c, EPOCH);
    }
    seen = epoch;
    const op = Atomics.load(c, OP);
    if (op === DETACH_OP) return;
    try {
      kernel(op, part, parts);
    } catch (err) {
      if (Atomics.compareExchange(c, ERROR, 0, 1) === 0) {
        const text = new TextEncoder().encode(`part ${part}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        errorBytes.fill(0);
        errorBytes.set(text.subarray(0, ERROR_BYTES - 1));
      }
    }
    if (Atomics.sub(c, PENDING, 1) === 1) Atomics.notify(c, PENDING);
  }
}

/** What code that dispatches operations needs: a PoolSession, or a LocalRunner when there is one thread. */
export interface ParallelRunner {
  readonly parts: number;
  run(op: number): void;
  runSerial(op: number): void;
}

/** Runs every part of an operation on the calling thread: the one-thread case, with no pool at all. */
export class LocalRunner implements ParallelRunner {
  constructor(
    private readonly kernel: Kernel,
    readonly parts = 1,
  ) {}

  run(op: number): void {
    this.runSerial(op);
  }

  runSerial(op: number): void {
    for (let part = 0; part < this.parts; part++) this.kernel(op, part, this.parts);
  }
}

let sharedPool: WorkerPool | null = null;

/**
 * The process-wide pool, created on first use and grown on demand. Its idle workers are unref'd, so they never
 * keep the process alive; reusing them saves the thread start-up (tens of ms) on every fit.
 */
export function sharedWorkerPool(): WorkerPool {
  sharedPool ??= WorkerPool.create(0);
  return sharedPool;
}
