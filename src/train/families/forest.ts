// Random forests and extra trees on the tree chain (categories as native codes). Rarely the best single model
// on their own against tuned boosting, but strong on some data (covertype) and the most useful partners in an
// ensemble: their errors differ from boosting's. Forests cannot route missing values, so NaN is imputed by the
// learner's own rules (see models/forest); they need no early stopping and refit with the same settings.

import type { Task } from '../../core/learner.js';
import { ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor } from '../../models/forest/index.js';
import { choice, float, int, type Params, type SearchSpace } from '../search/space.js';
import type { Family, FamilyContext, PortfolioEntry } from './family.js';

/** trees per forest: past ~150 the score barely moves while fit time, memory and model size keep growing; on
 * small data (cheap trees, noisier scores) twice as many still steady the ranking a little */
const TREES = 150;
const SMALL_DATA_TREES = 300;
const treesFor = (ctx: FamilyContext): number => (ctx.nRows <= 10_000 ? SMALL_DATA_TREES : TREES);
/** rows beyond which fully grown trees get too big to keep (memory, model size): leaves need more rows */
const BIG_DATA_ROWS = 50_000;

function leafRows(ctx: FamilyContext, base: number): number {
  return ctx.nRows > BIG_DATA_ROWS ? Math.max(base, Math.round(ctx.nRows / 25_000)) : base;
}

function makeFamily(name: string, title: string, extra: boolean): Family {
  return {
    name,
    title,
    tasks: ['binary', 'multiclass', 'regression'] as Task[],
    chain: 'tree',
    // measured on the shared datasets: a 120-tree forest fits in 3-6 times the time of default boosting
    priorCost: 4,
    unsuitable: () => null,
    portfolio(ctx): PortfolioEntry[] {
      const classification = ctx.task !== 'regression';
      // fully grown classification trees on small data (as scikit-learn's default: their accuracy there needs
      // it); leaves of 2-3 rows beyond, about as accurate with models a third of the size
      const small = ctx.nRows <= 20_000;
      const base: Params = { nEstimators: treesFor(ctx), minSamplesLeaf: leafRows(ctx, classification ? (small ? 1 : 2) : 3), maxFeatures: classification ? 'sqrt' : 0.5 };
      const list: PortfolioEntry[] = [{ priority: extra ? 7 : 5, label: 'default', params: base }];
      if (classification) list.push({ priority: extra ? 11 : 10, label: 'entropy, more features', params: { ...base, criterion: 'entropy', maxFeatures: 0.4, minSamplesLeaf: leafRows(ctx, 3) } });
      return list;
    },
    space(ctx): SearchSpace {
      const space: Record<string, SearchSpace[string]> = {
        nEstimators: choice(treesFor(ctx)),
        maxFeatures: choice('sqrt', 0.2, 0.35, 0.5, 0.75, 1),
        minSamplesLeaf: int(leafRows(ctx, 1), leafRows(ctx, 1) * 30, true),
      };
      if (ctx.task !== 'regression') {
        space.criterion = choice('gini', 'entropy');
        if (ctx.minorityShare < 0.2) space.classWeight = choice(null, extra ? 'balanced' : 'balanced_subsample');
      }
      if (!extra) space.maxSamples = float(0.5, 1);
      return space;
    },
    learner(ctx, params) {
      const p = params as Record<string, unknown>;
      if (ctx.task === 'regression') return extra ? new ExtraTreesRegressor(p) : new RandomForestRegressor(p);
      return extra ? new ExtraTreesClassifier(p) : new RandomForestClassifier(p);
    },
    relativeCost(ctx, params) {
      const f = params.maxFeatures;
      const share = f === 'sqrt' ? 1 / Math.sqrt(Math.max(1, ctx.nColumns)) : f === 'log2' ? 1 / Math.max(1, ctx.nColumns) : ((f as number) ?? 1);
      const base = ctx.task === 'regression' ? 0.5 : 1 / Math.sqrt(Math.max(1, ctx.nColumns));
      const leaf = (params.minSamplesLeaf as number) ?? 1;
      return (((params.nEstimators as number) ?? TREES) / treesFor(ctx)) * ((0.2 + share) / (0.2 + base)) * (1 / Math.sqrt(leaf)) * ((params.maxSamples as number) ?? 1);
    },
    refitParams: (params) => params,
  };
}

export const randomForestFamily = makeFamily('random_forest', 'random forest', false);
export const extraTreesFamily = makeFamily('extra_trees', 'extra trees', true);
