// The learner/model contract every model family follows (see ARCHITECTURE.md).
// A Learner holds frozen hyper-parameters and `fit`s; `fit` returns a new immutable Model.

import type { Artifact } from './artifact.js';
import type { Rng } from './rng.js';

/**
 * A dense feature matrix, column-major: feature j of row i is `data[j * nRows + i]`.
 * Missing values are NaN. Categorical features hold their integer codes (0..nCategories-1) as numbers.
 * One contiguous buffer so it can be shared with worker threads without copying.
 */
export interface Matrix {
  readonly nRows: number;
  readonly nCols: number;
  readonly data: Float64Array;
}

export function createMatrix(nRows: number, nCols: number, data?: Float64Array): Matrix {
  const d = data ?? new Float64Array(nRows * nCols);
  if (d.length !== nRows * nCols) throw new RangeError(`matrix data has ${d.length} values, expected ${nRows}×${nCols}`);
  return { nRows, nCols, data: d };
}

/** column j as a view (no copy) */
export function matrixColumn(x: Matrix, j: number): Float64Array {
  return x.data.subarray(j * x.nRows, (j + 1) * x.nRows);
}

/** rows picked by index, as a new column-major matrix */
export function takeRows(x: Matrix, indices: ArrayLike<number>): Matrix {
  const n = indices.length;
  const out = new Float64Array(n * x.nCols);
  for (let j = 0; j < x.nCols; j++) {
    const src = j * x.nRows;
    const dst = j * n;
    for (let i = 0; i < n; i++) out[dst + i] = x.data[src + indices[i]];
  }
  return { nRows: n, nCols: x.nCols, data: out };
}

/** What a model knows about each input column. */
export interface FeatureInfo {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** for categorical features: the number of codes (codes are 0..nCategories-1) */
  readonly nCategories?: number;
}

export type Task = 'binary' | 'multiclass' | 'regression';

export interface TrainSet {
  readonly x: Matrix;
  readonly features: readonly FeatureInfo[];
  /** regression: the target; classification: class index 0..nClasses-1 as a number */
  readonly y: Float64Array;
  /** classification: the number of classes (2 for binary) */
  readonly nClasses?: number;
  readonly sampleWeight?: Float64Array;
}

export interface FitProgress {
  /** e.g. 'round', 'epoch', 'iteration' */
  readonly unit: string;
  readonly done: number;
  readonly total?: number;
  readonly metric?: { name: string; value: number };
}

export interface FitOptions {
  /** seeded randomness; a learner that needs randomness and gets none uses its `seed` param */
  readonly rng?: Rng;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: FitProgress) => void;
  /** held-out rows for early stopping */
  readonly validation?: TrainSet;
}

export interface Model {
  /** the registered kind name, e.g. 'gbdt.classifier'; maps to a loader in the model registry */
  readonly kind: string;
  readonly features: readonly FeatureInfo[];
  /** regression: the prediction; classification: the predicted class index */
  predict(x: Matrix): Float64Array;
  /** classification: class probabilities, n×k row-major */
  predictProba?(x: Matrix): Float64Array;
  /** number of classes for classifiers, undefined for regressors */
  readonly nClasses?: number;
  toArtifact(): Artifact;
}

export interface Learner<M extends Model = Model> {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  fit(data: TrainSet, options?: FitOptions): Promise<M>;
}

/** Raised by fit loops when the caller's AbortSignal fires. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason = signal.reason;
    throw reason instanceof Error ? reason : new Error('aborted');
  }
}
