// Gradient boosting on known functions: a step is recovered, a monotone constraint holds everywhere, missing values
// follow the side the tree learned, a 100-level categorical beats its one-hot encoding, early stopping keeps the best
// round, and weights, losses and growth limits do what their docs say.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainSet } from '../../../src/core/learner.js';
import { Rng } from '../../../src/core/rng.js';
import { GradientBoostingClassifier, GradientBoostingRegressor, type GbdtClassifierModel, type GbdtModel } from '../../../src/models/gbdt/index.js';
import { accuracy, binaryProblem, multiclassProblem, numericFeatures, regressionProblem, rmse, sliceRows } from './synthetic.js';

/** Depth of each tree and its leaf count. */
function treeShapes(m: GbdtModel): { depth: number; leaves: number }[] {
  const e = m.ensemble;
  const out: { depth: number; leaves: number }[] = [];
  for (let t = 0; t < e.nTrees; t++) {
    const depth = new Map<number, number>([[e.treeStart[t], 0]]);
    let max = 0;
    let leaves = 0;
    for (let n = e.treeStart[t]; n < e.treeStart[t + 1]; n++) {
      const d = depth.get(n)!;
      max = Math.max(max, d);
      if (e.feature[n] < 0) leaves++;
      else {
        depth.set(e.left[n], d + 1);
        depth.set(e.left[n] + 1, d + 1);
      }
    }
    out.push({ depth: max, leaves });
  }
  return out;
}

test('recovers a step function: first split at the step, predictions at the two levels', async () => {
  const rng = new Rng(1);
  const n = 2000;
  const data = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    data[i] = rng.next() * 2 - 1;
    data[n + i] = rng.normal();
    y[i] = (data[i] > 0.3 ? 5 : -2) + 0.05 * rng.normal();
  }
  const model = await new GradientBoostingRegressor({ rounds: 60, learningRate: 0.3, maxLeaves: 4 }).fit({ x: { nRows: n, nCols: 2, data }, y, features: numericFeatures(2) });
  const e = model.ensemble;
  assert.equal(e.feature[0], 0, 'the first split is on the step feature');
  assert.ok(Math.abs(e.threshold[0] - 0.3) < 0.01, `threshold ${e.threshold[0]}`);
  const grid = [-0.9, -0.5, 0, 0.25, 0.35, 0.6, 0.95];
  const x = new Float64Array(grid.length * 2);
  grid.forEach((g, i) => (x[i] = g));
  const pred = model.predict({ nRows: grid.length, nCols: 2, data: x });
  grid.forEach((g, i) => assert.ok(Math.abs(pred[i] - (g > 0.3 ? 5 : -2)) < 0.1, `f(${g}) = ${pred[i]}`));
});

test('a monotone constraint holds on every path, where the unconstrained model wiggles', async () => {
  const rng = new Rng(2);
  const n = 3000;
  const data = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) data[j * n + i] = rng.normal();
    // rises overall in x0 but with local dips; falls in x2
    y[i] = data[i] + 0.8 * Math.sin(4 * data[i]) + data[n + i] - 0.5 * data[2 * n + i] + 0.2 * rng.normal();
  }
  const train: TrainSet = { x: { nRows: n, nCols: 3, data }, y, features: numericFeatures(3) };
  const params = { rounds: 80, learningRate: 0.2, maxLeaves: 15, minSamplesLeaf: 5 };
  const free = await new GradientBoostingRegressor(params).fit(train);
  const tied = await new GradientBoostingRegressor({ ...params, monotoneConstraints: { x0: 1, x2: -1 } }).fit(train);
  const steps = 200;
  let freeDrops = 0;
  for (let r = 0; r < 20; r++) {
    const probe = new Float64Array(steps * 3);
    const b1 = rng.normal();
    const b2 = rng.normal();
    for (let s = 0; s < steps; s++) {
      probe[s] = -3 + (6 * s) / (steps - 1);
      probe[steps + s] = b1;
      probe[2 * steps + s] = b2;
    }
    const x = { nRows: steps, nCols: 3, data: probe };
    const pt = tied.predict(x);
    const pf = free.predict(x);
    for (let s = 1; s < steps; s++) {
      assert.ok(pt[s] >= pt[s - 1], `constrained prediction falls at x0 = ${probe[s]}`);
      if (pf[s] < pf[s - 1] - 1e-9) freeDrops++;
    }
    // x2 with the -1 constraint
    for (let s = 0; s < steps; s++) {
      probe[s] = b1;
      probe[2 * steps + s] = -3 + (6 * s) / (steps - 1);
    }
    const p2 = tied.predict(x);
    for (let s = 1; s < steps; s++) assert.ok(p2[s] <= p2[s - 1], 'constrained prediction rises in x2');
  }
  assert.ok(freeDrops > 0, 'without the constraint the model follows the dips');
});

