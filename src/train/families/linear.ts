// The linear baselines: regularised logistic regression (binary and multinomial) and ridge regression, on the
// dense chain (imputed, one-hot, standardised). Cheap, well calibrated, and on small or mostly-additive data
// (telco churn) as good as anything; they also add diversity to ensembles of trees.

import { LogisticRegression, Ridge } from '../../models/linear/index.js';
import { choice, float, type SearchSpace } from '../search/space.js';
import type { Family, PortfolioEntry } from './family.js';

export const linearFamily: Family = {
  name: 'linear',
  title: 'linear model',
  tasks: ['binary', 'multiclass', 'regression'],
  chain: 'dense',
  priorCost: 0.5,
  unsuitable: () => null,
  portfolio(ctx): PortfolioEntry[] {
    if (ctx.task === 'regression')
      return [
        { priority: 2, label: 'ridge α=1', params: { alpha: 1 } },
        { priority: 9, label: 'ridge α=30', params: { alpha: 30 } },
      ];
    return [
      { priority: 2, label: 'logistic C=1', params: { C: 1 } },
      { priority: 9, label: 'logistic C=0.05', params: { C: 0.05 } },
    ];
  },
  // one or two dimensions: a few configurations cover them
  maxTuned: 4,
  space(ctx): SearchSpace {
    if (ctx.task === 'regression') return { alpha: float(0.001, 1000, true) };
    const space: Record<string, SearchSpace[string]> = { C: float(0.001, 100, true) };
    if (ctx.task === 'binary' && ctx.minorityShare < 0.2) space.classWeight = choice(null, 'balanced');
    return space;
  },
  learner(ctx, params) {
    const p = { maxIter: 500, ...params } as Record<string, unknown>;
    return ctx.task === 'regression' ? new Ridge(p) : new LogisticRegression(p);
  },
  relativeCost(ctx, params) {
    // weaker regularisation takes more optimiser iterations
    return ctx.task === 'regression' ? 1 : Math.max(0.5, Math.min(4, 1 + 0.3 * Math.log10(Math.max(1e-3, (params.C as number) ?? 1))));
  },
  refitParams: (params) => params,
};
