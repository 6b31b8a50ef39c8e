// The forest family's public API: random forests and extra trees (classifier and regressor).
export { ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor } from './learner.js';
export {
  ForestClassifierModel,
  ForestRegressorModel,
  EXTRA_TREES_CLASSIFIER_KIND,
  EXTRA_TREES_REGRESSOR_KIND,
  RANDOM_FOREST_CLASSIFIER_KIND,
  RANDOM_FOREST_REGRESSOR_KIND,
} from './model.js';
export type { ForestClassifierParams, ForestRegressorParams, ForestClassWeight } from './params.js';
export {
  EXTRA_TREES_CLASSIFIER_PARAMS,
  EXTRA_TREES_REGRESSOR_PARAMS,
  RANDOM_FOREST_CLASSIFIER_PARAMS,
  RANDOM_FOREST_REGRESSOR_PARAMS,
} from './params.js';