test('missing values go to the side the training rows with missing values belong to', async () => {
  for (const missingLooksHigh of [true, false]) {
    const rng = new Rng(3);
    const n = 2000;
    const data = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      const high = v > 0;
      const missing = rng.next() < 0.2;
      data[i] = missing ? NaN : v;
      data[n + i] = rng.normal();
      y[i] = missing ? (missingLooksHigh ? 1 : 0) : high ? 1 : 0;
    }
    const model = await new GradientBoostingClassifier({ rounds: 20, maxLeaves: 4 }).fit({ x: { nRows: n, nCols: 2, data }, y, features: numericFeatures(2), nClasses: 2 });
    const p = model.predictProba({ nRows: 1, nCols: 2, data: Float64Array.of(NaN, 0) });
    if (missingLooksHigh) assert.ok(p[1] > 0.9, `P(1 | missing) = ${p[1]}`);
    else assert.ok(p[1] < 0.1, `P(1 | missing) = ${p[1]}`);
  }
});

test('a categorical feature with 100 levels beats its one-hot encoding', async () => {
  const rng = new Rng(4);
  const levels = 100;
  const n = 6000;
  const effect = Float64Array.from({ length: levels }, () => rng.normal());
  const codes = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    codes[i] = rng.int(levels);
    y[i] = effect[codes[i]] + 0.3 * rng.normal();
  }
  const oneHot = new Float64Array(n * levels);
  for (let i = 0; i < n; i++) oneHot[codes[i] * n + i] = 1;
  const native: TrainSet = { x: { nRows: n, nCols: 1, data: codes }, y, features: [{ name: 'c', kind: 'categorical', nCategories: levels }] };
  const dummies: TrainSet = { x: { nRows: n, nCols: levels, data: oneHot }, y, features: numericFeatures(levels) };
  const params = { rounds: 15, learningRate: 0.3, maxLeaves: 4, minSamplesLeaf: 5 };
  const cut = 4000;
  const a = await new GradientBoostingRegressor(params).fit(sliceRows(native, 0, cut));
  const b = await new GradientBoostingRegressor(params).fit(sliceRows(dummies, 0, cut));
  const testA = sliceRows(native, cut, n);
  const testB = sliceRows(dummies, cut, n);
  const ea = rmse(a.predict(testA.x), testA.y);
  const eb = rmse(b.predict(testB.x), testB.y);
  assert.ok(ea < 0.8 * eb, `native ${ea.toFixed(3)} vs one-hot ${eb.toFixed(3)}`);
  assert.ok(ea < 0.45, `native rmse ${ea}`);
});

test('early stopping stops, keeps the best round, and equals a model fitted for that many rounds', async () => {
  const all = binaryProblem(5, 3000);
  const train = sliceRows(all, 0, 2000);
  const validation = sliceRows(all, 2000, 3000);
  const params = { rounds: 400, learningRate: 0.5, maxLeaves: 31, minSamplesLeaf: 2 };
  const seen: number[] = [];
  const model = await new GradientBoostingClassifier({ ...params, earlyStoppingRounds: 8 }).fit(train, {
    validation,
    onProgress: (p) => seen.push(p.metric!.value),
  });
  const info = model.info as { roundsRun: number; roundsKept: number; bestValidationScore: number };
  assert.ok(info.roundsRun < 400, `ran ${info.roundsRun} rounds`);
  assert.equal(info.roundsRun, info.roundsKept + 8, 'stopped after 8 rounds without improvement');
  assert.equal(model.rounds, info.roundsKept);
  assert.equal(seen.length, info.roundsRun);
  assert.equal(Math.min(...seen), seen[info.roundsKept - 1], 'the kept round has the best validation loss');
  assert.equal(info.bestValidationScore, seen[info.roundsKept - 1]);
  const plain = await new GradientBoostingClassifier({ ...params, rounds: info.roundsKept }).fit(train);
  assert.deepEqual(model.predictProba(validation.x), plain.predictProba(validation.x));

  const auc = await new GradientBoostingClassifier({ ...params, earlyStoppingRounds: 5, earlyStoppingMetric: 'auc' }).fit(train);
  assert.ok((auc.info as { roundsRun: number }).roundsRun < 400, 'holds out validationFraction when no validation set is given');
});

