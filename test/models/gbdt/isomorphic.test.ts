// The fitted model is isomorphic: its module graph bundles for a browser with no Node built-ins and no worker
// threads (fit-time code, the pool and the WebAssembly kernels, stays out of it).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';

test('model.ts bundles for the browser without Node modules or fit-time code', async () => {
  const result = await build({
    entryPoints: [new URL('../../../src/models/gbdt/model.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((p) => p.endsWith('gbdt/predict.ts')));
  for (const p of inputs) {
    assert.ok(!p.startsWith('node:'), `imports ${p}`);
    assert.ok(!/gbdt\/(booster|kernel|grower|wasm-kernels|learner)\.ts$|core\/pool/.test(p), `pulls in fit-time ${p}`);
  }
});
