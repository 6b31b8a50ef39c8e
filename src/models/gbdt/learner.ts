// GradientBoostingClassifier (binary log-loss, multiclass softmax) and GradientBoostingRegressor (squared, absolute,
// Huber, quantile, Poisson). The constructor only stores the params; fit validates them and the data, resolves
// weights and constraints, and hands over to the boosting loop.

import type { Json } from '../../core/artifact.js';
import { ParamError, ValidationError, type Issue } from '../../core/errors.js';
import { takeRows, throwIfAborted, type FeatureInfo, type FitOptions, type Learner, type TrainSet } from '../../core/learner.js';
import { mergeParams, validateParams, type ParamTable } from '../../core/params.js';
import { Rng } from '../../core/rng.js';
import { checkTrainSet } from '../tree/checks.js';
import { boost, type BoostData } from './booster.js';
import type { LossConfig } from './loss.js';
import { GBDT_CLASSIFIER_KIND, GBDT_REGRESSOR_KIND, GbdtClassifierModel, GbdtModel } from './model.js';
import {
  GBDT_CLASSIFIER_PARAMS,
  GBDT_REGRESSOR_PARAMS,
  type GbdtClassifierParams,
  type GbdtParams,
  type GbdtRegressorParams,
} from './params.js';

export class GradientBoostingClassifier implements Learner<GbdtClassifierModel> {
  readonly kind = GBDT_CLASSIFIER_KIND;
  readonly params: Readonly<GbdtClassifierParams>;

