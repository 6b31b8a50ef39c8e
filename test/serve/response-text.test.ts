// The prediction answer written directly as text must be exactly JSON.stringify of the object it stands for,
// for classifiers (binary and multiclass) and regressors.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pipeline } from '../../src/features/index.js';
import { LogisticRegression, Ridge } from '../../src/models/linear/index.js';
import { probabilityObjects, responseText } from '../../src/serve/routes-v1.js';
import type { ServedModel } from '../../src/serve/served-models.js';
import { telco, testRecords } from './fixtures.js';

test('responseText equals JSON.stringify of the answer object', async () => {
  const train = (await telco('train')).slice(0, 600);
  const records = await testRecords(25);
  const binary = await Pipeline.fit(train, { target: 'Churn', task: 'binary', positive: 'Yes', learner: new LogisticRegression() });
  const multiclass = await Pipeline.fit(train, { target: 'Contract', task: 'multiclass', learner: new LogisticRegression() });
  const regression = await Pipeline.fit(train, { target: 'MonthlyCharges', task: 'regression', learner: new Ridge() });
  for (const pipeline of [binary, multiclass, regression]) {
    const result = pipeline.predictRecords(records.map((r) => ({ ...r })));
    const served = { name: 'churn-x.1', version: 12 } as ServedModel;
    const object: Record<string, unknown> = { request_id: 'id-"quoted"', model: { name: served.name, version: served.version }, predictions: result.predictions };
    if (result.probabilities && result.classes) object.probabilities = probabilityObjects(result.probabilities, result.classes);
    assert.equal(responseText('id-"quoted"', served, result), JSON.stringify(object), pipeline.task);
  }
});
