/**
 * Two-sample inference for a randomised comparison: Welch's t interval on the difference of two means
 * (unequal variances, Welch–Satterthwaite degrees of freedom), a seeded percentile bootstrap of the same
 * difference as a distribution-free cross-check, and the minimum detectable effect of a design.
 */
import { TeError } from '../../core/errors.js';
import { SeededRandom } from '../../core/random.js';
import { studentTQuantile } from './student-t.js';

export interface SampleSummary {
  readonly count: number;
  readonly mean: number;
  /** Unbiased sample variance (n − 1 in the denominator); NaN below two observations. */
  readonly variance: number;
}

export function summarize(values: ArrayLike<number>): SampleSummary {
  const count = values.length;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i] as number;
  const mean = count > 0 ? sum / count : Number.NaN;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += ((values[i] as number) - mean) ** 2;
  return { count, mean, variance: count > 1 ? squares / (count - 1) : Number.NaN };
}

export interface DifferenceInterval {
  /** Mean of the first sample minus mean of the second. */
  readonly estimate: number;
  readonly standardError: number;
  readonly degreesOfFreedom: number;
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new TeError(
      'TE_ERR_VALIDATION',
      `a confidence level lies strictly between 0 and 1, got ${confidence}`,
    );
  }
}

function checkSampleSize(summary: SampleSummary, name: string): void {
  if (summary.count < 2) {
    throw new TeError('TE_ERR_VALIDATION', `the ${name} sample has ${summary.count} values, fewer than two`, {
      hint: 'a variance, and so an interval, needs at least two observations per group',
    });
  }
}

/**
 * Welch's interval for mean(a) − mean(b): SE = √(s²a/na + s²b/nb), and the Welch–Satterthwaite degrees of
 * freedom ν = SE⁴ / ((s²a/na)²/(na−1) + (s²b/nb)²/(nb−1)). When both samples are constant the standard
 * error is 0: the interval is the point and ν falls back to na + nb − 2 (the pooled value).
 */
export function welchInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  confidence: number,
): DifferenceInterval {
  return welchIntervalFromSummaries(summarize(a), summarize(b), confidence);
}

export function welchIntervalFromSummaries(
  a: SampleSummary,
  b: SampleSummary,
  confidence: number,
): DifferenceInterval {
  checkConfidence(confidence);
  checkSampleSize(a, 'first');
  checkSampleSize(b, 'second');
  const shareA = a.variance / a.count;
  const shareB = b.variance / b.count;
  const varianceOfDifference = shareA + shareB;
  const standardError = Math.sqrt(varianceOfDifference);
  const estimate = a.mean - b.mean;
  const denominator = shareA ** 2 / (a.count - 1) + shareB ** 2 / (b.count - 1);
  const degreesOfFreedom = denominator > 0 ? varianceOfDifference ** 2 / denominator : a.count + b.count - 2;
  const halfWidth =
    standardError > 0 ? studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom) * standardError : 0;
  return {
    estimate,
    standardError,
    degreesOfFreedom,
    low: estimate - halfWidth,
    high: estimate + halfWidth,
    confidence,
  };
}

/**
 * The smallest true difference a two-sided test at `confidence` detects with probability `power`, given
 * the standard error and degrees of freedom of the design: (t_{1−α/2,ν} + t_{power,ν}) · SE.
 */
export function minimumDetectableEffect(
  standardError: number,
  degreesOfFreedom: number,
  confidence: number,
  power = 0.8,
): number {
  checkConfidence(confidence);
  if (standardError === 0) return 0;
  return (
    (studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom) +
      studentTQuantile(power, degreesOfFreedom)) *
    standardError
  );
}

/** The q-quantile of sorted values, interpolating linearly between order statistics. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(n - 1, below + 1);
  const fraction = position - below;
  return (sorted[below] as number) * (1 - fraction) + (sorted[above] as number) * fraction;
}

function resampledMean(values: ArrayLike<number>, rng: SeededRandom): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[Math.floor(rng.next() * n)] as number;
  return sum / n;
}

export interface BootstrapInterval {
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  readonly resamples: number;
}

/**
 * Percentile bootstrap of mean(a) − mean(b): each resample draws both groups with replacement (keeping
 * the group sizes, as the randomisation fixed them), and the interval is the middle `confidence` share
 * of the resampled differences. Seeded, so the same data and seed give the same interval.
 */
export function bootstrapDifferenceInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  confidence: number,
  seed: number,
  resamples = 2000,
): BootstrapInterval {
  checkConfidence(confidence);
  if (a.length < 2 || b.length < 2) {
    throw new TeError('TE_ERR_VALIDATION', 'a bootstrap interval needs at least two values per group');
  }
  const rng = new SeededRandom(seed);
  const differences = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) differences[r] = resampledMean(a, rng) - resampledMean(b, rng);
  differences.sort();
  const tail = (1 - confidence) / 2;
  return {
    low: sortedQuantile(differences, tail),
    high: sortedQuantile(differences, 1 - tail),
    confidence,
    resamples,
  };
}
