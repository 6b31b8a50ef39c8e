// The linear family: regularised logistic regression (binary and multinomial) and ridge regression.
// Importing it registers the model kinds 'linear.logistic' and 'linear.ridge' for loading artifacts.
export { LogisticRegression, LogisticRegressionModel, LOGISTIC_KIND } from './logistic.js';
export { Ridge, RidgeModel, RIDGE_KIND } from './ridge.js';
export { LinearModel } from './linear-model.js';
export { LOGISTIC_PARAMS, RIDGE_PARAMS, type LogisticParams, type RidgeParams, type Penalty } from './params.js';
