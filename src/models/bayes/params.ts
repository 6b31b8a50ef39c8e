// Naive Bayes hyper-parameters, declared once (doc + default + constraint), in scikit-learn's terms.

import { constraints as c, type ParamSpec, type ParamTable } from '../../core/params.js';

export interface GaussianNBParams {
  /** share of the largest feature variance added to every variance, for stability (scikit-learn's var_smoothing) */
  varSmoothing: number;
  /** class priors (one per class, summing to 1), or null to use the training class frequencies */
  priors: readonly number[] | null;
}

export interface MultinomialNBParams {
  /** additive (Laplace/Lidstone) smoothing of the feature counts; values below 1e-10 count as 1e-10 */
  alpha: number;
  /** learn class priors from the data; false = uniform priors */
  fitPrior: boolean;
  /** fixed class priors (one per class, summing to 1), overriding fitPrior, or null */
  classPrior: readonly number[] | null;
}

export interface BernoulliNBParams extends MultinomialNBParams {
  /** values above this count as "present" (1), the others as absent (0); null = the data is already 0/1 */
  binarize: number | null;
}

const priorsCheck = (v: unknown): string | null =>
  v === null ||
  (Array.isArray(v) &&
    v.length >= 2 &&
    v.every((p) => typeof p === 'number' && p >= 0 && Number.isFinite(p)) &&
    Math.abs(v.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-8)
    ? null
    : 'must be null or one probability per class, summing to 1';

const alpha: ParamSpec<number> = { default: 1, doc: 'additive smoothing of the counts (1 = Laplace)', check: c.ge(0) };
const fitPrior: ParamSpec<boolean> = { default: true, doc: 'learn class priors from the data (false = uniform)', check: c.boolean };
const classPrior: ParamSpec<readonly number[] | null> = {
  default: null,
  doc: 'fixed class priors summing to 1, or null',
  check: priorsCheck as ParamSpec<readonly number[] | null>['check'],
};

export const GAUSSIAN_NB_PARAMS: ParamTable<GaussianNBParams> = {
  varSmoothing: { default: 1e-9, doc: 'share of the largest feature variance added to every variance', check: c.ge(0) },
  priors: { default: null, doc: 'class priors summing to 1, or null for the class frequencies', check: priorsCheck as ParamSpec<readonly number[] | null>['check'] },
};

export const MULTINOMIAL_NB_PARAMS: ParamTable<MultinomialNBParams> = { alpha, fitPrior, classPrior };

export const BERNOULLI_NB_PARAMS: ParamTable<BernoulliNBParams> = {
  alpha,
  fitPrior,
  classPrior,
  binarize: { default: 0, doc: 'values above this count as present; null = already 0/1', check: c.nullable(c.number) },
};
