/**
 * Verified bearer tokens by their text, so a client sending the same token on every request pays for the
 * ES256 signature check once (it was a tenth of an order submission's CPU). A hit re-checks what changes
 * with time, exactly as the full check does (`exp`, and `nbf` were there one); the signature, issuer,
 * algorithm and claim shapes of the same text cannot change. A token is never honoured longer than its
 * own `exp`, so revocation is what it was without the cache: a disabled client gets no new token and its
 * tokens lapse within their lifetime (the token TTL, an hour by default). The least recently used entries
 * go first beyond the bound, so a flood of distinct tokens costs memory only up to it.
 */
import type { Caller, VerifiedToken } from './tokens.js';

/**
 * Room for 10,000 VENs polling with two tokens each (the old one still in use while its successor
 * arrives) and the rest of the platform's clients. Clients polling in turn are LRU's worst case: one
 * token more than the bound and every request misses, paying the signature check again. An entry
 * (token text and caller) is about 1 KB, so the bound costs at most some 50 MB.
 */
export const DEFAULT_VERIFIED_TOKENS = 50_000;

export class VerifiedTokenCache {
  readonly #entries = new Map<string, VerifiedToken>();

  constructor(readonly maxEntries: number = DEFAULT_VERIFIED_TOKENS) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The caller of a token verified before and still within its validity at `nowMs`. */
  lookup(token: string, nowMs: number): Caller | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    const nowS = Math.floor(nowMs / 1000);
    // The same comparisons jose makes with no clock tolerance.
    if (entry.expiresAtS <= nowS) return undefined;
    if (entry.notBeforeS !== undefined && entry.notBeforeS > nowS) return undefined;
    this.#entries.set(token, entry);
    return entry.caller;
  }

  remember(token: string, verified: VerifiedToken): void {
    this.#entries.delete(token);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, verified);
  }
}
