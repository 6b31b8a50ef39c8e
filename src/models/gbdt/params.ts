// Hyper-parameters of gradient boosting, declared once: default, doc and constraint for each. Names follow what
// LightGBM / XGBoost users look for, spelled out (rounds = n_estimators, l2 = lambda, minHessianLeaf = min_child_weight).

import { constraints as c, type ParamTable } from '../../core/params.js';

export type GrowthPolicy = 'leafwise' | 'depthwise';
export type RegressionLoss = 'squared' | 'absolute' | 'huber' | 'quantile' | 'poisson';
export type EarlyStoppingMetric = 'auto' | 'loss' | 'auc' | 'error' | 'rmse' | 'mae';

export interface GbdtParams {
  /** boosting rounds (trees per class). Default 100. */
  rounds: number;
  /** shrinkage applied to every tree's leaf values. Default 0.1. */
  learningRate: number;
  /** 'leafwise' (best-first, as LightGBM) or 'depthwise' (level by level, as XGBoost's default). Default 'leafwise'. */
  growth: GrowthPolicy;
  /** leaves per tree at most (null = no limit; then maxDepth must be set). Default 31. */
  maxLeaves: number | null;
  /** depth of a tree at most, the root being depth 0 (null = no limit; required for depthwise growth). Default null. */
  maxDepth: number | null;
  /** rows per leaf at least. Default 20. */
  minSamplesLeaf: number;
  /** sum of hessians per leaf at least (XGBoost's min_child_weight). Default 1e-3. */
  minHessianLeaf: number;
  /** L1 penalty on leaf values. Default 0. */
  l1: number;
  /** L2 penalty on leaf values (XGBoost's lambda). Default 0. */
  l2: number;
  /** a split must reduce the loss by more than this (XGBoost's gamma). Default 0. */
  minSplitGain: number;
  /** fraction of rows drawn (without replacement) for each round. Default 1. */
  rowSubsample: number;
  /** fraction of features drawn for each tree. Default 1. */
  columnSubsample: number;
  /** bins per feature for non-missing values (missing values get one more). At most 255. Default 255. */
  maxBins: number;
  /** rows sampled to place the quantile bin edges. Default 200000. */
  binSampleSize: number;
  /**
   * per feature: 1 = prediction may only rise with the feature, -1 = only fall, 0 = free. Either one number per
   * feature, or { featureName: direction }. Default null (no constraints).
   */
  monotoneConstraints: null | readonly number[] | Readonly<Record<string, number>>;
  /** categorical splits: added to a category's hessian when ordering categories by gradient/hessian. Default 10. */
  categoricalSmoothing: number;
  /** categorical splits: extra L2 on leaf values of categorical splits. Default 10. */
  categoricalL2: number;
  /** categorical splits: a category needs this many rows to be placed on its own; rarer ones follow the rest. Default 10. */
  minCategorySamples: number;
  /** categorical splits: categories sent to one side at most. Default 32. */
  maxCategoriesPerSplit: number;
  /** stop when the validation metric has not improved for this many rounds, and keep the best round (null = off). Default null. */
  earlyStoppingRounds: number | null;
  /** the validation metric: 'auto' = the training loss; 'auc', 'error' (classification), 'rmse', 'mae'. Default 'auto'. */
  earlyStoppingMetric: EarlyStoppingMetric;
  /** when early stopping is on and no validation set is given: this fraction of training rows is held out. Default 0.1. */
  validationFraction: number;
  /** seed for row/column subsampling and bin sampling, used when fit gets no rng. Default 42. */
  seed: number;
  /**
   * threads at most, the caller's included (null = every core). Fits under about a second of work run on one thread
   * (starting threads would cost more). Results are identical for any value. Default null.
   */
  threads: number | null;
}

export interface GbdtClassifierParams extends GbdtParams {
  /** null, 'balanced' (class c weighs n / (nClasses × n_c)) or weights by class index { "0": 1, "1": 5 }. Default null. */
  classWeight: null | 'balanced' | Readonly<Record<string, number>>;
  /** binary only: weight of positive-class rows (XGBoost's scale_pos_weight). Default 1. */
  scalePosWeight: number;
}

export interface GbdtRegressorParams extends GbdtParams {
  /** 'squared', 'absolute', 'huber', 'quantile' or 'poisson' (log link; targets >= 0). Default 'squared'. */
  loss: RegressionLoss;
  /** huber: residuals beyond this are penalised linearly. Default 1. */
  huberDelta: number;
  /** quantile: the quantile to predict, in (0, 1). Default 0.5. */
  quantile: number;
}

const monotoneCheck = (v: unknown): string | null => {
  const ok = (d: unknown): boolean => d === -1 || d === 0 || d === 1;
  if (v === null) return null;
  if (Array.isArray(v)) return v.every(ok) ? null : 'must hold only -1, 0 or 1';
  if (typeof v === 'object' && Object.values(v as object).every(ok)) return null;
  return 'must be null, an array of -1/0/1 per feature, or { featureName: -1 | 0 | 1 }';
};

