import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { USD } from '../core/money.js';
import { settleSlot } from './delivery-settlement.js';
import { Journal } from './journal.js';
import type { EntryDraft, Sha256 } from './journal-entry.js';
import type { FillRow, SlotOutcome } from './settlement-input.js';
import { settleTrades } from './slot-market-settlement.js';
import { verifyJournal } from './verify-journal.js';

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const HOUR = { startMs: 3_600_000, endMs: 7_200_000 };

function postingsOf(drafts: readonly EntryDraft[]): Record<string, Record<string, number>> {
  return Object.fromEntries(
    drafts.map((d) => [d.id, Object.fromEntries(d.postings.map((p) => [p.account, p.amountMinor]))]),
  );
}

function settled(outcome: SlotOutcome): EntryDraft[] {
  const result = settleSlot(outcome);
  if (!result.ok) throw result.error;
  return result.value;
}

describe('settlement of a uniform-price slot (market as counterparty)', () => {
  const outcome: SlotOutcome = {
    marketId: 'm',
    slot: HOUR,
    timeMs: HOUR.endMs,
    currency: USD,
    rows: [
      {
        rowId: 'b1',
        partyId: 'A',
        side: 'buy',
        filledKw: 2,
        pricePerKwh: 0.125,
        fees: [{ area: 'feeder-1', feePerKwh: 0.01 }],
      },
      {
        rowId: 'b2',
        partyId: 'B',
        side: 'buy',
        filledKw: 1,
        pricePerKwh: 0.125,
        fees: [{ area: 'feeder-1', feePerKwh: 0.005 }],
        aggregator: { aggregatorId: 'agg', marginPerKwh: 0.002 },
      },
      { rowId: 's1', partyKind: 'supplier', partyId: 'S', side: 'sell', filledKw: 3, pricePerKwh: 0.125 },
    ],
    meters: [
      {
        participantId: 'A',
        meteredKwh: 2.2,
        imbalancePricePerKwh: 0.2,
        distributionChargePerKwh: 0.03,
        distributionUtility: 'util',
      },
      {
        participantId: 'B',
        meteredKwh: 0.9,
        imbalancePricePerKwh: 0.2,
        distributionChargePerKwh: 0.03,
        distributionUtility: 'util',
      },
    ],
  };

  it('matches the hand-computed postings', () => {
    // b1: 2000 Wh × 0.125 = 25 c, fee 2000 Wh × 0.01 = 2 c; A pays 27 c.
    // b2: 12.5 c → 12 (half even), fee 0.5 c → 0, margin 0.2 c → 0; B pays 13.2 c → 13; residual 1 c.
    // s1: 37.5 c → 38 (half even). The clearing kept 25 + 12 − 38 = −1 c: the operator covers it.
    // Imbalance: A +200 Wh × 0.2 = 4 c; B −100 Wh × 0.2 = −2 c (credited).
    // Distribution: A 2200 Wh × 0.03 = 6.6 c → 7; B 900 Wh × 0.03 = 2.7 c → 3.
    expect(postingsOf(settled(outcome))).toEqual({
      'm/3600000/trade/b1': {
        'participant:A:energy': -27,
        'market:clearing': 25,
        'grid-area:feeder-1:fees': 2,
      },
      'm/3600000/trade/b2': {
        'participant:B:energy': -13,
        'market:clearing': 12,
        'grid-area:feeder-1:fees': 0,
        'aggregator:agg:margin': 0,
        'market:rounding': 1,
      },
      'm/3600000/trade/s1': { 'market:clearing': -38, 'supplier:S': 38 },
      'm/3600000/spread/operator': { 'market:clearing': 1, 'market:operator': -1 },
      'm/3600000/imbalance/A': { 'participant:A:energy': -4, 'market:imbalance': 4 },
      'm/3600000/imbalance/B': { 'participant:B:energy': 2, 'market:imbalance': -2 },
      'm/3600000/distribution/A': { 'participant:A:distribution': -7, 'distribution:util': 7 },
      'm/3600000/distribution/B': { 'participant:B:distribution': -3, 'distribution:util': 3 },
    });
  });

  it('posts into a journal that verifies, with energy bought = sold', () => {
    const journal = new Journal(sha256);
    expect(journal.post(settled(outcome)).ok).toBe(true);
    expect(verifyJournal(journal.entries(), sha256)).toMatchObject({
      ok: true,
      energyBoughtWh: 3300,
      energySoldWh: 3300,
      slotCount: 1,
    });
  });

  it('refuses fills that buy more than they sell, and non-finite inputs', () => {
    const lopsided = {
      ...outcome,
      rows: [
        ...(outcome.rows ?? []),
        { rowId: 'b3', partyId: 'C', side: 'buy', filledKw: 0.01, pricePerKwh: 0.1 } as FillRow,
      ],
    };
    const refused = settleTrades(lopsided);
    expect(refused.ok ? undefined : refused.error.code).toBe('TE_ERR_LEDGER_ENERGY');
    const nan = settleSlot({
      ...outcome,
      meters: [
        {
          participantId: 'A',
          meteredKwh: Number.NaN,
          imbalancePricePerKwh: 0,
          distributionChargePerKwh: 0,
          distributionUtility: 'u',
        },
      ],
    });
    expect(nan.ok ? undefined : nan.error.code).toBe('TE_ERR_NOT_FINITE');
  });
});

