// The model's `contributions` (the name Pipeline.explain and the server look for) are its TreeSHAP values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GradientBoostingClassifier } from '../../../src/models/gbdt/index.js';
import { mixedProblem, sliceRows } from './synthetic.js';

test('contributions are the SHAP values', async () => {
  const data = mixedProblem(4, 600);
  const model = await new GradientBoostingClassifier({ rounds: 8, maxLeaves: 7, threads: 1 }).fit(data);
  const x = sliceRows(data, 0, 20).x;
  const values = model.contributions(x);
  assert.equal(values.length, 20 * (x.nCols + 1));
  assert.deepEqual(values, model.shap(x));
});
