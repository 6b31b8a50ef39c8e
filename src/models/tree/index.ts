// The decision-tree family's public API: CART learners, the fitted tree models (shared with the forest family).
export { DecisionTreeClassifier, DecisionTreeRegressor } from './learner.js';
export { TreeClassifierModel, TreeRegressorModel, loadTreeModel, TREE_CLASSIFIER_KIND, TREE_REGRESSOR_KIND } from './model.js';
export type { DecisionTreeClassifierParams, DecisionTreeRegressorParams, MaxFeatures, ClassWeight } from './params.js';
export { TREE_CLASSIFIER_PARAMS, TREE_REGRESSOR_PARAMS } from './params.js';
