// Every parameter is validated at fit, and the message names it. The table of bad values must cover every
// parameter of both learners, so a new parameter without a check fails here.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParamError } from '../../../src/core/errors.js';
import {
  GBDT_CLASSIFIER_PARAMS,
  GBDT_REGRESSOR_PARAMS,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
} from '../../../src/models/gbdt/index.js';
import { binaryProblem, regressionProblem } from './synthetic.js';

const bad: Record<string, unknown[]> = {
  rounds: [0, 1.5, '10'],
  learningRate: [0, -0.1, NaN],
  growth: ['lossguide'],
  maxLeaves: [1, 2.5],
  maxDepth: [0, -1],
  minSamplesLeaf: [0, 0.5],
  minHessianLeaf: [-1],
  l1: [-0.1],
  l2: [-1, Infinity],
  minSplitGain: [-1],
  rowSubsample: [0, 1.5],
  columnSubsample: [0, 2],
  maxBins: [1, 256],
  binSampleSize: [10],
  monotoneConstraints: [[2], 'up', { a: 5 }],
  categoricalSmoothing: [-1],
  categoricalL2: [-1],
  minCategorySamples: [0],
  maxCategoriesPerSplit: [0, 300],
  earlyStoppingRounds: [0],
  earlyStoppingMetric: ['f1'],
  validationFraction: [0, 0.9],
  seed: [NaN, 'x'],
  threads: [0, 1.5],
  classWeight: ['even', { x: 1 }, { 0: -1 }],
  scalePosWeight: [0],
  loss: ['hinge'],
  huberDelta: [0],
  quantile: [0, 1],
};

async function expectNamed(fit: () => Promise<unknown>, param: string, value: unknown): Promise<void> {
  await assert.rejects(fit, (e: unknown) => {
    assert.ok(e instanceof ParamError, `${param} = ${String(value)}: expected a ParamError, got ${String(e)}`);
    assert.ok(e.message.includes(param), `message names ${param}: ${e.message}`);
    assert.equal(e.param, param);
    return true;
  });
}

test('every classifier parameter rejects bad values with a message naming it', async () => {
  const data = binaryProblem(1, 100, 2);
  for (const key of Object.keys(GBDT_CLASSIFIER_PARAMS)) {
    assert.ok(bad[key], `no bad values listed for ${key}`);
    const values = key === 'earlyStoppingMetric' ? [...bad[key], 'rmse'] : bad[key];
    for (const value of values) await expectNamed(() => new GradientBoostingClassifier({ [key]: value }).fit(data), key, value);
  }
});

test('every regressor parameter rejects bad values with a message naming it', async () => {
  const data = regressionProblem(2, 100, 2);
  for (const key of Object.keys(GBDT_REGRESSOR_PARAMS)) {
    assert.ok(bad[key], `no bad values listed for ${key}`);
    const values = key === 'earlyStoppingMetric' ? [...bad[key], 'auc'] : bad[key];
    for (const value of values) await expectNamed(() => new GradientBoostingRegressor({ [key]: value }).fit(data), key, value);
  }
});

test('checks that need the data: constraints per feature, classes that exist, combinations', async () => {
  const data = binaryProblem(3, 100, 2);
  const fit = (p: Record<string, unknown>) => () => new GradientBoostingClassifier(p).fit(data);
  await expectNamed(fit({ monotoneConstraints: [1, 0, 0] }), 'monotoneConstraints', 'three entries for two features');
  await expectNamed(fit({ monotoneConstraints: { nope: 1 } }), 'monotoneConstraints', 'unknown feature');
  await expectNamed(fit({ classWeight: { 5: 2 } }), 'classWeight', 'class 5');
  await expectNamed(fit({ growth: 'depthwise' }), 'maxDepth', 'depthwise needs a depth');
  await expectNamed(fit({ maxLeaves: null }), 'maxLeaves', 'no limit at all');
  const cat = { ...data, features: [{ name: 'c', kind: 'categorical' as const, nCategories: 3 }, data.features[1]] };
  await expectNamed(() => new GradientBoostingClassifier({ monotoneConstraints: [1, 0] }).fit(cat), 'monotoneConstraints', 'categorical');
  const three = { ...data, y: data.y.map((v, i) => (i % 3 === 0 ? 2 : v)), nClasses: 3 };
  await expectNamed(() => new GradientBoostingClassifier({ scalePosWeight: 2 }).fit(three), 'scalePosWeight', 'multiclass');
  await expectNamed(() => new GradientBoostingClassifier({ earlyStoppingRounds: 3, earlyStoppingMetric: 'auc' }).fit(three), 'earlyStoppingMetric', 'auc');
});

test('the constructor stores a frozen copy with every default filled in', () => {
  const learner = new GradientBoostingRegressor({ rounds: 7 });
  assert.ok(Object.isFrozen(learner.params));
  assert.equal(learner.params.rounds, 7);
  assert.equal(learner.params.learningRate, GBDT_REGRESSOR_PARAMS.learningRate.default);
  for (const [key, spec] of Object.entries(GBDT_CLASSIFIER_PARAMS)) assert.ok(spec.doc.length > 5, `${key} is documented`);
});
