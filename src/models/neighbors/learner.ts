// KNeighborsClassifier and KNeighborsRegressor. Fitting stores the training rows, prepared once: missing values
// filled with the training column means (the features chain normally imputes before this; this keeps NaN from
// poisoning every distance), rows with sample weight 0 left out, unit length for the cosine metric.
// Inputs are expected from the dense chain (scaled numbers, one-hot categories): a categorical feature left as codes
// would be measured as a number.

import { throwIfAborted, type FitOptions, type Learner, type TrainSet } from '../../core/learner.js';
import { mergeParams, validateParams } from '../../core/params.js';
import { checkTrainSet } from '../tree/checks.js';
import { normalizeRows } from './distance.js';
import { KNeighborsClassifierModel, KNeighborsRegressorModel, KNN_CLASSIFIER_KIND, KNN_REGRESSOR_KIND, type KNeighborsParts } from './model.js';
import { KNEIGHBORS_PARAMS, type KNeighborsParams } from './params.js';

function prepare(data: TrainSet, p: Readonly<KNeighborsParams>, yClass: Int32Array | null): Omit<KNeighborsParts, 'features' | 'params' | 'nClasses'> {
  const { nRows, nCols, data: x } = data.x;
  const w = data.sampleWeight;
  const fill = new Float64Array(nCols); // (nCols) column means over non-missing values (0 for an all-missing column)
  for (let j = 0; j < nCols; j++) {
    let s = 0;
    let n = 0;
    for (let i = 0; i < nRows; i++) {
      const v = x[j * nRows + i];
      if (v === v) {
        s += v;
        n++;
      }
    }
    fill[j] = n ? s / n : 0;
  }
  const kept: number[] = [];
  for (let i = 0; i < nRows; i++) if (!w || w[i] > 0) kept.push(i);
  const m = kept.length;
  const train = new Float64Array(m * nCols); // (m, nCols) row-major
  for (let r = 0; r < m; r++) {
    const i = kept[r];
    for (let j = 0; j < nCols; j++) {
      const v = x[j * nRows + i];
      train[r * nCols + j] = v === v ? v : fill[j];
    }
  }
  if (p.metric === 'cosine') normalizeRows(train, m, nCols);
  return {
    train,
    fill,
    labels: yClass ? Int32Array.from(kept, (i) => yClass[i]) : null,
    targets: yClass ? null : Float64Array.from(kept, (i) => data.y[i]),
    rowWeight: Float64Array.from(kept, (i) => (w ? w[i] : 1)),
  };
}

export class KNeighborsClassifier implements Learner<KNeighborsClassifierModel> {
  readonly kind = KNN_CLASSIFIER_KIND;
  readonly params: Readonly<KNeighborsParams>;

  constructor(params: Partial<KNeighborsParams> = {}) {
    this.params = mergeParams(KNEIGHBORS_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<KNeighborsClassifierModel> {
    validateParams(KNEIGHBORS_PARAMS, this.params, 'KNeighborsClassifier');
    throwIfAborted(options.signal);
    const checked = checkTrainSet(data, 'classification', 'KNeighborsClassifier');
    const parts = prepare(data, this.params, checked.yClass);
    return new KNeighborsClassifierModel({ ...parts, features: data.features, params: this.params, nClasses: checked.nClasses });
  }
}

export class KNeighborsRegressor implements Learner<KNeighborsRegressorModel> {
  readonly kind = KNN_REGRESSOR_KIND;
  readonly params: Readonly<KNeighborsParams>;

  constructor(params: Partial<KNeighborsParams> = {}) {
    this.params = mergeParams(KNEIGHBORS_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<KNeighborsRegressorModel> {
    validateParams(KNEIGHBORS_PARAMS, this.params, 'KNeighborsRegressor');
    throwIfAborted(options.signal);
    checkTrainSet(data, 'regression', 'KNeighborsRegressor');
    return new KNeighborsRegressorModel({ ...prepare(data, this.params, null), features: data.features, params: this.params });
  }
}

