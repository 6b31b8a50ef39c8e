// Naive Bayes against scikit-learn's GaussianNB, MultinomialNB and BernoulliNB on slices of the shared datasets.
// Both compute the same closed-form estimates, so probabilities agree to rounding: we allow 1e-9 absolute.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BernoulliNB, GaussianNB, MultinomialNB } from '../../../src/models/bayes/index.js';
import { runReference, sklearnUnavailable } from '../tree/sklearn-reference.js';

const skip = sklearnUnavailable() ?? false;

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('Gaussian and Bernoulli on encoded tabular data (covertype, adult)', { skip }, async () => {
  for (const dataset of ['covertype_kaggle', 'adult']) {
    const ref = runReference({
      dataset,
      nTrain: 3000,
      nTest: 1000,
      encoding: 'dense',
      models: [
        { name: 'g', class: 'sklearn.naive_bayes.GaussianNB' },
        { name: 'b', class: 'sklearn.naive_bayes.BernoulliNB', params: { alpha: 0.5, binarize: 0.2 } },
      ],
    });
    const g = await new GaussianNB().fit(ref.train);
    const b = await new BernoulliNB({ alpha: 0.5, binarize: 0.2 }).fit(ref.train);
    assert.ok(maxAbsDiff(g.predictProba(ref.test.x), ref.sklearn.g.output) < 1e-9, `${dataset} gaussian`);
    assert.ok(maxAbsDiff(b.predictProba(ref.test.x), ref.sklearn.b.output) < 1e-9, `${dataset} bernoulli`);
  }
});

test('Multinomial and Bernoulli on word counts (sms_spam)', { skip }, async () => {
  const ref = runReference({
    dataset: 'sms_spam',
    nTrain: 3000,
    nTest: 1000,
    encoding: 'text_counts',
    models: [
      { name: 'm', class: 'sklearn.naive_bayes.MultinomialNB', params: { alpha: 0.5 } },
      { name: 'u', class: 'sklearn.naive_bayes.MultinomialNB', params: { fit_prior: false } },
      { name: 'b', class: 'sklearn.naive_bayes.BernoulliNB' },
    ],
  });
  const m = await new MultinomialNB({ alpha: 0.5 }).fit(ref.train);
  const u = await new MultinomialNB({ fitPrior: false }).fit(ref.train);
  const b = await new BernoulliNB().fit(ref.train);
  assert.ok(maxAbsDiff(m.predictProba(ref.test.x), ref.sklearn.m.output) < 1e-9);
  assert.ok(maxAbsDiff(u.predictProba(ref.test.x), ref.sklearn.u.output) < 1e-9);
  assert.ok(maxAbsDiff(b.predictProba(ref.test.x), ref.sklearn.b.output) < 1e-9);
});
