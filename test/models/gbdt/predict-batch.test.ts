// Batch prediction gives every row the bits it gets alone, for any batch size (under, at and past the eight-row
// groups and the 128-row blocks), for numeric and categorical splits with missing values, and for several outputs,
// through each batch walk: WebAssembly (complete and linked trees), JavaScript (the same two) and the plain rule.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Matrix, TrainSet } from '../../../src/core/learner.js';
import { GbdtModel, GradientBoostingClassifier, GradientBoostingRegressor } from '../../../src/models/gbdt/index.js';
import { buildEvaluator, findLeaf, rawScores } from '../../../src/models/gbdt/predict.js';
import { COMPLETE_MAX_DEPTH } from '../../../src/models/gbdt/predict-complete.js';
import { mixedProblem, multiclassProblem, regressionProblem, sliceRows } from './synthetic.js';

const SIZES = [1, 2, 7, 8, 9, 129];

/** Rows [start, start + n) of x as a matrix of their own, one row in training order. */
function rowsOf(x: Matrix, start: number, n: number): Matrix {
  return sliceRows({ x, y: new Float64Array(x.nRows), features: [] } as TrainSet, start, start + n).x;
}

function rowValues(x: Matrix, i: number): Float64Array {
  return Float64Array.from({ length: x.nCols }, (_, j) => x.data[j * x.nRows + i]);
}

/** Raw scores by the plain, readable rule (childOf): base score, then each tree's leaf in tree order. */
function plainScores(model: GbdtModel, x: Matrix): Float64Array {
  const e = model.ensemble;
  const k = e.nOutputs;
  const out = new Float64Array(x.nRows * k);
  for (let i = 0; i < x.nRows; i++) {
    const row = rowValues(x, i);
    for (let j = 0; j < k; j++) out[i * k + j] = e.baseScore[j];
    for (let t = 0; t < e.nTrees; t++) out[i * k + (t % k)] += e.threshold[findLeaf(e, e.treeStart[t], row, 0)];
  }
  return out;
}

function checkBatchSizes(model: GbdtModel, x: Matrix): void {
  const k = model.ensemble.nOutputs;
  const alone = new Float64Array(x.nRows * k); // (nRows, nOutputs) each row predicted on its own
  const one = new Float64Array(k);
  for (let i = 0; i < x.nRows; i++) {
    model.rawRowInto(rowValues(x, i), one);
    alone.set(one, i * k);
  }
  for (const n of SIZES)
    for (const start of [0, 5]) {
      const batch = rowsOf(x, start, n);
      const raw = model.predictRaw(batch);
      assert.equal(raw.length, n * k);
      assert.deepEqual(raw, alone.slice(start * k, (start + n) * k), `batch of ${n} from row ${start}`);
      const single = model.predictRaw(rowsOf(x, start + n - 1, 1));
      assert.deepEqual(single, raw.slice((n - 1) * k), `last row of the batch of ${n} alone`);
    }
  assert.deepEqual(model.predictRaw(x), alone, 'the whole set');
  assert.deepEqual(alone, plainScores(model, x), 'the plain rule');
  const ev = buildEvaluator(model.ensemble);
  assert.deepEqual(rawScores({ ...ev, wasm: null }, x.data, x.nRows), alone, 'the JavaScript walks (no WebAssembly)');
}

test('any batch size gives the bits of one row at a time: binary with categorical splits and missing values', async () => {
  const data = mixedProblem(11, 1500);
  const model = await new GradientBoostingClassifier({ rounds: 25, maxLeaves: 15, minSamplesLeaf: 5, threads: 1 }).fit(data);
  assert.ok(buildEvaluator(model.ensemble).wasm, 'every tree is shallow: the WebAssembly walk is used');
  checkBatchSizes(model, sliceRows(data, 0, 300).x);
  const proba = (model as GbdtModel & { predictProba(x: Matrix): Float64Array }).predictProba(sliceRows(data, 0, 9).x);
  const out = new Float64Array(2);
  for (let i = 0; i < 9; i++) {
    model.predictRowInto(rowValues(data.x, i), out);
    assert.deepEqual(proba.slice(2 * i, 2 * i + 2), out, `probabilities of row ${i}`);
  }
});

