// Explanations: encoded columns map back to the input column they came from, and per-class contributions of a
// multiclass model add up to its logits (softmax of the sums gives the predicted probabilities).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pipeline, recordsToFrame } from '../../src/features/index.js';
import { LogisticRegression } from '../../src/models/linear/index.js';
import { explainerFor, featureOrigins } from '../../src/serve/index.js';
import { telco, testRecords } from './fixtures.js';

test('featureOrigins: one-hot levels, missing flags, date parts and clash suffixes map to their input; longest name wins', () => {
  const inputs = ['plan', 'plan_type', 'signup', 'income', 'a.b'];
  const features = ['plan=basic', 'plan=(other)', 'plan_type=x', 'signup.month', 'income', 'income__missing', 'plan=basic#2', 'a.b', 'a.b.year', 'unrelated'];
  assert.deepEqual(Array.from(featureOrigins(inputs, features)), [0, 0, 1, 2, 3, 3, 0, 4, 4, -1]);
});

test('multiclass linear explanations add up to the logits of every class', async () => {
  const train = (await telco('train')).slice(0, 800);
  const pipeline = await Pipeline.fit(train, { target: 'Contract', task: 'multiclass', learner: new LogisticRegression() });
  const records = await testRecords(6);
  const frame = recordsToFrame(pipeline.signature, records);
  const explanations = explainerFor(pipeline).explain(frame);
  const result = pipeline.predict(frame);
  const classes = pipeline.classes!;
  explanations.forEach((e, i) => {
    assert.equal(e.method, 'linear');
    const base = e.base as Record<string, number>;
    const contributions = e.contributions as Record<string, Record<string, number>>;
    const logits = classes.map((c) => base[c] + Object.values(contributions[c]).reduce((a, b) => a + b, 0));
    const max = Math.max(...logits);
    const exp = logits.map((z) => Math.exp(z - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    classes.forEach((_, c) => assert.ok(Math.abs(exp[c] / sum - result.probabilities![i * classes.length + c]) < 1e-9, `row ${i} class ${c}`));
    assert.ok(!('Contract' in contributions[classes[0]]), 'the target is not an input');
  });
});
