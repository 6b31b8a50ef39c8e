// The neighbours family's public API: k-nearest-neighbour classifier and regressor (brute force, blocked distances).
export { KNeighborsClassifier, KNeighborsRegressor } from './learner.js';
export { KNeighborsClassifierModel, KNeighborsRegressorModel, KNN_CLASSIFIER_KIND, KNN_REGRESSOR_KIND } from './model.js';
export { KNEIGHBORS_PARAMS, type KNeighborsParams } from './params.js';
