// Entry point of a pool worker thread (see pool.ts). Idle, it waits for messages; on `attach` it loads the kernel
// module, runs its `setup`, replies `ready`, then serves synchronous dispatches until the session detaches.

import { parentPort } from 'node:worker_threads';
import { serveSession, type KernelModule, type PoolReply, type PoolRequest } from './pool.js';

const port = parentPort;
if (!port) throw new Error('pool-worker.ts must run in a worker thread');

port.on('message', (message: PoolRequest) => {
  void handle(message);
});

async function handle(message: PoolRequest): Promise<void> {
  const reply = (r: PoolReply): void => port!.postMessage(r);
  if (message.type !== 'attach') return;
  let kernel;
  try {
    const mod = (await import(message.moduleUrl)) as KernelModule<unknown>;
    kernel = mod.setup(message.shared);
  } catch (err) {
    reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    // still serve the control word so the session can detach cleanly
    serveSession(() => {}, message.control, message.errorBuffer, message.part, message.parts);
    reply({ type: 'detached' });
    return;
  }
  reply({ type: 'ready' });
  serveSession(kernel, message.control, message.errorBuffer, message.part, message.parts);
  reply({ type: 'detached' });
}
