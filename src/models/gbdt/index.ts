// Gradient-boosted decision trees: the learners, the fitted model, and its explanation helpers.
export { GradientBoostingClassifier, GradientBoostingRegressor } from './learner.js';
export { GbdtModel, GbdtClassifierModel, GBDT_CLASSIFIER_KIND, GBDT_REGRESSOR_KIND } from './model.js';
export type { TreeEnsemble } from './ensemble.js';
export type { ImportanceType } from './importance.js';
export { GBDT_CLASSIFIER_PARAMS, GBDT_REGRESSOR_PARAMS } from './params.js';
export type { GbdtClassifierParams, GbdtRegressorParams, GbdtParams, GrowthPolicy, RegressionLoss, EarlyStoppingMetric } from './params.js';
