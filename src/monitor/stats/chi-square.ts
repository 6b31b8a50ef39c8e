// Pearson's chi-square test of homogeneity on a 2 × k table (reference counts vs current counts over the same
// k categories): do both samples come from one categorical distribution? Equal to
// scipy.stats.chi2_contingency([ref, cur], correction=False). For k = 2 it is exactly the pooled two-proportion
// z-test (χ² = z²), which is what Evidently runs on binary columns.

import { chiSquareSf } from './special.js';

export interface ChiSquareResult {
  readonly statistic: number;
  /** degrees of freedom: the number of categories seen in either sample, minus one */
  readonly dof: number;
  readonly pValue: number;
}

/**
 * `reference[c]` and `current[c]` count category c in each sample. A category seen in only one sample (an
 * unseen label in production, or one that vanished) is an ordinary cell of the table; categories absent from
 * both are dropped. With fewer than two categories, or an empty sample, there is nothing to compare: p = 1.
 */
export function chiSquareHomogeneity(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  if (reference.length !== current.length) throw new RangeError('reference and current counts must cover the same categories');
  let nRef = 0;
  let nCur = 0;
  let k = 0;
  for (let c = 0; c < reference.length; c++) {
    nRef += reference[c];
    nCur += current[c];
    if (reference[c] + current[c] > 0) k++;
  }
  if (nRef === 0 || nCur === 0 || k < 2) return { statistic: 0, dof: Math.max(0, k - 1), pValue: 1 };
  const total = nRef + nCur;
  let statistic = 0;
  for (let c = 0; c < reference.length; c++) {
    const both = reference[c] + current[c];
    if (both === 0) continue;
    const expectedRef = (nRef * both) / total;
    const expectedCur = (nCur * both) / total;
    statistic += (reference[c] - expectedRef) ** 2 / expectedRef + (current[c] - expectedCur) ** 2 / expectedCur;
  }
  const dof = k - 1;
  return { statistic, dof, pValue: chiSquareSf(statistic, dof) };
}
