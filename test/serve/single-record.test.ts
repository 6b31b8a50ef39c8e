// The single-record shortcut gives the bits of the Frame route (Pipeline.predict) for every record it takes, and
// leaves to the Frame route every record that route would refuse or warn about.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Pipeline } from '../../src/features/index.js';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/models/gbdt/index.js';
import { predictRecords } from '../../src/serve/predict.js';
import { SingleRecordPath } from '../../src/serve/single-record.js';
import { linearPipeline, telco, testRecords } from './fixtures.js';

describe('SingleRecordPath', () => {
  let classifier: Pipeline;
  let multiclass: Pipeline;
  let regressor: Pipeline;
  let records: Record<string, unknown>[];

  before(async () => {
    const train = (await telco('train')).slice(0, 1000);
    classifier = await Pipeline.fit(train, { target: 'Churn', task: 'binary', positive: 'Yes', chain: { kind: 'tree' }, learner: new GradientBoostingClassifier({ rounds: 30, threads: 1 }) });
    multiclass = await Pipeline.fit(train, { target: 'Contract', task: 'multiclass', chain: { kind: 'tree' }, learner: new GradientBoostingClassifier({ rounds: 15, threads: 1 }) });
    regressor = await Pipeline.fit(train, { target: 'MonthlyCharges', task: 'regression', chain: { kind: 'tree' }, learner: new GradientBoostingRegressor({ rounds: 30, threads: 1 }) });
    records = await testRecords(300);
  });

  test('the same predictions, values and probabilities as the Frame route (300 telco rows, gaps, absent optional keys)', () => {
    const edge: Record<string, unknown>[] = [
      { ...records[0], tenure: null, TotalCharges: null },
      { ...records[1], Contract: null, PaymentMethod: null },
      { ...records[2], SeniorCitizen: 1, Partner: 'No' },
      Object.fromEntries(Object.entries(records[4]).filter(([k]) => k !== 'customerID' && k !== 'Churn')),
      Object.assign(Object.create(null) as Record<string, unknown>, records[5]),
      { ...records[6], Churn: null, customerID: null },
    ];
    for (const pipeline of [classifier, classifier.withThreshold(0.3), multiclass, regressor]) {
      const path = SingleRecordPath.for(pipeline);
      assert.ok(path, `${pipeline.task}: the shortcut applies to a tree chain without steps`);
      let taken = 0;
      for (const record of [...records, ...edge]) {
        const got = path.predict(record);
        let want;
        try {
          want = pipeline.predictRecords([record]);
        } catch {
          // (Churn is a required feature of the multiclass and regression models)
          assert.equal(got, null, 'a record the Frame route refuses is left to it');
          continue;
        }
        assert.ok(got, `${pipeline.task}: a valid record without unseen labels takes the shortcut`);
        taken++;
        assert.deepEqual(got.predictions, want.predictions);
        assert.deepEqual(got.values, want.values);
        assert.deepEqual(got.probabilities, want.probabilities);
        assert.deepEqual(got.classes, want.classes);
      }
      assert.ok(taken >= records.length + edge.length - 1, `${pipeline.task}: ${taken} records took the shortcut`);
    }
  });

  test('anything the Frame route refuses or warns about is left to it (null)', () => {
    const path = SingleRecordPath.for(classifier)!;
    const without = (key: string) => Object.fromEntries(Object.entries(records[0]).filter(([k]) => k !== key));
    const leave: unknown[] = [
      { ...records[0], tenure: '12' },
      { ...records[0], tenure: Infinity },
      { ...records[0], Contract: { nested: true } },
      { ...records[0], Contract: 'Ten year' }, // unseen label: the Frame route warns
      { ...records[0], customerID: 42 },
      { ...records[0], shoe_size: 44 },
      without('Contract'),
      without('tenure'),
      null,
      [records[0]],
      'text',
    ];
    for (const record of leave) assert.equal(path.predict(record), null, JSON.stringify(record));
  });

  test('predictRecords takes it for one record unless the Frame is asked for; other chains never take it', async () => {
    const one = [records[3]];
    const quick = predictRecords(classifier, one);
    assert.equal(quick.frame, null);
    const full = predictRecords(classifier, one, { frame: true });
    assert.ok(full.frame);
    assert.deepEqual(quick.result.probabilities, full.result.probabilities);
    const unseen = predictRecords(classifier, [{ ...records[3], Contract: 'Ten year' }]);
    assert.ok(unseen.frame, 'an unseen label takes the Frame route');
    assert.equal(unseen.warnings.length, 1);
    assert.equal(SingleRecordPath.for(await linearPipeline({ rows: 200 })), null);
  });
});
