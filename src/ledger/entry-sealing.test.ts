import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { USD } from '../core/money.js';
import { settleSlot } from './delivery-settlement.js';
import { chainTailAfter, EMPTY_CHAIN, sealEntries } from './entry-sealing.js';
import { Journal } from './journal.js';
import { GENESIS_HASH, type EntryDraft, type LedgerEntry, type Sha256 } from './journal-entry.js';
import { transferDraft, usd } from './ledger-example.fixture.js';
import type { SlotOutcome } from './settlement-input.js';
import { verifyJournal } from './verify-journal.js';

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

function slotDrafts(index: number): EntryDraft[] {
  const slot = { startMs: 1_800_000_000_000 + index * 300_000, endMs: 1_800_000_300_000 + index * 300_000 };
  const outcome: SlotOutcome = {
    marketId: 'm',
    slot,
    timeMs: slot.endMs + 60_000,
    currency: USD,
    rows: [
      {
        rowId: 'a/1/0',
        partyId: 'a',
        side: 'buy',
        filledKw: 3.3,
        pricePerKwh: 0.11,
        fees: [{ area: 'distribution', feePerKwh: 0.02 }],
        aggregator: { aggregatorId: 'vpp', marginPerKwh: 0.005 },
      },
      { rowId: 'b/1/0', partyId: 'b', side: 'sell', filledKw: 1.3, pricePerKwh: 0.11 },
      { rowId: 'sub', partyKind: 'supplier', partyId: 'sub', side: 'sell', filledKw: 2, pricePerKwh: 0.11 },
    ],
    meters: [
      {
        participantId: 'a',
        meteredKwh: 0.31,
        imbalancePricePerKwh: 0.11,
        distributionChargePerKwh: 0.03,
        distributionUtility: 'utility',
      },
    ],
  };
  const settled = settleSlot(outcome);
  if (!settled.ok) throw settled.error;
  return settled.value;
}

describe('sealEntries', () => {
  it('seals batches exactly as a Journal holding the same chain would', () => {
    const journal = new Journal(sha256);
    const sealed: LedgerEntry[] = [];
    for (let index = 0; index < 4; index++) {
      const drafts = slotDrafts(index);
      const posted = journal.post(drafts);
      if (!posted.ok) throw posted.error;
      const result = sealEntries(drafts, chainTailAfter(sealed.at(-1)), sha256);
      if (!result.ok) throw result.error;
      sealed.push(...result.value);
      expect(result.value).toEqual(posted.value);
    }
    expect(sealed).toEqual(journal.entries());
    expect(JSON.stringify(sealed)).toBe(JSON.stringify(journal.entries()));
    // What a store keeps is the JSON of the entry: it reads back equal and verifies.
    const readBack = JSON.parse(JSON.stringify(sealed)) as LedgerEntry[];
    expect(readBack).toEqual(journal.entries());
    expect(verifyJournal(readBack, sha256)).toMatchObject({ ok: true, entryCount: journal.length });
  });

  it('starts an empty chain at sequence 0 after the genesis hash', () => {
    expect(chainTailAfter(undefined)).toEqual(EMPTY_CHAIN);
    const result = sealEntries([transferDraft('e0', 'a', 'b', 5)], EMPTY_CHAIN, sha256);
    expect(result.ok && result.value[0]).toMatchObject({ sequence: 0, prevHash: GENESIS_HASH });
  });

  it('continues from a tail it did not seal itself', () => {
    const journal = new Journal(sha256);
    journal.post([transferDraft('e0', 'a', 'b', 5), transferDraft('e1', 'a', 'b', 6)]);
    const next = transferDraft('e2', 'b', 'a', 7);
    const result = sealEntries(
      [next],
      { nextSequence: journal.nextSequence, previousHash: journal.lastHash },
      sha256,
    );
    const posted = journal.post([next]);
    expect(result.ok && posted.ok && result.value[0]?.hash === posted.value[0]?.hash).toBe(true);
  });

  it.each([
    [
      'an unbalanced draft',
      [{ ...transferDraft('x', 'a', 'b', 1), postings: [usd('a', -2), usd('b', 1)] }],
      'TE_ERR_LEDGER_UNBALANCED',
    ],
    [
      'an id twice in the batch',
      [transferDraft('x', 'a', 'b', 1), transferDraft('x', 'a', 'b', 2)],
      'TE_ERR_LEDGER_DUPLICATE_ENTRY',
    ],
  ])('refuses %s and seals nothing', (_name, drafts, code) => {
    const result = sealEntries(drafts, EMPTY_CHAIN, sha256);
    expect(result.ok ? 'sealed' : result.error.code).toBe(code);
  });

  it('refuses a tail that is not a sequence', () => {
    const result = sealEntries(
      [transferDraft('x', 'a', 'b', 1)],
      { nextSequence: -1, previousHash: GENESIS_HASH },
      sha256,
    );
    expect(result.ok ? 'sealed' : result.error.code).toBe('TE_ERR_LEDGER_SEQUENCE');
  });
});
