// The finite-n distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n (the distribution
// scipy calls `kstwo`), which the two-sample KS test uses for large samples with n = round(n₁n₂/(n₁+n₂)).
// The regions follow Simard & L'Ecuyer (2011), "Computing the two-sided Kolmogorov–Smirnov distribution":
// exact formulas at the edges, the Durbin matrix (Marsaglia–Tsang–Wang 2003) where it is cheap, the Pelz–Good
// asymptotic series elsewhere, and twice the exact one-sided tail (Smirnov) for the upper tail.

import { logFactorialOverPower } from './special.js';

const LN2 = Math.LN2;
/** rescale a matrix power by 2^-SCALE_BITS whenever an entry grows past 2^SCALE_BITS, keeping the exponent apart */
const SCALE_BITS = 256;
const SCALE_DOWN = 2 ** -SCALE_BITS;
const SCALE_LIMIT = 2 ** SCALE_BITS;

/** P(D_n >= x): the p-value of an observed two-sided KS distance x with n observations. */
export function kolmogorovSf(n: number, x: number): number {
  if (!(n >= 1) || !Number.isInteger(n) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const t = n * x;
  if (t <= 0.5) return 1; // D_n >= 1/(2n) always
  if (t <= 1) {
    // Ruben & Gambino (1982): P(D_n < x) = n!/nⁿ (2nx - 1)ⁿ for 1/(2n) < x <= 1/n
    return clip(1 - Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1)));
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n); // Ruben & Gambino, the far upper edge
  if (x >= 0.5) return clip(2 * smirnovSf(n, x)); // the two one-sided tails cannot both be reached: exact
  const nx2 = t * x;
  if (n <= 140) {
    // Simard & L'Ecuyer use Durbin below n x² = 0.754693 and Pomeranz up to 4; both are exact, and with
    // n <= 140 the Durbin matrix is at most 47 × 47 here, so it serves the whole range.
    if (nx2 <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x)); // Miller's approximation: the overlap of the two tails is negligible here
  }
  if (nx2 >= 370) return 0; // below 1e-300
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  // the body of the distribution (p >= about 0.02): 1 - CDF loses nothing here
  if (n <= 100_000 && n * x ** 1.5 <= 1.4) return clip(1 - durbinCdf(n, x));
  return clip(1 - pelzGoodCdf(n, x));
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * Exact upper tail of the one-sided statistic, P(D_n⁺ >= x), by the Birnbaum–Tingey (1951) sum
 *   x Σ_{j=0}^{⌊n(1-x)⌋} C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1).
 * Every term is positive, so it is summed in log space (largest term factored out) without cancellation.
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x));
  const logTerms = new Float64Array(last + 1); // (last + 1): log of each term without the leading x
  let logBinomial = 0; // log C(n, j), built up term by term
  let maxLog = -Infinity;
  for (let j = 0; j <= last; j++) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const below = 1 - x - j / n;
    let v: number;
    if (below <= 0) v = n - j === 0 ? logBinomial + (j - 1) * Math.log(x + j / n) : -Infinity;
    else v = logBinomial + (n - j) * Math.log(below) + (j - 1) * Math.log(x + j / n);
    logTerms[j] = v;
    if (v > maxLog) maxLog = v;
  }
  if (maxLog === -Infinity) return 0;
  let sum = 0;
  for (let j = 0; j <= last; j++) sum += Math.exp(logTerms[j] - maxLog);
  return x * Math.exp(maxLog) * sum;
}