const classWeightCheck = (v: unknown): string | null => {
  if (v === null || v === 'balanced') return null;
  const expected = 'null, "balanced" or { classIndex: weight > 0 }';
  if (typeof v !== 'object' || Array.isArray(v)) return `must be ${expected}`;
  for (const [key, w] of Object.entries(v as Record<string, unknown>))
    if (!/^\d+$/.test(key) || typeof w !== 'number' || !(w > 0) || !Number.isFinite(w)) return `must be ${expected}`;
  return null;
};

const positiveIntOrNull = c.nullable(c.int(1));

export const GBDT_PARAMS: ParamTable<GbdtParams> = {
  rounds: { default: 100, doc: 'boosting rounds (trees per class)', check: c.int(1) },
  learningRate: { default: 0.1, doc: 'shrinkage of each tree', check: c.gt(0) },
  growth: { default: 'leafwise', doc: 'leafwise (best-first) or depthwise growth', check: c.oneOf('leafwise', 'depthwise') },
  maxLeaves: {
    default: 31,
    doc: 'leaves per tree at most',
    check: (v, all) => {
      const p = c.nullable(c.int(2))(v);
      if (p) return p;
      return v === null && all.maxDepth === null ? 'may be null only when maxDepth is set' : null;
    },
  },
  maxDepth: {
    default: null,
    doc: 'tree depth at most (root = 0)',
    check: (v, all) => {
      const p = positiveIntOrNull(v);
      if (p) return p;
      return v === null && all.growth === 'depthwise' ? 'must be set for depthwise growth' : null;
    },
  },
  minSamplesLeaf: { default: 20, doc: 'rows per leaf at least', check: c.int(1) },
  minHessianLeaf: { default: 1e-3, doc: 'hessian sum per leaf at least', check: c.ge(0) },
  l1: { default: 0, doc: 'L1 penalty on leaf values', check: c.ge(0) },
  l2: { default: 0, doc: 'L2 penalty on leaf values', check: c.ge(0) },
  minSplitGain: { default: 0, doc: 'loss reduction a split needs', check: c.ge(0) },
  rowSubsample: { default: 1, doc: 'fraction of rows per round', check: c.fraction },
  columnSubsample: { default: 1, doc: 'fraction of features per tree', check: c.fraction },
  maxBins: { default: 255, doc: 'bins per feature (plus one for missing)', check: c.int(2, 255) },
  binSampleSize: { default: 200000, doc: 'rows sampled to place bin edges', check: c.int(1000) },
  monotoneConstraints: { default: null, doc: 'monotone direction per feature', check: monotoneCheck },
  categoricalSmoothing: { default: 10, doc: 'hessian smoothing when ordering categories', check: c.ge(0) },
  categoricalL2: { default: 10, doc: 'extra L2 for categorical splits', check: c.ge(0) },
  minCategorySamples: { default: 10, doc: 'rows a category needs to be split on its own', check: c.int(1) },
  maxCategoriesPerSplit: { default: 32, doc: 'categories sent to one side at most', check: c.int(1, 255) },
  earlyStoppingRounds: { default: null, doc: 'patience in rounds (null = no early stopping)', check: positiveIntOrNull },
  earlyStoppingMetric: {
    default: 'auto',
    doc: 'validation metric for early stopping',
    check: c.oneOf('auto', 'loss', 'auc', 'error', 'rmse', 'mae'),
  },
  validationFraction: { default: 0.1, doc: 'rows held out for early stopping without a validation set', check: c.range(0.01, 0.5) },
  seed: { default: 42, doc: 'random seed', check: c.number },
  threads: { default: null, doc: 'threads (null = every core)', check: positiveIntOrNull },
};

export const GBDT_CLASSIFIER_PARAMS: ParamTable<GbdtClassifierParams> = {
  ...GBDT_PARAMS,
  earlyStoppingMetric: {
    ...GBDT_PARAMS.earlyStoppingMetric,
    check: c.oneOf('auto', 'loss', 'auc', 'error'),
  },
  classWeight: { default: null, doc: 'null, "balanced" or weights by class index', check: classWeightCheck },
  scalePosWeight: { default: 1, doc: 'weight of positive rows (binary)', check: c.gt(0) },
};

export const GBDT_REGRESSOR_PARAMS: ParamTable<GbdtRegressorParams> = {
  ...GBDT_PARAMS,
  earlyStoppingMetric: {
    ...GBDT_PARAMS.earlyStoppingMetric,
    check: c.oneOf('auto', 'loss', 'rmse', 'mae'),
  },
  loss: { default: 'squared', doc: 'the loss', check: c.oneOf('squared', 'absolute', 'huber', 'quantile', 'poisson') },
  huberDelta: { default: 1, doc: 'huber: where the loss turns linear', check: c.gt(0) },
  quantile: { default: 0.5, doc: 'quantile: which quantile', check: (v) => (typeof v === 'number' && v > 0 && v < 1 ? null : 'must be in (0, 1)') },
};
