import { describe, expect, it } from 'vitest';
import type { VerifiedToken } from './tokens.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const caller = { clientId: 'c1', role: 'prosumer', participantId: 'p1' } as const;
const verified = (expiresAtS: number, notBeforeS?: number): VerifiedToken => ({
  caller,
  expiresAtS,
  notBeforeS,
});

describe('VerifiedTokenCache', () => {
  it('answers a verified token until the second its exp names, as the full check would', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('t', verified(1_000));
    expect(cache.lookup('t', 999_999)).toEqual(caller);
    expect(cache.lookup('t', 1_000_000)).toBeUndefined();
    // Once expired it is gone, even if the clock is set back.
    expect(cache.lookup('t', 0)).toBeUndefined();
    expect(cache.lookup('unknown', 0)).toBeUndefined();
  });

  it('honours nbf', () => {
    const cache = new VerifiedTokenCache();
    cache.remember('t', verified(2_000, 1_000));
    expect(cache.lookup('t', 999_999)).toBeUndefined();
    cache.remember('t', verified(2_000, 1_000));
    expect(cache.lookup('t', 1_000_000)).toEqual(caller);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(2);
    cache.remember('a', verified(10));
    cache.remember('b', verified(10));
    expect(cache.lookup('a', 0)).toEqual(caller);
    cache.remember('c', verified(10));
    expect(cache.size).toBe(2);
    expect(cache.lookup('b', 0)).toBeUndefined();
    expect(cache.lookup('a', 0)).toEqual(caller);
    expect(cache.lookup('c', 0)).toEqual(caller);
  });

  it('keeps 10,000 VENs polling in turn with two tokens each, the pattern LRU fails worst', () => {
    const cache = new VerifiedTokenCache();
    const tokens = Array.from({ length: 20_001 }, (_, i) => `token-${i}`);
    for (const token of tokens) cache.remember(token, verified(10));
    expect(tokens.filter((token) => cache.lookup(token, 0) === undefined)).toEqual([]);
  });
});
