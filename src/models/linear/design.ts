// The design matrix of a linear fit: input checks (numbers only, no gaps), optional centring and scaling to unit
// variance, and the way back from coefficients on standardised columns to coefficients on the raw ones.

import { KilnError, ValidationError } from '../../core/errors.js';
import type { FeatureInfo, Matrix, TrainSet } from '../../core/learner.js';

export interface Design {
  readonly nRows: number;
  readonly nCols: number;
  /** (nCols, nRows) column-major; the caller's matrix itself when nothing is shifted or scaled */
  readonly x: Float64Array;
  /** (nCols) subtracted from each column (0 when not centred) */
  readonly mean: Float64Array;
  /** (nCols) each centred column was divided by this (1 when not scaled, or for a constant column) */
  readonly scale: Float64Array;
}

/** Linear models read numbers; categorical codes would be read as magnitudes, so they are refused. */
export function checkFeatures(owner: string, features: readonly FeatureInfo[], nCols: number): void {
  if (features.length !== nCols) throw new KilnError('E_DATA_SCHEMA', `${owner}: ${features.length} feature descriptions for ${nCols} columns`);
  const categorical = features.filter((f) => f.kind === 'categorical').map((f) => f.name);
  if (categorical.length)
    throw new KilnError('E_DATA_SCHEMA', `${owner}: categorical columns (${categorical.slice(0, 5).join(', ')}) cannot be read as numbers by a linear model`, {
      hint: 'encode them first: the "dense" feature chain one-hot encodes categories for linear models',
    });
}

/** Refuse NaN or ±Infinity, naming the first offending column and row. */
export function checkFinite(owner: string, x: Matrix, features: readonly FeatureInfo[]): void {
  const n = x.nRows;
  for (let j = 0; j < x.nCols; j++)
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(x.data[j * n + i]))
        throw new ValidationError(
          `${owner}: column "${features[j]?.name ?? j}" has ${x.data[j * n + i]} at row ${i}; linear models need complete numeric inputs`,
          [{ path: [i, features[j]?.name ?? j], expected: 'a finite number', received: String(x.data[j * n + i]) }],
          { hint: 'impute missing values first: the "dense" feature chain does' },
        );
}

export function prepareDesign(owner: string, data: TrainSet, center: boolean, standardize: boolean): Design {
  const { x, features } = data;
  checkFeatures(owner, features, x.nCols);
  checkFinite(owner, x, features);
  const n = x.nRows;
  const p = x.nCols;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  if (!center && !standardize) return { nRows: n, nCols: p, x: x.data, mean, scale };
  const out = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = x.data.subarray(j * n, (j + 1) * n);
    let m = 0;
    for (let i = 0; i < n; i++) m += col[i];
    m /= n;
    // population standard deviation (ddof 0), as scikit-learn's StandardScaler, so scaled inputs pass unchanged
    let v = 0;
    for (let i = 0; i < n; i++) v += (col[i] - m) * (col[i] - m);
    const sd = Math.sqrt(v / n);
    const shift = center ? m : 0;
    // a constant column keeps scale 1: it carries no information and its coefficient stays 0
    const s = standardize && sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1;
    mean[j] = shift;
    scale[j] = s;
    const dst = out.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) dst[i] = (col[i] - shift) / s;
  }
  return { nRows: n, nCols: p, x: out, mean, scale };
}

/**
 * Coefficients fitted on (x - mean) / scale, mapped back to raw x: w_raw = w / scale, and the intercept absorbs
 * the shift: b_raw = b - Σ w_raw · mean. `coef` is (nOut, nCols) row-major.
 */
export function unstandardize(coef: Float64Array, intercept: Float64Array, design: Design): void {
  const p = design.nCols;
  for (let o = 0; o < intercept.length; o++) {
    let shift = 0;
    for (let j = 0; j < p; j++) {
      const w = coef[o * p + j] / design.scale[j];
      coef[o * p + j] = w;
      shift += w * design.mean[j];
    }
    intercept[o] -= shift;
  }
}

/** Per-row sample weights times class weights; every row weighs 1 when neither is given. */
export function rowWeights(owner: string, n: number, sampleWeight: Float64Array | undefined): Float64Array {
  const w = new Float64Array(n);
  if (!sampleWeight) return w.fill(1);
  if (sampleWeight.length !== n) throw new KilnError('E_DATA_SCHEMA', `${owner}: ${sampleWeight.length} sample weights for ${n} rows`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = sampleWeight[i];
    if (!(Number.isFinite(v) && v >= 0)) throw new ValidationError(`${owner}: sample weight ${v} at row ${i} must be finite and >= 0`, [{ path: [i, 'sampleWeight'], expected: 'a finite number >= 0', received: String(v) }]);
    w[i] = v;
    total += v;
  }
  if (!(total > 0)) throw new ValidationError(`${owner}: sample weights sum to 0`, []);
  return w;
}
