// The benchmark's server process: `kiln serve` on a project folder (prediction log on, as in production) plus an
// empty route on the same fastify app and port, so both go through the same edge (hooks, JSON body parsing).
// Prints one JSON line { url } when listening; stops on SIGTERM.
//   node --import tsx bench/serve/server-child.ts <projectDir>

import { startServer } from '../../src/serve/index.js';

const projectDir = process.argv[2];
const server = await startServer({
  projectDir,
  port: 0,
  env: {},
  logPredictions: process.env.KILN_BENCH_NO_LOG !== '1',
  routes: (app) => {
    // the same body arrives and is parsed; the answer is a constant
    app.post('/bench/empty', async () => ({ ok: true }));
    app.get('/bench/empty', async () => ({ ok: true }));
  },
});
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
