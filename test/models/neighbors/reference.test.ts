// k-nearest neighbours against scikit-learn's KNeighborsClassifier/Regressor on slices of the shared datasets, on
// the same encoded matrices. kNN is deterministic, so outputs should agree row by row.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KNeighborsClassifier, KNeighborsRegressor, type KNeighborsParams } from '../../../src/models/neighbors/index.js';
import { accuracyFromProba, rmse, runReference, sklearnUnavailable } from '../tree/sklearn-reference.js';

const skip = sklearnUnavailable() ?? false;
const CONFIGS: Pick<KNeighborsParams, 'weights' | 'metric'>[] = [
  { weights: 'uniform', metric: 'euclidean' },
  { weights: 'distance', metric: 'manhattan' },
  { weights: 'distance', metric: 'cosine' },
];

/**
 * Share of rows whose outputs agree within 1e-9 (relative). Disagreement can only come from ties at the k-th
 * distance, broken by row order here and by scikit-learn's partition order there, or from distances equal up to
 * rounding (both libraries rank euclidean distances with |q|² + |t|² − 2 q·t, summed in different orders).
 */
function agreement(ours: Float64Array, theirs: Float64Array, width: number): number {
  let same = 0;
  const n = ours.length / width;
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let c = 0; c < width; c++) {
      const a = ours[i * width + c];
      const b = theirs[i * width + c];
      if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) ok = false;
    }
    if (ok) same++;
  }
  return same / n;
}

test('covertype (one-hot and scaled columns): the same neighbours and votes as scikit-learn', { skip }, async () => {
  const ref = runReference({
    dataset: 'covertype_kaggle',
    nTrain: 3000,
    nTest: 1000,
    encoding: 'dense',
    models: CONFIGS.map((c, i) => ({ name: `m${i}`, class: 'sklearn.neighbors.KNeighborsClassifier', params: { n_neighbors: 15, ...c } })),
  });
  for (const [i, c] of CONFIGS.entries()) {
    const model = await new KNeighborsClassifier({ nNeighbors: 15, ...c }).fit(ref.train);
    const proba = model.predictProba(ref.test.x);
    const theirs = ref.sklearn[`m${i}`].output;
    // 99 %: see agreement(); on this slice every row agrees today
    assert.ok(agreement(proba, theirs, 7) >= 0.99, `${c.weights}/${c.metric}: ${agreement(proba, theirs, 7)}`);
    assert.ok(Math.abs(accuracyFromProba(proba, ref.test.y, 7) - accuracyFromProba(theirs, ref.test.y, 7)) <= 0.002);
  }
});

test('california (regression, missing values imputed by the encoder): the same predictions as scikit-learn', { skip }, async () => {
  const ref = runReference({
    dataset: 'california_housing',
    nTrain: 3000,
    nTest: 1000,
    encoding: 'dense',
    models: CONFIGS.map((c, i) => ({ name: `m${i}`, class: 'sklearn.neighbors.KNeighborsRegressor', params: { n_neighbors: 15, ...c } })),
  });
  for (const [i, c] of CONFIGS.entries()) {
    const model = await new KNeighborsRegressor({ nNeighbors: 15, ...c }).fit(ref.train);
    const pred = model.predict(ref.test.x);
    const theirs = ref.sklearn[`m${i}`].output;
    assert.ok(agreement(pred, theirs, 1) >= 0.99, `${c.weights}/${c.metric}: ${agreement(pred, theirs, 1)}`);
    assert.ok(Math.abs(rmse(pred, ref.test.y) / rmse(theirs, ref.test.y) - 1) < 0.002);
  }
});
