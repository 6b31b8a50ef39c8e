// LogisticRegression: binary (one coefficient vector) and multinomial (softmax, one row per class), with an L2,
// L1, elastic-net or no penalty in scikit-learn's parametrisation (C × Σ loss + penalty). Smooth penalties are
// minimised with L-BFGS, those with an L1 part with OWL-QN; both on standardised columns by default.

import type { Artifact } from '../../core/artifact.js';
import { KilnError, ModelFormatError, ValidationError } from '../../core/errors.js';
import { throwIfAborted, type FitOptions, type Learner, type Matrix, type TrainSet } from '../../core/learner.js';
import { registerModelKind } from '../../core/model-kinds.js';
import { mergeParams, validateParams } from '../../core/params.js';
import { prepareDesign, rowWeights, unstandardize } from './design.js';
import { minimize } from './lbfgs.js';
import { LinearModel, columnStats, readLinearState, type LinearState } from './linear-model.js';
import { binaryObjective, multinomialObjective, sigmoid } from './logistic-loss.js';
import { LOGISTIC_PARAMS, type LogisticParams } from './params.js';
import { argmaxAt } from '../../core/argmax.js';

export const LOGISTIC_KIND = 'linear.logistic';

export class LogisticRegression implements Learner<LogisticRegressionModel> {
  readonly kind = LOGISTIC_KIND;
  readonly params: Readonly<LogisticParams>;

  constructor(params: Partial<LogisticParams> = {}) {
    this.params = mergeParams(LOGISTIC_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<LogisticRegressionModel> {
    const params = this.params;
    validateParams(LOGISTIC_PARAMS, params, 'LogisticRegression');
    throwIfAborted(options.signal);
    const owner = 'LogisticRegression';
    const n = data.x.nRows;
    if (data.y.length !== n) throw new KilnError('E_DATA_SCHEMA', `${owner}: ${data.y.length} labels for ${n} rows`);
    // the class count comes with the data; without it, the largest label decides (at least 2)
    let k = data.nClasses ?? 2;
    if (data.nClasses === undefined) for (let i = 0; i < n; i++) if (Number.isInteger(data.y[i]) && data.y[i] + 1 > k) k = data.y[i] + 1;
    if (!(Number.isInteger(k) && k >= 2)) throw new KilnError('E_DATA_SCHEMA', `${owner}: needs 2 or more classes, got ${k}`);
    for (let i = 0; i < n; i++) {
      const c = data.y[i];
      if (!(Number.isInteger(c) && c >= 0 && c < k))
        throw new ValidationError(`${owner}: label ${c} at row ${i} is not a class index in 0..${k - 1}`, [{ path: [i, 'y'], expected: `a class index 0..${k - 1}`, received: String(c) }], {
          hint: 'drop rows whose label is missing before fitting',
        });
    }
    const weights = rowWeights(owner, n, data.sampleWeight);
    applyClassWeights(owner, params.classWeight, data.y, k, weights);
    let total = 0;
    const classTotal = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      total += weights[i];
      classTotal[data.y[i]] += weights[i];
    }
    for (let c = 0; c < k; c++)
      if (!(classTotal[c] > 0))
        throw new KilnError('E_DATA_SCHEMA', `${owner}: class index ${c} has no rows (or zero total weight) in the training data`, {
          hint: 'every class must occur in the rows a classifier is fitted on; use stratified splits',
        });
    for (let i = 0; i < n; i++) weights[i] /= total;

    const design = prepareDesign(owner, data, params.fitIntercept, params.standardize);
    const p = design.nCols;
    const nOut = k === 2 ? 1 : k;
    // C × Σ_i s_i loss_i + penalty, divided by W = Σ s_i: the same minimiser on the mean-loss scale
    const strength = 1 / (params.C * total);
    const l1Share = params.penalty === 'l1' ? 1 : params.penalty === 'elasticnet' ? params.l1Ratio : 0;
    const penalised = params.penalty !== 'none';
    const l2 = penalised ? strength * (1 - l1Share) : 0;
    const inputs = { nRows: n, nCols: p, x: design.x, y: data.y, weights, l2, fitIntercept: params.fitIntercept };
    const objective = nOut === 1 ? binaryObjective(inputs) : multinomialObjective(inputs, k);

    const nCoef = nOut * p;
    const theta = new Float64Array(nCoef + (params.fitIntercept ? nOut : 0));
    if (params.fitIntercept) {
      // start the intercepts at the log-odds of the class shares: the optimum when no column helps
      if (nOut === 1) theta[p] = Math.log(classTotal[1] / classTotal[0]);
      else for (let c = 0; c < k; c++) theta[nCoef + c] = Math.log(classTotal[c] / total);
    }
    let l1: Float64Array | undefined;
    if (penalised && l1Share > 0) {
      l1 = new Float64Array(theta.length);
      l1.fill(strength * l1Share, 0, nCoef); // intercepts stay unpenalised
    }
    const result = minimize(objective, theta, { maxIter: params.maxIter, tol: params.tol, l1, signal: options.signal });
    options.onProgress?.({ unit: 'iteration', done: result.iterations, total: params.maxIter, metric: { name: 'objective', value: result.f } });

    const coef = result.x.slice(0, nCoef);
    const intercept = params.fitIntercept ? result.x.slice(nCoef) : new Float64Array(nOut);
    unstandardize(coef, intercept, design);
    const stats = columnStats(data.x);
    return new LogisticRegressionModel(
      {
        features: data.features,
        coef,
        intercept,
        featureMean: stats.mean,
        featureScale: stats.std,
        info: { params: { ...params } as never, iterations: result.iterations, converged: result.converged, stop: result.reason, objective: result.f },
      },
      k,
    );
  }
}

/** multiply row weights in place by the class weights */
function applyClassWeights(owner: string, spec: LogisticParams['classWeight'], y: Float64Array, k: number, weights: Float64Array): void {
  if (spec === null) return;
  const perClass = new Float64Array(k).fill(1);
  if (spec === 'balanced') {
    // scikit-learn's "balanced": n / (k × n_c), from row counts
    const counts = new Float64Array(k);
    for (let i = 0; i < y.length; i++) counts[y[i]]++;
    for (let c = 0; c < k; c++) perClass[c] = counts[c] > 0 ? y.length / (k * counts[c]) : 1;
  } else {
    for (const [key, w] of Object.entries(spec)) {
      const c = Number(key);
      if (c >= k) throw new KilnError('E_PARAM', `${owner}: classWeight names class index ${c}, but there are ${k} classes`);
      perClass[c] = w;
    }
  }
  for (let i = 0; i < y.length; i++) weights[i] *= perClass[y[i]];
}

export class LogisticRegressionModel extends LinearModel {
  readonly kind = LOGISTIC_KIND;
  readonly nClasses: number;

