// What every fitted linear model holds and does: coefficients on the raw input columns, intercepts, the
// linear predictor, per-feature contributions for explanations, input checks, and the artifact round trip.

import { requireArray, type Artifact, type Json } from '../../core/artifact.js';
import { KilnError, ModelFormatError } from '../../core/errors.js';
import type { FeatureInfo, Matrix, Model } from '../../core/learner.js';
import { checkFinite } from './design.js';
import { accumulateXw } from './kernels.js';

export interface LinearState {
  readonly features: readonly FeatureInfo[];
  /** (nOutputs, nCols) row-major: one row per output (1 for ridge and binary logistic, nClasses for multinomial) */
  readonly coef: Float64Array;
  /** (nOutputs) */
  readonly intercept: Float64Array;
  /** (nCols) training column means: the reference point of `contributions` */
  readonly featureMean: Float64Array;
  /** (nCols) training column standard deviations: coef × scale is the effect of one standard deviation */
  readonly featureScale: Float64Array;
  /** plain facts about the fit (params, iterations, convergence), kept in the artifact */
  readonly info: { [key: string]: Json };
}

export abstract class LinearModel implements Model {
  abstract readonly kind: string;
  readonly features: readonly FeatureInfo[];
  readonly coef: Float64Array;
  readonly intercept: Float64Array;
  readonly featureMean: Float64Array;
  readonly featureScale: Float64Array;
  readonly info: Readonly<{ [key: string]: Json }>;
  readonly nOutputs: number;

  protected constructor(state: LinearState) {
    this.features = Object.freeze(state.features.map((f) => Object.freeze({ ...f })));
    this.coef = state.coef;
    this.intercept = state.intercept;
    this.featureMean = state.featureMean;
    this.featureScale = state.featureScale;
    this.info = Object.freeze({ ...state.info });
    this.nOutputs = state.intercept.length;
  }

  abstract predict(x: Matrix): Float64Array;

  /** Fails clearly on a matrix of the wrong width or with gaps. */
  protected checkInput(x: Matrix): void {
    const p = this.features.length;
    if (x.nCols !== p) {
      const names = this.features.map((f) => f.name);
      throw new KilnError('E_DATA_SCHEMA', `${this.kind}: the model expects ${p} columns, got ${x.nCols}`, {
        hint: `columns, in order: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`,
      });
    }
    checkFinite(this.kind, x, this.features);
  }

  /** the linear predictor, (nRows, nOutputs) row-major */
  decisionFunction(x: Matrix): Float64Array {
    this.checkInput(x);
    const n = x.nRows;
    const p = this.features.length;
    const k = this.nOutputs;
    const z = new Float64Array(n * k);
    const acc = new Float64Array(n); // (nRows) one output at a time, walking columns contiguously
    for (let o = 0; o < k; o++) {
      acc.fill(this.intercept[o]);
      accumulateXw(x.data, n, p, this.coef, o * p, acc);
      for (let i = 0; i < n; i++) z[i * k + o] = acc[i];
    }
    return z;
  }

  /**
   * Exact additive explanation of the linear predictor, (nRows, nOutputs, nCols + 1) row-major: entry j is
   * coef_j × (x_j − training mean_j), the last entry is the prediction at the training means; each row sums to
   * the decision function.
   */
  contributions(x: Matrix): Float64Array {
    this.checkInput(x);
    const n = x.nRows;
    const p = this.features.length;
    const k = this.nOutputs;
    const out = new Float64Array(n * k * (p + 1));
    for (let o = 0; o < k; o++) {
      let base = this.intercept[o];
      for (let j = 0; j < p; j++) base += this.coef[o * p + j] * this.featureMean[j];
      for (let i = 0; i < n; i++) {
        const row = (i * k + o) * (p + 1);
        for (let j = 0; j < p; j++) out[row + j] = this.coef[o * p + j] * (x.data[j * n + i] - this.featureMean[j]);
        out[row + p] = base;
      }
    }
    return out;
  }

  toArtifact(): Artifact {
    return {
      kind: this.kind,
      meta: { features: this.features.map((f) => ({ ...f })) as unknown as Json, nOutputs: this.nOutputs, info: this.info },
      arrays: {
        coef: this.coef.slice(),
        intercept: this.intercept.slice(),
        featureMean: this.featureMean.slice(),
        featureScale: this.featureScale.slice(),
      },
    };
  }
}

/** Read and check the common parts of a linear artifact; lengths are checked before any array is used. */
export function readLinearState(artifact: Artifact): LinearState {
  const { meta } = artifact;
  const features = meta.features as unknown;
  if (!Array.isArray(features) || !features.every(isFeatureInfo)) throw new ModelFormatError(`${artifact.kind}: malformed feature list`);
  const nOut = meta.nOutputs;
  if (!Number.isInteger(nOut) || (nOut as number) < 1) throw new ModelFormatError(`${artifact.kind}: malformed output count`);
  const p = features.length;
  const info = meta.info;
  if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new ModelFormatError(`${artifact.kind}: malformed fit info`);
  return {
    features: features as FeatureInfo[],
    coef: requireArray(artifact, 'coef', Float64Array, (nOut as number) * p),
    intercept: requireArray(artifact, 'intercept', Float64Array, nOut as number),
    featureMean: requireArray(artifact, 'featureMean', Float64Array, p),
    featureScale: requireArray(artifact, 'featureScale', Float64Array, p),
    info,
  };
}

function isFeatureInfo(f: unknown): f is FeatureInfo {
  const v = f as FeatureInfo;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && (v.kind === 'numeric' || v.kind === 'categorical');
}

/** training column means and population standard deviations (whatever scaling the fit itself used) */
export function columnStats(x: Matrix): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(x.nCols);
  const std = new Float64Array(x.nCols);
  const n = x.nRows;
  for (let j = 0; j < x.nCols; j++) {
    const col = x.data.subarray(j * n, (j + 1) * n);
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i];
    const m = n ? s / n : 0;
    let v = 0;
    for (let i = 0; i < n; i++) v += (col[i] - m) * (col[i] - m);
    mean[j] = m;
    std[j] = n ? Math.sqrt(v / n) : 0;
  }
  return { mean, std };
}
