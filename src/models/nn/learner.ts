// MLPClassifier and MLPRegressor: prepare the rows (standardise, fill missing values, split off a validation set for
// early stopping), train the network (train.ts) and wrap it in an immutable model. The constructor only stores the
// params; fit validates them. Inputs are expected from the dense chain (one-hot categories); a categorical feature
// left as codes would be treated as a number.

import type { Json } from '../../core/artifact.js';
import { throwIfAborted, type FitOptions, type Learner, type TrainSet } from '../../core/learner.js';
import { mergeParams, validateParams } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { checkTrainSet } from '../tree/checks.js';
import { MLP_CLASSIFIER_KIND, MLP_REGRESSOR_KIND, MLPClassifierModel, MLPRegressorModel, standardizeRows, type MLPParts } from './model.js';
import { OUT_IDENTITY, OUT_SIGMOID, OUT_SOFTMAX, type NetworkShape } from './network.js';
import { MLP_PARAMS, MLP_REGRESSOR_PARAMS, type MLPParams, type MLPRegressorParams } from './params.js';
import type { TrainRows } from './gradient.js';
import { defaultThreads } from '../../core/pool.js';
import { PARALLEL_MIN_WORK, trainNetwork } from './train.js';
import { layout } from './network.js';

/** Per-column mean and scale from the training rows (NaN ignored); "auto" leaves 0/1 columns as they are. */
function inputScaling(data: TrainSet, mode: MLPParams['standardize']): { mean: Float64Array; scale: Float64Array } {
  const { nRows: n, nCols: p, data: x } = data.x;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  if (mode === false) return { mean, scale };
  for (let j = 0; j < p; j++) {
    let s = 0;
    let cnt = 0;
    let binary = true;
    for (let i = 0; i < n; i++) {
      const v = x[j * n + i];
      if (v !== v) continue;
      s += v;
      cnt++;
      if (v !== 0 && v !== 1) binary = false;
    }
    if (cnt === 0 || (mode === 'auto' && binary)) continue;
    const m = s / cnt;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = x[j * n + i];
      if (v === v) ss += (v - m) ** 2;
    }
    const sd = Math.sqrt(ss / cnt);
    mean[j] = m;
    scale[j] = sd > 0 ? sd : 1;
  }
  return { mean, scale };
}

/** The chosen rows of a training set, row-major and standardised. */
function rowsOf(data: TrainSet, pick: ArrayLike<number> | null, mean: Float64Array, scale: Float64Array, yClass: Int32Array | null, yValue: Float64Array | null): TrainRows {
  const { nRows, nCols: p, data: x } = data.x;
  const n = pick ? pick.length : nRows;
  const out = new Float64Array(n * p); // (n, p)
  for (let r = 0; r < n; r++) {
    const i = pick ? pick[r] : r;
    for (let j = 0; j < p; j++) out[r * p + j] = x[j * nRows + i];
  }
  standardizeRows(out, n, p, mean, scale);
  return {
    n,
    x: out,
    yClass: yClass ? (pick ? Int32Array.from(pick, (i) => yClass[i]) : yClass) : null,
    yValue: yValue ? (pick ? Float64Array.from(pick, (i) => yValue[i]) : yValue) : null,
    weight: data.sampleWeight ? (pick ? Float64Array.from(pick, (i) => (data.sampleWeight as Float64Array)[i]) : data.sampleWeight) : null,
  };
}

/** Rows held out for early stopping: a share of each class (classifiers) or of all rows, at least one, chosen by rng. */
function validationSplit(n: number, fraction: number, yClass: Int32Array | null, rng: Rng): { train: number[]; valid: number[] } {
  const groups: number[][] = [];
  if (yClass) {
    for (let i = 0; i < n; i++) (groups[yClass[i]] ??= []).push(i);
  } else groups.push(Array.from({ length: n }, (_, i) => i));
  const valid: number[] = [];
  for (const g of groups) {
    if (!g) continue;
    rng.shuffle(g);
    const take = Math.min(g.length - 1, Math.round(g.length * fraction));
    for (let r = 0; r < take; r++) valid.push(g[r]);
  }
  const held = new Uint8Array(n);
  for (const i of valid) held[i] = 1;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (!held[i]) train.push(i);
  valid.sort((a, b) => a - b);
  return { train, valid };
}

interface Prepared {
  parts: Omit<MLPParts, 'params' | 'info'>;
  train: TrainRows;
  validation: TrainRows | null;
}

