// `kiln serve`, `kiln predict`, `kiln export` and `kiln tokens` as child processes of the real CLI (through tsx),
// in a fresh project folder whose registry holds a real pipeline. Includes scoring a CSV several times larger than
// the scoring process's JavaScript heap and DuckDB memory limits.

import assert from 'node:assert/strict';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { openDb } from '../../src/core/db/index.js';
import { readFrame } from '../../src/data/index.js';
import type { Pipeline } from '../../src/features/index.js';
import { openRegistry } from '../../src/registry/index.js';
import { loadModelFromBytes } from '../../src/runtime/index.js';
import { readPredictions } from '../../src/serve/index.js';
import { linearPipeline, postJson, TELCO, telco, testRecords } from '../serve/fixtures.js';
import { runKiln, startKiln } from '../helpers/cli.js';


const start = startKiln;
const kiln = runKiln;

describe('kiln serve / predict / export / tokens', () => {
  let dir: string;
  let pipeline: Pipeline;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kiln-cli-serve-'));
    pipeline = await linearPipeline({ rows: 500 });
    const store = await openRegistry({ projectDir: dir, env: {} });
    try {
      await store.register({ name: 'churn', artifact: pipeline.toArtifact(), aliases: ['champion'] });
    } finally {
      await store.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('in a folder without a registry, serve, predict and export fail with one clear message', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'kiln-cli-empty-'));
    try {
      for (const args of [['serve', '--port', '0'], ['predict', 'churn', 'x.csv', '-o', 'y.csv'], ['export', 'churn', '-o', 'c.kiln'], ['tokens', 'list']]) {
        const r = await kiln(empty, args);
        assert.equal(r.code, 1, args.join(' '));
        assert.match(r.stderr, /there is no (model registry|Kiln database) here/);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      }
      assert.equal(existsSync(path.join(empty, '.kiln')), false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const bad = await kiln(dir, ['serve', '--port', 'eighty']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--port "eighty" must be a whole number/);
  });

  test('kiln export writes a file the runtime loads, predicting exactly as the pipeline', async () => {
    const r = await kiln(dir, ['export', 'churn@champion', '-o', 'out/churn.kiln']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /exported churn version 1 → out\/churn\.kiln \(\d+ bytes, sha256 [0-9a-f]{12}…\)/);
    const model = loadModelFromBytes(readFileSync(path.join(dir, 'out', 'churn.kiln')));
    const records = await testRecords(5);
    assert.deepEqual(model.predict(records).probabilities!.map((p) => p.Yes), Array.from({ length: 5 }, (_, i) => pipeline.predictRecords(records).probabilities![2 * i + 1]));
  });

  test('kiln predict scores a CSV into CSV with the predictions beside the input', async () => {
    const r = await kiln(dir, ['predict', 'churn@champion', path.join(TELCO, 'test.csv'), '-o', 'scored.csv', '--chunk-rows', '500']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /scored 1409 rows with churn version 1/);
    const scored = await readFrame(path.join(dir, 'scored.csv'));
    assert.equal(scored.nRows, 1409);
    assert.ok(scored.has('customerID') && scored.has('prediction') && scored.has('probability_Yes'));
  });

  test('kiln tokens create / list / revoke; the secret is printed once and never listed', async () => {
    const created = await kiln(dir, ['tokens', 'create', '--name', 'web-app']);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^kiln_[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /not shown again/);
    const list = await kiln(dir, ['tokens', 'list']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /web-app/);
    assert.ok(!list.stdout.includes(token));
    const json = JSON.parse((await kiln(dir, ['tokens', 'list', '--json'])).stdout);
    assert.equal(json.tokens.length, 1);
    const second = (await kiln(dir, ['tokens', 'create', '--name', 'spare'])).stdout.trim();
    const revoke = await kiln(dir, ['tokens', 'revoke', 'spare']);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match(revoke.stdout, /revoked token "spare"/);
    assert.notEqual(second, token);
    const bad = await kiln(dir, ['tokens', 'create', '--name', '../x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /token name "..\/x" is not valid/);
  });

  test('kiln serve: listens where it says, needs the token created above, logs predictions, stops cleanly on SIGTERM', async () => {
    const token = JSON.parse((await kiln(dir, ['tokens', 'create', '--name', 'serve-test', '--json'])).stdout).token as string;
    const child = start(dir, ['serve', '--port', '0', '--watch-interval', '100']);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)[^]*try:/.exec(stdout);
        if (m) resolve(m[1]);
      });
      child.on('close', (code) => reject(new Error(`kiln serve exited with ${code}: ${stderr}`)));
    });
    try {
      assert.match(stdout, /auth: API tokens required/);
      const record = (await testRecords(1))[0];
      assert.equal((await postJson(url, '/v1/models/churn@champion/predict', record)).status, 401);
      const ok = await postJson(url, '/v1/models/churn@champion/predict', record, { authorization: `Bearer ${token}`, 'x-request-id': 'from-cli-test' });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.probabilities[0].Yes, pipeline.predictRecords([record]).probabilities![1]);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stdout, /stopping/);
    // the prediction was written before the process exited
    const db = await openDb(path.join(dir, '.kiln', 'kiln.db'));
    try {
      const rows = await readPredictions(db, { requestId: 'from-cli-test' });
      assert.equal(rows.length, 1);
    } finally {
      await db.close();
    }
  });

  test('kiln predict streams a CSV larger than its JavaScript heap and twice its DuckDB memory limit', async () => {
    // ~64 MB of telco rows; the scoring process gets a 48 MB JavaScript heap and DuckDB 32 MB
    const big = path.join(dir, 'big.csv');
    const lines = readFileSync(path.join(TELCO, 'test.csv'), 'utf8').trimEnd().split('\n');
    const body = `${lines.slice(1).join('\n')}\n`;
    const out = createWriteStream(big);
    out.write(`${lines[0]}\n`);
    const copies = Math.ceil((64 * 1024 * 1024) / body.length);
    for (let c = 0; c < copies; c++) if (!out.write(body)) await once(out, 'drain');
    out.end();
    await once(out, 'close');
    const n = lines.length - 1;
    const rows = copies * n;
    assert.ok(statSync(big).size > 64 * 1024 * 1024);
    const r = await kiln(dir, ['predict', 'churn', 'big.csv', '-o', 'big-scored.csv', '--memory-limit', '32MB', '--chunk-rows', '5000'], { nodeArgs: ['--max-old-space-size=48'] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`scored ${rows} rows`));
    rmSync(big);
    const scored = readFileSync(path.join(dir, 'big-scored.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(scored.length, rows + 1);
    // every copy of a row is scored alike, and each line starts with the input line
    const expected = pipeline.predict(await telco('test'));
    for (const i of [0, 1, 700, n - 1]) {
      for (const copy of [0, Math.floor(copies / 2), copies - 1]) {
        const line = scored[1 + copy * n + i];
        assert.ok(line.startsWith(`${lines[1 + i]},`), `copy ${copy} row ${i}`);
        assert.equal(Number(line.slice(line.lastIndexOf(',') + 1)), expected.probabilities![2 * i + 1]);
      }
    }
  });
});
