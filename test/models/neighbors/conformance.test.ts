// The shared learner conformance suite, run on both k-nearest-neighbour learners.

import { KNeighborsClassifier, KNeighborsRegressor } from '../../../src/models/neighbors/index.js';
import { runConformance } from '../conformance.js';
import { blobs, friedman } from '../tree/fixtures.js';

const clf = blobs(41, 120, 3, 4, 1.5);
for (let i = 0; i < clf.x.data.length; i += 9) clf.x.data[i] = NaN;

runConformance({
  name: 'KNeighborsClassifier',
  makeLearner: (p) => new KNeighborsClassifier(p),
  data: { ...clf, sampleWeight: Float64Array.from({ length: 120 }, (_, i) => 1 + (i % 3)) },
  fitParams: { weights: 'distance' },
  badParams: [
    { params: { nNeighbors: 0 }, param: 'nNeighbors' },
    { params: { weights: 'gaussian' }, param: 'weights' },
    { params: { metric: 'minkowski' }, param: 'metric' },
  ],
});

runConformance({
  name: 'KNeighborsRegressor (manhattan)',
  makeLearner: (p) => new KNeighborsRegressor(p),
  data: friedman(42, 150),
  fitParams: { metric: 'manhattan', nNeighbors: 4 },
  badParams: [{ params: { nNeighbors: 2.5 }, param: 'nNeighbors' }],
});