test('multiclass softmax learns three regions; predictRowInto agrees with batch prediction', async () => {
  const all = multiclassProblem(6, 3000);
  const train = sliceRows(all, 0, 2000);
  const test = sliceRows(all, 2000, 3000);
  const model = await new GradientBoostingClassifier({ rounds: 50 }).fit(train);
  assert.equal(model.ensemble.nOutputs, 3);
  // the labels are noisy near the region borders: about 0.83 is reachable, a constant gets 0.4
  assert.ok(accuracy(model.predict(test.x), test.y) > 0.78);
  const proba = model.predictProba(test.x);
  const row = new Float64Array(4);
  const out = new Float64Array(3);
  for (let i = 0; i < 50; i++) {
    for (let j = 0; j < 4; j++) row[j] = test.x.data[j * 1000 + i];
    model.predictRowInto(row, out);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(out[k] - proba[i * 3 + k]) < 1e-15);
  }
});

test('row weights: weight 2 acts like a duplicated row; scalePosWeight and class weights shift predictions', async () => {
  const base = binaryProblem(7, 600, 3);
  // coarse features so both fits see the same bins
  for (let i = 0; i < base.x.data.length; i++) base.x.data[i] = Math.round(base.x.data[i] * 4) / 4;
  const weight = Float64Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? 2 : 1));
  const rows: number[] = [];
  for (let i = 0; i < 600; i++) for (let c = 0; c < weight[i]; c++) rows.push(i);
  const dup: TrainSet = {
    ...base,
    x: { nRows: rows.length, nCols: 3, data: Float64Array.from({ length: rows.length * 3 }, (_, k) => base.x.data[Math.floor(k / rows.length) * 600 + rows[k % rows.length]]) },
    y: Float64Array.from(rows, (r) => base.y[r]),
  };
  // (limits on hessian, not rows: a weighted row is one row but carries the hessian of two)
  const params = { rounds: 10, maxLeaves: 8, minSamplesLeaf: 1, minHessianLeaf: 5 };
  const weighted = await new GradientBoostingClassifier(params).fit({ ...base, sampleWeight: weight });
  const duplicated = await new GradientBoostingClassifier(params).fit(dup);
  const a = weighted.predictProba(base.x);
  const b = duplicated.predictProba(base.x);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-6, `row ${i >> 1}: ${a[i]} vs ${b[i]}`);

  const meanPositive = (m: GbdtClassifierModel): number => {
    const p = m.predictProba(base.x);
    let s = 0;
    for (let i = 0; i < 600; i++) s += p[2 * i + 1];
    return s / 600;
  };
  const plain = meanPositive(await new GradientBoostingClassifier({ rounds: 10 }).fit(base));
  const scaled = meanPositive(await new GradientBoostingClassifier({ rounds: 10, scalePosWeight: 4 }).fit(base));
  const classW = meanPositive(await new GradientBoostingClassifier({ rounds: 10, classWeight: { 1: 4 } }).fit(base));
  assert.ok(scaled > plain + 0.1, `${scaled} vs ${plain}`);
  assert.ok(Math.abs(scaled - classW) < 1e-12, 'classWeight {1: 4} equals scalePosWeight 4');
});

test('growth limits: leaf-wise trees keep to maxLeaves, depth-wise trees to maxDepth', async () => {
  const data = regressionProblem(8, 2000);
  const leafwise = await new GradientBoostingRegressor({ rounds: 5, maxLeaves: 7, minSamplesLeaf: 2 }).fit(data);
  for (const s of treeShapes(leafwise)) assert.ok(s.leaves <= 7 && s.leaves >= 6, `${s.leaves} leaves`);
  const depthwise = await new GradientBoostingRegressor({ rounds: 5, growth: 'depthwise', maxDepth: 3, maxLeaves: null, minSamplesLeaf: 2 }).fit(data);
  for (const s of treeShapes(depthwise)) assert.ok(s.depth === 3 && s.leaves === 8, `depth ${s.depth}, ${s.leaves} leaves`);
  const both = await new GradientBoostingRegressor({ rounds: 3, growth: 'depthwise', maxDepth: 4, maxLeaves: 5, minSamplesLeaf: 2 }).fit(data);
  for (const s of treeShapes(both)) assert.ok(s.leaves <= 5 && s.depth <= 4);
  const deepLeafwise = await new GradientBoostingRegressor({ rounds: 3, maxLeaves: 40, maxDepth: 2, minSamplesLeaf: 2 }).fit(data);
  for (const s of treeShapes(deepLeafwise)) assert.ok(s.depth <= 2 && s.leaves <= 4);
});

