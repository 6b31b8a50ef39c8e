// The MLP against scikit-learn's MLPClassifier/MLPRegressor (64-64 ReLU, Adam, early stopping, as in the shared
// reference script) on slices of the shared datasets, on the same encoded matrices. Training is stochastic and
// the two libraries draw different random numbers, so the comparison is on test metrics, each tolerance set from
// scikit-learn's own spread over seeds 0-4 on the same slice (measured when this test was written).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MLPClassifier, MLPRegressor } from '../../../src/models/nn/index.js';
import { accuracyFromProba, probaColumn, rmse, rocAuc, runReference, sklearnUnavailable } from '../tree/sklearn-reference.js';

const skip = sklearnUnavailable() ?? false;
const sklearnMlp = (cls: string) => ({ class: `sklearn.neural_network.${cls}`, params: { hidden_layer_sizes: [64, 64], early_stopping: true, random_state: 42 } });

test('covertype (7 classes): accuracy as good as scikit-learn', { skip }, async () => {
  const ref = runReference({ dataset: 'covertype_kaggle', nTrain: 3000, nTest: 1500, encoding: 'dense', models: [{ name: 'mlp', ...sklearnMlp('MLPClassifier') }] });
  const model = await new MLPClassifier({ hiddenLayerSizes: [64, 64] }).fit(ref.train);
  const ours = accuracyFromProba(model.predictProba(ref.test.x), ref.test.y, 7);
  const theirs = accuracyFromProba(ref.sklearn.mlp.output, ref.test.y, 7);
  // scikit-learn's accuracy over seeds 0-4 ranged 0.644-0.758 here (ours 0.731-0.758): allow 3 points below
  assert.ok(ours >= theirs - 0.03, `accuracy ${ours} vs scikit-learn ${theirs}`);
});

test('adult (binary, one-hot): ROC AUC as good as scikit-learn', { skip }, async () => {
  const ref = runReference({ dataset: 'adult', nTrain: 4000, nTest: 2000, encoding: 'dense', models: [{ name: 'mlp', ...sklearnMlp('MLPClassifier') }] });
  const model = await new MLPClassifier({ hiddenLayerSizes: [64, 64] }).fit(ref.train);
  const ours = rocAuc(probaColumn(model.predictProba(ref.test.x), 2, 1), ref.test.y);
  const theirs = rocAuc(probaColumn(ref.sklearn.mlp.output, 2, 1), ref.test.y);
  // seed spread 0.893-0.901 for scikit-learn, 0.892-0.899 for ours: allow 0.01
  assert.ok(ours >= theirs - 0.01, `ROC AUC ${ours} vs scikit-learn ${theirs}`);
});

test('california (regression): RMSE as good as scikit-learn given a standardised target', { skip }, async () => {
  // scikit-learn's MLPRegressor fits the raw target (~2e5) and lands near RMSE 80 000 here; ours standardises the
  // target (scaleTarget), so the fair reference is scikit-learn wrapped to do the same.
  const ref = runReference({
    dataset: 'california_housing',
    nTrain: 3000,
    nTest: 1500,
    encoding: 'dense',
    models: [
      { name: 'raw', ...sklearnMlp('MLPRegressor') },
      {
        name: 'scaled',
        class: 'sklearn.compose.TransformedTargetRegressor',
        params: { regressor: sklearnMlp('MLPRegressor'), transformer: { class: 'sklearn.preprocessing.StandardScaler' } },
      },
    ],
  });
  const model = await new MLPRegressor({ hiddenLayerSizes: [64, 64] }).fit(ref.train);
  const ours = rmse(model.predict(ref.test.x), ref.test.y);
  const scaled = rmse(ref.sklearn.scaled.output, ref.test.y);
  // seed spread of both: about ±2 %; allow 5 %
  assert.ok(ours <= scaled * 1.05, `RMSE ${ours} vs scikit-learn (scaled target) ${scaled}`);
  assert.ok(ours < rmse(ref.sklearn.raw.output, ref.test.y), 'better than scikit-learn on the raw target');
});
