// Decision trees on synthetic data: what they learn, the stopping rules, missing values, weights, the file format.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeArtifact, encodeArtifact } from '../../../src/core/artifact.js';
import { KilnError, ModelFormatError, ParamError } from '../../../src/core/errors.js';
import type { TrainSet } from '../../../src/core/learner.js';
import { modelFromArtifact } from '../../../src/core/model-kinds.js';
import { Rng } from '../../../src/core/rng.js';
import { fitBinning, binMatrix, MISSING_BIN } from '../../../src/models/tree/binning.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, type TreeClassifierModel } from '../../../src/models/tree/index.js';
import { accuracy, blobs, friedman, headRows, matrixFromRows, numericFeatures } from './fixtures.js';

/** depth of each tree node (pre-order layout: left child = node + 1) and the maximum */
function treeDepth(model: TreeClassifierModel | { trees: TreeClassifierModel['trees'] }): number {
  const { feature, right } = model.trees;
  let max = 0;
  const walk = (node: number, depth: number): void => {
    max = Math.max(max, depth);
    if (feature[node] >= 0) {
      walk(node + 1, depth + 1);
      walk(right[node], depth + 1);
    }
  };
  walk(model.trees.roots[0], 0);
  return max;
}

test('binning: one bin per distinct value below maxBins, quantile bins above, NaN in the missing bin', () => {
  const x = matrixFromRows([[1], [2], [2], [3], [NaN], [10]]);
  const b = fitBinning(x, 255);
  assert.deepEqual([...b.nBins], [4]);
  assert.deepEqual([...b.edges], [1.5, 2.5, 6.5]);
  assert.deepEqual([...binMatrix(x, b)], [0, 1, 1, 2, MISSING_BIN, 3]);
  const many = { nRows: 1000, nCols: 1, data: Float64Array.from({ length: 1000 }, (_, i) => i % 500) };
  const q = fitBinning(many, 10);
  assert.equal(q.nBins[0], 10);
  const codes = binMatrix(many, q);
  const perBin = new Array(10).fill(0);
  for (const c of codes) perBin[c]++;
  assert.ok(perBin.every((c) => c === 100), `equal-count bins: ${perBin}`);
});

test('a tree separates separable classes and reproduces its training labels', async () => {
  const data = blobs(1, 300, 3, 4, 0.3);
  const model = await new DecisionTreeClassifier().fit(data);
  assert.equal(accuracy(model.predict(data.x), data.y), 1);
  assert.equal(model.nClasses, 3);
  const proba = model.predictProba(data.x);
  assert.ok(proba.every((p) => p === 0 || p === 1), 'pure leaves give 0/1 probabilities');
});

test('XOR needs two levels; maxDepth = 1 cannot learn it', async () => {
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 200; i++) {
    const a = i % 2;
    const b = Math.floor(i / 2) % 2;
    rows.push([a + 0.01 * (i % 7), b]);
    y.push(a ^ b);
  }
  const data: TrainSet = { x: matrixFromRows(rows), features: numericFeatures(2), y: Float64Array.from(y), nClasses: 2 };
  const deep = await new DecisionTreeClassifier().fit(data);
  assert.equal(accuracy(deep.predict(data.x), data.y), 1);
  const stump = await new DecisionTreeClassifier({ maxDepth: 1 }).fit(data);
  assert.equal(treeDepth(stump), 1);
  assert.ok(accuracy(stump.predict(data.x), data.y) <= 0.75);
});

