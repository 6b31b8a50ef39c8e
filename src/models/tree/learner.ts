// DecisionTreeClassifier and DecisionTreeRegressor: CART with exact thresholds (histograms over ≤ 255 bins for
// features with fewer distinct values, sorted raw values for the others; `exactRows` trades exactness for speed), a
// learned direction for missing values, class and sample weights. Categorical features (FeatureInfo kind
// 'categorical') are split as ordered codes, as scikit-learn's trees split ordinal-encoded columns. The constructor
// only stores the params; fit validates them and returns an immutable model.

import type { Json } from '../../core/artifact.js';
import { throwIfAborted, type FitOptions, type Learner, type TrainSet } from '../../core/learner.js';
import { mergeParams, validateParams } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { TreeBuilder } from './builder.js';
import { checkTrainSet } from './checks.js';
import { TREE_CLASSIFIER_KIND, TREE_REGRESSOR_KIND, TreeClassifierModel, TreeRegressorModel } from './model.js';
import {
  growParams,
  rowWeights,
  TREE_CLASSIFIER_PARAMS,
  TREE_REGRESSOR_PARAMS,
  type DecisionTreeClassifierParams,
  type DecisionTreeRegressorParams,
} from './params.js';
import { prepareTreeData } from './prepare.js';
import { concatTrees } from './tree-set.js';

export class DecisionTreeClassifier implements Learner<TreeClassifierModel> {
  readonly kind = TREE_CLASSIFIER_KIND;
  readonly params: Readonly<DecisionTreeClassifierParams>;

  constructor(params: Partial<DecisionTreeClassifierParams> = {}) {
    this.params = mergeParams(TREE_CLASSIFIER_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<TreeClassifierModel> {
    const p = this.params;
    validateParams(TREE_CLASSIFIER_PARAMS, p, 'DecisionTreeClassifier');
    throwIfAborted(options.signal);
    const checked = checkTrainSet(data, 'classification', 'DecisionTreeClassifier');
    const weights = rowWeights(checked.nRows, checked.yClass, checked.nClasses, data.sampleWeight, p.classWeight, 'DecisionTreeClassifier');
    const tree = growOne(data, checked, p, weights, options);
    return new TreeClassifierModel({
      kind: this.kind,
      features: data.features,
      trees: concatTrees([tree], checked.nClasses),
      featureImportances: tree.importance,
      info: { params: p as unknown as Json },
    });
  }
}

export class DecisionTreeRegressor implements Learner<TreeRegressorModel> {
  readonly kind = TREE_REGRESSOR_KIND;
  readonly params: Readonly<DecisionTreeRegressorParams>;

  constructor(params: Partial<DecisionTreeRegressorParams> = {}) {
    this.params = mergeParams(TREE_REGRESSOR_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<TreeRegressorModel> {
    const p = this.params;
    validateParams(TREE_REGRESSOR_PARAMS, p, 'DecisionTreeRegressor');
    throwIfAborted(options.signal);
    const checked = checkTrainSet(data, 'regression', 'DecisionTreeRegressor');
    const weights = rowWeights(checked.nRows, null, 0, data.sampleWeight, null, 'DecisionTreeRegressor');
    const tree = growOne(data, checked, p, weights, options);
    return new TreeRegressorModel({
      kind: this.kind,
      features: data.features,
      trees: concatTrees([tree], 1),
      featureImportances: tree.importance,
      info: { params: p as unknown as Json },
    });
  }
}

function growOne(
  data: TrainSet,
  checked: ReturnType<typeof checkTrainSet>,
  p: Readonly<DecisionTreeClassifierParams | DecisionTreeRegressorParams>,
  weights: Float64Array,
  options: FitOptions,
) {
  const random = p.splitter === 'random';
  const treeData = prepareTreeData(data, checked, { bins: !random, maxBins: p.maxBins });
  const builder = new TreeBuilder(treeData, growParams(p, random, checked.nCols));
  const rng = options.rng ?? new Rng(p.seed);
  const tree = builder.grow(weights, rng);
  options.onProgress?.({ unit: 'tree', done: 1, total: 1 });
  return tree;
}
