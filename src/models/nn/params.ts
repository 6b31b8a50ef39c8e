// Multi-layer perceptron hyper-parameters, declared once (doc + default + constraint), in scikit-learn's terms
// where one exists (hidden_layer_sizes, alpha, learning_rate_init, batch_size, max_iter, ...).

import { constraints as c, type ParamSpec, type ParamTable } from '../../core/params.js';

export type Activation = 'relu' | 'tanh' | 'logistic' | 'identity';

export interface MLPParams {
  /** units of each hidden layer, e.g. [100] or [64, 64] */
  hiddenLayerSizes: readonly number[];
  /** hidden-layer activation */
  activation: Activation;
  /** Adam step size (scikit-learn's learning_rate_init) */
  learningRate: number;
  /** L2 penalty on the weights (not the biases), as scikit-learn's alpha */
  alpha: number;
  /** rows per mini-batch (at most the training rows) */
  batchSize: number;
  /** passes over the training rows at most (scikit-learn's max_iter) */
  maxEpochs: number;
  /** hold out validationFraction of the rows (or use FitOptions.validation) and keep the weights of the best epoch */
  earlyStopping: boolean;
  /** share of the training rows held out for early stopping (stratified for classifiers) */
  validationFraction: number;
  /** stop after this many epochs without an improvement larger than tol */
  nIterNoChange: number;
  /** smallest improvement of the monitored loss that counts */
  tol: number;
  /** Adam's decay rates and stabiliser */
  beta1: number;
  beta2: number;
  epsilon: number;
  /** reshuffle the rows every epoch */
  shuffle: boolean;
  /**
   * standardise input columns with the training mean and deviation: "auto" does it for every column that is not
   * 0/1 (indicator columns stay sparse), true for all, false for none. Missing values become the column mean.
   */
  standardize: 'auto' | boolean;
  /** seed for the initial weights, the shuffles and the validation split when fit gets no rng */
  seed: number;
  /** threads sharing each mini-batch (at most 4); 0 = one per core when the data is large. The model is the same */
  nThreads: number;
}

export interface MLPRegressorParams extends MLPParams {
  /** fit a standardised target and map predictions back (robust to targets in the hundreds of thousands) */
  scaleTarget: boolean;
}

const layersCheck = (v: unknown): string | null =>
  Array.isArray(v) && v.length >= 1 && v.length <= 10 && v.every((u) => Number.isInteger(u) && u >= 1 && u <= 4096)
    ? null
    : 'must be 1 to 10 layer sizes, each an integer between 1 and 4096';

export const MLP_PARAMS: ParamTable<MLPParams> = {
  hiddenLayerSizes: { default: [100], doc: 'units of each hidden layer', check: layersCheck as ParamSpec<readonly number[]>['check'] },
  activation: { default: 'relu', doc: 'hidden activation: relu, tanh, logistic or identity', check: c.oneOf('relu', 'tanh', 'logistic', 'identity') },
  learningRate: { default: 1e-3, doc: 'Adam step size', check: c.gt(0) },
  alpha: { default: 1e-4, doc: 'L2 penalty on the weights', check: c.ge(0) },
  batchSize: { default: 200, doc: 'rows per mini-batch', check: c.int(1) },
  maxEpochs: { default: 200, doc: 'passes over the data at most', check: c.int(1, 100000) },
  earlyStopping: { default: true, doc: 'keep the weights of the best validation epoch', check: c.boolean },
  validationFraction: { default: 0.1, doc: 'share of rows held out for early stopping', check: (v) => (typeof v === 'number' && v > 0 && v < 1 ? null : 'must be in (0, 1)') },
  nIterNoChange: { default: 10, doc: 'epochs without improvement before stopping', check: c.int(1) },
  tol: { default: 1e-4, doc: 'smallest improvement of the monitored loss that counts', check: c.ge(0) },
  beta1: { default: 0.9, doc: 'Adam first-moment decay', check: (v) => (typeof v === 'number' && v >= 0 && v < 1 ? null : 'must be in [0, 1)') },
  beta2: { default: 0.999, doc: 'Adam second-moment decay', check: (v) => (typeof v === 'number' && v >= 0 && v < 1 ? null : 'must be in [0, 1)') },
  epsilon: { default: 1e-8, doc: 'Adam stabiliser', check: c.gt(0) },
  shuffle: { default: true, doc: 'reshuffle rows every epoch', check: c.boolean },
  standardize: {
    default: 'auto',
    doc: 'standardise inputs: "auto" (all but 0/1 columns), true or false',
    check: (v) => (v === 'auto' || v === true || v === false ? null : 'must be "auto", true or false'),
  },
  seed: { default: 42, doc: 'seed for weights, shuffles and the validation split when fit gets no rng', check: c.int(0) },
  nThreads: { default: 0, doc: 'threads sharing each mini-batch (at most 4); 0 = one per core on large data; same model for any value', check: c.int(0, 256) },
};

export const MLP_REGRESSOR_PARAMS: ParamTable<MLPRegressorParams> = {
  ...MLP_PARAMS,
  scaleTarget: { default: true, doc: 'fit a standardised target and map predictions back', check: c.boolean },
};
