// The shared learner conformance suite, run on the linear family (binary, multinomial, ridge).

import { LogisticRegression, Ridge } from '../../../src/models/linear/index.js';
import { runConformance } from '../conformance.js';
import { linearData, logisticData } from './fixtures.js';

runConformance({
  name: 'LogisticRegression (binary)',
  makeLearner: (p) => new LogisticRegression(p),
  data: logisticData(1, 200, [[1, -2, 0.5]], [0.3]),
  badParams: [
    { params: { C: 0 }, param: 'C' },
    { params: { penalty: 'l3' }, param: 'penalty' },
    { params: { l1Ratio: 1.5 }, param: 'l1Ratio' },
    { params: { classWeight: { a: 1 } }, param: 'classWeight' },
    { params: { maxIter: 0.5 }, param: 'maxIter' },
    { params: { tol: -1 }, param: 'tol' },
  ],
});

runConformance({
  name: 'LogisticRegression (multinomial, elastic-net, sample weights)',
  makeLearner: (p) => new LogisticRegression(p),
  data: { ...logisticData(2, 240, [[1, 0, -1], [0, 1, 0], [-1, -1, 1]], [0, 0.5, -0.5]), sampleWeight: Float64Array.from({ length: 240 }, (_, i) => 1 + (i % 3)) },
  fitParams: { penalty: 'elasticnet', l1Ratio: 0.5, C: 0.5 },
  badParams: [{ params: { fitIntercept: 'yes' }, param: 'fitIntercept' }],
});

runConformance({
  name: 'Ridge',
  makeLearner: (p) => new Ridge(p),
  data: linearData(3, 150, [2, -1, 0, 4], 10, 0.5),
  badParams: [
    { params: { alpha: -1 }, param: 'alpha' },
    { params: { solver: 'svd' }, param: 'solver' },
    { params: { standardize: 1 }, param: 'standardize' },
  ],
});

runConformance({
  name: 'Ridge (conjugate gradients)',
  makeLearner: (p) => new Ridge(p),
  data: linearData(4, 120, [1, 2, 3], -1, 0.1),
  fitParams: { solver: 'cg' },
  badParams: [{ params: { maxIter: 0 }, param: 'maxIter' }],
});
