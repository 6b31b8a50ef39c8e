// Input checks shared by the tree, forest, neighbours, naive Bayes and MLP families: a training set is checked once at
// the start of `fit` (all problems collected), and every predict call checks its matrix against the fitted features.
// Isomorphic: no Node imports (models call `checkPredictMatrix` in browsers too).

import { describeValue, KilnError, ModelFormatError, ValidationError, type Issue } from '../../core/errors.js';
import type { FeatureInfo, Matrix, TrainSet } from '../../core/learner.js';

export type TrainTask = 'classification' | 'regression';

export interface CheckedTrainSet {
  readonly nRows: number;
  readonly nCols: number;
  /** classification: the number of classes (from `data.nClasses`, else the largest label + 1, at least 2) */
  readonly nClasses: number;
  /** classification: the labels as class indices */
  readonly yClass: Int32Array | null; // (nRows)
}

/**
 * Validate a training set for `task`: shapes agree, labels are class indices (classification) or finite numbers
 * (regression), sample weights are finite and >= 0 with a positive total. Throws one ValidationError listing every issue.
 */
export function checkTrainSet(data: TrainSet, task: TrainTask, owner: string): CheckedTrainSet {
  const issues: Issue[] = [];
  const add = (path: string, expected: string, received: string): void => {
    issues.push({ path: [path], expected, received, message: `${path}: expected ${expected}, received ${received}` });
  };
  const { x, y, features } = data;
  if (x.nRows < 1) add('x', 'at least one row', '0 rows');
  if (x.data.length !== x.nRows * x.nCols) add('x', `${x.nRows}×${x.nCols} values`, `${x.data.length}`);
  if (features.length !== x.nCols) add('features', `${x.nCols} entries (one per column)`, `${features.length}`);
  if (y.length !== x.nRows) add('y', `${x.nRows} labels (one per row)`, `${y.length}`);
  let nClasses = 0;
  let yClass: Int32Array | null = null;
  if (task === 'classification' && y.length === x.nRows) {
    let maxLabel = -1;
    let bad = -1;
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (!Number.isInteger(v) || v < 0) {
        bad = i;
        break;
      }
      if (v > maxLabel) maxLabel = v;
    }
    if (bad >= 0) add('y', 'class indices 0, 1, 2, ...', `${describeValue(y[bad])} at row ${bad}`);
    nClasses = data.nClasses ?? Math.max(2, maxLabel + 1);
    if (!Number.isInteger(nClasses) || nClasses < 2) add('nClasses', 'an integer >= 2', describeValue(data.nClasses));
    else if (maxLabel >= nClasses) add('y', `class indices below nClasses = ${nClasses}`, `label ${maxLabel}`);
    if (bad < 0) yClass = Int32Array.from(y);
  } else if (task === 'regression') {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i])) {
        add('y', 'finite numbers (the target may not be missing)', `${describeValue(y[i])} at row ${i}`);
        break;
      }
    }
  }
  const w = data.sampleWeight;
  if (w) {
    if (w.length !== x.nRows) add('sampleWeight', `${x.nRows} weights (one per row)`, `${w.length}`);
    let total = 0;
    for (let i = 0; i < w.length; i++) {
      if (!(w[i] >= 0 && Number.isFinite(w[i]))) {
        add('sampleWeight', 'finite weights >= 0', `${describeValue(w[i])} at row ${i}`);
        total = NaN;
        break;
      }
      total += w[i];
    }
    if (total === 0) add('sampleWeight', 'a positive total weight', '0');
  }
  if (issues.length) throw new ValidationError(`${owner}: invalid training set: ${issues.map((i) => i.message).join('; ')}`, issues);
  return { nRows: x.nRows, nCols: x.nCols, nClasses, yClass };
}

/** A predict input must have the fitted number of columns; names are the caller's job (the pipeline maps them). */
export function checkPredictMatrix(x: Matrix, features: readonly FeatureInfo[], kind: string): void {
  if (x.nCols !== features.length || x.data.length !== x.nRows * x.nCols) {
    throw new KilnError('E_DATA_SCHEMA', `${kind}: expected ${features.length} feature columns, got ${x.nCols}`, {
      hint: `the model was trained on: ${features
        .slice(0, 8)
        .map((f) => f.name)
        .join(', ')}${features.length > 8 ? ', …' : ''}`,
    });
  }
}

/** Copy a column-major block of rows [start, end) into a row-major buffer (rows × nCols) for row-wise traversal. */
export function toRowMajor(x: Matrix, start: number, end: number, out: Float64Array): void {
  const { nRows, nCols, data } = x;
  const n = end - start;
  for (let j = 0; j < nCols; j++) {
    const col = j * nRows + start;
    for (let i = 0; i < n; i++) out[i * nCols + j] = data[col + i];
  }
}

/** Features as plain JSON for an artifact's meta, and back (validated) for a loader. */
export function featuresToJson(features: readonly FeatureInfo[]): { name: string; kind: string; nCategories?: number }[] {
  return features.map((f) => (f.nCategories === undefined ? { name: f.name, kind: f.kind } : { name: f.name, kind: f.kind, nCategories: f.nCategories }));
}

export function featuresFromJson(json: unknown, kind: string): FeatureInfo[] {
  const bad = (): never => {
    throw new ModelFormatError(`${kind}: the feature list in the model file is malformed`);
  };
  if (!Array.isArray(json)) bad();
  return (json as unknown[]).map((f) => {
    const e = f as { name?: unknown; kind?: unknown; nCategories?: unknown } | null;
    if (!e || typeof e.name !== 'string' || (e.kind !== 'numeric' && e.kind !== 'categorical')) bad();
    const info: FeatureInfo =
      typeof e?.nCategories === 'number'
        ? { name: e.name as string, kind: e.kind as FeatureInfo['kind'], nCategories: e.nCategories }
        : { name: e?.name as string, kind: e?.kind as FeatureInfo['kind'] };
    return info;
  });
}
