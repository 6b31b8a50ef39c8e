// The neural-network family's public API: multi-layer perceptron classifier and regressor (Adam, L2, early stopping).
export { MLPClassifier, MLPRegressor } from './learner.js';
export { MLPClassifierModel, MLPRegressorModel, MLP_CLASSIFIER_KIND, MLP_REGRESSOR_KIND } from './model.js';
export { MLP_PARAMS, MLP_REGRESSOR_PARAMS, type Activation, type MLPParams, type MLPRegressorParams } from './params.js';
