// The shared learner conformance suite, run on the four forest learners.

import { ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor } from '../../../src/models/forest/index.js';
import { runConformance } from '../conformance.js';
import { blobs, friedman } from '../tree/fixtures.js';

const clf = blobs(31, 160, 3, 4, 1.5);
for (let i = 0; i < clf.x.data.length; i += 13) clf.x.data[i] = NaN;
const reg = friedman(32, 160);

const forestBad = [
  { params: { nEstimators: 0 }, param: 'nEstimators' },
  { params: { bootstrap: 'yes' }, param: 'bootstrap' },
  { params: { maxFeatures: 0 }, param: 'maxFeatures' },
  { params: { nThreads: -1 }, param: 'nThreads' },
];

runConformance({
  name: 'RandomForestClassifier',
  makeLearner: (p) => new RandomForestClassifier(p),
  data: clf,
  fitParams: { nEstimators: 10, oobScore: true, classWeight: 'balanced_subsample' },
  badParams: [...forestBad, { params: { classWeight: 'balanced_everything' }, param: 'classWeight' }],
});

runConformance({
  name: 'RandomForestRegressor',
  makeLearner: (p) => new RandomForestRegressor(p),
  data: reg,
  fitParams: { nEstimators: 10, maxSamples: 0.7 },
  badParams: [...forestBad, { params: { criterion: 'absolute_error' }, param: 'criterion' }],
});

runConformance({
  name: 'ExtraTreesClassifier',
  makeLearner: (p) => new ExtraTreesClassifier(p),
  data: clf,
  fitParams: { nEstimators: 10 },
  badParams: [...forestBad, { params: { oobScore: true }, param: 'oobScore' }],
});

runConformance({
  name: 'ExtraTreesRegressor',
  makeLearner: (p) => new ExtraTreesRegressor(p),
  data: reg,
  fitParams: { nEstimators: 10, bootstrap: true },
  badParams: forestBad,
});
