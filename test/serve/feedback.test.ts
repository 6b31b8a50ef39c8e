// POST /v1/models/{model}/feedback on SQLite and PostgreSQL: single and batch labels joined to the logged
// predictions by (request_id, row_index), corrections replacing earlier labels, labels for requests the log has
// not seen, every invalid field named in one 400; and the prediction log read back with its labels.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { readPredictions, startServer, type RunningServer } from '../../src/serve/index.js';
import { backends, type TestDatabase } from '../core/db/backends.js';
import { linearPipeline, postJson, testRecords } from './fixtures.js';

for (const backend of backends) {
  describe(`feedback on ${backend.name}`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let store: Store;
    let server: RunningServer;
    let records: Record<string, unknown>[];

    before(async () => {
      database = await backend.open();
      store = await openRegistry({ db: database.db, projectDir: database.dir, env: {} });
      await store.register({ name: 'churn', artifact: (await linearPipeline({ rows: 400 })).toArtifact(), aliases: ['champion'] });
      records = await testRecords(12);
      server = await startServer({ db: database.db, store, port: 0, env: {}, predictionLog: { flushMs: 20 }, log: () => undefined });
    });
    after(async () => {
      await server?.close();
      await store?.close();
      await database?.cleanup();
    });

    test('labels join the logged rows by request id and row index; a later label replaces an earlier one', async () => {
      const one = await postJson(server.url, '/v1/models/churn@champion/predict', records[0]);
      const batch = await postJson(server.url, '/v1/models/churn/predict', { rows: records.slice(1, 6) });
      assert.equal(batch.status, 200);
      // single form, row_index defaulting to 0, straight after the prediction (the log is flushed first)
      const single = await postJson(server.url, '/v1/models/churn/feedback', { request_id: one.json.request_id, actual: 'Yes' });
      assert.equal(single.status, 200, single.text);
      assert.deepEqual(single.json, { model: 'churn', accepted: 1, logged: 1, unlogged: 0 });
      const labels = ['No', 'Yes', 'No', 'No', 'Yes'];
      const many = await postJson(server.url, '/v1/models/churn@champion/feedback', {
        feedback: labels.map((actual, i) => ({ request_id: batch.json.request_id, row_index: i, actual })),
      });
      assert.deepEqual(many.json, { model: 'churn', accepted: 5, logged: 5, unlogged: 0 });
      // a correction for row 1, and a label for a request this server never answered
      const fix = await postJson(server.url, '/v1/models/churn/feedback', { feedback: [{ request_id: batch.json.request_id, row_index: 1, actual: 'No' }, { request_id: 'from-elsewhere', actual: 'Yes' }] });
      assert.deepEqual(fix.json, { model: 'churn', accepted: 2, logged: 1, unlogged: 1 });

      const logged = await readPredictions(database.db, { model: 'churn', withFeedback: true });
      assert.equal(logged.length, 6);
      const byKey = new Map(logged.map((r) => [`${r.requestId}/${r.rowIndex}`, r.actual]));
      assert.equal(byKey.get(`${one.json.request_id}/0`), 'Yes');
      assert.deepEqual(
        [0, 1, 2, 3, 4].map((i) => byKey.get(`${batch.json.request_id}/${i}`)),
        ['No', 'No', 'No', 'No', 'Yes'],
      );
      // without the join, rows carry no `actual` at all
      assert.equal('actual' in (await readPredictions(database.db, { model: 'churn' }))[0], false);
    });

    test('the newest N rows of the log come back oldest first', async () => {
      const first = await postJson(server.url, '/v1/models/churn/predict', { rows: records.slice(6, 9) });
      const second = await postJson(server.url, '/v1/models/churn/predict', { rows: records.slice(9, 12) });
      await server.context.predictionLog!.flush();
      const last = await readPredictions(database.db, { model: 'churn', limit: 4, newest: true, withFeedback: true });
      assert.deepEqual(
        last.map((r) => `${r.requestId}/${r.rowIndex}`),
        [`${first.json.request_id}/2`, `${second.json.request_id}/0`, `${second.json.request_id}/1`, `${second.json.request_id}/2`],
      );
      assert.ok(last.every((r) => r.actual === null));
    });

    test('every bad field is named in one 400; nothing is stored from a bad batch', async () => {
      const bad = await postJson(server.url, '/v1/models/churn/feedback', {
        feedback: [
          { request_id: 'ok-1', actual: 'Yes' },
          { request_id: 'has space', actual: 'No' },
          { request_id: 'ok-2', row_index: -1, actual: 'Maybe' },
          { request_id: 'ok-3', label: 'Yes' },
        ],
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.code, 'E_VALIDATION');
      const paths = bad.json.error.issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
      assert.deepEqual(paths.sort(), ['feedback.1.request_id', 'feedback.2.actual', 'feedback.2.row_index', 'feedback.3.actual', 'feedback.3.label'].sort());
      assert.match(bad.json.error.message, /feedback\.1\.request_id: expected the request id/);
      const classes = bad.json.error.issues.find((i: { path: string[] }) => i.path.join('.') === 'feedback.2.actual');
      assert.match(classes.expected, /one of the model's classes \("No", "Yes"\)/);
      const stored = await database.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM feedback WHERE request_id = 'ok-1'");
      assert.equal(Number(stored[0].n), 0);
      for (const body of [[], 'text', { feedback: [] }, { feedback: [{ request_id: 'a', actual: 'Yes' }], extra: 1 }]) {
        const r = await postJson(server.url, '/v1/models/churn/feedback', body);
        assert.equal(r.status, 400, JSON.stringify(body));
      }
      const unknown = await postJson(server.url, '/v1/models/nope/feedback', { request_id: 'a', actual: 'Yes' });
      assert.equal(unknown.status, 404);
    });
  });
}
