// Hyper-parameters of the linear family, declared once (defaults, docs, constraints) in scikit-learn's terms.

import { constraints as c, type ParamTable } from '../../core/params.js';

export type Penalty = 'l2' | 'l1' | 'elasticnet' | 'none';

export interface LogisticParams {
  /** inverse regularisation strength, as scikit-learn's C: smaller is stronger. Default 1. */
  C: number;
  /** 'l2' (default), 'l1' (sparse), 'elasticnet' (mix set by l1Ratio) or 'none' */
  penalty: Penalty;
  /** elastic-net only: the share of the penalty that is L1 (0 = pure L2, 1 = pure L1). Default 0.5. */
  l1Ratio: number;
  /**
   * null (every row weighs 1), 'balanced' (class c weighs n / (nClasses × n_c)), or weights by class index
   * such as { "0": 1, "1": 10 }. Multiplies the sample weights. Default null.
   */
  classWeight: null | 'balanced' | Readonly<Record<string, number>>;
  /** fit an unpenalised intercept. Default true. */
  fitIntercept: boolean;
  /**
   * fit on standardised columns (mean 0, std 1) and map the coefficients back, so the penalty does not depend
   * on the units of each column (as glmnet does). With false, the penalty applies to raw coefficients, exactly
   * as scikit-learn's LogisticRegression. On already-standardised inputs both agree. Default true.
   */
  standardize: boolean;
  /** L-BFGS / OWL-QN iterations at most. Default 1000. */
  maxIter: number;
  /** stop when the largest (pseudo-)gradient entry of the mean loss is below this. Default 1e-6. */
  tol: number;
}

const classWeightCheck = (v: unknown): string | null => {
  if (v === null || v === 'balanced') return null;
  const expected = 'null, "balanced" or { classIndex: weight > 0 }';
  if (typeof v !== 'object' || Array.isArray(v)) return `must be ${expected}`;
  for (const [key, w] of Object.entries(v as Record<string, unknown>))
    if (!/^\d+$/.test(key) || typeof w !== 'number' || !(w > 0) || !Number.isFinite(w)) return `must be ${expected}`;
  return null;
};

export const LOGISTIC_PARAMS: ParamTable<LogisticParams> = {
  C: { default: 1, doc: 'inverse regularisation strength (smaller = stronger)', check: c.gt(0) },
  penalty: { default: 'l2', doc: 'the penalty: l2, l1, elasticnet or none', check: c.oneOf('l2', 'l1', 'elasticnet', 'none') },
  l1Ratio: { default: 0.5, doc: 'elastic-net: share of L1 in the penalty', check: c.range(0, 1) },
  classWeight: { default: null, doc: 'null, "balanced" or weights by class index', check: classWeightCheck },
  fitIntercept: { default: true, doc: 'fit an unpenalised intercept', check: c.boolean },
  standardize: { default: true, doc: 'penalise coefficients of standardised columns', check: c.boolean },
  maxIter: { default: 1000, doc: 'optimiser iterations at most', check: c.int(1) },
  tol: { default: 1e-6, doc: 'gradient tolerance on the mean loss', check: c.gt(0) },
};

export interface RidgeParams {
  /** L2 regularisation strength, as scikit-learn's Ridge alpha (on the sum of squared errors). Default 1. */
  alpha: number;
  /** fit an unpenalised intercept. Default true. */
  fitIntercept: boolean;
  /** penalise coefficients of standardised columns (see LogisticParams.standardize). Default true. */
  standardize: boolean;
  /**
   * 'cholesky' solves the normal equations exactly (O(n p² + p³)); 'cg' runs conjugate gradients without
   * forming them (O(n p) per step, for wide data); 'auto' picks cholesky up to 1000 columns. Default 'auto'.
   */
  solver: 'auto' | 'cholesky' | 'cg';
  /** cg: iterations at most. Default 1000. */
  maxIter: number;
  /** cg: stop when the residual norm falls below tol × its starting norm. Default 1e-10. */
  tol: number;
}

export const RIDGE_PARAMS: ParamTable<RidgeParams> = {
  alpha: { default: 1, doc: 'L2 regularisation strength', check: c.ge(0) },
  fitIntercept: { default: true, doc: 'fit an unpenalised intercept', check: c.boolean },
  standardize: { default: true, doc: 'penalise coefficients of standardised columns', check: c.boolean },
  solver: { default: 'auto', doc: 'auto, cholesky or cg', check: c.oneOf('auto', 'cholesky', 'cg') },
  maxIter: { default: 1000, doc: 'cg iterations at most', check: c.int(1) },
  tol: { default: 1e-10, doc: 'cg relative residual tolerance', check: c.gt(0) },
};
