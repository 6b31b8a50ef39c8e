// TreeSHAP: contributions plus the bias add up to the raw score (to 1e-9) for every output, unused features get
// nothing, and on a one-split stump the values match the Shapley formula by hand.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainSet } from '../../../src/core/learner.js';
import { GradientBoostingClassifier, GradientBoostingRegressor, type GbdtModel } from '../../../src/models/gbdt/index.js';
import { mixedProblem, multiclassProblem, numericFeatures, regressionProblem, sliceRows } from './synthetic.js';

function checkAdditivity(model: GbdtModel, data: TrainSet): void {
  const x = data.x;
  const raw = model.predictRaw(x);
  const shap = model.shap(x);
  const k = model.ensemble.nOutputs;
  const width = x.nCols + 1;
  for (let i = 0; i < x.nRows; i++)
    for (let o = 0; o < k; o++) {
      let sum = 0;
      for (let j = 0; j < width; j++) sum += shap[(i * k + o) * width + j];
      assert.ok(Math.abs(sum - raw[i * k + o]) < 1e-9, `row ${i}, output ${o}: ${sum} vs ${raw[i * k + o]}`);
    }
}

test('SHAP values add up to the raw score: binary with categorical and missing values', async () => {
  const data = mixedProblem(1, 2000);
  const model = await new GradientBoostingClassifier({ rounds: 30, maxLeaves: 15, minSamplesLeaf: 5 }).fit(data);
  checkAdditivity(model, sliceRows(data, 0, 200));
});

test('SHAP values add up to the raw score: multiclass (per class) and deep depth-wise regression', async () => {
  const mc = multiclassProblem(2, 1500);
  checkAdditivity(await new GradientBoostingClassifier({ rounds: 10 }).fit(mc), sliceRows(mc, 0, 100));
  const reg = regressionProblem(3, 1500);
  const deep = await new GradientBoostingRegressor({ rounds: 10, growth: 'depthwise', maxDepth: 8, maxLeaves: null, minSamplesLeaf: 2 }).fit(reg);
  checkAdditivity(deep, sliceRows(reg, 0, 100));
});

test('a feature the trees never use gets zero; a stump matches the Shapley formula', async () => {
  const n = 400;
  const data = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    data[i] = i < 100 ? 0 : 1; // 100 rows left, 300 right
    data[n + i] = i % 7;
    y[i] = i < 100 ? 10 : 2;
  }
  const set: TrainSet = { x: { nRows: n, nCols: 2, data }, y, features: numericFeatures(2) };
  const model = await new GradientBoostingRegressor({ rounds: 1, learningRate: 1, maxLeaves: 2, minSamplesLeaf: 1 }).fit(set);
  const shap = model.shap({ nRows: 2, nCols: 2, data: Float64Array.of(0, 1, 3, 3) });
  // one split on x0: left leaf +7.5 - ... ; E[f] is the cover-weighted mean, φ0 = f(x) - E[f], φ1 = 0
  const raw = model.predictRaw({ nRows: 2, nCols: 2, data: Float64Array.of(0, 1, 3, 3) });
  const expected = (100 * raw[0] + 300 * raw[1]) / 400;
  for (let i = 0; i < 2; i++) {
    assert.equal(shap[i * 3 + 1], 0, 'x1 is never split on');
    assert.ok(Math.abs(shap[i * 3 + 2] - expected) < 1e-9, 'bias = mean output');
    assert.ok(Math.abs(shap[i * 3] - (raw[i] - expected)) < 1e-9);
  }
});