  constructor(params: Partial<GbdtClassifierParams> = {}) {
    this.params = mergeParams(GBDT_CLASSIFIER_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<GbdtClassifierModel> {
    const owner = 'GradientBoostingClassifier';
    const p = this.params;
    validateParams(GBDT_CLASSIFIER_PARAMS, p, owner);
    throwIfAborted(options.signal);
    const checked = checkTrainSet(data, 'classification', owner);
    const nClasses = checked.nClasses;
    if (nClasses > 2 && p.scalePosWeight !== 1) paramError('scalePosWeight', p.scalePosWeight, 'applies to binary classification only', owner);
    if (nClasses > 2 && p.earlyStoppingMetric === 'auc') paramError('earlyStoppingMetric', 'auc', 'auc needs a binary target; use "loss" or "error"', owner);
    const weight = classRowWeights(data, nClasses, p, owner);
    const loss: LossConfig = { kind: nClasses === 2 ? 'logistic' : 'softmax', nClasses, huberDelta: 1, quantile: 0.5 };
    const model = await fitBoosted(data, weight, p, GBDT_CLASSIFIER_PARAMS, loss, options, owner);
    return new GbdtClassifierModel({ ...model, kind: GBDT_CLASSIFIER_KIND, link: nClasses === 2 ? 'logistic' : 'softmax', nClasses });
  }
}

export class GradientBoostingRegressor implements Learner<GbdtModel> {
  readonly kind = GBDT_REGRESSOR_KIND;
  readonly params: Readonly<GbdtRegressorParams>;

  constructor(params: Partial<GbdtRegressorParams> = {}) {
    this.params = mergeParams(GBDT_REGRESSOR_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<GbdtModel> {
    const owner = 'GradientBoostingRegressor';
    const p = this.params;
    validateParams(GBDT_REGRESSOR_PARAMS, p, owner);
    throwIfAborted(options.signal);
    checkTrainSet(data, 'regression', owner);
    if (p.loss === 'poisson') {
      let sum = 0;
      for (let i = 0; i < data.y.length; i++) {
        if (data.y[i] < 0)
          throw new ValidationError(`${owner}: the Poisson loss needs targets >= 0`, [{ path: ['y'], expected: 'values >= 0', received: `${data.y[i]} at row ${i}` }]);
        sum += data.y[i];
      }
      if (sum <= 0) throw new ValidationError(`${owner}: the Poisson loss needs a positive mean target`, [{ path: ['y'], expected: 'a positive mean', received: '0' }]);
    }
    const loss: LossConfig = { kind: p.loss, nClasses: 0, huberDelta: p.huberDelta, quantile: p.quantile };
    const model = await fitBoosted(data, data.sampleWeight ?? null, p, GBDT_REGRESSOR_PARAMS, loss, options, owner);
    return new GbdtModel({ ...model, kind: GBDT_REGRESSOR_KIND, link: p.loss === 'poisson' ? 'exp' : 'identity' });
  }
}

function paramError(param: string, value: unknown, expected: string, owner: string): never {
  const issue: Issue = { path: [param], expected, received: JSON.stringify(value), message: `${param} = ${JSON.stringify(value)}: ${expected}` };
  throw new ParamError([issue], owner);
}

/** Sample weights × class weights × the positive-class weight; null when every row weighs 1. */
function classRowWeights(data: TrainSet, nClasses: number, p: Readonly<GbdtClassifierParams>, owner: string): Float64Array | null {
  const n = data.y.length;
  const perClass = new Float64Array(nClasses).fill(1);
  if (p.classWeight === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) counts[data.y[i]]++;
    for (let c = 0; c < nClasses; c++) perClass[c] = counts[c] > 0 ? n / (nClasses * counts[c]) : 1;
  } else if (p.classWeight) {
    for (const [key, w] of Object.entries(p.classWeight)) {
      const c = Number(key);
      if (c >= nClasses) paramError('classWeight', p.classWeight, `class ${c} does not exist (classes are 0..${nClasses - 1})`, owner);
      perClass[c] = w;
    }
  }
  if (nClasses === 2) perClass[1] *= p.scalePosWeight;
  const plain = perClass.every((w) => w === 1);
  if (plain && !data.sampleWeight) return null;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = perClass[data.y[i]] * (data.sampleWeight ? data.sampleWeight[i] : 1);
  return out;
}

/** Resolve monotone constraints (array or by name) to one direction per feature. */
function monotoneDirections(p: Readonly<GbdtParams>, features: readonly FeatureInfo[], owner: string): Int8Array {
  const out = new Int8Array(features.length);
  const given = p.monotoneConstraints;
  if (given === null) return out;
  if (Array.isArray(given)) {
    if (given.length !== features.length)
      paramError('monotoneConstraints', given, `needs one entry per feature (${features.length}), got ${given.length}`, owner);
    given.forEach((d, j) => (out[j] = d));
  } else {
    const byName = new Map(features.map((f, j) => [f.name, j]));
    for (const [name, d] of Object.entries(given as Record<string, number>)) {
      const j = byName.get(name);
      if (j === undefined) paramError('monotoneConstraints', given, `has no feature named "${name}"`, owner);
      out[j] = d;
    }
  }
  features.forEach((f, j) => {
    if (out[j] !== 0 && f.kind === 'categorical') paramError('monotoneConstraints', given, `feature "${f.name}" is categorical and cannot be monotone`, owner);
  });
  return out;
}

/** Categorical features carry their category count (taken from the data when the feature info lacks it). */
function resolveFeatures(data: TrainSet): FeatureInfo[] {
  const { nRows } = data.x;
  return data.features.map((f, j) => {
    if (f.kind !== 'categorical' || (f.nCategories !== undefined && f.nCategories >= 0)) return { ...f };
    let max = -1;
    for (let i = 0; i < nRows; i++) {
      const v = data.x.data[j * nRows + i];
      if (v > max && Number.isInteger(v)) max = v;
    }
    return { ...f, nCategories: max + 1 };
  });
}

async function fitBoosted<P extends GbdtParams>(
  data: TrainSet,
  weight: Float64Array | null,
  p: Readonly<P>,
  table: ParamTable<P>,
  loss: LossConfig,
  options: FitOptions,
  owner: string,
): Promise<{ features: FeatureInfo[]; ensemble: GbdtModel['ensemble']; info: { [key: string]: Json } }> {
  const features = resolveFeatures(data);
  const monotone = monotoneDirections(p, features, owner);
  const rng = options.rng ?? new Rng(p.seed);
  let train: BoostData = { x: data.x, y: data.y, weight };
  let valid: BoostData | null = null;
  if (options.validation) {
    const v = options.validation;
    if (v.x.nCols !== data.x.nCols)
      throw new ValidationError(`${owner}: the validation set has ${v.x.nCols} columns, the training set ${data.x.nCols}`, [
        { path: ['validation', 'x'], expected: `${data.x.nCols} columns`, received: `${v.x.nCols}` },
      ]);
    valid = { x: v.x, y: v.y, weight: v.sampleWeight ?? null };
  } else if (p.earlyStoppingRounds !== null) {
    // hold out a random fraction of the training rows
    const n = data.x.nRows;
    const perm = rng.permutation(n);
    const nValid = Math.max(1, Math.round(n * p.validationFraction));
    const validRows = perm.subarray(0, nValid).sort();
    const trainRows = perm.subarray(nValid).sort();
    const pick = (rows: Uint32Array): BoostData => ({
      x: takeRows(data.x, rows),
      y: Float64Array.from(rows, (r) => data.y[r]),
      weight: weight ? Float64Array.from(rows, (r) => weight[r]) : null,
    });
    train = pick(trainRows);
    valid = pick(validRows);
  }
  const result = await boost(train, valid, features, p, loss, monotone, { ...options, rng });
  // the thread count never changes the model, so it is not part of what the model records
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(table)) if (key !== 'threads') kept[key] = (p as Record<string, unknown>)[key];
  return {
    features,
    ensemble: result.ensemble,
    info: {
      params: kept as Json,
      roundsRun: result.roundsRun,
      roundsKept: result.roundsKept,
      earlyStoppingMetric: result.metric,
      bestValidationScore: result.bestScore,
    },
  };
}