/**
 * P(D_n < d) by Durbin's matrix (Marsaglia, Tsang & Wang 2003). Write n·d = k - h with k an integer and
 * 0 < h <= 1; with m = 2k - 1 the (m × m) matrix H has entries 1/(i - j + 1)! on and below the superdiagonal,
 * corrected in its first column and last row for h; then P(D_n < d) = n!/nⁿ · (Hⁿ)[k-1][k-1].
 * Cost O(m³ log n), so it is used only where m stays small.
 */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.floor(nd) + 1;
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m); // (m, m) row-major
  const invFactorial = new Float64Array(m + 1); // (m + 1): 1/i!
  invFactorial[0] = 1;
  for (let i = 1; i <= m; i++) invFactorial[i] = invFactorial[i - 1] / i;
  for (let i = 0; i < m; i++) for (let j = 0; j <= Math.min(i + 1, m - 1); j++) H[i * m + j] = invFactorial[i - j + 1];
  for (let i = 0; i < m; i++) {
    H[i * m] -= h ** (i + 1) * invFactorial[i + 1]; // first column
    H[(m - 1) * m + i] -= h ** (m - i) * invFactorial[m - i]; // last row
  }
  if (2 * h - 1 > 0) H[(m - 1) * m] += (2 * h - 1) ** m * invFactorial[m];

  // Hⁿ by repeated squaring; each matrix carries a power-of-two exponent so nothing overflows
  let result: Float64Array | null = null;
  let resultExp = 0;
  let base: Float64Array = H;
  let baseExp = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      if (result === null) {
        result = base.slice();
        resultExp = baseExp;
      } else {
        result = multiply(result, base, m);
        resultExp += baseExp;
        resultExp += rescale(result);
      }
    }
    if (e > 1) {
      base = multiply(base, base, m);
      baseExp = 2 * baseExp + rescale(base);
    }
  }
  const entry = (result as Float64Array)[(k - 1) * m + (k - 1)];
  if (entry <= 0) return 0;
  return Math.min(1, Math.exp(Math.log(entry) + resultExp * LN2 + logFactorialOverPower(n)));
}

/** (m, m) row-major product a·b */
function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l];
      if (ail === 0) continue;
      const row = l * m;
      const dst = i * m;
      for (let j = 0; j < m; j++) out[dst + j] += ail * b[row + j];
    }
  }
  return out;
}

/** scale `a` down in place while its largest entry exceeds 2^SCALE_BITS; returns the exponent removed */
function rescale(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  let removed = 0;
  while (max > SCALE_LIMIT) {
    for (let i = 0; i < a.length; i++) a[i] *= SCALE_DOWN;
    max *= SCALE_DOWN;
    removed += SCALE_BITS;
  }
  return removed;
}

/**
 * Pelz & Good (1976) series for P(D_n <= x): K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^{3/2} with z = x√n, each K
 * written (via Jacobi theta identities) as sums over odd m of polynomials times e^{-m²π²/(8z²)}, plus, for K2
 * and K3, sums over k of polynomials times e^{-k²π²/(2z²)}. Accurate to about 1e-5 or better for n > 140.
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = x * Math.sqrt(n);
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  if (-(Math.PI * Math.PI) / (8 * z2) < -708) return 0; // every term underflows: z below about 0.042
  const pi2 = Math.PI * Math.PI;
  // terms decay like e^{-m²π²/(8z²)}: by m = 32z/π the factor is e^{-128}, far below double precision
  const maxK = Math.ceil((16 * z) / Math.PI) + 1;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 1; k <= maxK; k++) {
    const m2 = (2 * k - 1) ** 2;
    const w = Math.exp((-m2 * pi2) / (8 * z2));
    const a = (m2 * pi2) / 4; // (mπ/2)²
    const a2 = a * a;
    const a3 = a2 * a;
    s0 += w;
    s1 += (a - z2) * w;
    s2 += (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * a + (1 - 2 * z2) * a2) * w;
    s3 += ((5 - 30 * z2) * a3 + (212 * z4 - 60 * z2) * a2 + (135 * z4 - 96 * z6) * a - 30 * z6 - 90 * z4 * z4) * w;
  }
  let t2 = 0;
  let t3 = 0;
  for (let k = 1; k <= maxK; k++) {
    const k2 = k * k;
    const w = Math.exp((-k2 * pi2) / (2 * z2));
    t2 += k2 * w;
    t3 += (3 * z2 - pi2 * k2) * k2 * w;
  }
  const root2pi = Math.sqrt(2 * Math.PI);
  const k0 = (root2pi / z) * s0;
  const k1 = (root2pi / (6 * z4)) * s1;
  const k2 = (root2pi / (72 * z6 * z)) * s2 - ((pi2 * root2pi) / (36 * z2 * z)) * t2;
  const k3 = (root2pi / (6480 * z6 * z4)) * s3 + ((pi2 * root2pi) / (216 * z6)) * t3;
  const rn = Math.sqrt(n);
  return k0 + k1 / rn + k2 / n + k3 / (n * rn);
}
