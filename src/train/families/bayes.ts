// Gaussian naive Bayes on the dense chain: a near-free classifier. It never wins on the shared data sets, but it
// is a baseline people expect on the leaderboard and an occasional ensemble partner on small data.

import { GaussianNB } from '../../models/bayes/index.js';
import { float, type SearchSpace } from '../search/space.js';
import type { Family, PortfolioEntry } from './family.js';

export const naiveBayesFamily: Family = {
  name: 'naive_bayes',
  title: 'Gaussian naive Bayes',
  tasks: ['binary', 'multiclass'],
  chain: 'dense',
  priorCost: 0.2,
  maxTuned: 3,
  unsuitable: () => null,
  portfolio: (): PortfolioEntry[] => [{ priority: 14, label: 'default', params: { varSmoothing: 1e-9 } }],
  space: (): SearchSpace => ({ varSmoothing: float(1e-12, 1e-2, true) }),
  learner: (_ctx, params) => new GaussianNB(params as Record<string, unknown>),
  relativeCost: () => 1,
  refitParams: (params) => params,
};
