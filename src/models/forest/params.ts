// Forest hyper-parameters (random forest and extra trees), declared once. Tree-shape params reuse the tree family's
// specs so maxDepth, minSamplesLeaf, maxFeatures ... mean the same in a tree and in a forest.

import { constraints as c, type ParamSpec, type ParamTable } from '../../core/params.js';
import { classWeightCheck, shapeSpecs, type ClassWeight, type MaxFeatures } from '../tree/params.js';

interface ForestCommonParams {
  /** number of trees */
  nEstimators: number;
  /** draw each tree's rows with replacement (bootstrap); false trains every tree on all rows */
  bootstrap: boolean;
  /** rows drawn per tree as a fraction of all rows (bootstrap only); null = as many as there are rows */
  maxSamples: number | null;
  /** compute the out-of-bag score (accuracy or R²) from the rows each tree did not see (bootstrap only) */
  oobScore: boolean;
  /** worker threads for growing trees; 0 = one per core. The model is identical for any value */
  nThreads: number;
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  maxFeatures: MaxFeatures;
  maxBins: number;
  exactRows: number | null;
  seed: number;
}

export type ForestClassWeight = ClassWeight | 'balanced_subsample';

export interface ForestClassifierParams extends ForestCommonParams {
  /** "gini" or "entropy" ("log_loss" is an alias) */
  criterion: 'gini' | 'entropy' | 'log_loss';
  /** "balanced", "balanced_subsample" (balanced on each tree's bootstrap sample), weights by class index, or null */
  classWeight: ForestClassWeight;
}

export interface ForestRegressorParams extends ForestCommonParams {
  criterion: 'squared_error';
}

// Forests search exactly only in nodes of <= 256 rows (where bins would hide most thresholds): on the shared datasets
// this matches fully exact trees in accuracy at the cost of histograms (see test/models/forest/reference.test.ts).
const FOREST_EXACT_ROWS = 256;

function commonSpecs(bootstrap: boolean, maxFeatures: MaxFeatures): ParamTable<ForestCommonParams> {
  return {
    nEstimators: { default: 100, doc: 'number of trees', check: c.int(1, 100000) },
    bootstrap: { default: bootstrap, doc: 'draw each tree’s rows with replacement', check: c.boolean },
    maxSamples: {
      default: null,
      doc: 'rows drawn per tree as a fraction of all rows (bootstrap only); null = all',
      check: (v, all) => (v === null ? null : all.bootstrap !== true ? 'needs bootstrap = true' : c.fraction(v)),
    },
    oobScore: {
      default: false,
      doc: 'compute the out-of-bag score from rows each tree did not see (bootstrap only)',
      check: (v, all) => c.boolean(v) ?? (v === true && all.bootstrap !== true ? 'needs bootstrap = true' : null),
    },
    nThreads: { default: 0, doc: 'worker threads for growing trees; 0 = one per core; the model is the same for any value', check: c.int(0, 256) },
    ...shapeSpecs(maxFeatures, FOREST_EXACT_ROWS),
  };
}

const classifierCriterion: ParamSpec<'gini' | 'entropy' | 'log_loss'> = {
  default: 'gini',
  doc: 'split quality: "gini" or "entropy" ("log_loss" is an alias)',
  check: c.oneOf('gini', 'entropy', 'log_loss'),
};
const regressorCriterion: ParamSpec<'squared_error'> = {
  default: 'squared_error',
  doc: 'split quality: "squared_error"',
  check: c.oneOf('squared_error'),
};
const forestClassWeight: ParamSpec<ForestClassWeight> = {
  default: null,
  doc: 'per-class weights: "balanced", "balanced_subsample" (per bootstrap sample), weights by class index, or null',
  check: classWeightCheck('balanced', 'balanced_subsample') as ParamSpec<ForestClassWeight>['check'],
};

// scikit-learn's defaults: bootstrap for random forests, none for extra trees; sqrt(p) features per node for
// classifiers, all features for regressors.
export const RANDOM_FOREST_CLASSIFIER_PARAMS: ParamTable<ForestClassifierParams> = {
  criterion: classifierCriterion,
  ...commonSpecs(true, 'sqrt'),
  classWeight: forestClassWeight,
};
export const RANDOM_FOREST_REGRESSOR_PARAMS: ParamTable<ForestRegressorParams> = {
  criterion: regressorCriterion,
  ...commonSpecs(true, 1),
};
export const EXTRA_TREES_CLASSIFIER_PARAMS: ParamTable<ForestClassifierParams> = {
  criterion: classifierCriterion,
  ...commonSpecs(false, 'sqrt'),
  classWeight: forestClassWeight,
};
export const EXTRA_TREES_REGRESSOR_PARAMS: ParamTable<ForestRegressorParams> = {
  criterion: regressorCriterion,
  ...commonSpecs(false, 1),
};
