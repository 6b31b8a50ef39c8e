// Random forests and extra trees on synthetic data: averaging, determinism (including across thread counts),
// out-of-bag scores, class weights and the params that depend on each other.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeArtifact } from '../../../src/core/artifact.js';
import { Rng } from '../../../src/core/rng.js';
import { ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor } from '../../../src/models/forest/index.js';
import { DecisionTreeClassifier } from '../../../src/models/tree/index.js';
import { accuracy, blobs, friedman, headRows } from '../tree/fixtures.js';

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

test('without bootstrap or feature sampling every tree is the CART tree, so the forest predicts like one tree', async () => {
  const data = blobs(1, 200, 3, 4, 2);
  const forest = await new RandomForestClassifier({ nEstimators: 5, bootstrap: false, maxFeatures: null }).fit(data);
  const tree = await new DecisionTreeClassifier().fit(data);
  assert.equal(forest.trees.nTrees, 5);
  assert.deepEqual(forest.predictProba(data.x), tree.predictProba(data.x));
});

test('a forest beats a single tree on held-out rows (Friedman #1), random forest and extra trees alike', async () => {
  const all = friedman(2, 1500);
  const train = headRows(all, 0, 1200);
  const held = headRows(all, 1200, 1500);
  const mse = (p: Float64Array): number => p.reduce((s, v, i) => s + (v - held.y[i]) ** 2, 0) / p.length;
  const tree = mse((await new RandomForestRegressor({ nEstimators: 1, bootstrap: false }).fit(train)).predict(held.x));
  const rf = mse((await new RandomForestRegressor({ nEstimators: 60 }).fit(train)).predict(held.x));
  const et = mse((await new ExtraTreesRegressor({ nEstimators: 60 }).fit(train)).predict(held.x));
  assert.ok(rf < 0.7 * tree, `random forest MSE ${rf} vs one tree ${tree}`);
  assert.ok(et < 0.7 * tree, `extra trees MSE ${et} vs one tree ${tree}`);
});

test('the same seed gives the same bytes; another seed another forest', async () => {
  const data = blobs(3, 150, 2, 5, 2);
  const fit = async (seed: number) => encodeArtifact((await new ExtraTreesClassifier({ nEstimators: 8 }).fit(data, { rng: new Rng(seed) })).toArtifact());
  assert.ok(same(await fit(1), await fit(1)));
  assert.ok(!same(await fit(1), await fit(2)));
  // without an rng the seed param decides
  const a = encodeArtifact((await new RandomForestClassifier({ nEstimators: 4, seed: 5 }).fit(data)).toArtifact());
  const b = encodeArtifact((await new RandomForestClassifier({ nEstimators: 4, seed: 5 }).fit(data)).toArtifact());
  assert.ok(same(a, b));
});

test('1 thread and 2 worker threads grow byte-identical forests', async () => {
  const clf = blobs(4, 600, 3, 6, 2);
  for (let i = 0; i < clf.x.data.length; i += 17) clf.x.data[i] = NaN;
  const reg = friedman(5, 500);
  const cases = [
    () => new RandomForestClassifier({ nEstimators: 12, oobScore: true, classWeight: 'balanced_subsample' }),
    () => new ExtraTreesRegressor({ nEstimators: 12, maxFeatures: 0.5 }),
  ];
  for (const [i, make] of cases.entries()) {
    const data = i === 0 ? clf : reg;
    const serial = await make().fit(data, { rng: new Rng(9) });
    const learner = make();
    const parallel = await new (learner.constructor as new (p: object) => typeof learner)({ ...learner.params, nThreads: 2 }).fit(data, {
      rng: new Rng(9),
    });
    assert.ok(same(encodeArtifact(serial.toArtifact()), encodeArtifact(parallel.toArtifact())), `case ${i}`);
  }
});

test('the out-of-bag score is close to the held-out score', async () => {
  const all = blobs(6, 1600, 3, 5, 2.2);
  const train = headRows(all, 0, 1200);
  const held = headRows(all, 1200, 1600);
  const model = await new RandomForestClassifier({ nEstimators: 50, oobScore: true }).fit(train);
  const oob = model.info.oobScore as number;
  const heldOut = accuracy(model.predict(held.x), held.y);
  // 400 held-out rows: the standard error of an accuracy near 0.8 is about 0.02
  assert.ok(Math.abs(oob - heldOut) < 0.06, `oob ${oob} vs held-out ${heldOut}`);
  assert.equal(model.info.oobRows, 1200, 'with 50 trees every row is out of bag for some tree');
});

test('class weights shift the decision towards the rare class', async () => {
  const base = blobs(7, 600, 2, 3, 2.5);
  const y = base.y.map((v, i) => (v === 1 && i % 5 !== 0 ? 0 : v)); // class 1 is rare (~10 %)
  const data = { ...base, y };
  const count = (pred: Float64Array): number => pred.reduce((s, v) => s + v, 0);
  const plain = count((await new RandomForestClassifier({ nEstimators: 30, minSamplesLeaf: 10 }).fit(data)).predict(data.x));
  for (const classWeight of ['balanced', 'balanced_subsample'] as const) {
    const weighted = count((await new RandomForestClassifier({ nEstimators: 30, minSamplesLeaf: 10, classWeight }).fit(data)).predict(data.x));
    assert.ok(weighted > plain * 1.5, `${classWeight}: ${weighted} rare-class predictions vs ${plain}`);
  }
});

test('params that need bootstrap say so, and maxSamples draws fewer rows', async () => {
  const data = blobs(8, 100, 2, 2);
  await assert.rejects(() => new ExtraTreesClassifier({ oobScore: true }).fit(data), /oobScore = true: needs bootstrap = true/);
  await assert.rejects(() => new ExtraTreesClassifier({ maxSamples: 0.5 }).fit(data), /maxSamples = 0.5: needs bootstrap = true/);
  await assert.rejects(() => new RandomForestClassifier({ maxSamples: 1.5 }).fit(data), /maxSamples = 1.5: must be in \(0, 1\]/);
  const small = await new RandomForestClassifier({ nEstimators: 3, maxSamples: 0.1 }).fit(data);
  const full = await new RandomForestClassifier({ nEstimators: 3 }).fit(data);
  assert.ok(small.trees.feature.length < full.trees.feature.length);
});

test('progress is reported per tree and an abort between trees stops the fit', async () => {
  const data = blobs(9, 100, 2, 2);
  const seen: number[] = [];
  await new RandomForestClassifier({ nEstimators: 4 }).fit(data, { onProgress: (p) => seen.push(p.done) });
  assert.deepEqual(seen, [1, 2, 3, 4]);
  const controller = new AbortController();
  await assert.rejects(
    () =>
      new RandomForestClassifier({ nEstimators: 50 }).fit(data, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done === 2) controller.abort(new Error('enough'));
        },
      }),
    /enough/,
  );
});

test('importances average the trees and point at the informative features', async () => {
  const data = blobs(10, 300, 2, 6, 1);
  // only features 0 and 1 carry the class (blobs puts class c's shift on features j with j % 2 === c)
  const model = await new RandomForestClassifier({ nEstimators: 20 }).fit(data);
  const imp = model.featureImportances;
  assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.ok(imp[0] + imp[2] + imp[4] > 0.5 || imp[1] + imp[3] + imp[5] > 0.5);
});
