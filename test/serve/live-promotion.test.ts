// Live promotion under load, on SQLite and PostgreSQL: client loops keep predicting with churn@champion while
// another registry handle (as another process would) promotes version 2 and then rolls back. The server switches
// without a restart, no request fails, every answer matches the version it names, and answers move to the new
// version and back.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pipeline } from '../../src/features/index.js';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { backends, type TestDatabase } from '../core/db/backends.js';
import { gbdtPipeline, linearPipeline, postJson, testRecords } from './fixtures.js';

const CLIENTS = 4;

for (const backend of backends) {
  describe(`live promotion on ${backend.name}`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let store: Store;
    let server: RunningServer;
    const pipelines = new Map<number, Pipeline>();
    let records: Record<string, unknown>[];

    before(async () => {
      database = await backend.open();
      store = await openRegistry({ url: database.url, projectDir: database.dir, env: {} });
      pipelines.set(1, await linearPipeline({ rows: 500 }));
      pipelines.set(2, await gbdtPipeline({ rows: 800, rounds: 30 }));
      records = await testRecords(16);
      await store.register({ name: 'churn', artifact: pipelines.get(1)!.toArtifact(), aliases: ['champion'] });
      await store.register({ name: 'churn', artifact: pipelines.get(2)!.toArtifact() });
      server = await startServer({ url: database.url, projectDir: database.dir, port: 0, env: {}, watchIntervalMs: 20, log: () => undefined });
    });
    after(async () => {
      await server?.close();
      await store?.close();
      await database?.cleanup();
    });

    test('promote and roll back while requests are in flight: zero failures, answers follow the alias', async () => {
      const answers: { version: number; index: number; p: number; status: number; text: string }[] = [];
      let stop = false;
      let sinceSwitch = 0;
      const client = async (c: number): Promise<void> => {
        for (let k = 0; !stop; k++) {
          const index = (c * 7 + k) % records.length;
          const r = await postJson(server.url, '/v1/models/churn@champion/predict', records[index]);
          answers.push({ version: r.json?.model?.version ?? -1, index, p: r.json?.probabilities?.[0]?.Yes ?? NaN, status: r.status, text: r.text });
          sinceSwitch++;
        }
      };
      /** let the clients run until `n` more answers arrived (counts answers, not time) */
      const waitAnswers = async (n: number, done?: () => boolean): Promise<void> => {
        sinceSwitch = 0;
        while (sinceSwitch < n || (done && !done())) await new Promise((r) => setTimeout(r, 5));
      };
      const loops = Array.from({ length: CLIENTS }, (_, c) => client(c));
      try {
        await waitAnswers(40);
        const other = await openRegistry({ url: database.url, projectDir: database.dir, env: {} });
        try {
          const change = await other.promote('churn/2', 'champion', { by: 'test' });
          assert.equal(change.toVersion, 2);
          // wait until the last 40 answers all come from version 2
          await waitAnswers(40, () => answers.slice(-40).every((a) => a.version === 2));
          await other.rollback('churn', 'champion', { by: 'test' });
          await waitAnswers(40, () => answers.slice(-40).every((a) => a.version === 1));
        } finally {
          await other.close();
        }
      } finally {
        stop = true;
        await Promise.all(loops);
      }
      const failures = answers.filter((a) => a.status !== 200);
      assert.deepEqual(failures.map((f) => f.text), [], 'no request failed');
      // answers go 1 … 1, 2 … 2, 1 … 1 (in-flight requests finish on the version they started with)
      const firstTwo = answers.findIndex((a) => a.version === 2);
      const lastTwo = answers.map((a) => a.version).lastIndexOf(2);
      assert.ok(firstTwo > 0 && lastTwo < answers.length - 1);
      assert.ok(answers.slice(0, firstTwo).every((a) => a.version === 1));
      // every answer is exactly its version's prediction: no mixing of model and version
      for (const a of answers) {
        const want = pipelines.get(a.version)!.predictRecords([records[a.index]]).probabilities![1];
        assert.equal(a.p, want);
      }
      const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
      assert.match(metrics, /kiln_model_served_version\{ref="churn@champion",model="churn"\} 1/);
      assert.match(metrics, /kiln_predict_requests_total\{model="churn",version="2",outcome="ok"\} [1-9]/);
    });
  });
}
