// The multi-layer perceptron: gradients checked against finite differences, what it learns, early stopping,
// input scaling and missing values, determinism.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeArtifact } from '../../../src/core/artifact.js';
import type { TrainSet } from '../../../src/core/learner.js';
import { Rng } from '../../../src/core/rng.js';
import { MLPClassifier, MLPRegressor } from '../../../src/models/nn/index.js';
import { OUT_IDENTITY, OUT_SIGMOID, OUT_SOFTMAX, type NetworkShape } from '../../../src/models/nn/network.js';
import type { Activation } from '../../../src/models/nn/params.js';
import { initialParams, lossAndGradient, type TrainRows } from '../../../src/models/nn/gradient.js';
import { accuracy, blobs, friedman, headRows, matrixFromRows, numericFeatures } from '../tree/fixtures.js';

test('backpropagation matches finite differences for every output kind and activation', () => {
  const rng = new Rng(1);
  const n = 9;
  const cases: [number, Activation][] = [
    [OUT_SOFTMAX, 'relu'],
    [OUT_SIGMOID, 'tanh'],
    [OUT_IDENTITY, 'logistic'],
    [OUT_SOFTMAX, 'identity'],
  ];
  for (const [output, activation] of cases) {
    const nOut = output === OUT_SOFTMAX ? 3 : 1;
    const shape: NetworkShape = { sizes: [5, 7, 6, nOut], activation, output: output as NetworkShape['output'] };
    const rows: TrainRows = {
      n,
      x: Float64Array.from({ length: n * 5 }, () => rng.normal()),
      yClass: output === OUT_IDENTITY ? null : Int32Array.from({ length: n }, (_, i) => i % (output === OUT_SOFTMAX ? 3 : 2)),
      yValue: output === OUT_IDENTITY ? Float64Array.from({ length: n }, () => rng.normal()) : null,
      weight: Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3)),
    };
    const params = initialParams(shape, rng);
    const { grad } = lossAndGradient(shape, params, rows, 0.3);
    const h = 1e-6;
    for (let i = 0; i < params.length; i += 3) {
      const save = params[i];
      params[i] = save + h;
      const up = lossAndGradient(shape, params, rows, 0.3).loss;
      params[i] = save - h;
      const down = lossAndGradient(shape, params, rows, 0.3).loss;
      params[i] = save;
      const numeric = (up - down) / (2 * h);
      // the loss is a mean over weighted rows; the analytic gradient must be its derivative to ~1e-6 relative
      assert.ok(Math.abs(numeric - grad[i]) <= 1e-6 * Math.max(1, Math.abs(numeric)), `${activation}/${output} param ${i}: ${grad[i]} vs ${numeric}`);
    }
  }
});

test('a hidden layer learns XOR; a regressor fits Friedman #1 far better than the mean', async () => {
  const rows: number[][] = [];
  const y: number[] = [];
  const rng = new Rng(2);
  for (let i = 0; i < 400; i++) {
    const a = rng.next() < 0.5 ? 0 : 1;
    const b = rng.next() < 0.5 ? 0 : 1;
    rows.push([a + 0.1 * rng.normal(), b + 0.1 * rng.normal()]);
    y.push(a ^ b);
  }
  const xor: TrainSet = { x: matrixFromRows(rows), features: numericFeatures(2), y: Float64Array.from(y), nClasses: 2 };
  const clf = await new MLPClassifier({ hiddenLayerSizes: [16], learningRate: 0.01, earlyStopping: false, maxEpochs: 300 }).fit(xor);
  assert.ok(accuracy(clf.predict(xor.x), xor.y) > 0.97);

  const all = friedman(3, 1200);
  const train = headRows(all, 0, 1000);
  const held = headRows(all, 1000, 1200);
  const reg = await new MLPRegressor({ hiddenLayerSizes: [32, 32], learningRate: 0.005 }).fit(train);
  const pred = reg.predict(held.x);
  const mean = held.y.reduce((a, b) => a + b, 0) / held.y.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < pred.length; i++) {
    res += (pred[i] - held.y[i]) ** 2;
    tot += (held.y[i] - mean) ** 2;
  }
  assert.ok(1 - res / tot > 0.85, `R² ${1 - res / tot}`);
});

