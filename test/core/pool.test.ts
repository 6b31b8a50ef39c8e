// The worker pool: parallel regions over shared memory give the same bits as running every part serially,
// kernel errors surface on the caller, and sessions release their workers. This file is also the kernel module
// the workers load (tests are only registered on the main thread).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMainThread } from 'node:worker_threads';
import { PoolSession, WorkerPool, sharedWorkerPool } from '../../src/core/pool.js';

interface Shared {
  input: SharedArrayBuffer; // Float64Array (n)
  output: SharedArrayBuffer; // Float64Array (n)
  sums: SharedArrayBuffer; // Float64Array (parts)
}

const OP_SQUARE = 1;
const OP_SUM = 2;
const OP_THROW = 3;

/** Kernel: op 1 squares a contiguous slice of the input into the output; op 2 sums the slice; op 3 throws on part 1. */
export function setup(shared: Shared) {
  const input = new Float64Array(shared.input);
  const output = new Float64Array(shared.output);
  const sums = new Float64Array(shared.sums);
  return (op: number, part: number, parts: number): void => {
    const n = input.length;
    const start = Math.floor((n * part) / parts);
    const end = Math.floor((n * (part + 1)) / parts);
    if (op === OP_SQUARE) for (let i = start; i < end; i++) output[i] = input[i] * input[i];
    else if (op === OP_SUM) {
      let s = 0;
      for (let i = start; i < end; i++) s += output[i];
      sums[part] = s;
    } else if (op === OP_THROW && part === parts - 1) throw new Error('kernel says no');
  };
}

function makeShared(n: number, parts: number): Shared {
  const shared = { input: new SharedArrayBuffer(n * 8), output: new SharedArrayBuffer(n * 8), sums: new SharedArrayBuffer(parts * 8) };
  const input = new Float64Array(shared.input);
  for (let i = 0; i < n; i++) input[i] = Math.sin(i) * 1000;
  return shared;
}

if (isMainThread) {
  const kernelUrl = new URL(import.meta.url);

  test('a parallel region computes the same values as running its parts serially', async () => {
    const pool = WorkerPool.create(2);
    try {
      const parallel = makeShared(10001, 3);
      const session = await pool.attach(kernelUrl, parallel, 3);
      session.run(OP_SQUARE);
      session.run(OP_SUM);
      await session.detach();

      const serial = makeShared(10001, 3);
      const s2 = await pool.attach(kernelUrl, serial, 3);
      s2.runSerial(OP_SQUARE);
      s2.runSerial(OP_SUM);
      await s2.detach();

      assert.deepEqual(new Float64Array(parallel.output), new Float64Array(serial.output));
      assert.deepEqual(new Float64Array(parallel.sums), new Float64Array(serial.sums));
      const input = new Float64Array(parallel.input);
      assert.equal(new Float64Array(parallel.output)[9999], input[9999] * input[9999]);
    } finally {
      await pool.close();
    }
  });

  test('many short dispatches in a row all complete (no lost wake-ups)', async () => {
    const pool = WorkerPool.create(1);
    try {
      const shared = makeShared(64, 2);
      const session = await pool.attach(kernelUrl, shared, 2);
      const sums = new Float64Array(shared.sums);
      for (let k = 0; k < 2000; k++) {
        session.run(OP_SQUARE);
        sums.fill(0);
        session.run(OP_SUM);
        assert.notEqual(sums[1], 0);
      }
      await session.detach();
    } finally {
      await pool.close();
    }
  });

  test('an error thrown in a worker part is rethrown by run, and the session stays usable', async () => {
    const pool = WorkerPool.create(1);
    try {
      const session: PoolSession = await pool.attach(kernelUrl, makeShared(16, 2), 2);
      assert.throws(() => session.run(OP_THROW), /worker kernel failed: part 1: Error: kernel says no/);
      session.run(OP_SQUARE);
      await session.detach();
      assert.throws(() => session.run(OP_SQUARE), /detached/);
    } finally {
      await pool.close();
    }
  });

  test('a failing kernel module is reported by attach and the pool can be attached again', async () => {
    const pool = WorkerPool.create(1);
    try {
      await assert.rejects(pool.attach(new URL('./no-such-kernel.ts', import.meta.url), {}, 2));
      const session = await pool.attach(kernelUrl, makeShared(8, 2), 2);
      session.run(OP_SQUARE);
      await session.detach();
    } finally {
      await pool.close();
    }
  });

  test('attaches queue: a second session waits until the first detaches', async () => {
    const pool = sharedWorkerPool();
    const first = await pool.attach(kernelUrl, makeShared(8, 2), 2);
    let secondReady = false;
    const second = pool.attach(kernelUrl, makeShared(8, 2), 2).then((s) => {
      secondReady = true;
      return s;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(secondReady, false);
    first.run(OP_SQUARE);
    await first.detach();
    const s2 = await second;
    s2.run(OP_SQUARE);
    await s2.detach();
    assert.ok(pool.size >= 1);
  });
}
