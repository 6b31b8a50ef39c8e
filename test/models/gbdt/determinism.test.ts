// Same seed, same model bytes; and the thread count never changes a single bit. The data is large enough that
// histogram and partition jobs really run on two threads (above the serial cut-off of the grower).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeArtifact } from '../../../src/core/artifact.js';
import { Rng } from '../../../src/core/rng.js';
import { gbdtDiagnostics, gbdtTuning } from '../../../src/models/gbdt/booster.js';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../../src/models/gbdt/index.js';

// these fits are small: make them use the pool and level passes anyway (by default they would not)
gbdtTuning.minParallelFit = 0;
gbdtTuning.levelPassMinBytes = 0;
import { mixedProblem, multiclassProblem, oneHotProblem, regressionProblem } from './synthetic.js';

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

test('the same seed gives identical model bytes; another seed gives another model', async () => {
  const data = mixedProblem(1, 3000);
  const params = { rounds: 15, rowSubsample: 0.8, columnSubsample: 0.7 };
  const a = encodeArtifact((await new GradientBoostingClassifier(params).fit(data, { rng: new Rng(9) })).toArtifact());
  const b = encodeArtifact((await new GradientBoostingClassifier(params).fit(data, { rng: new Rng(9) })).toArtifact());
  const cModel = await new GradientBoostingClassifier(params).fit(data, { rng: new Rng(10) });
  const c = encodeArtifact(cModel.toArtifact());
  const dModel = await new GradientBoostingClassifier({ ...params, seed: 10 }).fit(data);
  assert.ok(sameBytes(a, b));
  assert.ok(!sameBytes(a, c));
  // (the artifacts differ in the recorded seed param only)
  assert.deepEqual(cModel.ensemble, dModel.ensemble, 'the seed param seeds fit when no rng is given');
});

test('1 thread and 2 threads give identical bytes (leaf-wise with counts, depth-wise, softmax, categorical, subsampling, bundles)', async () => {
  const cases = [
    { name: 'leaf-wise binary, categorical + missing', data: mixedProblem(2, 40000, 40), make: (threads: number) => new GradientBoostingClassifier({ rounds: 8, threads }) },
    {
      name: 'depth-wise regression with subsampling',
      data: regressionProblem(3, 30000, 9),
      make: (threads: number) =>
        new GradientBoostingRegressor({ rounds: 6, threads, growth: 'depthwise', maxDepth: 6, maxLeaves: null, minSamplesLeaf: 1, rowSubsample: 0.7, columnSubsample: 0.8 }),
    },
    { name: 'softmax', data: multiclassProblem(4, 20000, 6), make: (threads: number) => new GradientBoostingClassifier({ rounds: 4, threads, maxLeaves: 63 }) },
    {
      name: 'bundled one-hot columns, depth-wise',
      data: oneHotProblem(5, 20000),
      make: (threads: number) => new GradientBoostingClassifier({ rounds: 4, threads, growth: 'depthwise', maxDepth: 5, maxLeaves: null, minSamplesLeaf: 1 }),
    },
  ];
  for (const c of cases) {
    const one = encodeArtifact((await c.make(1).fit(c.data)).toArtifact());
    const two = encodeArtifact((await c.make(2).fit(c.data)).toArtifact());
    assert.equal(gbdtDiagnostics.lastProfile?.threads, 2, 'the second fit ran on two threads');
    assert.ok(sameBytes(one, two), c.name);
  }
});