test('early stopping ends before maxEpochs and keeps the best epoch; a given validation set is used', async () => {
  const data = blobs(4, 600, 3, 4, 1.5);
  const model = await new MLPClassifier({ maxEpochs: 500, nIterNoChange: 5 }).fit(data);
  assert.ok((model.info.epochs as number) < 500, `stopped after ${model.info.epochs} epochs`);
  assert.equal(typeof model.info.bestValidationLoss, 'number');
  const seen: number[] = [];
  await new MLPClassifier({ maxEpochs: 3 }).fit(headRows(data, 0, 500), {
    validation: headRows(data, 500, 600),
    onProgress: (p) => seen.push(p.metric?.value ?? NaN),
  });
  assert.equal(seen.length, 3);
  assert.ok(seen.every((v) => Number.isFinite(v)));
});

test('"auto" standardisation leaves 0/1 columns alone; missing values act as the column mean', async () => {
  const rng = new Rng(5);
  const n = 300;
  const rows = Array.from({ length: n }, () => [1000 + 100 * rng.normal(), rng.next() < 0.3 ? 1 : 0]);
  const y = Float64Array.from(rows, (r) => (r[0] > 1000 ? 1 : 0));
  const data: TrainSet = { x: matrixFromRows(rows), features: numericFeatures(2), y, nClasses: 2 };
  const model = await new MLPClassifier({ hiddenLayerSizes: [8] }).fit(data);
  const art = model.toArtifact();
  const mean = art.arrays.inputMean as Float64Array;
  const scale = art.arrays.inputScale as Float64Array;
  assert.ok(Math.abs(mean[0] - 1000) < 20 && scale[0] > 50, 'the large column is standardised');
  assert.deepEqual([mean[1], scale[1]], [0, 1], 'the indicator column is kept as is');
  assert.ok(accuracy(model.predict(data.x), y) > 0.95, 'unscaled inputs are learnable thanks to the scaling');
  const withGap = model.predictProba(matrixFromRows([[NaN, 0]]));
  const atMean = model.predictProba(matrixFromRows([[mean[0], 0]]));
  assert.ok(Math.abs(withGap[1] - atMean[1]) < 1e-12);
});

test('the same seed gives the same bytes, another seed other weights; the regressor maps the target back', async () => {
  const data = blobs(6, 200, 2, 3, 1);
  const fit = async (seed: number) => encodeArtifact((await new MLPClassifier({ hiddenLayerSizes: [10], maxEpochs: 20 }).fit(data, { rng: new Rng(seed) })).toArtifact());
  const a = await fit(1);
  assert.deepEqual(a, await fit(1));
  assert.notDeepEqual(a, await fit(2));
  const reg = friedman(7, 300);
  const big = { ...reg, y: reg.y.map((v) => 1e5 + 1e4 * v) };
  const model = await new MLPRegressor({ hiddenLayerSizes: [16], maxEpochs: 60 }).fit(big);
  const pred = model.predict(big.x);
  const meanPred = pred.reduce((s, v) => s + v, 0) / pred.length;
  const meanY = big.y.reduce((s, v) => s + v, 0) / big.y.length;
  assert.ok(Math.abs(meanPred - meanY) / meanY < 0.02, `${meanPred} vs ${meanY}`);
});

test('1 thread and 2 worker threads train byte-identical networks', async () => {
  const data = blobs(8, 700, 3, 5, 1.5);
  const fit = async (nThreads: number) =>
    encodeArtifact((await new MLPClassifier({ hiddenLayerSizes: [16, 8], maxEpochs: 6, batchSize: 64, nThreads }).fit(data, { rng: new Rng(3) })).toArtifact());
  const serial = await fit(1);
  assert.deepEqual(await fit(2), serial);
  assert.deepEqual(await fit(3), serial, 'any thread count: the batch is always cut into the same chunks');
});
