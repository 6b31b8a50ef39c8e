// Gradient boosting, the workhorse. Every configuration boosts up to MAX_ROUNDS rounds and stops early on a 10 %
// slice of its own training rows (never on the fold being scored, so cross-validation scores stay honest); the
// final fit on all rows uses the mean kept round count, scaled up a little for the extra rows.
// Portfolio: LightGBM's defaults, then configurations that win often on tabular benchmarks (slower learning with
// row/column subsampling, small trees for small data, depth-limited XGBoost-style trees, wide trees for big data).

import type { Json } from '../../core/artifact.js';
import { GradientBoostingClassifier, GradientBoostingRegressor } from '../../models/gbdt/index.js';
import { choice, float, int, type Params, type SearchSpace } from '../search/space.js';
import type { Family, FamilyContext, PortfolioEntry } from './family.js';

/** the most rounds any configuration may boost (early stopping usually ends far sooner) */
const MAX_ROUNDS = 3000;
/** the final fit runs this many times the folds' mean kept rounds: it learns from ~1/0.72 as many rows */
const REFIT_ROUNDS_FACTOR = 1.15;

const fixed = (lr: number): Params => ({
  rounds: MAX_ROUNDS,
  // patience in rounds grows as the learning rate shrinks (each round changes less)
  earlyStoppingRounds: Math.max(30, Math.min(200, Math.round(5 / lr))),
  validationFraction: 0.1,
});

function weighted(ctx: FamilyContext): boolean {
  return ctx.task !== 'regression' && ctx.minorityShare < 0.2;
}

export const gbdtFamily: Family = {
  name: 'gbdt',
  title: 'gradient boosting',
  tasks: ['binary', 'multiclass', 'regression'],
  chain: 'tree',
  priorCost: 1,
  unsuitable: () => null,
  portfolio(ctx): PortfolioEntry[] {
    const small = ctx.nRows < 10_000;
    const list: PortfolioEntry[] = [
      { priority: 1, label: 'default', params: { learningRate: 0.1, maxLeaves: 31, minSamplesLeaf: 20 } },
      { priority: 3, label: 'slow, subsampled', params: { learningRate: 0.04, maxLeaves: 31, minSamplesLeaf: 20, rowSubsample: 0.8, columnSubsample: 0.7, l2: 1 } },
      small
        ? { priority: 4, label: 'small trees', params: { learningRate: 0.03, maxLeaves: 6, minSamplesLeaf: 40, columnSubsample: 0.6, l2: 3 } }
        : { priority: 4, label: 'wide trees', params: { learningRate: 0.05, maxLeaves: 127, minSamplesLeaf: 10, columnSubsample: 0.6, l2: 3 } },
      { priority: 6, label: 'depth 6', params: { learningRate: 0.05, growth: 'depthwise', maxDepth: 6, maxLeaves: null, minSamplesLeaf: 5, minHessianLeaf: 1, l2: 1, columnSubsample: 0.8 } },
      small
        ? { priority: 8, label: 'medium trees', params: { learningRate: 0.05, maxLeaves: 15, minSamplesLeaf: 15, rowSubsample: 0.7, columnSubsample: 0.5, l2: 10 } }
        : { priority: 8, label: 'small trees', params: { learningRate: 0.05, maxLeaves: 15, minSamplesLeaf: 50, columnSubsample: 0.5, l2: 1 } },
    ];
    if (weighted(ctx) && (ctx.costs || ['f1', 'recall', 'balanced_accuracy', 'f1_macro'].includes(ctx.metric)))
      list.push({ priority: 2.5, label: 'balanced classes', params: { learningRate: 0.05, maxLeaves: 31, minSamplesLeaf: 20, classWeight: 'balanced' } });
    return list.map((e) => ({ ...e, params: { ...fixed(e.params.learningRate as number), ...e.params } }));
  },
  space(ctx): SearchSpace {
    const space: Record<string, SearchSpace[string]> = {
      learningRate: float(0.01, 0.2, true),
      maxLeaves: int(4, 128, true),
      minSamplesLeaf: int(2, 100, true),
      l2: float(0.001, 30, true),
      columnSubsample: float(0.3, 1),
      rowSubsample: float(0.5, 1),
      minSplitGain: choice(0, 0, 0.01, 0.1),
    };
    if (weighted(ctx)) space.classWeight = choice(null, null, 'balanced');
    if (ctx.task === 'regression' && ctx.metric === 'mae') space.loss = choice('absolute', 'squared');
    return space;
  },
  learner(ctx, params) {
    const p = { ...fixed((params.learningRate as number) ?? 0.1), ...params } as Record<string, unknown>;
    return ctx.task === 'regression' ? new GradientBoostingRegressor(p) : new GradientBoostingClassifier(p);
  },
  relativeCost(ctx, params) {
    // rounds grow as 1/learningRate; work per round with the leaves (sub-linearly: histograms dominate) and the
    // sampled rows and columns
    const lr = (params.learningRate as number) ?? 0.1;
    const leaves = params.maxLeaves === null ? 2 ** ((params.maxDepth as number) ?? 6) : ((params.maxLeaves as number) ?? 31);
    const rows = (params.rowSubsample as number) ?? 1;
    const cols = (params.columnSubsample as number) ?? 1;
    return (0.1 / lr) * Math.sqrt(leaves / 31) * (0.3 + 0.7 * rows) * (0.3 + 0.7 * cols);
  },
  refitWork(params, foldInfo) {
    const run = foldInfo.map((i) => (i as { roundsRun?: number } | undefined)?.roundsRun).filter((r): r is number => typeof r === 'number');
    if (!run.length) return 1;
    const rounds = this.refitParams(params, foldInfo).rounds as number;
    return Math.min(1, rounds / (run.reduce((s, r) => s + r, 0) / run.length));
  },
  refitParams(params, foldInfo) {
    const kept = foldInfo.map((i) => (i as { roundsKept?: number } | undefined)?.roundsKept).filter((r): r is number => typeof r === 'number');
    const rounds = kept.length ? Math.max(10, Math.round((REFIT_ROUNDS_FACTOR * kept.reduce((s, r) => s + r, 0)) / kept.length)) : 200;
    return { ...params, rounds, earlyStoppingRounds: null };
  },
};

/** the rounds a fitted GBDT kept (for the leaderboard) */
export function keptRounds(info: Json | undefined): number | undefined {
  const r = (info as { roundsKept?: unknown } | undefined)?.roundsKept;
  return typeof r === 'number' ? r : undefined;
}
