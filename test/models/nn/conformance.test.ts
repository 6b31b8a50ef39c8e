// The shared learner conformance suite, run on the MLP classifier (binary, multiclass) and regressor.

import { MLPClassifier, MLPRegressor } from '../../../src/models/nn/index.js';
import { runConformance } from '../conformance.js';
import { blobs, friedman } from '../tree/fixtures.js';

const multi = blobs(61, 150, 3, 4, 1.5);
for (let i = 0; i < multi.x.data.length; i += 12) multi.x.data[i] = NaN;

runConformance({
  name: 'MLPClassifier (multiclass)',
  makeLearner: (p) => new MLPClassifier(p),
  data: { ...multi, sampleWeight: Float64Array.from({ length: 150 }, (_, i) => 1 + (i % 2)) },
  fitParams: { hiddenLayerSizes: [12, 6], maxEpochs: 15 },
  badParams: [
    { params: { hiddenLayerSizes: [] }, param: 'hiddenLayerSizes' },
    { params: { activation: 'gelu' }, param: 'activation' },
    { params: { learningRate: 0 }, param: 'learningRate' },
    { params: { validationFraction: 1 }, param: 'validationFraction' },
    { params: { beta2: 1 }, param: 'beta2' },
    { params: { standardize: 'yes' }, param: 'standardize' },
    { params: { batchSize: 0 }, param: 'batchSize' },
  ],
});

runConformance({
  name: 'MLPClassifier (binary, tanh, no early stopping)',
  makeLearner: (p) => new MLPClassifier(p),
  data: blobs(62, 120, 2, 3, 1),
  fitParams: { hiddenLayerSizes: [8], activation: 'tanh', earlyStopping: false, maxEpochs: 10 },
  badParams: [{ params: { alpha: -1 }, param: 'alpha' }],
});

runConformance({
  name: 'MLPRegressor',
  makeLearner: (p) => new MLPRegressor(p),
  data: friedman(63, 150),
  fitParams: { hiddenLayerSizes: [10], maxEpochs: 15 },
  badParams: [{ params: { scaleTarget: 'no' }, param: 'scaleTarget' }],
});
