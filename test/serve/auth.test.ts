// API tokens: from KILN_API_TOKENS and from the api_tokens table (hashed), checked in onRequest before the body
// is read; health probes stay open; revocation reaches a running server; a non-loopback address without tokens
// is refused.

import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { migrate, openDb } from '../../src/core/db/index.js';
import { isKilnError } from '../../src/core/errors.js';
import { createToken, hashToken, isLoopback, listTokens, revokeToken, SERVE_LAYER, serveMigrations, startServer, type RunningServer } from '../../src/serve/index.js';
import { linearPipeline, postJson, project, request, testRecords, type TestProject } from './fixtures.js';

const ENV_TOKEN = 'env-token-0123456789abcdef';

/** Send only the request head (a body is announced but never sent) and return the status line's code. */
function headOnly(base: string, head: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(head));
    let data = '';
    socket.on('data', (d: Buffer) => {
      data += d.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

describe('API tokens', () => {
  let proj: TestProject;
  let server: RunningServer;
  let record: Record<string, unknown>;

  before(async () => {
    proj = await project();
    record = (await testRecords(1))[0];
    await proj.store.register({ name: 'churn', artifact: (await linearPipeline({ rows: 300 })).toArtifact() });
    server = await startServer({ projectDir: proj.dir, port: 0, env: { KILN_API_TOKENS: `${ENV_TOKEN}, another-env-token-000000` }, tokenRefreshMs: 50, log: () => undefined });
  });
  after(async () => {
    await server?.close();
    await proj?.cleanup();
  });

  const predict = (headers: Record<string, string>) => postJson(server.url, '/v1/models/churn/predict', record, headers);

  test('no token, a wrong token or another scheme: 401 with a Bearer challenge; the right token: 200', async () => {
    const none = await predict({});
    assert.equal(none.status, 401);
    assert.equal(none.json.error.code, 'E_AUTH');
    assert.match(none.json.error.message, /an API token is required/);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="kiln"');
    const wrong = await predict({ authorization: 'Bearer not-the-token-at-all' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.json.error.message, /not valid/);
    assert.equal((await predict({ authorization: `Basic ${Buffer.from(`u:${ENV_TOKEN}`).toString('base64')}` })).status, 401);
    assert.equal((await postJson(server.url, `/v1/models/churn/predict?token=${ENV_TOKEN}`, record)).status, 401);
    assert.equal((await predict({ authorization: `Bearer ${ENV_TOKEN}` })).status, 200);
    assert.equal((await predict({ authorization: `bearer   another-env-token-000000` })).status, 200);
  });

  test('health probes answer without a token; metrics, models and OpenAPI need one', async () => {
    assert.equal((await request(server.url, 'GET', '/v2/health/live')).status, 200);
    assert.equal((await request(server.url, 'GET', '/v2/health/ready')).status, 200);
    for (const p of ['/metrics', '/v1/models', '/openapi.json', '/v2/models/churn']) {
      assert.equal((await request(server.url, 'GET', p)).status, 401, p);
      assert.equal((await request(server.url, 'GET', p, { headers: { authorization: `Bearer ${ENV_TOKEN}` } })).status, 200, p);
    }
  });

  test('the token is checked before the body is read: a refused request is answered with its body never sent', async () => {
    const url = new URL(server.url);
    const head = (auth: string) =>
      `POST /v1/models/churn/predict HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n${auth}\r\n`;
    assert.equal(await headOnly(server.url, head('')), 401);
    assert.equal(await headOnly(server.url, head('Authorization: Bearer wrong-token-xxxxxxxxxxxx\r\n')), 401);
    // and the declared size is refused before the token or the body
    const tooBig = `POST /v1/models/churn/predict HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${1024 ** 3}\r\n\r\n`;
    assert.equal(await headOnly(server.url, tooBig), 413);
  });

  test('tokens from kiln tokens create work at once, are stored hashed, and stop working once revoked', async () => {
    const db = await openDb(path.join(proj.dir, '.kiln', 'kiln.db'));
    try {
      await migrate(db, SERVE_LAYER, serveMigrations);
      const { token, info } = await createToken(db, { name: 'web-app', by: 'tester' });
      assert.match(token, /^kiln_[A-Za-z0-9_-]{43}$/);
      const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens WHERE id = $1', [info.id]);
      assert.equal(stored[0].token_hash, hashToken(token));
      assert.ok(!JSON.stringify(await db.query('SELECT * FROM api_tokens')).includes(token), 'the secret itself is never stored');
      assert.deepEqual((await listTokens(db)).map((t) => t.name), ['web-app']);

      assert.equal((await predict({ authorization: `Bearer ${token}` })).status, 200);
      await revokeToken(db, 'web-app');
      assert.deepEqual(await listTokens(db), []);
      assert.equal((await listTokens(db, { all: true }))[0].revokedAt !== null, true);
      // the server re-reads valid tokens every 50 ms here: wait for the revocation to arrive (no timing asserted)
      let status = 200;
      for (let attempt = 0; attempt < 200 && status === 200; attempt++) {
        status = (await predict({ authorization: `Bearer ${token}` })).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 25));
      }
      assert.equal(status, 401);
      assert.equal((await predict({ authorization: `Bearer ${ENV_TOKEN}` })).status, 200, 'other tokens still work');
    } finally {
      await db.close();
    }
  });
});

describe('safe by default', () => {
  test('loopback addresses are recognised', () => {
    for (const h of ['127.0.0.1', '127.8.0.1', '::1', 'localhost']) assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1']) assert.equal(isLoopback(h), false, h);
  });

  test('a non-loopback address without any token is refused before listening', async () => {
    const proj = await project();
    try {
      await assert.rejects(
        startServer({ projectDir: proj.dir, host: '0.0.0.0', port: 0, env: {}, log: () => undefined }),
        (e: unknown) => isKilnError(e) && e.code === 'E_AUTH' && /refusing to serve on 0\.0\.0\.0 without API tokens/.test(e.message),
      );
    } finally {
      await proj.cleanup();
    }
  });

  test('short tokens in KILN_API_TOKENS are refused', async () => {
    const proj = await project();
    try {
      await assert.rejects(startServer({ projectDir: proj.dir, port: 0, env: { KILN_API_TOKENS: 'short' }, log: () => undefined }), /shorter than 16 characters/);
    } finally {
      await proj.cleanup();
    }
  });
});
