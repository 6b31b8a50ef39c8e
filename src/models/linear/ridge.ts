// Ridge regression: least squares with an L2 penalty in scikit-learn's parametrisation,
// Σ s_i (y_i − x_i·w − b)² + alpha ‖w‖², solved exactly through the normal equations (Cholesky) or, for wide
// data, by conjugate gradients on them without forming XᵀX. The intercept is removed by weighted centring.

import type { Artifact } from '../../core/artifact.js';
import { KilnError, ModelFormatError, ValidationError } from '../../core/errors.js';
import { throwIfAborted, type FitOptions, type Learner, type Matrix, type TrainSet } from '../../core/learner.js';
import { registerModelKind } from '../../core/model-kinds.js';
import { mergeParams, validateParams } from '../../core/params.js';
import { prepareDesign, rowWeights, unstandardize } from './design.js';
import { LinearModel, columnStats, readLinearState, type LinearState } from './linear-model.js';
import { RIDGE_PARAMS, type RidgeParams } from './params.js';
import { choleskySolve, conjugateGradient } from './solve.js';
import { accumulateXw, multiplyXtr } from './kernels.js';

export const RIDGE_KIND = 'linear.ridge';
/** 'auto' forms XᵀX up to this many columns; beyond, CG's O(n·p) steps are cheaper than O(n·p²) */
const CHOLESKY_MAX_COLUMNS = 500;

export class Ridge implements Learner<RidgeModel> {
  readonly kind = RIDGE_KIND;
  readonly params: Readonly<RidgeParams>;

  constructor(params: Partial<RidgeParams> = {}) {
    this.params = mergeParams(RIDGE_PARAMS, params);
  }

  async fit(data: TrainSet, options: FitOptions = {}): Promise<RidgeModel> {
    const params = this.params;
    validateParams(RIDGE_PARAMS, params, 'Ridge');
    throwIfAborted(options.signal);
    const owner = 'Ridge';
    const n = data.x.nRows;
    if (data.y.length !== n) throw new KilnError('E_DATA_SCHEMA', `${owner}: ${data.y.length} targets for ${n} rows`);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(data.y[i]))
        throw new ValidationError(`${owner}: target ${data.y[i]} at row ${i} is not a finite number`, [{ path: [i, 'y'], expected: 'a finite number', received: String(data.y[i]) }], {
          hint: 'drop rows whose target is missing before fitting',
        });
    if (n === 0) throw new KilnError('E_DATA_EMPTY', `${owner}: no rows to fit`);
    const s = rowWeights(owner, n, data.sampleWeight);
    const design = prepareDesign(owner, data, params.fitIntercept, params.standardize);
    const p = design.nCols;
    // weighted centring removes the intercept from the problem exactly; x must be a copy we may change
    const x = design.x === data.x.data ? design.x.slice() : design.x;
    const xMean = new Float64Array(p);
    let yMean = 0;
    let total = 0;
    for (let i = 0; i < n; i++) total += s[i];
    if (params.fitIntercept) {
      for (let i = 0; i < n; i++) yMean += s[i] * data.y[i];
      yMean /= total;
      for (let j = 0; j < p; j++) {
        const col = x.subarray(j * n, (j + 1) * n);
        let m = 0;
        for (let i = 0; i < n; i++) m += s[i] * col[i];
        m /= total;
        xMean[j] = m;
        for (let i = 0; i < n; i++) col[i] -= m;
      }
    }
    const yc = new Float64Array(n); // (nRows) weighted, centred target
    for (let i = 0; i < n; i++) yc[i] = s[i] * (data.y[i] - yMean);
    const rhs = new Float64Array(p); // Xᵀ S (y − ȳ)
    multiplyXtr(x, n, p, yc, rhs, 0);
    const useCholesky = params.solver === 'cholesky' || (params.solver === 'auto' && p <= CHOLESKY_MAX_COLUMNS);
    let w: Float64Array | null = null;
    let method = 'cholesky';
    let iterations = 0;
    let converged = true;
    if (useCholesky && p > 0) w = choleskySolve(gram(x, n, p, s, params.alpha), rhs, p);
    if (!w) {
      // wide data, or a singular system (alpha = 0 with collinear columns): CG gives the least-norm solution
      method = useCholesky ? 'cg (normal equations are singular)' : 'cg';
      const xv = new Float64Array(n);
      const cg = conjugateGradient(
        (v, out) => {
          // out = Xᵀ S X v + alpha v
          xv.fill(0);
          accumulateXw(x, n, p, v, 0, xv);
          for (let i = 0; i < n; i++) xv[i] *= s[i];
          multiplyXtr(x, n, p, xv, out, 0);
          for (let j = 0; j < p; j++) out[j] += params.alpha * v[j];
        },
        rhs,
        { maxIter: params.maxIter, tol: params.tol, signal: options.signal },
      );
      w = cg.w;
      iterations = cg.iterations;
      converged = cg.converged;
    }
    let b = yMean;
    for (let j = 0; j < p; j++) b -= w[j] * xMean[j];
    const intercept = Float64Array.of(params.fitIntercept ? b : 0);
    unstandardize(w, intercept, design);
    options.onProgress?.({ unit: 'iteration', done: iterations });
    const stats = columnStats(data.x);
    return new RidgeModel({
      features: data.features,
      coef: w,
      intercept,
      featureMean: stats.mean,
      featureScale: stats.std,
      info: { params: { ...params }, solver: method, iterations, converged },
    });
  }
}

/** XᵀSX + alpha·I, (p, p) row-major, from column-major x; symmetric, so only half the products are computed */
function gram(x: Float64Array, n: number, p: number, s: Float64Array, alpha: number): Float64Array {
  const g = new Float64Array(p * p);
  const weighted = new Float64Array(n); // (nRows) s ∘ x_j
  for (let j = 0; j < p; j++) {
    const cj = x.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) weighted[i] = s[i] * cj[i];
    // row j, columns 0..j: one blocked pass, then mirrored
    multiplyXtr(x, n, j + 1, weighted, g, j * p);
    for (let l = 0; l < j; l++) g[l * p + j] = g[j * p + l];
    g[j * p + j] += alpha;
  }
  return g;
}

export class RidgeModel extends LinearModel {
  readonly kind = RIDGE_KIND;

  constructor(state: LinearState) {
    super(state);
    if (this.nOutputs !== 1) throw new ModelFormatError(`${RIDGE_KIND}: expected one output, got ${this.nOutputs}`);
  }

  predict(x: Matrix): Float64Array {
    return this.decisionFunction(x);
  }

  static fromArtifact(artifact: Artifact): RidgeModel {
    if (artifact.kind !== RIDGE_KIND) throw new ModelFormatError(`expected a ${RIDGE_KIND} artifact, got "${artifact.kind}"`);
    return new RidgeModel(readLinearState(artifact));
  }
}

registerModelKind(RIDGE_KIND, RidgeModel.fromArtifact);
