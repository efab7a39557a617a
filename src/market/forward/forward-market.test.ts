import { describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../../core/time.js';
import { EXAMPLE_MARKET, EXAMPLE_TENDERS, GATE_CLOSURE_MS, INTERVAL } from './forward-example.fixture.js';
import { clearForwardMarket } from './forward-market.js';
import { forwardPositionKw, positions } from './position.js';
import { acceptTender, MARKET_PARTY, type Tender } from './tender.js';

function cleared(tenders: readonly Tender[]) {
  const result = clearForwardMarket(tenders, EXAMPLE_MARKET);
  if (!result.ok) throw result.error;
  return result.value;
}

describe('forward market', () => {
  it('clears an interval with the uniform-price auction into transactions with the market', () => {
    const { transactions, intervals } = cleared(EXAMPLE_TENDERS);
    expect(intervals).toEqual([
      { interval: INTERVAL, clearingPricePerKwh: 0.2, status: 'marginal-seller', tradedKw: 7 },
    ]);
    expect(transactions.map((t) => [t.buyer, t.seller, t.powerKw, t.pricePerKwh])).toEqual([
      ['home-a', MARKET_PARTY, 4, 0.2],
      ['home-b', MARKET_PARTY, 3, 0.2],
      [MARKET_PARTY, 'solar-s', 5, 0.2],
      [MARKET_PARTY, 'battery-k', 2, 0.2],
    ]);
    expect(transactions[0]?.tenderIds).toEqual(['t-home-a']);
  });

  it('gives positions that net to zero in each interval, the market included', () => {
    const { transactions } = cleared(EXAMPLE_TENDERS);
    const byParty = Object.fromEntries(positions(transactions).map((p) => [p.party, p]));
    expect(byParty['home-a']?.energyKwh).toBe(4);
    expect(byParty['battery-k']?.powerKw).toBe(-2);
    expect(byParty['solar-s']?.forwardValue).toBeCloseTo(-1, 12);
    expect(byParty[MARKET_PARTY]?.powerKw).toBe(0);
    // The day-ahead bills for the hour, in cents: home-a pays 80, home-b 60, solar-s gets 100, battery-k 40.
    const bills = ['home-a', 'home-b', 'solar-s', 'battery-k', MARKET_PARTY].map(
      (p) => byParty[p]?.forwardMinor,
    );
    expect(bills).toEqual([80, 60, -100, -40, 0]);
    expect(forwardPositionKw(transactions, 'home-b', INTERVAL)).toBe(3);
  });

  it('clears each interval on its own, in time order', () => {
    const next = { startMs: INTERVAL.endMs, endMs: INTERVAL.endMs + MS_PER_HOUR };
    const later = EXAMPLE_TENDERS.map((t) => ({ ...t, tenderId: `${t.tenderId}-15h`, interval: next }));
    const { intervals, transactions } = cleared([...later, ...EXAMPLE_TENDERS]);
    expect(intervals.map((i) => i.interval.startMs)).toEqual([INTERVAL.startMs, next.startMs]);
    expect(transactions).toHaveLength(8);
  });

  it('leaves out tenders that expired by gate closure', () => {
    const expired = { ...EXAMPLE_TENDERS[0]!, tenderId: 'old', expiresMs: GATE_CLOSURE_MS };
    const { expiredTenderIds, transactions } = cleared([expired, ...EXAMPLE_TENDERS.slice(1)]);
    expect(expiredTenderIds).toEqual(['old']);
    expect(transactions.some((t) => t.tenderIds.includes('old'))).toBe(false);
  });

  it('refuses misaligned intervals, duplicate ids and bad numbers with coded errors', () => {
    const base = EXAMPLE_TENDERS[0]!;
    const cases: [Tender[], string, string][] = [
      [
        [{ ...base, interval: { startMs: INTERVAL.startMs + 1, endMs: INTERVAL.endMs + 1 } }],
        'TE_ERR_SLOT_MISALIGNED',
        'tenders[0].interval',
      ],
      [[base, base], 'TE_ERR_DUPLICATE_ORDER', 'tenders[1].tenderId'],
      [[{ ...base, powerKw: -1 }], 'TE_ERR_NEGATIVE_QUANTITY', 'tenders[0].powerKw'],
      [[{ ...base, pricePerKwh: Number.NaN }], 'TE_ERR_NOT_FINITE', 'tenders[0].pricePerKwh'],
      [[{ ...base, side: 'sell', pricePerKwh: -2 }], 'TE_ERR_PRICE_OUT_OF_RANGE', 'tenders[0].pricePerKwh'],
      [[{ ...base, party: MARKET_PARTY }], 'TE_ERR_VALIDATION', 'tenders[0].party'],
    ];
    for (const [tenders, code, path] of cases) {
      const result = clearForwardMarket(tenders, EXAMPLE_MARKET);
      expect(result.ok).toBe(false);
      if (!result.ok) expect([result.error.code, result.error.path]).toEqual([code, path]);
    }
  });
});

describe('bilateral acceptance', () => {
  const offer = EXAMPLE_TENDERS[2]!; // solar-s sells 5 kW at 0.10

  it('makes a transaction between the two parties at the tender price', () => {
    const result = acceptTender(offer, {
      party: 'home-a',
      atMs: GATE_CLOSURE_MS,
      powerKw: 2,
      transactionId: 'x1',
    });
    expect(result.ok && result.value).toEqual({
      transactionId: 'x1',
      interval: INTERVAL,
      buyer: 'home-a',
      seller: 'solar-s',
      powerKw: 2,
      pricePerKwh: 0.1,
      tenderIds: ['t-solar-s'],
    });
  });

  it('refuses an expired tender, more than tendered, and accepting one’s own tender', () => {
    const late = acceptTender(offer, { party: 'home-a', atMs: offer.expiresMs, transactionId: 'x' });
    expect(!late.ok && late.error.code).toBe('TE_ERR_ORDER_LATE');
    const tooMuch = acceptTender(offer, { party: 'home-a', atMs: 0, powerKw: 6, transactionId: 'x' });
    expect(!tooMuch.ok && tooMuch.error.path).toBe('acceptance.powerKw');
    const own = acceptTender(offer, { party: 'solar-s', atMs: 0, transactionId: 'x' });
    expect(!own.ok && own.error.path).toBe('acceptance.party');
  });
});
