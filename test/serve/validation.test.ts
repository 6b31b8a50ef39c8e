// Request validation and errors at the server's edge: every bad field named with { path, expected, received },
// unseen categories predicted (not refused), malformed bodies, the body size limit (declared and streamed),
// and an unknown failure answered with a bare 500 that leaks nothing while the log gets the details.

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { openDb, type Db } from '../../src/core/db/index.js';
import type { Pipeline } from '../../src/features/index.js';
import { openRegistry } from '../../src/registry/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { linearPipeline, postJson, project, request, testRecords, type TestProject } from './fixtures.js';

interface Issue {
  path: (string | number)[];
  expected: string;
  received: string;
  message?: string;
}

describe('request validation and errors', () => {
  let proj: TestProject;
  let server: RunningServer;
  let pipeline: Pipeline;
  let record: Record<string, unknown>;

  before(async () => {
    proj = await project();
    pipeline = await linearPipeline();
    record = (await testRecords(1))[0];
    await proj.store.register({ name: 'churn', artifact: pipeline.toArtifact() });
    server = await startServer({ projectDir: proj.dir, port: 0, env: {}, bodyLimit: 64 * 1024, log: () => undefined });
  });
  after(async () => {
    await server?.close();
    await proj?.cleanup();
  });

  const predict = (body: unknown) => postJson(server.url, '/v1/models/churn/predict', body);
  const byPath = (issues: Issue[]) => new Map(issues.map((i) => [i.path.join('.'), i]));

  test('missing field, wrong type, non-finite number and unknown column are all named in one 400', async () => {
    const bad: Record<string, unknown> = { ...record, tenure: '12', MonthlyCharges: Infinity, shoe_size: 44 };
    delete bad.Contract;
    // 1e999 is valid JSON that parses to Infinity (JSON.stringify writes Infinity as null): send the text itself
    const body = JSON.stringify(bad).replace('"MonthlyCharges":null', '"MonthlyCharges":1e999');
    const r = await request(server.url, 'POST', '/v1/models/churn/predict', { body });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'E_VALIDATION');
    const issues = byPath(r.json.error.issues);
    assert.deepEqual([...issues.keys()].sort(), ['Contract', 'MonthlyCharges', 'shoe_size', 'tenure']);
    assert.deepEqual(issues.get('tenure'), { path: ['tenure'], expected: 'a number', received: '"12"' });
    assert.deepEqual(issues.get('MonthlyCharges'), { path: ['MonthlyCharges'], expected: 'a finite number', received: 'Infinity' });
    assert.equal(issues.get('Contract')!.received, 'nothing');
    assert.match(issues.get('Contract')!.message!, /Contract is required/);
    assert.match(issues.get('shoe_size')!.message!, /unknown column "shoe_size"/);
    assert.match(r.json.error.message, /invalid input at/);
    assert.match(r.json.error.message, /and 3 more issues/);
  });

  test('batch issues carry the record index under the body key', async () => {
    const rows = [record, { ...record, tenure: null }, { ...record, gender: 7, tenure: true }, 'not a record'];
    const r = await predict({ rows });
    assert.equal(r.status, 400);
    const paths = r.json.error.issues.map((i: Issue) => i.path.join('.'));
    assert.deepEqual(paths, ['rows.2.tenure', 'rows.3']);
    const split = await predict({ dataframe_split: { columns: ['tenure', 'gender'], data: [[1, 'Male'], [2]] } });
    assert.equal(split.status, 400);
    assert.deepEqual(split.json.error.issues[0].path, ['dataframe_split', 'data', 1]);
  });

  test('null means unknown and is imputed as in training; a number for a category is read as its text', async () => {
    const r = await predict({ ...record, tenure: null, TotalCharges: null, SeniorCitizen: 1 });
    assert.equal(r.status, 200, r.text);
    const want = pipeline.predictRecords([{ ...record, tenure: null, TotalCharges: null, SeniorCitizen: 1 }]);
    assert.equal(r.json.probabilities[0].Yes, want.probabilities![1]);
  });

  test('an unseen category is predicted as the model was trained to handle it, with a warning', async () => {
    const r = await predict({ rows: [record, { ...record, Contract: 'Ten year', PaymentMethod: 'Barter' }] });
    assert.equal(r.status, 200, r.text);
    const want = pipeline.predictRecords([record, { ...record, Contract: 'Ten year', PaymentMethod: 'Barter' }]);
    assert.deepEqual(r.json.probabilities.map((p: Record<string, number>) => p.Yes), [want.probabilities![1], want.probabilities![3]]);
    assert.deepEqual(r.json.warnings.map((w: { path: unknown[] }) => w.path), [['rows', 1, 'Contract'], ['rows', 1, 'PaymentMethod']]);
    assert.match(r.json.warnings[0].message, /"Ten year" was not seen in training/);
  });

  test('malformed bodies: not JSON, wrong content type, empty, not an object, empty batch, prototype keys', async () => {
    const cases: [string, { body?: string; headers?: Record<string, string> }, number, RegExp][] = [
      ['broken JSON', { body: '{"tenure": ' }, 400, /not valid JSON/],
      ['text body', { body: 'tenure=3', headers: { 'content-type': 'text/plain' } }, 415, /must be JSON/],
      ['empty body', { body: '' }, 400, /empty/],
      ['a list', { body: '[1, 2]' }, 400, /must be a JSON object/],
      ['empty rows', { body: '{"rows": []}' }, 400, /"rows" is empty/],
      ['__proto__', { body: '{"__proto__": {"x": 1}}' }, 400, /forbidden key|not valid/],
    ];
    for (const [name, options, status, pattern] of cases) {
      const r = await request(server.url, 'POST', '/v1/models/churn/predict', options);
      assert.equal(r.status, status, `${name}: ${r.text}`);
      assert.match(r.json.error.message, pattern, name);
      assert.equal(typeof r.json.error.code, 'string', name);
    }
  });

  test('the body limit: a declared oversize body is refused before reading, a streamed one while reading', async () => {
    const big = JSON.stringify({ rows: Array.from({ length: 200 }, () => record) });
    assert.ok(big.length > 64 * 1024);
    const declared = await request(server.url, 'POST', '/v1/models/churn/predict', { body: big });
    assert.equal(declared.status, 413);
    assert.equal(declared.json.error.code, 'E_PAYLOAD_TOO_LARGE');
    // chunked: no Content-Length, so only counting the bytes as they arrive can stop it
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(server.url);
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/v1/models/churn/predict', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 4096) req.write(big.slice(i, i + 4096));
      req.end();
    });
    assert.equal(streamed.status, 413);
    assert.equal(JSON.parse(streamed.body).error.code, 'E_PAYLOAD_TOO_LARGE');
  });

  test('an unknown route is a 404 in the same error shape', async () => {
    const r = await request(server.url, 'GET', '/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'E_NOT_FOUND');
  });
});

