/**
 * Student's t distribution: its CDF through the regularised incomplete beta function, and its quantile
 * (the inverse CDF) by safeguarded Newton iteration on that CDF. Degrees of freedom may be fractional, as
 * Welch–Satterthwaite gives them. Written here rather than taken from a library so the confidence
 * intervals depend on nothing outside tenet; tested against tabulated quantiles.
 */
import { TeError } from '../../core/errors.js';

/** Lanczos coefficients for g = 7, nine terms: |error| < 1e-15 for positive arguments. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 − x) = π / sin(π x).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let k = 1; k < LANCZOS.length; k++) sum += (LANCZOS[k] as number) / (z + k);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const TINY = 1e-300;
const EPSILON = 1e-15;
const MAX_TERMS = 10_000;

/**
 * The continued fraction of I_x(a, b) (modified Lentz), valid and fast for x < (a + 1) / (a + b + 2).
 * Terms: d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)), d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let fraction = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    c = 1 + even / c;
    if (Math.abs(d) < TINY) d = TINY;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    fraction *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    c = 1 + odd / c;
    if (Math.abs(d) < TINY) d = TINY;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < EPSILON) return fraction;
  }
  return fraction;
}

/** The regularised incomplete beta function I_x(a, b), for 0 ≤ x ≤ 1 and a, b > 0. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(logFront);
  // The fraction converges quickly on one side of the mean; the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
  // covers the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function checkDegreesOfFreedom(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new TeError('TE_ERR_VALIDATION', `degrees of freedom must be positive and finite, got ${df}`, {
      hint: 'a t interval needs at least two observations in each group',
    });
  }
}

/** P(T ≤ t) for T ~ Student t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
  const twoTail = regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - twoTail / 2 : twoTail / 2;
}

/** The density of Student's t. */
export function studentTDensity(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The p-quantile of Student's t: the t with P(T ≤ t) = p. Closed forms for 1 and 2 degrees of freedom;
 * otherwise Newton steps on the CDF kept inside a bisection bracket, to about 1e-12 relative.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (!(p > 0 && p < 1)) {
    throw new TeError(
      'TE_ERR_VALIDATION',
      `a quantile needs a probability strictly between 0 and 1, got ${p}`,
    );
  }
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  // Bracket: the CDF is increasing; double the upper end until it passes p.
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  let t = (low + high) / 2;
  for (let iteration = 0; iteration < 200; iteration++) {
    const error = studentTCdf(t, df) - p;
    if (error > 0) high = t;
    else low = t;
    const newton = t - error / studentTDensity(t, df);
    const next = newton > low && newton < high ? newton : (low + high) / 2;
    if (Math.abs(next - t) <= 1e-13 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
