// Model names and versions in request paths never reach the registry (let alone the file system) unvalidated:
// traversal ("../", "%2e%2e", encoded and double-encoded slashes, backslashes), NUL bytes, absurd lengths and odd
// characters are answered with a 4xx in the API's error shape, and the server keeps working. Paths are sent
// byte for byte (node:http), since fetch would normalise exactly what is being tested.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { linearPipeline, project, request, testRecords, type TestProject } from './fixtures.js';

describe('path attacks', () => {
  let proj: TestProject;
  let server: RunningServer;
  let body: string;
  const logged: string[] = [];

  before(async () => {
    proj = await project();
    const pipeline = await linearPipeline({ rows: 300 });
    await proj.store.register({ name: 'churn', artifact: pipeline.toArtifact(), aliases: ['champion'] });
    // a valid artifact lying outside the registry, at places a traversal would aim for
    writeFileSync(path.join(proj.dir, 'evil.kiln'), pipeline.toBytes());
    writeFileSync(path.join(proj.dir, '.kiln', 'evil'), pipeline.toBytes());
    body = JSON.stringify((await testRecords(1))[0]);
    server = await startServer({ projectDir: proj.dir, port: 0, env: {}, log: (level, message) => logged.push(`${level}: ${message}`) });
  });
  after(async () => {
    await server?.close();
    await proj?.cleanup();
  });

  const attacks = [
    '/v1/models/../evil/predict',
    '/v1/models/..%2Fevil/predict',
    '/v1/models/..%2fevil.kiln/predict',
    '/v1/models/%2e%2e/predict',
    '/v1/models/%2e%2e%2f%2e%2e%2fetc%2fpasswd/predict',
    '/v1/models/%252e%252e%252fevil/predict',
    '/v1/models/..%5cevil/predict',
    '/v1/models/churn%2F1/predict',
    '/v1/models/churn%00/predict',
    '/v1/models/churn@..%2f..%2fevil/predict',
    '/v1/models/churn@%2e%2e/predict',
    '/v1/models/.kiln/predict',
    '/v1/models/churn%20OR%201=1/predict',
    "/v1/models/churn'--/predict",
    '/v1/models/churn/versions/..%2F1/predict',
    '/v1/models/churn/versions/1e3/predict',
    '/v1/models/churn/versions/-1/predict',
    '/v1/models/churn/versions/99999999999999999999/predict',
    '/v1/models/%2e%2e%2fevil/versions/1/predict',
    `/v1/models/${'a'.repeat(101)}/predict`,
    `/v1/models/${'a'.repeat(5000)}/predict`,
    `/v1/models/churn@${'b'.repeat(64)}/predict`,
    '/v2/models/..%2Fevil/infer',
    '/v2/models/%2e%2e/ready',
    '/v2/models/..%2F..%2Fevil',
    '/v1/models/%E0%A4%A/predict',
    '/v1/models/%/predict',
  ];

  test('every traversal, encoding trick and absurd length is a 4xx in the error shape', async () => {
    for (const p of attacks) {
      const method = p.endsWith('/ready') || !/(predict|infer)$/.test(p) ? 'GET' : 'POST';
      const r = await request(server.url, method, p, method === 'POST' ? { body } : {});
      assert.ok(r.status >= 400 && r.status < 500, `${p}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(r.status === 200, false, p);
      assert.ok(r.json?.error?.code, `${p}: JSON error body, got ${r.text.slice(0, 200)}`);
      // the refused name may be echoed back; no file system detail may be
      assert.doesNotMatch(r.text, /\/tmp\/|kiln-serve-test|artifacts|ENOENT|EACCES/, p);
    }
  });

  test('invalid names are refused by validation (400), not looked up', async () => {
    const r = await request(server.url, 'POST', '/v1/models/..%2Fevil/predict', { body });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'E_VALIDATION');
    assert.deepEqual(r.json.error.issues[0].path, ['model']);
    const dots = await request(server.url, 'POST', '/v1/models/churn@%2e%2e/predict', { body });
    assert.equal(dots.status, 400);
    assert.match(dots.json.error.message, /alias/);
  });

  test('a very long URL is refused by the HTTP layer', async () => {
    const r = await request(server.url, 'POST', `/v1/models/${'x'.repeat(100_000)}/predict`, { body });
    assert.ok(r.status === 431 || r.status === 414 || r.status === 404 || r.status === 400, String(r.status));
  });

  test('after all that the server still answers, and nothing was logged as an error', async () => {
    const ok = await request(server.url, 'POST', '/v1/models/churn@champion/predict', { body });
    assert.equal(ok.status, 200);
    assert.deepEqual(logged.filter((l) => l.startsWith('error')), []);
  });
});