test('maxDepth, minSamplesLeaf and minSamplesSplit bound the tree', async () => {
  const data = friedman(2, 400);
  const shallow = await new DecisionTreeRegressor({ maxDepth: 3 }).fit(data);
  assert.equal(treeDepth(shallow), 3);
  assert.ok(shallow.trees.value.length <= 8);

  const leafy = await new DecisionTreeRegressor({ minSamplesLeaf: 20 }).fit(data);
  // count training rows per leaf by walking each row down the tree
  const { feature, threshold, right } = leafy.trees;
  const perLeaf = new Map<number, number>();
  for (let i = 0; i < data.x.nRows; i++) {
    let node = 0;
    while (feature[node] >= 0) node = data.x.data[feature[node] * data.x.nRows + i] <= threshold[node] ? node + 1 : right[node];
    perLeaf.set(node, (perLeaf.get(node) ?? 0) + 1);
  }
  assert.ok([...perLeaf.values()].every((c) => c >= 20), `every leaf keeps >= 20 rows: ${[...perLeaf.values()]}`);

  const split = await new DecisionTreeRegressor({ minSamplesSplit: 400 }).fit(data);
  assert.equal(split.trees.feature.length, 3, 'only the root (400 rows) may split');
  const none = await new DecisionTreeRegressor({ minSamplesSplit: 401 }).fit(data);
  assert.equal(none.trees.feature.length, 1);
  const mean = data.y.reduce((a, b) => a + b, 0) / data.y.length;
  assert.ok(Math.abs(none.predict(data.x)[0] - mean) < 1e-9, 'a single leaf predicts the mean');
});

test('minImpurityDecrease stops weak splits (scikit-learn units: weighted decrease / total weight)', async () => {
  const data = friedman(3, 300);
  const full = await new DecisionTreeRegressor().fit(data);
  const pruned = await new DecisionTreeRegressor({ minImpurityDecrease: 0.5 }).fit(data);
  assert.ok(pruned.trees.feature.length < full.trees.feature.length / 5, `${pruned.trees.feature.length} vs ${full.trees.feature.length}`);
});

