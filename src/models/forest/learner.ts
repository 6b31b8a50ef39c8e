// RandomForest and ExtraTrees learners (classifier and regressor). Both average CART trees grown on weighted rows:
// random forests use bootstrap samples and the best threshold per inspected feature, extra trees (by default) all
// rows and one random threshold per feature. Trees are grown from per-tree seeds drawn up front, so the model is the
// same whatever the number of threads.

import type { Json } from '../../core/artifact.js';
import { throwIfAborted, type FitOptions, type Learner, type TrainSet } from '../../core/learner.js';
import { mergeParams, validateParams, type ParamTable } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { checkTrainSet } from '../tree/checks.js';
import type { GrownTree } from '../tree/grown-tree.js';
import { TreeClassifierModel, TreeRegressorModel } from '../tree/model.js';
import { growParams, rowWeights } from '../tree/params.js';
import { prepareTreeData } from '../tree/prepare.js';
import { concatTrees } from '../tree/tree-set.js';
import { defaultThreads } from '../../core/pool.js';
import { growTrees, type ForestPlan } from './grow.js';
import { growTreesParallel, PARALLEL_MIN_WORK } from './parallel.js';
import {
  EXTRA_TREES_CLASSIFIER_KIND,
  EXTRA_TREES_REGRESSOR_KIND,
  RANDOM_FOREST_CLASSIFIER_KIND,
  RANDOM_FOREST_REGRESSOR_KIND,
} from './model.js';
import { outOfBagScore } from './oob.js';
import {
  EXTRA_TREES_CLASSIFIER_PARAMS,
  EXTRA_TREES_REGRESSOR_PARAMS,
  RANDOM_FOREST_CLASSIFIER_PARAMS,
  RANDOM_FOREST_REGRESSOR_PARAMS,
  type ForestClassifierParams,
  type ForestRegressorParams,
} from './params.js';

type AnyForestParams = ForestClassifierParams | ForestRegressorParams;

interface ForestSpec {
  readonly kind: string;
  readonly owner: string;
  readonly table: ParamTable<AnyForestParams>;
  readonly random: boolean;
  readonly task: 'classification' | 'regression';
}

/** Shared fit: validate, prepare the data once, grow the trees, score out of bag, assemble the model. */
async function fitForest(spec: ForestSpec, p: Readonly<AnyForestParams>, data: TrainSet, options: FitOptions) {
  validateParams(spec.table, p, spec.owner);
  throwIfAborted(options.signal);
  const checked = checkTrainSet(data, spec.task, spec.owner);
  const classWeight = 'classWeight' in p ? p.classWeight : null;
  const balancedSubsample = classWeight === 'balanced_subsample';
  const baseWeight = rowWeights(
    checked.nRows,
    checked.yClass,
    checked.nClasses,
    data.sampleWeight,
    balancedSubsample ? (p.bootstrap ? null : 'balanced') : classWeight,
    spec.owner,
  );
  const treeData = prepareTreeData(data, checked, { bins: !spec.random, maxBins: p.maxBins });
  const plan: ForestPlan = {
    data: treeData,
    grow: growParams(p, spec.random, checked.nCols),
    baseWeight,
    bootstrap: p.bootstrap,
    nDraws: p.maxSamples === null ? checked.nRows : Math.max(1, Math.round(p.maxSamples * checked.nRows)),
    balancedSubsample: balancedSubsample && p.bootstrap,
  };
  const rng = options.rng ?? new Rng(p.seed);
  const seeds = Array.from({ length: p.nEstimators }, () => rng.fork().seed);
  const threads = p.nThreads === 0 ? defaultThreads() : p.nThreads;
  // explicit nThreads > 1 always goes parallel; auto mode only when the work outweighs the dispatch
  const parallel = threads > 1 && seeds.length > 1 && (p.nThreads > 1 || checked.nRows * seeds.length >= PARALLEL_MIN_WORK);
  const progress = (done: number): void => {
    throwIfAborted(options.signal);
    options.onProgress?.({ unit: 'tree', done, total: seeds.length });
  };
  const trees: GrownTree[] = parallel
    ? await growTreesParallel(plan, seeds, Math.min(threads, seeds.length), progress)
    : growTrees(plan, seeds, (i) => progress(i + 1));
  const nOutputs = spec.task === 'classification' ? checked.nClasses : 1;
  const set = concatTrees(trees, nOutputs);
  const importance = new Float64Array(checked.nCols);
  for (const t of trees) for (let j = 0; j < importance.length; j++) importance[j] += t.importance[j] / trees.length;
  // nThreads is left out: it does not change the model, so 1 and N threads give the same bytes
  const { nThreads: _threads, ...modelParams } = p;
  const info: { [key: string]: Json } = { params: modelParams as unknown as Json };
  if (p.oobScore) {
    const oob = outOfBagScore(set, treeData, seeds, plan.nDraws);
    info.oobScore = Number.isFinite(oob.score) ? oob.score : null;
    info.oobRows = oob.covered;
  }
  const parts = { kind: spec.kind, features: data.features, trees: set, featureImportances: importance, info };
  return spec.task === 'classification' ? new TreeClassifierModel(parts) : new TreeRegressorModel(parts);
}

