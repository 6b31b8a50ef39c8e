// The small-batch path (one row at a time through the model's own predictRowInto) gives the same bits as the
// model's batch path, for classifiers and regressors, below and above the cut-over; other models are untouched.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pipeline } from '../../src/features/index.js';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/models/gbdt/index.js';
import { SMALL_BATCH_ROWS, withSmallBatchPath } from '../../src/serve/small-batch-model.js';
import { linearPipeline, telco, testRecords } from './fixtures.js';

test('gradient boosting: small batches row by row equal the batch path exactly', async () => {
  const train = (await telco('train')).slice(0, 1000);
  const records = await testRecords(2 * SMALL_BATCH_ROWS + 3);
  const classifier = await Pipeline.fit(train, { target: 'Churn', task: 'binary', positive: 'Yes', chain: { kind: 'tree' }, learner: new GradientBoostingClassifier({ rounds: 40, threads: 1 }) });
  const multiclass = await Pipeline.fit(train, { target: 'Contract', task: 'multiclass', chain: { kind: 'tree' }, learner: new GradientBoostingClassifier({ rounds: 20, threads: 1 }) });
  const regressor = await Pipeline.fit(train, { target: 'MonthlyCharges', task: 'regression', chain: { kind: 'tree' }, learner: new GradientBoostingRegressor({ rounds: 40, threads: 1 }) });
  for (const pipeline of [classifier, multiclass, regressor]) {
    const adapted = withSmallBatchPath(pipeline);
    assert.notEqual(adapted, pipeline);
    assert.equal(adapted.model.kind, pipeline.model.kind);
    for (const n of [1, 2, SMALL_BATCH_ROWS - 1, SMALL_BATCH_ROWS, records.length]) {
      const rows = records.slice(0, n);
      const want = pipeline.predictRecords(rows);
      const got = adapted.predictRecords(rows);
      assert.deepEqual(got.predictions, want.predictions, `${pipeline.task} n=${n}`);
      assert.deepEqual(got.values, want.values, `${pipeline.task} n=${n}`);
      assert.deepEqual(got.probabilities, want.probabilities, `${pipeline.task} n=${n}`);
    }
  }
});

test('models without a one-row path are served as they are', async () => {
  const linear = await linearPipeline({ rows: 200 });
  assert.equal(withSmallBatchPath(linear), linear);
});