  constructor(state: LinearState, nClasses: number) {
    super(state);
    const expected = nClasses === 2 ? 1 : nClasses;
    if (this.nOutputs !== expected) throw new ModelFormatError(`${LOGISTIC_KIND}: ${this.nOutputs} coefficient rows for ${nClasses} classes`);
    this.nClasses = nClasses;
  }

  /** class probabilities, (nRows, nClasses) row-major */
  predictProba(x: Matrix): Float64Array {
    const z = this.decisionFunction(x);
    const n = x.nRows;
    const k = this.nClasses;
    const out = new Float64Array(n * k);
    if (k === 2) {
      for (let i = 0; i < n; i++) {
        const p = sigmoid(z[i]);
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += out[i * k + c] = Math.exp(z[i * k + c] - max);
      for (let c = 0; c < k; c++) out[i * k + c] /= sum;
    }
    return out;
  }

  /** the most probable class index per row (the lower index on an exact tie) */
  predict(x: Matrix): Float64Array {
    const z = this.decisionFunction(x);
    const n = x.nRows;
    const out = new Float64Array(n);
    if (this.nClasses === 2) {
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? 1 : 0;
      return out;
    }
    const k = this.nClasses;
    for (let i = 0; i < n; i++) out[i] = argmaxAt(z, i, k);
    return out;
  }

  override toArtifact(): Artifact {
    const a = super.toArtifact();
    return { ...a, meta: { ...a.meta, nClasses: this.nClasses } };
  }

  static fromArtifact(artifact: Artifact): LogisticRegressionModel {
    if (artifact.kind !== LOGISTIC_KIND) throw new ModelFormatError(`expected a ${LOGISTIC_KIND} artifact, got "${artifact.kind}"`);
    const k = artifact.meta.nClasses;
    if (!Number.isInteger(k) || (k as number) < 2) throw new ModelFormatError(`${LOGISTIC_KIND}: malformed class count`);
    return new LogisticRegressionModel(readLinearState(artifact), k as number);
  }
}

registerModelKind(LOGISTIC_KIND, LogisticRegressionModel.fromArtifact);
