// k-nearest neighbours on the dense chain (standardised numbers, one-hot categories). Brute force: fitting is
// free but every prediction scans the training rows, so the family sits out on large data, where scoring the
// folds alone would eat the budget. Rarely the winner; sometimes a useful, different-minded ensemble member.

import { KNeighborsClassifier, KNeighborsRegressor } from '../../models/neighbors/index.js';
import { choice, int, type SearchSpace } from '../search/space.js';
import type { Family, PortfolioEntry } from './family.js';

/** beyond this many training rows, predicting every fold costs too much for the scores it brings */
const MAX_ROWS = 20_000;

export const neighborsFamily: Family = {
  name: 'knn',
  title: 'k-nearest neighbours',
  tasks: ['binary', 'multiclass', 'regression'],
  chain: 'dense',
  priorCost: 2,
  maxTuned: 6,
  unsuitable: (ctx) => (ctx.nRows > MAX_ROWS ? `${ctx.nRows.toLocaleString('en-US')} rows: brute-force neighbour search would take most of the budget (limit ${MAX_ROWS.toLocaleString('en-US')})` : null),
  portfolio: (): PortfolioEntry[] => [{ priority: 13, label: 'k=15, distance-weighted', params: { nNeighbors: 15, weights: 'distance' } }],
  space: (): SearchSpace => ({ nNeighbors: int(3, 100, true), weights: choice('uniform', 'distance'), metric: choice('euclidean', 'manhattan') }),
  learner(ctx, params) {
    const p = params as Record<string, unknown>;
    return ctx.task === 'regression' ? new KNeighborsRegressor(p) : new KNeighborsClassifier(p);
  },
  // prediction dominates and does not depend on k much
  relativeCost: () => 1,
  refitParams: (params) => params,
};
