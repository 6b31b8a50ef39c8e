// The monitor's statistics run in a browser too (the dashboard can recompute drift client-side): bundling the
// layer for the browser platform must succeed without any Node built-in.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';

test('src/monitor bundles for the browser with no Node built-ins', async () => {
  const result = await build({
    entryPoints: ['src/monitor/index.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith('src/monitor/index.ts')));
  assert.deepEqual(
    inputs.filter((f) => f.startsWith('node:') || /^(fs|path|os|child_process|worker_threads)$/.test(f)),
    [],
  );
});
