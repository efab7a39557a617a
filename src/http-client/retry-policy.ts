/**
 * When to try a request again and how long to wait first: exponential backoff with jitter drawn from the
 * seeded generator (many homes retrying at once must not retry in lockstep), and the server's
 * Retry-After when it gives one.
 */
import type { SeededRandom } from '../core/random.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 4000 };

/** Statuses worth another try: the server asked us to slow down or is briefly unavailable. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 0): "equal jitter", half the exponential
 * step plus a random share of the other half, never shorter than the server's Retry-After.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: SeededRandom,
  retryAfterMs?: number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = step / 2 + random.next() * (step / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}
