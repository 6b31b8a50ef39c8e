// The prediction log's writer thread (for SQLite files): its own connection, so inserts and their fsync happen
// off the server's event loop. Messages are typed in worker-log-sink.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../core/db/index.js';
import { DbLogSink } from './log-sink.js';
import type { WriterReply, WriterRequest } from './worker-log-sink.js';

const port = parentPort!;
const ready = openDb((workerData as { file: string }).file).then((db) => new DbLogSink(db, true));

port.on('message', (message: WriterRequest) => {
  void (async () => {
    let reply: WriterReply;
    try {
      const sink = await ready;
      if (message.type === 'close') {
        await sink.close();
        reply = { id: message.id, ok: true };
      } else {
        await sink.write(message.params, message.nRows);
        reply = { id: message.id, ok: true };
      }
    } catch (e) {
      reply = { id: message.id, ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  })();
});