describe('request timeouts', () => {
  test('a client that stops sending its body is answered 408 and disconnected', async () => {
    const proj = await project();
    await proj.store.register({ name: 'churn', artifact: (await linearPipeline({ rows: 200 })).toArtifact() });
    const server = await startServer({ projectDir: proj.dir, port: 0, env: {}, requestTimeoutMs: 300, log: () => undefined });
    try {
      const url = new URL(server.url);
      // announce 1,000 bytes, send 10, then nothing: the server must not wait forever
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(url.port), url.hostname, () => {
          socket.write(`POST /v1/models/churn/predict HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tenure":`);
        });
        let data = '';
        socket.on('data', (d: Buffer) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
      assert.match(reply, /^HTTP\/1\.1 408/);
    } finally {
      await server.close();
      await proj.cleanup();
    }
  });
});

describe('an unexpected failure', () => {
  test('is answered with a bare 500 (code, request id, nothing internal) and logged in full', async () => {
    const proj = await project();
    const db: Db = await openDb(`${proj.dir}/.kiln/kiln.db`);
    const store = await openRegistry({ db, projectDir: proj.dir, env: {} });
    const pipeline = await linearPipeline({ rows: 300 });
    await store.register({ name: 'churn', artifact: pipeline.toArtifact() });
    const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const server = await startServer({ db, store, port: 0, env: {}, logPredictions: false, log: (level, message, fields) => logged.push({ level, message, fields }) });
    try {
      // the database goes away under the server: a failure no handler anticipates
      await db.close();
      const r = await postJson(server.url, '/v1/models/churn/predict', (await testRecords(1))[0]);
      assert.equal(r.status, 500);
      assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'message', 'request_id']);
      assert.equal(r.json.error.code, 'E_INTERNAL');
      assert.doesNotMatch(r.text, /database|closed|\.kiln|sqlite|at /i);
      const entry = logged.find((l) => l.level === 'error' && l.fields?.request_id === r.json.error.request_id);
      assert.ok(entry, 'the failure is in the log under the request id');
      assert.match(entry.message, /closed/);
    } finally {
      await server.close();
      await store.close();
      await proj.cleanup();
    }
  });
});
