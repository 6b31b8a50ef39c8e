// The shared learner conformance suite, run on both decision trees (with missing values and sample weights).

import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../../src/models/tree/index.js';
import { runConformance } from '../conformance.js';
import { blobs, friedman } from './fixtures.js';

const withGaps = blobs(21, 150, 3, 4, 1.5);
for (let i = 0; i < withGaps.x.data.length; i += 11) withGaps.x.data[i] = NaN;

runConformance({
  name: 'DecisionTreeClassifier',
  makeLearner: (p) => new DecisionTreeClassifier(p),
  data: { ...withGaps, sampleWeight: Float64Array.from({ length: 150 }, (_, i) => 1 + (i % 2)) },
  fitParams: { maxFeatures: 'sqrt', classWeight: 'balanced' },
  badParams: [
    { params: { criterion: 'mse' }, param: 'criterion' },
    { params: { maxDepth: 0 }, param: 'maxDepth' },
    { params: { minSamplesSplit: 1 }, param: 'minSamplesSplit' },
    { params: { minSamplesLeaf: 0.5 }, param: 'minSamplesLeaf' },
    { params: { maxFeatures: 'half' }, param: 'maxFeatures' },
    { params: { maxBins: 256 }, param: 'maxBins' },
    { params: { classWeight: 'even' }, param: 'classWeight' },
    { params: { splitter: 'fast' }, param: 'splitter' },
    { params: { minImpurityDecrease: -1 }, param: 'minImpurityDecrease' },
  ],
});

runConformance({
  name: 'DecisionTreeRegressor (random splitter)',
  makeLearner: (p) => new DecisionTreeRegressor(p),
  data: friedman(22, 200),
  fitParams: { splitter: 'random', minSamplesLeaf: 3 },
  badParams: [
    { params: { criterion: 'gini' }, param: 'criterion' },
    { params: { seed: -1 }, param: 'seed' },
  ],
});
