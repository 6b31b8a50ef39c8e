// GaussianNB, MultinomialNB and BernoulliNB learners: one pass over the training matrix collects weighted
// per-(class, feature) sums, from which the model's parameters follow in closed form (as scikit-learn computes them).
// Missing values (NaN) are skipped: a Gaussian or Bernoulli feature is estimated from the rows where it is known,
// a multinomial count that is missing counts as 0. Inputs are expected from the dense chain (or word counts): a
// categorical feature left as codes would be treated as a number.

import { ValidationError } from '../../core/errors.js';
import { throwIfAborted, type FitOptions, type Learner, type TrainSet } from '../../core/learner.js';
import { mergeParams, validateParams } from '../../core/params.js';
import { checkTrainSet } from '../tree/checks.js';
import { BERNOULLI_NB_KIND, GAUSSIAN_NB_KIND, MULTINOMIAL_NB_KIND, NaiveBayesModel } from './model.js';
import {
  BERNOULLI_NB_PARAMS,
  GAUSSIAN_NB_PARAMS,
  MULTINOMIAL_NB_PARAMS,
  type BernoulliNBParams,
  type GaussianNBParams,
  type MultinomialNBParams,
} from './params.js';

/** scikit-learn clips alpha to this (force_alpha = False) so no log(0) appears */
const MIN_ALPHA = 1e-10;

interface Prepared {
  n: number;
  p: number;
  k: number;
  y: Int32Array;
  w: Float64Array;
  classWeight: Float64Array; // (k) Σw per class
}

function prepare(data: TrainSet, owner: string): Prepared {
  const checked = checkTrainSet(data, 'classification', owner);
  const n = checked.nRows;
  const k = checked.nClasses;
  const y = checked.yClass as Int32Array;
  const w = data.sampleWeight ?? new Float64Array(n).fill(1);
  const classWeight = new Float64Array(k);
  for (let i = 0; i < n; i++) classWeight[y[i]] += w[i];
  return { n, p: checked.nCols, k, y, w, classWeight };
}

function priorsFor(owner: string, given: readonly number[] | null, k: number): void {
  if (given && given.length !== k) {
    throw new ValidationError(`${owner}: ${given.length} priors given for ${k} classes`, [
      { path: ['priors'], expected: `${k} priors`, received: `${given.length}` },
    ]);
  }
}

/** log class priors: given ones, the weighted class frequencies, or uniform */
function logPriors(prep: Prepared, given: readonly number[] | null, fit: boolean): Float64Array {
  const total = prep.classWeight.reduce((a, b) => a + b, 0);
  return Float64Array.from({ length: prep.k }, (_, c) =>
    given ? Math.log(given[c]) : fit ? Math.log(prep.classWeight[c] / total) : -Math.log(prep.k),
  );
}

export class GaussianNB implements Learner<NaiveBayesModel> {
  readonly kind = GAUSSIAN_NB_KIND;
  readonly params: Readonly<GaussianNBParams>;

