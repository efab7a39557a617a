/**
 * Test helpers for the ledger: node:crypto's SHA-256 behind the ledger's port and small entry builders.
 * Only tests import this file; the SHA-256 they inject comes from node:crypto in the tests themselves,
 * so this file stays free of platform imports like the rest of the domain.
 */
import type { EntryDraft, Posting } from './journal-entry.js';

export const SLOT = { startMs: Date.UTC(2026, 0, 1, 12), endMs: Date.UTC(2026, 0, 1, 13) } as const;

export function usd(account: string, amountMinor: number): Posting {
  return { account, amountMinor, currency: 'USD' };
}

export function transferDraft(
  id: string,
  from: string,
  to: string,
  amountMinor: number,
  metadata = {},
): EntryDraft {
  return {
    id,
    slot: SLOT,
    timeMs: SLOT.endMs,
    kind: 'trade',
    postings: [usd(from, -amountMinor), usd(to, amountMinor)],
    metadata,
  };
}
