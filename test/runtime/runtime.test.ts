// kiln/runtime: an exported model loaded from bytes, an ArrayBuffer, a Response or a URL predicts in Node exactly
// as the server does; the runtime bundles for browsers with no Node imports (its size is printed); and in real
// Chromium a page on loopback loads churn.kiln and predicts what the server answers, to 1e-9.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { isKilnError } from '../../src/core/errors.js';
import { loadModel, loadModelFromBytes } from '../../src/runtime/index.js';
import { exportModel, startServer, type RunningServer } from '../../src/serve/index.js';
import { browserUnavailable, screenshot, withBrowser } from '../helpers/browser.js';
import { gbdtPipeline, linearPipeline, postJson, project, testRecords, type TestProject } from '../serve/fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The runtime as a browser ES module, minified (what an app would ship). */
async function bundleRuntime(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'src/runtime/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** A static file server on loopback for the page, the bundle and the models. */
async function staticServer(files: Record<string, { type: string; body: string | Uint8Array }>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('kiln/runtime', () => {
  let proj: TestProject;
  let server: RunningServer;
  let records: Record<string, unknown>[];
  const exported: Record<string, Uint8Array> = {};

  before(async () => {
    proj = await project();
    await proj.store.register({ name: 'churn', artifact: (await gbdtPipeline({ rows: 1500, rounds: 60 })).toArtifact(), aliases: ['champion'] });
    await proj.store.register({ name: 'churn-linear', artifact: (await linearPipeline({ rows: 800 })).toArtifact() });
    for (const name of ['churn', 'churn-linear']) {
      const file = path.join(proj.dir, `${name}.kiln`);
      await exportModel(proj.store, name === 'churn' ? 'churn@champion' : name, file);
      exported[name] = readFileSync(file);
    }
    // records as clients send them, plus gaps and labels the model never saw
    records = await testRecords(60);
    records.push({ ...records[0], tenure: null, TotalCharges: null, Contract: 'Ten year', InternetService: null });
    server = await startServer({ projectDir: proj.dir, port: 0, env: {}, logPredictions: false, log: () => undefined });
  });
  after(async () => {
    await server?.close();
    await proj?.cleanup();
  });

  const serverAnswer = async (model: string) => {
    const r = await postJson(server.url, `/v1/models/${model}/predict`, { rows: records });
    assert.equal(r.status, 200, r.text);
    return r.json as { predictions: string[]; probabilities: Record<string, number>[] };
  };

  test('in Node, from bytes, an ArrayBuffer, a Response and a URL: the server\'s predictions exactly', async () => {
    const files = await staticServer({ '/churn.kiln': { type: 'application/octet-stream', body: exported.churn } });
    try {
      const want = await serverAnswer('churn@champion');
      const bytes = exported.churn;
      const sources = [
        bytes,
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        new Response(new Uint8Array(bytes)),
        `${files.url}/churn.kiln`,
        new URL('/churn.kiln', files.url),
      ];
      for (const source of sources) {
        const model = await loadModel(source as never);
        assert.equal(model.task, 'binary');
        assert.deepEqual(model.classes, ['No', 'Yes']);
        const got = model.predict(records);
        assert.deepEqual(got.predictions, want.predictions);
        assert.deepEqual(got.probabilities, want.probabilities);
      }
      const single = loadModelFromBytes(bytes).predict(records[3]);
      assert.deepEqual(single.probabilities, [want.probabilities[3]]);
      await assert.rejects(loadModel(`${files.url}/missing.kiln`), /HTTP 404/);
    } finally {
      await files.close();
    }
  });

  test('a damaged file is refused by its checksum; a bad record fails naming the field', () => {
    const damaged = new Uint8Array(exported.churn); // a copy: Buffer.slice would be a view
    damaged[200] ^= 0xff;
    assert.throws(() => loadModelFromBytes(damaged), (e: unknown) => isKilnError(e) && e.code === 'E_MODEL_FORMAT' && /checksum mismatch/.test(e.message));
    const model = loadModelFromBytes(exported['churn-linear']);
    assert.throws(
      () => model.predict({ ...records[0], tenure: 'soon' }),
      (e: unknown) => isKilnError(e) && e.code === 'E_VALIDATION' && e.issues[0].path.join('.') === '0.tenure',
    );
  });

  test('the runtime bundles for the browser without a single Node import', async () => {
    const code = await bundleRuntime();
    assert.doesNotMatch(code, /["']node:/);
    assert.doesNotMatch(code, /require\(/);
    const gz = gzipSync(code, { level: 9 }).length;
    console.log(`kiln/runtime browser bundle: ${(code.length / 1024).toFixed(1)} KiB minified, ${(gz / 1024).toFixed(1)} KiB gzipped`);
  });

  test('in Chromium, a page on loopback loads churn.kiln and predicts what the server answers (1e-9)', { skip: browserUnavailable() ?? undefined }, async () => {
    const code = await bundleRuntime();
    const page = `<!doctype html><meta charset="utf-8"><title>kiln runtime</title><pre id="out">loading</pre>
<script type="module">
  import { loadModel } from './kiln-runtime.js';
  window.predictWith = async (file, records) => {
    const model = await loadModel(file);
    const result = model.predict(records);
    document.getElementById('out').textContent = JSON.stringify(result.predictions.slice(0, 10));
    return result;
  };
  window.ready = true;
</script>`;
    const files = await staticServer({
      '/': { type: 'text/html', body: page },
      '/kiln-runtime.js': { type: 'text/javascript', body: code },
      '/churn.kiln': { type: 'application/octet-stream', body: exported.churn },
      '/churn-linear.kiln': { type: 'application/octet-stream', body: exported['churn-linear'] },
    });
    try {
      await withBrowser(async (browserPage) => {
        const errors: string[] = [];
        browserPage.on('pageerror', (e) => errors.push(e.message));
        await browserPage.goto(`${files.url}/`);
        await browserPage.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
        for (const [file, model] of [['/churn.kiln', 'churn@champion'], ['/churn-linear.kiln', 'churn-linear']] as const) {
          const want = await serverAnswer(model);
          const got = (await browserPage.evaluate(
            ([f, recs]) => (window as unknown as { predictWith: (f: string, r: unknown[]) => Promise<unknown> }).predictWith(f, recs),
            [file, records] as const,
          )) as { predictions: string[]; probabilities: Record<string, number>[] };
          assert.deepEqual(got.predictions, want.predictions, file);
          got.probabilities.forEach((p, i) => {
            for (const c of ['No', 'Yes']) assert.ok(Math.abs(p[c] - want.probabilities[i][c]) <= 1e-9, `${file} row ${i} ${c}: ${p[c]} vs ${want.probabilities[i][c]}`);
          });
        }
        await screenshot(browserPage, 'runtime/browser-predictions.png');
        assert.deepEqual(errors, []);
      });
    } finally {
      await files.close();
    }
  });
});
