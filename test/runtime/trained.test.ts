// A pipeline as `kiln train` ships it (an ensemble of members from several families, each with its own feature
// chain, plus calibration and a threshold) loads in kiln/runtime from its bytes and predicts exactly as the
// pipeline that training returned. The runtime runs in a child process that imports nothing else, so the test
// fails if the runtime itself does not register every kind training ships.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ENSEMBLE_KIND, train } from '../../src/train/index.js';
import { testRecords } from '../serve/fixtures.js';
import { projectOf, slice } from '../train/helpers.js';

const runtime = path.resolve(import.meta.dirname, '../../src/runtime/index.ts');

test('a trained ensemble pipeline predicts in the runtime, on its own, exactly as trained', async () => {
  const result = await train({
    project: projectOf({ target: 'Churn', task: 'binary', positive: 'Yes', metric: 'log_loss', drop: ['customerID'], families: { include: ['gbdt', 'linear', 'naive_bayes'] } }),
    dataset: await slice('telco_churn/train.csv', 1200),
    overrides: { trials: 8 },
    store: false,
  });
  assert.equal(result.pipeline.model.kind, ENSEMBLE_KIND, 'training shipped an ensemble (members or calibration)');
  const records = await testRecords(40);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-runtime-trained-'));
  writeFileSync(path.join(dir, 'model.kiln'), result.pipeline.toBytes());
  writeFileSync(path.join(dir, 'records.json'), JSON.stringify(records));
  const script = `
    import { readFileSync } from 'node:fs';
    const { loadModelFromBytes } = await import(${JSON.stringify(runtime)});
    const model = loadModelFromBytes(readFileSync(${JSON.stringify(path.join(dir, 'model.kiln'))}));
    const out = model.predict(JSON.parse(readFileSync(${JSON.stringify(path.join(dir, 'records.json'))}, 'utf8')));
    process.stdout.write(JSON.stringify({ task: model.task, classes: model.classes, ...out }));`;
  const got = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }));
  const want = result.pipeline.predictRecords(records);
  assert.equal(got.task, 'binary');
  assert.deepEqual(got.classes, result.pipeline.classes);
  assert.deepEqual(got.predictions, want.predictions);
  assert.deepEqual(
    got.probabilities.map((p: Record<string, number>) => p.Yes),
    Array.from({ length: records.length }, (_, i) => want.probabilities![2 * i + 1]),
  );
});