test('any batch size gives the bits of one row at a time: multiclass and depth-wise regression', async () => {
  const mc = multiclassProblem(12, 1200);
  checkBatchSizes(await new GradientBoostingClassifier({ rounds: 12, threads: 1 }).fit(mc), sliceRows(mc, 0, 300).x);
  const shallow = await new GradientBoostingClassifier({ rounds: 12, growth: 'depthwise', maxDepth: 4, maxLeaves: null, threads: 1 }).fit(mc);
  assert.ok(buildEvaluator(shallow.ensemble).wasm);
  checkBatchSizes(shallow, sliceRows(mc, 0, 300).x);
  const reg = regressionProblem(13, 1200);
  const deep = await new GradientBoostingRegressor({ rounds: 30, growth: 'depthwise', maxDepth: 6, maxLeaves: null, minSamplesLeaf: 2, threads: 1 }).fit(reg);
  checkBatchSizes(deep, sliceRows(reg, 0, 300).x);
});

test('trees deeper than the complete layout and shallower ones mixed in one model give the bits of the plain rule', async () => {
  const reg = regressionProblem(14, 2000, 6);
  const model = await new GradientBoostingRegressor({ rounds: 20, maxLeaves: 31, minSamplesLeaf: 2, threads: 1 }).fit(reg);
  const depth = buildEvaluator(model.ensemble).depth;
  assert.ok(depth.some((d) => d > COMPLETE_MAX_DEPTH), 'some tree is deeper than the complete layout');
  assert.ok(depth.some((d) => d <= COMPLETE_MAX_DEPTH), 'some tree is laid out complete');
  assert.ok(buildEvaluator(model.ensemble).wasm?.complete.includes(0), 'a deep tree takes the linked walk');
  checkBatchSizes(model, sliceRows(reg, 0, 300).x);
});

/** A fitted binary model with one numeric split's threshold replaced, and that split's feature. */
async function withThreshold(value: number): Promise<{ model: GbdtModel; data: TrainSet; feature: number }> {
  const data = mixedProblem(15, 800);
  const fitted = await new GradientBoostingClassifier({ rounds: 10, maxLeaves: 7, threads: 1 }).fit(data);
  const e = fitted.ensemble;
  const threshold = e.threshold.slice();
  const numeric = e.feature.findIndex((f, n) => f >= 0 && e.nCategories[f] === 0 && n > 0);
  threshold[numeric] = value;
  const model = new GbdtModel({ kind: fitted.kind, features: fitted.features, ensemble: { ...e, threshold }, link: fitted.link, nClasses: 2, info: {} });
  return { model, data, feature: e.feature[numeric] };
}

test('a threshold of +∞ (missing or not) takes the fast walks and keeps the plain rule, real ±∞ values included', async () => {
  // +∞: missing values still go to the missing side, every other value left
  const { model, data, feature } = await withThreshold(Infinity);
  assert.equal(buildEvaluator(model.ensemble).exact, true);
  assert.notEqual(buildEvaluator(model.ensemble).wasm, null);
  // rows whose split column holds +∞, -∞ and NaN: +∞ ≤ +∞ goes left, NaN by the learned default
  const x = sliceRows(data, 0, 200).x;
  const values = x.data.slice();
  for (let i = 0; i < x.nRows; i += 3) values[feature * x.nRows + i] = [Infinity, -Infinity, NaN][(i / 3) % 3];
  checkBatchSizes(model, { ...x, data: values });
});

test('a model with a NaN threshold (damaged or hand-made) is walked by the plain rule', async () => {
  // NaN: no value compares, every row takes the default side
  const { model, data } = await withThreshold(NaN);
  assert.equal(buildEvaluator(model.ensemble).exact, false);
  assert.equal(buildEvaluator(model.ensemble).wasm, null);
  checkBatchSizes(model, sliceRows(data, 0, 200).x);
});