test('regression learns a step function exactly and importances point at the used feature', async () => {
  const n = 200;
  const rows = Array.from({ length: n }, (_, i) => [i % 10, (i * 7) % 13, i < 100 ? 0 : 1]);
  const y = Float64Array.from(rows, (r) => (r[2] === 1 ? 5 : -5) + (r[0] >= 5 ? 1 : 0));
  const data: TrainSet = { x: matrixFromRows(rows), features: numericFeatures(3), y };
  const model = await new DecisionTreeRegressor().fit(data);
  assert.deepEqual(model.predict(data.x), y);
  assert.equal(model.featureImportances[1], 0);
  assert.ok(model.featureImportances[2] > model.featureImportances[0]);
  assert.ok(Math.abs(model.featureImportances.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test('missing values: the learned direction sends NaN rows where they belong', async () => {
  // class 1 iff x0 > 5 or x0 is missing; x1 is noise
  const rng = new Rng(4);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 300; i++) {
    const missing = i % 5 === 0;
    const v = rng.next() * 10;
    rows.push([missing ? NaN : v, rng.next()]);
    y.push(missing || v > 5 ? 1 : 0);
  }
  const data: TrainSet = { x: matrixFromRows(rows), features: numericFeatures(2), y: Float64Array.from(y), nClasses: 2 };
  for (const splitter of ['best', 'random'] as const) {
    const model = await new DecisionTreeClassifier({ splitter, maxDepth: splitter === 'best' ? 2 : null }).fit(data);
    assert.equal(accuracy(model.predict(data.x), data.y), 1, splitter);
    const probe = matrixFromRows([[NaN, 0.5], [1, 0.5], [9, 0.5]]);
    assert.deepEqual([...model.predict(probe)], [1, 0, 1], splitter);
  }
});

test('NaN never seen in training follows the heavier child, without crashing', async () => {
  const rows = Array.from({ length: 100 }, (_, i) => [i < 80 ? 0 : 1]);
  const y = Float64Array.from(rows, (r) => r[0]);
  const model = await new DecisionTreeClassifier().fit({ x: matrixFromRows(rows), features: numericFeatures(1), y, nClasses: 2 });
  assert.deepEqual([...model.predict(matrixFromRows([[NaN]]))], [0]);
});

test('integer sample weights act like repeated rows; zero weights like absent rows', async () => {
  const data = blobs(5, 120, 2, 3, 1.5);
  const w = Float64Array.from({ length: 120 }, (_, i) => i % 3);
  const weighted = await new DecisionTreeClassifier().fit({ ...data, sampleWeight: w });
  const idx: number[] = [];
  for (let i = 0; i < 120; i++) for (let r = 0; r < w[i]; r++) idx.push(i);
  const n = data.x.nRows;
  const rx = new Float64Array(idx.length * 3);
  for (let j = 0; j < 3; j++) idx.forEach((r, k) => (rx[j * idx.length + k] = data.x.data[j * n + r]));
  const repeated = await new DecisionTreeClassifier().fit({
    ...data,
    x: { nRows: idx.length, nCols: 3, data: rx },
    y: Float64Array.from(idx, (r) => data.y[r]),
  });
  // the same leaves (thresholds may sit elsewhere between the same training values): compare on training rows
  const pw = weighted.predictProba(data.x);
  const pr = repeated.predictProba(data.x);
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    assert.ok(Math.abs(pw[2 * i] - pr[2 * i]) < 1e-12, `row ${i}`);
  }
});

test('classWeight "balanced" or by class index equals the matching sample weights; unknown classes are refused', async () => {
  const base = blobs(6, 90, 3, 2, 2);
  const y = base.y.map((v, i) => (i < 60 ? 0 : v)); // imbalanced: class 0 dominates
  const data = { ...base, y };
  const counts = [0, 0, 0];
  for (const v of y) counts[v]++;
  const w = Float64Array.from(y, (v) => 90 / (3 * counts[v]));
  const a = await new DecisionTreeClassifier({ classWeight: 'balanced', maxDepth: 3 }).fit(data);
  const b = await new DecisionTreeClassifier({ maxDepth: 3 }).fit({ ...data, sampleWeight: w });
  assert.deepEqual(a.predictProba(data.x), b.predictProba(data.x));
  const c = await new DecisionTreeClassifier({ classWeight: { '2': 3 }, maxDepth: 3 }).fit(data);
  const d = await new DecisionTreeClassifier({ maxDepth: 3 }).fit({ ...data, sampleWeight: Float64Array.from(y, (v) => (v === 2 ? 3 : 1)) });
  assert.deepEqual(c.predictProba(data.x), d.predictProba(data.x));
  await assert.rejects(() => new DecisionTreeClassifier({ classWeight: { '3': 2 } }).fit(data), /classWeight: class 3 does not exist \(classes are 0..2\)/);
  await assert.rejects(() => new DecisionTreeClassifier({ classWeight: [1, 2] as never }).fit(data), /classWeight = array\(2\): must be null, "balanced" or \{ classIndex: weight > 0 \}/);
});

test('entropy and gini both fit; the random splitter depends on the seed, the best splitter with all features does not', async () => {
  const data = blobs(7, 200, 2, 5, 2);
  const e = await new DecisionTreeClassifier({ criterion: 'entropy', maxDepth: 4 }).fit(data);
  assert.ok(accuracy(e.predict(data.x), data.y) > 0.9);
  const r1 = encodeArtifact((await new DecisionTreeClassifier({ splitter: 'random' }).fit(data, { rng: new Rng(1) })).toArtifact());
  const r2 = encodeArtifact((await new DecisionTreeClassifier({ splitter: 'random' }).fit(data, { rng: new Rng(2) })).toArtifact());
  assert.notDeepEqual(r1, r2);
  const b1 = encodeArtifact((await new DecisionTreeClassifier().fit(data, { rng: new Rng(1) })).toArtifact());
  const b2 = encodeArtifact((await new DecisionTreeClassifier().fit(data, { rng: new Rng(2) })).toArtifact());
  assert.deepEqual(b1, b2);
});

test('a tree generalises on held-out rows (Friedman #1)', async () => {
  const all = friedman(8, 1200);
  const train = headRows(all, 0, 1000);
  const test_ = headRows(all, 1000, 1200);
  const model = await new DecisionTreeRegressor({ minSamplesLeaf: 5 }).fit(train);
  const pred = model.predict(test_.x);
  let ss = 0;
  let tot = 0;
  const mean = test_.y.reduce((a, b) => a + b, 0) / test_.y.length;
  for (let i = 0; i < pred.length; i++) {
    ss += (pred[i] - test_.y[i]) ** 2;
    tot += (test_.y[i] - mean) ** 2;
  }
  assert.ok(1 - ss / tot > 0.6, `R² = ${1 - ss / tot}`);
});

test('params: every problem is named, with its value and the rule', async () => {
  const data = blobs(9, 30, 2, 2);
  await assert.rejects(
    () => new DecisionTreeClassifier({ maxDepth: 0, criterion: 'mse' as 'gini', maxFeatures: 2 }).fit(data),
    (e: unknown) => {
      assert.ok(e instanceof ParamError);
      assert.match(e.message, /maxDepth = 0: must be an integer between 1 and 1000 \(or null\)/);
      assert.match(e.message, /criterion = "mse": must be one of "gini", "entropy", "log_loss"/);
      assert.match(e.message, /maxFeatures = 2: must be "sqrt", "log2", a fraction in \(0, 1\] or null/);
      return true;
    },
  );
});

test('bad training data is refused with every issue listed', async () => {
  const data = blobs(10, 10, 2, 2);
  await assert.rejects(
    () => new DecisionTreeClassifier().fit({ ...data, y: data.y.map((v, i) => (i === 3 ? 0.5 : v)) }),
    /y: expected class indices 0, 1, 2, \.\.\., received 0\.5 at row 3/,
  );
  await assert.rejects(() => new DecisionTreeRegressor().fit({ ...data, y: data.y.map((v, i) => (i === 2 ? NaN : v)) }), /y: expected finite numbers/);
  await assert.rejects(
    () => new DecisionTreeRegressor().fit({ ...data, sampleWeight: new Float64Array(10).fill(-1) }),
    /sampleWeight: expected finite weights >= 0, received -1 at row 0/,
  );
});

test('prediction checks the width and survives a save/load; a file with a backward child index is refused', async () => {
  const data = blobs(11, 100, 2, 3);
  const model = await new DecisionTreeClassifier({ maxDepth: 4 }).fit(data);
  assert.throws(
    () => model.predict({ nRows: 1, nCols: 2, data: new Float64Array(2) }),
    (e: unknown) => e instanceof KilnError && e.code === 'E_DATA_SCHEMA' && /expected 3 feature columns, got 2/.test(e.message),
  );
  const loaded = modelFromArtifact(decodeArtifact(encodeArtifact(model.toArtifact())));
  assert.deepEqual(loaded.predictProba!(data.x), model.predictProba(data.x));
  const art = model.toArtifact();
  const right = Int32Array.from(art.arrays.right as Int32Array);
  right[0] = 0; // the root's right child pointing at itself would loop forever
  assert.throws(() => modelFromArtifact({ ...art, arrays: { ...art.arrays, right } }), ModelFormatError);
  const feature = Int32Array.from(art.arrays.feature as Int32Array);
  feature[0] = 99;
  assert.throws(() => modelFromArtifact({ ...art, arrays: { ...art.arrays, feature } }), /bad feature or child index/);
  assert.throws(() => modelFromArtifact({ ...art, kind: 'tree.regressor' }), /disagree on the task/);
});

test('exactRows: a binned feature is searched exactly (null) or only at bin edges (0)', async () => {
  // 1000 distinct values in 16 bins; the class boundary 0.4321 falls inside a bin
  const n = 1000;
  const x = Float64Array.from({ length: n }, (_, i) => (i * 7919) % n / n);
  const data: TrainSet = { x: { nRows: n, nCols: 1, data: x }, features: numericFeatures(1), y: x.map((v) => (v > 0.4321 ? 1 : 0)), nClasses: 2 };
  const exact = await new DecisionTreeClassifier({ maxDepth: 1, maxBins: 16 }).fit(data);
  assert.equal(accuracy(exact.predict(data.x), data.y), 1);
  assert.ok(exact.trees.threshold[0] > 0.432 && exact.trees.threshold[0] < 0.433, `threshold ${exact.trees.threshold[0]}`);
  const binned = await new DecisionTreeClassifier({ maxDepth: 1, maxBins: 16, exactRows: 0 }).fit(data);
  assert.ok(accuracy(binned.predict(data.x), data.y) < 1);
  // the root (1000 rows) splits at the bin edge 0.4375; its left child (437 rows) is small enough to search exactly
  const hybrid = await new DecisionTreeClassifier({ maxDepth: 2, maxBins: 16, exactRows: 500 }).fit(data);
  assert.equal(accuracy(hybrid.predict(data.x), data.y), 1, 'the small node holding the boundary bin is searched exactly');
});