abstract class ForestLearner<P extends AnyForestParams, M extends TreeClassifierModel | TreeRegressorModel> implements Learner<M> {
  readonly params: Readonly<P>;
  abstract readonly kind: string;
  protected abstract readonly spec: ForestSpec;

  constructor(table: ParamTable<P>, params: Partial<P>) {
    this.params = mergeParams(table, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<M> {
    return (await fitForest(this.spec, this.params, data, options)) as M;
  }
}

export class RandomForestClassifier extends ForestLearner<ForestClassifierParams, TreeClassifierModel> {
  readonly kind = RANDOM_FOREST_CLASSIFIER_KIND;
  protected readonly spec: ForestSpec = {
    kind: RANDOM_FOREST_CLASSIFIER_KIND,
    owner: 'RandomForestClassifier',
    table: RANDOM_FOREST_CLASSIFIER_PARAMS as ParamTable<AnyForestParams>,
    random: false,
    task: 'classification',
  };
  constructor(params: Partial<ForestClassifierParams> = {}) {
    super(RANDOM_FOREST_CLASSIFIER_PARAMS, params);
  }
}

export class RandomForestRegressor extends ForestLearner<ForestRegressorParams, TreeRegressorModel> {
  readonly kind = RANDOM_FOREST_REGRESSOR_KIND;
  protected readonly spec: ForestSpec = {
    kind: RANDOM_FOREST_REGRESSOR_KIND,
    owner: 'RandomForestRegressor',
    table: RANDOM_FOREST_REGRESSOR_PARAMS as ParamTable<AnyForestParams>,
    random: false,
    task: 'regression',
  };
  constructor(params: Partial<ForestRegressorParams> = {}) {
    super(RANDOM_FOREST_REGRESSOR_PARAMS, params);
  }
}

export class ExtraTreesClassifier extends ForestLearner<ForestClassifierParams, TreeClassifierModel> {
  readonly kind = EXTRA_TREES_CLASSIFIER_KIND;
  protected readonly spec: ForestSpec = {
    kind: EXTRA_TREES_CLASSIFIER_KIND,
    owner: 'ExtraTreesClassifier',
    table: EXTRA_TREES_CLASSIFIER_PARAMS as ParamTable<AnyForestParams>,
    random: true,
    task: 'classification',
  };
  constructor(params: Partial<ForestClassifierParams> = {}) {
    super(EXTRA_TREES_CLASSIFIER_PARAMS, params);
  }
}

export class ExtraTreesRegressor extends ForestLearner<ForestRegressorParams, TreeRegressorModel> {
  readonly kind = EXTRA_TREES_REGRESSOR_KIND;
  protected readonly spec: ForestSpec = {
    kind: EXTRA_TREES_REGRESSOR_KIND,
    owner: 'ExtraTreesRegressor',
    table: EXTRA_TREES_REGRESSOR_PARAMS as ParamTable<AnyForestParams>,
    random: true,
    task: 'regression',
  };
  constructor(params: Partial<ForestRegressorParams> = {}) {
    super(EXTRA_TREES_REGRESSOR_PARAMS, params);
  }
}
