// The two-sample Kolmogorov–Smirnov test: D = max |F_ref(x) - F_cur(x)| over the two empirical CDFs, with
// scipy.stats.ks_2samp's default 'auto' method for the p-value: exact when both samples have <= 10,000 values,
// otherwise the finite-n Kolmogorov distribution with n = round(n₁n₂ / (n₁ + n₂)).

import { KilnError } from '../../core/errors.js';
import { kolmogorovSf } from './kolmogorov.js';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  /** the largest distance between the two empirical CDFs, in [0, 1] */
  readonly statistic: number;
  /** P(D >= statistic) if both samples came from one continuous distribution */
  readonly pValue: number;
  /** how the p-value was computed */
  readonly method: 'exact' | 'asymp';
}

/** scipy's 'auto' switches to the asymptotic method above this sample size */
export const KS_EXACT_MAX_N = 10_000;

/**
 * KS test of two samples. Both arrays must be sorted ascending and hold finite values only (see
 * `column-values.ts`, which prepares them once per column).
 */
export function ksTwoSample(a: Float64Array, b: Float64Array, method: KsMethod = 'auto'): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new KilnError('E_DATA_EMPTY', 'the KS test needs at least one value in each sample');
  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  // Work in integers: |i/n1 - j/n2| · lcm(n1, n2) = |i·n2g - j·n1g|, so the statistic is an exact lattice distance.
  let i = 0;
  let j = 0;
  let h = 0;
  while (i < n1 && j < n2) {
    const v = a[i] <= b[j] ? a[i] : b[j];
    while (i < n1 && a[i] === v) i++; // ties move both CDFs before the distance is read
    while (j < n2 && b[j] === v) j++;
    const diff = Math.abs(i * n2g - j * n1g);
    if (diff > h) h = diff;
  }
  // once one sample is exhausted the distance only shrinks towards 0, so the loop above saw the maximum
  const lcm = n1g * n2;
  const statistic = h / lcm;
  const mode = method === 'auto' ? (Math.max(n1, n2) <= KS_EXACT_MAX_N ? 'exact' : 'asymp') : method;
  if (mode === 'exact') return { statistic, pValue: h === 0 ? 1 : exactOutsideProbability(n1, n2, g, h), method: 'exact' };
  const [big, small] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (big * small) / (big + small);
  return { statistic, pValue: kolmogorovSf(roundHalfEven(en), statistic), method: 'asymp' };
}

/**
 * Exact P(D >= h / lcm) under the null: the share of monotone lattice paths from (0, 0) to (m, n) that touch
 * the band edge |x·ng - y·mg| >= h. Every path is equally likely, so with u(x, y) the share of paths to (x, y)
 * that have already left the band,
 *   u(x, y) = 1 outside the band,   u(x, y) = (x·u(x-1, y) + y·u(x, y-1)) / (x + y) inside it
 * (a path to (x, y) arrives from the left with probability x/(x+y)). The recursion adds positive terms only,
 * so tiny p-values keep their relative precision (the same idea as Viehmann 2021, arXiv:2102.08037).
 * One row of u is kept; the band [lo, hi] only moves upwards with x, so the row is updated in place.
 */
function exactOutsideProbability(n1: number, n2: number, g: number, h: number): number {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const mg = m / g;
  const ng = n / g;
  const u = new Float64Array(n + 1).fill(1); // (n + 1): u(x, y) for the current x; cells never in a band stay 1
  // row x = 0: inside while y·mg < h
  const hi0 = Math.min(n, Math.ceil(h / mg) - 1);
  for (let y = 0; y <= hi0; y++) u[y] = 0;
  for (let x = 1; x <= m; x++) {
    const lo = Math.max(0, Math.floor((x * ng - h) / mg) + 1);
    const hi = Math.min(n, Math.ceil((x * ng + h) / mg) - 1);
    if (hi < lo) return 1; // the band closed: every path left it
    let left = lo === 0 ? 0 : 1; // u(x, lo - 1): outside the band (or no cell, with weight 0)
    for (let y = lo; y <= hi; y++) {
      left = (x * u[y] + y * left) / (x + y);
      u[y] = left;
    }
  }
  const p = u[n];
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round(): halves go to the even neighbour (0.5 → 0, 2.5 → 2) */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
