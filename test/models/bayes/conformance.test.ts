// The shared learner conformance suite, run on the three naive Bayes learners.

import { BernoulliNB, GaussianNB, MultinomialNB } from '../../../src/models/bayes/index.js';
import { runConformance } from '../conformance.js';
import { blobs } from '../tree/fixtures.js';

const gauss = blobs(51, 150, 3, 4, 1.5);
for (let i = 0; i < gauss.x.data.length; i += 10) gauss.x.data[i] = NaN;
const counts = blobs(52, 150, 3, 5, 1);
for (let i = 0; i < counts.x.data.length; i++) counts.x.data[i] = Math.max(0, Math.round(counts.x.data[i] * 2));

runConformance({
  name: 'GaussianNB',
  makeLearner: (p) => new GaussianNB(p),
  data: { ...gauss, sampleWeight: Float64Array.from({ length: 150 }, (_, i) => 0.5 + (i % 2)) },
  badParams: [
    { params: { varSmoothing: -1 }, param: 'varSmoothing' },
    { params: { priors: [0.5, 0.6] }, param: 'priors' },
  ],
});

runConformance({
  name: 'MultinomialNB',
  makeLearner: (p) => new MultinomialNB(p),
  data: counts,
  fitParams: { alpha: 0.5 },
  badParams: [
    { params: { alpha: -0.1 }, param: 'alpha' },
    { params: { fitPrior: 1 }, param: 'fitPrior' },
    { params: { classPrior: 'uniform' }, param: 'classPrior' },
  ],
});

runConformance({
  name: 'BernoulliNB',
  makeLearner: (p) => new BernoulliNB(p),
  data: counts,
  fitParams: { binarize: 1 },
  badParams: [{ params: { binarize: 'yes' }, param: 'binarize' }],
});