test('regression losses: quantile covers its quantile, absolute is robust, Poisson predicts positive means', async () => {
  const data = regressionProblem(9, 3000, 4, 1);
  const q90 = await new GradientBoostingRegressor({ loss: 'quantile', quantile: 0.9, rounds: 100 }).fit(data);
  const p = q90.predict(data.x);
  let below = 0;
  for (let i = 0; i < 3000; i++) if (data.y[i] <= p[i]) below++;
  assert.ok(Math.abs(below / 3000 - 0.9) < 0.03, `coverage ${below / 3000}`);

  // outliers in the training target hurt squared error far more than absolute or Huber
  const dirty = { ...data, y: data.y.slice() };
  for (let i = 0; i < 3000; i += 25) dirty.y[i] += 200;
  const clean = regressionProblem(10, 1000, 4, 1);
  const fit = (loss: 'squared' | 'absolute' | 'huber') => new GradientBoostingRegressor({ loss, rounds: 100, huberDelta: 2 }).fit(dirty);
  const squared = rmse((await fit('squared')).predict(clean.x), clean.y);
  const absolute = rmse((await fit('absolute')).predict(clean.x), clean.y);
  const huber = rmse((await fit('huber')).predict(clean.x), clean.y);
  assert.ok(absolute < 0.6 * squared && huber < 0.6 * squared, `squared ${squared}, absolute ${absolute}, huber ${huber}`);

  const counts = regressionProblem(11, 2000);
  const rng = new Rng(12);
  for (let i = 0; i < 2000; i++) {
    const mean = Math.exp(0.5 * counts.x.data[i]);
    let k = 0;
    for (let t = -Math.log(rng.next()); t < mean; t -= Math.log(rng.next())) k++;
    counts.y[i] = k;
  }
  const poisson = await new GradientBoostingRegressor({ loss: 'poisson', rounds: 50 }).fit(counts);
  const mu = poisson.predict(counts.x);
  let sum = 0;
  let ySum = 0;
  for (let i = 0; i < 2000; i++) {
    assert.ok(mu[i] > 0);
    sum += mu[i];
    ySum += counts.y[i];
  }
  assert.ok(Math.abs(sum / ySum - 1) < 0.05, `mean prediction ${sum / 2000} vs mean target ${ySum / 2000}`);
  await assert.rejects(
    new GradientBoostingRegressor({ loss: 'poisson' }).fit({ ...counts, y: counts.y.map((v) => v - 10) }),
    /Poisson loss needs targets >= 0/,
  );
});

test('row and column subsampling change the model, deterministically; importance ranks the informative features', async () => {
  const data = binaryProblem(13, 2000, 6);
  const plain = await new GradientBoostingClassifier({ rounds: 20 }).fit(data);
  const sub = () => new GradientBoostingClassifier({ rounds: 20, rowSubsample: 0.7, columnSubsample: 0.5 }).fit(data);
  const a = await sub();
  const b = await sub();
  assert.deepEqual(a.predictProba(data.x), b.predictProba(data.x));
  assert.notDeepEqual(a.predictProba(data.x), plain.predictProba(data.x));
  assert.ok(accuracy(a.predict(data.x), data.y) > 0.8);
  const gain = plain.featureImportance('gain', true);
  const splits = plain.featureImportance('split');
  const top = [...gain].map((g, j) => [g, j]).sort((p, q) => q[0] - p[0]).slice(0, 3).map((p) => p[1]).sort();
  assert.deepEqual(top, [0, 1, 2], `gain importance ${[...gain].map((g) => g.toFixed(3))}`);
  assert.ok(Math.abs(gain.reduce((s, g) => s + g, 0) - 1) < 1e-12);
  let nSplits = 0;
  for (const f of plain.ensemble.feature) if (f >= 0) nSplits++;
  assert.equal(splits.reduce((s, c) => s + c, 0), nSplits);
});
