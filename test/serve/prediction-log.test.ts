// The prediction log on SQLite and PostgreSQL: every predicted record becomes one row (request id, row index,
// model and version, inputs, prediction, probabilities, score, latency, time), written in batches off the request
// path; (request_id, row_index) is the key feedback will join on. Plus the queue's bound and batching.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../src/core/db/index.js';
import type { Pipeline } from '../../src/features/index.js';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { migrate } from '../../src/core/db/index.js';
import { PredictionLog, readPredictions, SERVE_LAYER, serveMigrations, startServer, type RunningServer } from '../../src/serve/index.js';
import { backends, type TestDatabase } from '../core/db/backends.js';
import { linearPipeline, postJson, request, testRecords } from './fixtures.js';

for (const backend of backends) {
  describe(`prediction log on ${backend.name}`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let store: Store;
    let server: RunningServer;
    let pipeline: Pipeline;
    let records: Record<string, unknown>[];

    before(async () => {
      database = await backend.open();
      store = await openRegistry({ db: database.db, projectDir: database.dir, env: {} });
      pipeline = await linearPipeline({ rows: 400 });
      records = await testRecords(30);
      await store.register({ name: 'churn', artifact: pipeline.toArtifact(), aliases: ['champion'] });
      server = await startServer({ db: database.db, store, port: 0, env: {}, predictionLog: { flushMs: 20 }, log: () => undefined });
    });
    after(async () => {
      await server?.close();
      await store?.close();
      await database?.cleanup();
    });

    test('every record of every request is logged with its inputs, outputs, version and latency', async () => {
      const sent: { id: string; records: Record<string, unknown>[]; source: string }[] = [];
      const one = await postJson(server.url, '/v1/models/churn@champion/predict', records[0], { 'x-request-id': 'client-id-1' });
      sent.push({ id: one.json.request_id, records: [records[0]], source: 'v1' });
      const batch = await postJson(server.url, '/v1/models/churn/predict', { rows: records.slice(1, 11) });
      sent.push({ id: batch.json.request_id, records: records.slice(1, 11), source: 'v1' });
      const meta = (await request(server.url, 'GET', '/v2/models/churn')).json;
      const v2 = records.slice(11, 14);
      const inputs = meta.inputs.map((i: { name: string; datatype: string }) => ({ name: i.name, datatype: i.datatype, shape: [3], data: v2.map((r) => r[i.name]) }));
      const infer = await postJson(server.url, '/v2/models/churn/infer', { inputs }, { 'x-request-id': 'client-id-2' });
      assert.equal(infer.status, 200, infer.text);
      // V2 carries only the model's input tensors, and that is what gets logged
      const names: string[] = meta.inputs.map((i: { name: string }) => i.name);
      sent.push({ id: 'client-id-2', records: v2.map((r) => Object.fromEntries(names.map((n) => [n, r[n]]))), source: 'v2' });
      // a request that fails validation is not a prediction and is not logged
      const bad = await postJson(server.url, '/v1/models/churn/predict', { ...records[0], tenure: 'x' }, { 'x-request-id': 'rejected' });
      assert.equal(bad.status, 400);

      await server.context.predictionLog!.flush();
      const logged = await readPredictions(database.db, { model: 'churn' });
      assert.equal(logged.length, 14);
      assert.equal((await readPredictions(database.db, { requestId: 'rejected' })).length, 0);
      for (const s of sent) {
        const rows = (await readPredictions(database.db, { requestId: s.id })).sort((a, b) => a.rowIndex - b.rowIndex);
        const want = pipeline.predictRecords(s.records);
        assert.equal(rows.length, s.records.length, s.id);
        rows.forEach((row, i) => {
          assert.equal(row.rowIndex, i);
          assert.equal(row.modelName, 'churn');
          assert.equal(row.modelVersion, 1);
          assert.equal(row.source, s.source);
          assert.equal(row.prediction, want.predictions[i]);
          assert.deepEqual(row.probabilities, { No: want.probabilities![2 * i], Yes: want.probabilities![2 * i + 1] });
          assert.equal(row.score, want.probabilities![2 * i + 1]);
          assert.deepEqual({ ...row.inputs }, { ...s.records[i] });
          assert.ok(row.latencyMs > 0 && row.latencyMs < 60_000);
          assert.match(row.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        });
      }
      const stats = server.context.predictionLog!.getStats();
      assert.deepEqual({ written: stats.written, dropped: stats.dropped, failures: stats.failures }, { written: 14, dropped: 0, failures: 0 });
    });

    test('a request id sent twice keeps the first rows and fails nothing; time filters work', async () => {
      const before = new Date().toISOString();
      await postJson(server.url, '/v1/models/churn/predict', records[20], { 'x-request-id': 'same-id' });
      await postJson(server.url, '/v1/models/churn/predict', records[21], { 'x-request-id': 'same-id' });
      await server.context.predictionLog!.flush();
      const rows = await readPredictions(database.db, { requestId: 'same-id' });
      assert.equal(rows.length, 1);
      assert.equal(rows[0].inputs.customerID, records[20].customerID);
      assert.equal(server.context.predictionLog!.getStats().failures, 0);
      assert.equal((await readPredictions(database.db, { since: before })).length, 1);
      assert.equal((await readPredictions(database.db, { until: before })).length, 14);
    });
  });
}

describe('PredictionLog queue', () => {
  let database: TestDatabase;
  let db: Db;
  let pipeline: Pipeline;
  let records: Record<string, unknown>[];

  before(async () => {
    database = await backends[0].open();
    db = database.db;
    await migrate(db, SERVE_LAYER, serveMigrations);
    pipeline = await linearPipeline({ rows: 300 });
    records = await testRecords(700);
  });
  after(async () => database?.cleanup());

  test('large requests are split over several statements in one flush; close writes what is queued', async () => {
    const log = new PredictionLog(db, { flushMs: 60_000 });
    const result = pipeline.predictRecords(records);
    log.add({ requestId: 'big', modelName: 'churn', modelVersion: 1, at: Date.now(), latencyMs: 3, records, result, source: 'v1' });
    log.add({ requestId: 'small', modelName: 'churn', modelVersion: 1, at: Date.now(), latencyMs: 1, records: records.slice(0, 1), result, source: 'v1' });
    assert.equal(log.getStats().pending, 701);
    await log.close();
    assert.deepEqual(log.getStats(), { written: 701, dropped: 0, pending: 0, failures: 0 });
    const rows = await readPredictions(db, { requestId: 'big', limit: 1000 });
    assert.equal(rows.length, 700);
    assert.equal(rows[699].prediction, result.predictions[699]);
    // after close, nothing more is accepted
    log.add({ requestId: 'late', modelName: 'churn', modelVersion: 1, at: Date.now(), latencyMs: 1, records: records.slice(0, 2), result, source: 'v1' });
    assert.equal(log.getStats().dropped, 2);
  });

  test('the queue is bounded: beyond maxPendingRows requests are dropped and counted, never kept', async () => {
    const log = new PredictionLog(db, { flushMs: 60_000, batchRows: 1_000_000, maxPendingRows: 10 });
    const result = pipeline.predictRecords(records.slice(0, 4));
    for (let i = 0; i < 5; i++) log.add({ requestId: `q${i}`, modelName: 'churn', modelVersion: 1, at: Date.now(), latencyMs: 1, records: records.slice(0, 4), result, source: 'v1' });
    assert.deepEqual(log.getStats(), { written: 0, dropped: 12, pending: 8, failures: 0 });
    await log.close();
    assert.equal(log.getStats().written, 8);
  });
});
