// Special functions behind the drift tests' p-values: log-gamma, log(n!/n^n), and the regularised incomplete
// gamma functions P(a, x) and Q(a, x) = 1 - P(a, x) (the chi-square survival function is Q(k/2, x/2)).
// Pure numerics, no I/O; relative accuracy about 1e-13 over the ranges monitoring uses.

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-16;
/** smallest magnitude kept in the continued fraction (Lentz's method) so a denominator is never exactly 0 */
const TINY = 1e-300;
const MAX_TERMS = 100_000;

// Lanczos approximation, g = 7, 9 coefficients (Godfrey's table): ~1e-15 relative for Γ on [0.5, 10].
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Stirling's series remainder for log Γ(x): 1/(12x) - 1/(360x³) + 1/(1260x⁵) - 1/(1680x⁷) + 1/(1188x⁹).
 * For x >= 10 the first omitted term is below 1e-15 of the result.
 */
function stirlingRemainder(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
}

/** log Γ(x) for x > 0 */
export function logGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + stirlingRemainder(x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * log(n! / nⁿ) for an integer n >= 1, written so the two large terms never cancel:
 * log n! = (n + ½) log n - n + log √(2π) + remainder, hence log(n!/nⁿ) = ½ log n - n + log √(2π) + remainder.
 */
export function logFactorialOverPower(n: number): number {
  if (n < 10) {
    let s = 0;
    for (let i = 1; i <= n; i++) s += Math.log(i / n);
    return s;
  }
  return 0.5 * Math.log(n) - n + LOG_SQRT_2PI + stirlingRemainder(n);
}

/** log of xᵃ e⁻ˣ / Γ(a), the common factor of P and Q */
function gammaPrefactorLog(a: number, x: number): number {
  return a * Math.log(x) - x - logGamma(a);
}

/** P(a, x) by its power series; converges fast when x < a + 1 */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(gammaPrefactorLog(a, x));
}

/** Q(a, x) by its continued fraction (modified Lentz); converges fast when x >= a + 1 */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(gammaPrefactorLog(a, x)) * h;
}

/** Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x >= 0. */
export function gammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a); keeps full relative precision for tiny tails. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** Survival function of the chi-square distribution with `dof` degrees of freedom: P(X >= statistic). */
export function chiSquareSf(statistic: number, dof: number): number {
  if (!(dof > 0)) return NaN;
  if (statistic <= 0) return 1;
  return gammaQ(dof / 2, statistic / 2);
}
