// Exclusive feature bundling: one-hot groups share a column, every feature's bins decode back exactly, and a model
// fitted with bundles makes the same splits as one fitted without (up to the rounding of derived default bins).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../src/core/rng.js';
import { binOf, fitBinning } from '../../../src/models/gbdt/binning.js';
import { gbdtTuning } from '../../../src/models/gbdt/booster.js';
import { bundleAndBin, featureBin } from '../../../src/models/gbdt/bundling.js';
import { GradientBoostingClassifier } from '../../../src/models/gbdt/index.js';
import { mixedProblem, oneHotProblem } from './synthetic.js';

test('one-hot groups are bundled, each feature decodes to its own bin, dense features stay plain', () => {
  const data = oneHotProblem(1, 2000);
  const bins = fitBinning(data.x, data.features, { maxBins: 255, sampleSize: 100000, rng: new Rng(1) });
  let columns = new Uint8Array(0);
  const plan = bundleAndBin(data.x, bins, true, (nColumns) => (columns = new Uint8Array(nColumns * 2000)));
  // the two dense features stay plain, and so do one-hot columns above 20 % of the rows; the rest share two columns
  assert.ok(plan.nColumns < data.x.nCols - 10, `${plan.nColumns} columns for ${data.x.nCols} features`);
  assert.equal(plan.columnOf[0], 0);
  assert.equal(plan.columnOf[1], 1);
  assert.equal(plan.columnOf[5], plan.columnOf[6], 'rare levels of one group share a column');
  for (let f = 0; f < data.x.nCols; f++) {
    const c = plan.columnOf[f];
    for (let i = 0; i < 2000; i++) {
      const b = binOf(bins[f], data.x.data[f * 2000 + i]);
      assert.equal(featureBin(plan, f, columns[c * 2000 + i], bins[f].nBins), b, `feature ${f}, row ${i}`);
    }
  }
  const none = bundleAndBin(mixedProblem(2, 500).x, fitBinning(mixedProblem(2, 500).x, mixedProblem(2, 500).features, { maxBins: 255, sampleSize: 1000, rng: new Rng(1) }), true, (n) => new Uint8Array(n * 500));
  assert.equal(none.nColumns, 3, 'nothing to bundle in dense data');
});

test('bundled and unbundled fits predict the same', async () => {
  // (not always the same split features: where two one-hot columns split a node identically, the rounding of a
  // derived default bin may pick the other one; the partitions, and so the predictions on these rows, agree)
  const data = oneHotProblem(3, 4000);
  const fit = () => new GradientBoostingClassifier({ rounds: 20, maxLeaves: 15, minSamplesLeaf: 5 }).fit(data);
  const saved = gbdtTuning.bundling;
  try {
    gbdtTuning.bundling = true;
    const bundled = await fit();
    gbdtTuning.bundling = false;
    const plain = await fit();
    assert.equal(bundled.ensemble.feature.length, plain.ensemble.feature.length, 'as many nodes');
    const a = bundled.predictProba(data.x);
    const b = plain.predictProba(data.x);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `row ${i >> 1}`);
  } finally {
    gbdtTuning.bundling = saved;
  }
});