  constructor(params: Partial<GaussianNBParams> = {}) {
    this.params = mergeParams(GAUSSIAN_NB_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<NaiveBayesModel> {
    validateParams(GAUSSIAN_NB_PARAMS, this.params, 'GaussianNB');
    throwIfAborted(options.signal);
    const prep = prepare(data, 'GaussianNB');
    priorsFor('GaussianNB', this.params.priors, prep.k);
    const { n, p, k, y, w } = prep;
    const x = data.x.data;
    const mean = new Float64Array(k * p); // (k, p)
    const variance = new Float64Array(k * p); // (k, p)
    const sw = new Float64Array(k); // Σw of the rows where the feature is known, per class (one feature at a time)
    let maxVariance = 0;
    for (let j = 0; j < p; j++) {
      const col = j * n;
      // smoothing scale: the largest unweighted variance of any feature over all rows (scikit-learn's epsilon)
      let m = 0;
      let cnt = 0;
      for (let i = 0; i < n; i++) {
        if (x[col + i] !== x[col + i]) continue;
        m += x[col + i];
        cnt++;
      }
      m = cnt ? m / cnt : 0;
      let v = 0;
      for (let i = 0; i < n; i++) if (x[col + i] === x[col + i]) v += (x[col + i] - m) ** 2;
      if (cnt) maxVariance = Math.max(maxVariance, v / cnt);
      // weighted per-class mean, then variance around it (two passes: no cancellation)
      sw.fill(0);
      for (let i = 0; i < n; i++) {
        const value = x[col + i];
        if (value !== value) continue;
        sw[y[i]] += w[i];
        mean[y[i] * p + j] += w[i] * value;
      }
      for (let c = 0; c < k; c++) mean[c * p + j] = sw[c] > 0 ? mean[c * p + j] / sw[c] : m;
      for (let i = 0; i < n; i++) {
        const value = x[col + i];
        if (value !== value) continue;
        variance[y[i] * p + j] += w[i] * (value - mean[y[i] * p + j]) ** 2;
      }
      for (let c = 0; c < k; c++) variance[c * p + j] = sw[c] > 0 ? variance[c * p + j] / sw[c] : cnt ? v / cnt : 0;
    }
    const epsilon = this.params.varSmoothing * maxVariance;
    for (let i = 0; i < variance.length; i++) variance[i] += epsilon;
    // a zero variance (every value equal, a feature never known, or varSmoothing 0) would make the density
    // infinite or NaN: use 1 instead. Every class then shares the feature's mean, so it favours none of them.
    for (let i = 0; i < variance.length; i++) if (!(variance[i] > 0)) variance[i] = 1;
    return new NaiveBayesModel({
      kind: GAUSSIAN_NB_KIND,
      features: data.features,
      nClasses: k,
      classLogPrior: logPriors(prep, this.params.priors, true),
      a: mean,
      b: variance,
      binarize: null,
    });
  }
}

/**
 * Weighted per-class sums of each feature, skipping missing values: of the values themselves (threshold undefined or
 * null), or of "value > threshold" as 0/1. `known` (optional) gets the weight of the rows where each feature is known.
 */
function featureSums(data: TrainSet, prep: Prepared, threshold: number | null | undefined, known?: Float64Array): Float64Array {
  const { n, p, k, y, w } = prep;
  const x = data.x.data;
  const out = new Float64Array(k * p); // (k, p)
  for (let j = 0; j < p; j++) {
    const col = j * n;
    for (let i = 0; i < n; i++) {
      const v = x[col + i];
      if (v !== v) continue;
      out[y[i] * p + j] += threshold === null || threshold === undefined ? w[i] * v : v > threshold ? w[i] : 0;
      if (known) known[y[i] * p + j] += w[i];
    }
  }
  return out;
}

export class MultinomialNB implements Learner<NaiveBayesModel> {
  readonly kind = MULTINOMIAL_NB_KIND;
  readonly params: Readonly<MultinomialNBParams>;

  constructor(params: Partial<MultinomialNBParams> = {}) {
    this.params = mergeParams(MULTINOMIAL_NB_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<NaiveBayesModel> {
    validateParams(MULTINOMIAL_NB_PARAMS, this.params, 'MultinomialNB');
    throwIfAborted(options.signal);
    const prep = prepare(data, 'MultinomialNB');
    priorsFor('MultinomialNB', this.params.classPrior, prep.k);
    const x = data.x.data;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < 0) {
        const row = i % prep.n;
        const feature = data.features[Math.floor(i / prep.n)].name;
        throw new ValidationError(`MultinomialNB: counts must be >= 0, found ${x[i]} in feature "${feature}" at row ${row}`, [
          { path: ['x', row, feature], expected: 'a count >= 0', received: String(x[i]) },
        ]);
      }
    }
    const { p, k } = prep;
    const counts = featureSums(data, prep, undefined);
    const alpha = Math.max(this.params.alpha, MIN_ALPHA);
    const logTheta = new Float64Array(k * p); // (k, p) log θ_cj = log((N_cj + α) / (N_c + α p))
    for (let c = 0; c < k; c++) {
      let total = 0;
      for (let j = 0; j < p; j++) total += counts[c * p + j] + alpha;
      for (let j = 0; j < p; j++) logTheta[c * p + j] = Math.log(counts[c * p + j] + alpha) - Math.log(total);
    }
    return new NaiveBayesModel({
      kind: MULTINOMIAL_NB_KIND,
      features: data.features,
      nClasses: k,
      classLogPrior: logPriors(prep, this.params.classPrior, this.params.fitPrior),
      a: logTheta,
      b: new Float64Array(0),
      binarize: null,
    });
  }
}

export class BernoulliNB implements Learner<NaiveBayesModel> {
  readonly kind = BERNOULLI_NB_KIND;
  readonly params: Readonly<BernoulliNBParams>;

  constructor(params: Partial<BernoulliNBParams> = {}) {
    this.params = mergeParams(BERNOULLI_NB_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<NaiveBayesModel> {
    validateParams(BERNOULLI_NB_PARAMS, this.params, 'BernoulliNB');
    throwIfAborted(options.signal);
    const prep = prepare(data, 'BernoulliNB');
    priorsFor('BernoulliNB', this.params.classPrior, prep.k);
    const { p, k } = prep;
    const threshold = this.params.binarize;
    const known = new Float64Array(k * p); // (k, p) Σw of rows where feature j is known
    const present = featureSums(data, prep, threshold, known);
    const alpha = Math.max(this.params.alpha, MIN_ALPHA);
    const logTheta = new Float64Array(k * p); // (k, p) log θ_cj, θ_cj = (N_cj + α) / (N_c + 2α)
    const logNot = new Float64Array(k * p); // (k, p) log(1 − θ_cj)
    for (let i = 0; i < k * p; i++) {
      const theta = (present[i] + alpha) / (known[i] + 2 * alpha);
      logTheta[i] = Math.log(theta);
      logNot[i] = Math.log1p(-theta);
    }
    return new NaiveBayesModel({
      kind: BERNOULLI_NB_KIND,
      features: data.features,
      nClasses: k,
      classLogPrior: logPriors(prep, this.params.classPrior, this.params.fitPrior),
      a: logTheta,
      b: logNot,
      binarize: threshold,
    });
  }
}
