// Every model family a pipeline may hold loads in kiln/runtime from its exported bytes and predicts exactly as
// the pipeline that was fitted: the runtime's list of families is complete.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Learner } from '../../src/core/learner.js';
import { knownModelKinds } from '../../src/core/model-kinds.js';
import { Pipeline } from '../../src/features/index.js';
import { GaussianNB } from '../../src/models/bayes/index.js';
import { RandomForestClassifier } from '../../src/models/forest/index.js';
import { KNeighborsClassifier } from '../../src/models/neighbors/index.js';
import { MLPClassifier } from '../../src/models/nn/index.js';
import { DecisionTreeClassifier } from '../../src/models/tree/index.js';
import { loadModelFromBytes } from '../../src/runtime/index.js';
import { telco, testRecords } from '../serve/fixtures.js';

test('forest, tree, kNN, MLP and naive Bayes pipelines run in the runtime as fitted', async () => {
  const train = (await telco('train')).slice(0, 400);
  const records = await testRecords(30);
  const learners: [Learner, 'dense' | 'tree'][] = [
    [new RandomForestClassifier({ nEstimators: 10, nThreads: 1 }), 'tree'],
    [new DecisionTreeClassifier({ maxDepth: 5 }), 'tree'],
    [new KNeighborsClassifier(), 'dense'],
    [new MLPClassifier({ hiddenLayerSizes: [16], maxEpochs: 20, nThreads: 1 }), 'dense'],
    [new GaussianNB(), 'dense'],
  ];
  for (const [learner, chain] of learners) {
    const pipeline = await Pipeline.fit(train, { target: 'Churn', task: 'binary', positive: 'Yes', learner, chain: { kind: chain } });
    const model = loadModelFromBytes(pipeline.toBytes());
    assert.ok(knownModelKinds().includes(pipeline.model.kind), pipeline.model.kind);
    const want = pipeline.predictRecords(records);
    const got = model.predict(records);
    assert.deepEqual(got.predictions, want.predictions, learner.kind);
    assert.deepEqual(got.probabilities!.map((p) => p.Yes), Array.from({ length: records.length }, (_, i) => want.probabilities![2 * i + 1]), learner.kind);
  }
});
