import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs } from './retry-policy.js';

const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retry policy', () => {
  it('backs off exponentially with equal jitter, capped, never below Retry-After', () => {
    const random = new SeededRandom(5);
    for (let attempt = 0; attempt < 8; attempt++) {
      const step = Math.min(1000, 100 * 2 ** attempt);
      const delay = backoffDelayMs(policy, attempt, random);
      expect(delay).toBeGreaterThanOrEqual(step / 2);
      expect(delay).toBeLessThanOrEqual(step);
    }
    expect(backoffDelayMs(policy, 0, random, 3000)).toBe(3000);
  });

  it('draws its jitter from the seed: the same seed gives the same waits', () => {
    const waits = (seed: number) => {
      const random = new SeededRandom(seed);
      return [0, 1, 2, 3].map((a) => backoffDelayMs(policy, a, random));
    };
    expect(waits(1)).toEqual(waits(1));
    expect(waits(1)).not.toEqual(waits(2));
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-07-15T12:00:00Z');
    expect(parseRetryAfterMs('2', now)).toBe(2000);
    expect(parseRetryAfterMs('Wed, 15 Jul 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });

  it('retries only what the server asks to be retried', () => {
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 409, 500].some(isRetryableStatus)).toBe(false);
  });
});
