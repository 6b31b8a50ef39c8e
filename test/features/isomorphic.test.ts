// What the browser runtime will load must not depend on Node: bundle the pipeline, the feature transforms, the
// linear models and the metrics for the browser platform with esbuild, which fails on any node: import, then
// run the bundle in a bare V8 context (no require, no process) and check it predicts.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');

test('features, pipeline, linear models and metrics bundle for the browser and run without Node', async () => {
  const entry = `
    export * from './src/features/index.ts';
    export * from './src/models/linear/index.ts';
    export * as metrics from './src/train/metrics/index.ts';
    export { Frame, numberColumn, categoryFromStrings } from './src/core/frame.ts';
  `;
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'browser-entry.ts' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'kiln',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  assert.ok(!/require\(["']node:/.test(code), 'no node: imports in the bundle');
  const context = vm.createContext({ TextEncoder, TextDecoder });
  vm.runInContext(code, context);
  // fit, save, load and predict inside the bare context: nothing may reach for Node
  const run = vm.runInContext(
    `(async () => {
      const k = kiln;
      const n = 80;
      const x = new Float64Array(n);
      const labels = [];
      const colour = [];
      for (let i = 0; i < n; i++) { x[i] = (i % 10) - 4.5; labels.push(x[i] > 0 ? 'up' : 'down'); colour.push(i % 3 ? 'red' : 'blue'); }
      const frame = k.Frame.fromColumns([['x', k.numberColumn(x)], ['colour', k.categoryFromStrings(colour)], ['y', k.categoryFromStrings(labels)]]);
      const p = await k.Pipeline.fit(frame, { target: 'y', task: 'binary', learner: new k.LogisticRegression() });
      const q = k.Pipeline.fromBytes(p.toBytes());
      const out = q.predictRecords([{ x: 3, colour: 'red' }, { x: -3, colour: 'green' }]);
      return { predictions: out.predictions, auc: k.metrics.rocAuc(Float64Array.from(labels, (l) => (l === 'up' ? 1 : 0)), x) };
    })()`,
    context,
  );
  const r = (await run) as { predictions: string[]; auc: number };
  assert.deepEqual([...r.predictions], ['up', 'down']);
  assert.equal(r.auc, 1);
  console.log(`browser bundle of features + linear + metrics: ${(code.length / 1024).toFixed(1)} KiB minified`);
});