function prepare(data: TrainSet, p: Readonly<MLPParams>, options: FitOptions, rng: Rng, yClass: Int32Array | null, nClasses: number, scaleTarget: boolean): Prepared {
  const { mean, scale } = inputScaling(data, p.standardize);
  let targetMean = 0;
  let targetScale = 1;
  let yValue: Float64Array | null = null;
  if (!yClass) {
    yValue = data.y;
    if (scaleTarget) {
      const n = data.y.length;
      targetMean = data.y.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(data.y.reduce((a, b) => a + (b - targetMean) ** 2, 0) / n);
      targetScale = sd > 0 ? sd : 1;
      yValue = data.y.map((v) => (v - targetMean) / targetScale);
    }
  }
  let train: TrainRows;
  let validation: TrainRows | null = null;
  if (p.earlyStopping && options.validation) {
    train = rowsOf(data, null, mean, scale, yClass, yValue);
    const v = options.validation;
    const vClass = yClass ? Int32Array.from(v.y) : null;
    const vValue = yClass ? null : scaleTarget ? v.y.map((t) => (t - targetMean) / targetScale) : v.y;
    validation = rowsOf(v, null, mean, scale, vClass, vValue);
  } else if (p.earlyStopping && data.x.nRows >= 4) {
    const split = validationSplit(data.x.nRows, p.validationFraction, yClass, rng);
    train = rowsOf(data, split.train, mean, scale, yClass, yValue);
    validation = split.valid.length ? rowsOf(data, split.valid, mean, scale, yClass, yValue) : null;
  } else {
    train = rowsOf(data, null, mean, scale, yClass, yValue);
  }
  const nOut = yClass ? (nClasses === 2 ? 1 : nClasses) : 1;
  const shape: NetworkShape = {
    sizes: [data.x.nCols, ...p.hiddenLayerSizes, nOut],
    activation: p.activation,
    output: yClass ? (nClasses === 2 ? OUT_SIGMOID : OUT_SOFTMAX) : OUT_IDENTITY,
  };
  return { parts: { features: data.features, shape, inputMean: mean, inputScale: scale, targetMean, targetScale }, train, validation };
}

async function fitNetwork(prep: Prepared, p: Readonly<MLPParams>, options: FitOptions, rng: Rng): Promise<MLPParts> {
  // explicit nThreads > 1 always uses workers; auto (0) only when an epoch is big enough to pay for them
  const threads = p.nThreads === 0 ? defaultThreads() : p.nThreads;
  const work = prep.train.n * layout(prep.parts.shape.sizes).total;
  const useThreads = p.nThreads > 1 || (threads > 1 && work >= PARALLEL_MIN_WORK) ? threads : 1;
  const result = await trainNetwork(prep.parts.shape, p, prep.train, prep.validation, rng, options, useThreads);
  const last = (a: number[]): number | null => (a.length ? a[a.length - 1] : null);
  // nThreads is left out: it does not change the model, so 1 and N threads give the same bytes
  const { nThreads: _threads, ...modelParams } = p;
  const info: { [key: string]: Json } = {
    params: modelParams as unknown as Json,
    epochs: result.epochs,
    loss: last(result.lossCurve),
    bestValidationLoss: result.validationCurve.length ? Math.min(...result.validationCurve) : null,
  };
  return { ...prep.parts, params: result.params, info };
}

export class MLPClassifier implements Learner<MLPClassifierModel> {
  readonly kind = MLP_CLASSIFIER_KIND;
  readonly params: Readonly<MLPParams>;

  constructor(params: Partial<MLPParams> = {}) {
    this.params = mergeParams(MLP_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<MLPClassifierModel> {
    validateParams(MLP_PARAMS, this.params, 'MLPClassifier');
    throwIfAborted(options.signal);
    const checked = checkTrainSet(data, 'classification', 'MLPClassifier');
    if (options.validation) checkTrainSet({ ...options.validation, nClasses: checked.nClasses }, 'classification', 'MLPClassifier (validation)');
    const rng = options.rng ?? new Rng(this.params.seed);
    const prep = prepare(data, this.params, options, rng, checked.yClass, checked.nClasses, false);
    return new MLPClassifierModel(await fitNetwork(prep, this.params, options, rng), checked.nClasses);
  }
}

export class MLPRegressor implements Learner<MLPRegressorModel> {
  readonly kind = MLP_REGRESSOR_KIND;
  readonly params: Readonly<MLPRegressorParams>;

  constructor(params: Partial<MLPRegressorParams> = {}) {
    this.params = mergeParams(MLP_REGRESSOR_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<MLPRegressorModel> {
    validateParams(MLP_REGRESSOR_PARAMS, this.params, 'MLPRegressor');
    throwIfAborted(options.signal);
    checkTrainSet(data, 'regression', 'MLPRegressor');
    if (options.validation) checkTrainSet(options.validation, 'regression', 'MLPRegressor (validation)');
    const rng = options.rng ?? new Rng(this.params.seed);
    const prep = prepare(data, this.params, options, rng, null, 0, this.params.scaleTarget);
    return new MLPRegressorModel(await fitNetwork(prep, this.params, options, rng));
  }
}
