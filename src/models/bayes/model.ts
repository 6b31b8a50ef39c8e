// Fitted naive Bayes classifiers. Each keeps the log class priors and per-(class, feature) parameters, and scores a
// row by its joint log-likelihood per class; probabilities are its softmax. A missing value (NaN) is left out of the
// sum (the naive independence makes that the exact marginal over the unknown feature); for multinomial counts a
// missing count is the same as 0. Isomorphic (no Node imports).
//
//   gaussian:     log P(c) − ½ Σ_j [ log(2π σ²_cj) + (x_j − μ_cj)² / σ²_cj ]
//   multinomial:  log P(c) + Σ_j x_j log θ_cj
//   bernoulli:    log P(c) + Σ_j [ b_j log θ_cj + (1 − b_j) log(1 − θ_cj) ],  b_j = x_j > binarize

import { requireArray, type Artifact } from '../../core/artifact.js';
import { ModelFormatError } from '../../core/errors.js';
import type { FeatureInfo, Matrix, Model } from '../../core/learner.js';
import { registerModelKind } from '../../core/model-kinds.js';
import { checkPredictMatrix, featuresFromJson, featuresToJson } from '../tree/checks.js';
import { argmaxRows } from '../../core/argmax.js';

export const GAUSSIAN_NB_KIND = 'bayes.gaussian';
export const MULTINOMIAL_NB_KIND = 'bayes.multinomial';
export const BERNOULLI_NB_KIND = 'bayes.bernoulli';
type NBKind = typeof GAUSSIAN_NB_KIND | typeof MULTINOMIAL_NB_KIND | typeof BERNOULLI_NB_KIND;

export interface NaiveBayesParts {
  readonly kind: NBKind;
  readonly features: readonly FeatureInfo[];
  readonly nClasses: number;
  readonly classLogPrior: Float64Array; // (nClasses)
  /** gaussian: means μ; multinomial/bernoulli: log θ */
  readonly a: Float64Array; // (nClasses, nCols)
  /** gaussian: variances σ²; bernoulli: log(1 − θ); multinomial: unused (empty) */
  readonly b: Float64Array; // (nClasses, nCols) or (0)
  /** bernoulli: the binarize threshold (null = inputs already 0/1) */
  readonly binarize: number | null;
}

export class NaiveBayesModel implements Model {
  readonly kind: NBKind;
  readonly features: readonly FeatureInfo[];
  readonly nClasses: number;
  private readonly parts: NaiveBayesParts;
  /** gaussian: −½ log(2π σ²_cj), precomputed */
  private readonly logNorm: Float64Array;

  constructor(parts: NaiveBayesParts) {
    this.parts = parts;
    this.kind = parts.kind;
    this.features = Object.freeze(parts.features.map((f) => Object.freeze({ ...f })));
    this.nClasses = parts.nClasses;
    this.logNorm = parts.kind === GAUSSIAN_NB_KIND ? parts.b.map((v) => -0.5 * Math.log(2 * Math.PI * v)) : new Float64Array(0);
  }

  /** joint log-likelihood of each class, n × nClasses row-major */
  jointLogLikelihood(x: Matrix): Float64Array {
    checkPredictMatrix(x, this.features, this.kind);
    const { nRows: n, nCols: p, data } = x;
    const k = this.nClasses;
    const { a, b, classLogPrior, binarize } = this.parts;
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = classLogPrior[c];
    // column-major input: loop features outside so each column is read in order; one loop per kind
    for (let j = 0; j < p; j++) {
      const col = j * n;
      if (this.kind === GAUSSIAN_NB_KIND) {
        const logNorm = this.logNorm;
        for (let i = 0; i < n; i++) {
          const v = data[col + i];
          if (v !== v) continue; // missing: marginalised out
          for (let c = 0; c < k; c++) {
            const d = v - a[c * p + j];
            out[i * k + c] += logNorm[c * p + j] - (0.5 * d * d) / b[c * p + j];
          }
        }
      } else if (this.kind === MULTINOMIAL_NB_KIND) {
        for (let i = 0; i < n; i++) {
          const v = data[col + i];
          if (v === 0 || v !== v) continue; // a zero or missing count adds nothing
          for (let c = 0; c < k; c++) out[i * k + c] += v * a[c * p + j];
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = data[col + i];
          if (v !== v) continue;
          const present = binarize === null ? v : v > binarize ? 1 : 0;
          for (let c = 0; c < k; c++) out[i * k + c] += present * a[c * p + j] + (1 - present) * b[c * p + j];
        }
      }
    }
    return out;
  }

  /** class probabilities, n × nClasses row-major (softmax of the joint log-likelihoods) */
  predictProba(x: Matrix): Float64Array {
    const out = this.jointLogLikelihood(x);
    const k = this.nClasses;
    for (let i = 0; i < x.nRows; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, out[i * k + c]);
      let s = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp(out[i * k + c] - max);
        out[i * k + c] = e;
        s += e;
      }
      for (let c = 0; c < k; c++) out[i * k + c] /= s;
    }
    return out;
  }

  /** the most likely class (the lowest index on ties) */
  predict(x: Matrix): Float64Array {
    const jll = this.jointLogLikelihood(x);
    const k = this.nClasses;
    return argmaxRows(jll, k);
  }

  toArtifact(): Artifact {
    const { classLogPrior, a, b, binarize } = this.parts;
    return {
      kind: this.kind,
      meta: { features: featuresToJson(this.features), nClasses: this.nClasses, binarize },
      arrays: { classLogPrior, a, b },
    };
  }
}

function loadNaiveBayes(artifact: Artifact): NaiveBayesModel {
  const kind = artifact.kind as NBKind;
  const { meta } = artifact;
  const features = featuresFromJson(meta.features, kind);
  const k = meta.nClasses;
  if (!(Number.isInteger(k) && (k as number) >= 2)) throw new ModelFormatError(`${kind}: nClasses must be an integer >= 2`);
  const nClasses = k as number;
  const binarize = meta.binarize;
  if (binarize !== null && typeof binarize !== 'number') throw new ModelFormatError(`${kind}: binarize must be a number or null`);
  const cells = nClasses * features.length;
  const b = requireArray(artifact, 'b', Float64Array, kind === MULTINOMIAL_NB_KIND ? 0 : cells);
  if (kind === GAUSSIAN_NB_KIND && !b.every((v) => v > 0)) throw new ModelFormatError(`${kind}: variances must be positive`);
  return new NaiveBayesModel({
    kind,
    features,
    nClasses,
    classLogPrior: requireArray(artifact, 'classLogPrior', Float64Array, nClasses),
    a: requireArray(artifact, 'a', Float64Array, cells),
    b,
    binarize,
  });
}

for (const kind of [GAUSSIAN_NB_KIND, MULTINOMIAL_NB_KIND, BERNOULLI_NB_KIND]) registerModelKind(kind, loadNaiveBayes);