describe('settlement of a P2P slot with grid fees', () => {
  it('pays the seller directly and the fees to every area crossed (hand-computed)', () => {
    const drafts = settled({
      marketId: 'p2p',
      slot: { startMs: 0, endMs: 1_800_000 },
      timeMs: 1_800_000,
      currency: USD,
      bilateral: [
        // 4 kW for half an hour = 2000 Wh at 0.10 = 20 c; fees 2 c and 0.8 c; the seller's aggregator
        // takes 0.5 c. Buyer pays 22.8 → 23; seller 19.5 → 20 (even); fees 2 and 1; margin 0.5 → 0.
        {
          tradeId: 't1',
          buyerId: 'A',
          sellerId: 'B',
          quantityKw: 4,
          pricePerKwh: 0.1,
          fees: [
            { area: 'feeder-1', feePerKwh: 0.01 },
            { area: 'substation', feePerKwh: 0.004 },
          ],
          sellerAggregator: { aggregatorId: 'vpp', marginPerKwh: 0.0025 },
        },
        // 500 Wh at 0.123 = 6.15 c → 6 each way.
        { tradeId: 't2', buyerId: 'C', sellerId: 'B', quantityKw: 1, pricePerKwh: 0.123 },
      ],
    });
    expect(postingsOf(drafts)).toEqual({
      'p2p/0/trade/t1': {
        'participant:A:energy': -23,
        'participant:B:energy': 20,
        'grid-area:feeder-1:fees': 2,
        'grid-area:substation:fees': 1,
        'aggregator:vpp:margin': 0,
      },
      'p2p/0/trade/t2': { 'participant:C:energy': -6, 'participant:B:energy': 6 },
    });
    expect(drafts[0]?.metadata).toMatchObject({
      tradeIds: ['t1'],
      boughtWh: 2000,
      soldWh: 2000,
      buyerId: 'A',
      sellerId: 'B',
    });
  });
});

describe('rounding residual (property)', () => {
  const price = fc.double({ min: -0.5, max: 3, noNaN: true });
  const fee = fc.double({ min: 0, max: 0.2, noNaN: true });
  const row = fc.record({
    kw: fc.double({ min: 0, max: 50, noNaN: true }),
    price,
    fee,
    margin: fc.option(fee, { nil: undefined }),
  });

  it('every entry balances exactly and its rounding posting is within the number of postings', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (buys, slotTwelfths) => {
          const slot = { startMs: 0, endMs: slotTwelfths * 300_000 };
          // The sellers mirror the buyers' quantities in reverse order, so the slot's energy matches.
          const rows: FillRow[] = [
            ...buys.map((b, i): FillRow => ({
              rowId: `b${i}`,
              partyId: `p${i}`,
              side: 'buy',
              filledKw: b.kw,
              pricePerKwh: b.price,
              fees: [
                { area: 'a1', feePerKwh: b.fee },
                { area: 'a2', feePerKwh: b.fee / 3 },
              ],
              ...(b.margin === undefined
                ? {}
                : { aggregator: { aggregatorId: 'g', marginPerKwh: b.margin } }),
            })),
            ...[...buys].reverse().map((b, i): FillRow => ({
              rowId: `s${i}`,
              partyId: `q${i}`,
              side: 'sell',
              filledKw: b.kw,
              pricePerKwh: b.price / 2,
              ...(b.margin === undefined
                ? {}
                : { aggregator: { aggregatorId: 'g', marginPerKwh: b.margin } }),
            })),
          ];
          const meters = buys.map((b, i) => ({
            participantId: `p${i}`,
            meteredKwh: b.kw * 0.9,
            imbalancePricePerKwh: b.price,
            distributionChargePerKwh: b.fee,
            distributionUtility: 'u',
          }));
          const drafts = settled({ marketId: 'm', slot, timeMs: slot.endMs, currency: USD, rows, meters });
          const journal = new Journal(sha256);
          expect(journal.post(drafts).ok).toBe(true);
          expect(verifyJournal(journal.entries(), sha256).ok).toBe(true);
          for (const entry of drafts) {
            expect(entry.postings.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(0);
            const others = entry.postings.filter((p) => p.account !== 'market:rounding');
            const residual = entry.postings.find((p) => p.account === 'market:rounding')?.amountMinor ?? 0;
            expect(Math.abs(residual)).toBeLessThanOrEqual(Math.floor(others.length / 2));
            expect(Math.abs(residual)).toBeLessThanOrEqual(entry.postings.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
