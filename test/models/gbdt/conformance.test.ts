// The shared learner conformance suite, run on both gradient-boosting learners (categorical feature, missing
// values and sample weights included).

import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../../src/models/gbdt/index.js';
import { runConformance } from '../conformance.js';
import { mixedProblem, multiclassProblem, regressionProblem } from './synthetic.js';

const mixed = mixedProblem(21, 400);

runConformance({
  name: 'GradientBoostingClassifier',
  makeLearner: (p) => new GradientBoostingClassifier(p),
  data: { ...mixed, sampleWeight: Float64Array.from({ length: 400 }, (_, i) => 1 + (i % 3)) },
  fitParams: { rounds: 10, rowSubsample: 0.8, classWeight: 'balanced' },
  badParams: [
    { params: { learningRate: -1 }, param: 'learningRate' },
    { params: { maxBins: 256 }, param: 'maxBins' },
    { params: { growth: 'lossguide' }, param: 'growth' },
    { params: { monotoneConstraints: [1] }, param: 'monotoneConstraints' },
  ],
});

runConformance({
  name: 'GradientBoostingClassifier (multiclass)',
  makeLearner: (p) => new GradientBoostingClassifier(p),
  data: multiclassProblem(22, 300),
  fitParams: { rounds: 5, columnSubsample: 0.5 },
  badParams: [{ params: { scalePosWeight: 2 }, param: 'scalePosWeight' }],
});

runConformance({
  name: 'GradientBoostingRegressor',
  makeLearner: (p) => new GradientBoostingRegressor(p),
  data: regressionProblem(23, 300),
  fitParams: { rounds: 10, growth: 'depthwise', maxDepth: 3, loss: 'huber' },
  badParams: [
    { params: { loss: 'hinge' }, param: 'loss' },
    { params: { quantile: 1 }, param: 'quantile' },
  ],
});
