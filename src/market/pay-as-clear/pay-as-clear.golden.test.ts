/** Grid Singularity's own pay-as-clear cases (test/fixtures/market/gsy-pay-as-clear.json). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { orderTableFrom, type OrderRow } from '../mechanism/order-table.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { lineSweepClearing } from './line-sweep-clearing.js';
import { matchInMeritOrder } from './merit-order-matching.js';
import { payAsClear } from './pay-as-clear-mechanism.js';

interface Order {
  readonly id: string;
  readonly price: number;
  readonly energy: number;
}
interface Fixture {
  readonly partialBids: {
    readonly bids: Order[];
    readonly offers: Order[];
    readonly injectedClearing: { rate: number; energy: number };
    readonly expectedMatches: { offer: string; bid: string; energy: number }[];
    readonly lineSweepClearing: { rate: number; energy: number };
  };
  readonly clearingPoints: {
    readonly cases: { offers: number[]; bids: number[]; rate: number; energy: number }[];
    readonly floats: { offers: number[]; bids: number[]; rate: number };
  };
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/market/gsy-pay-as-clear.json', import.meta.url), 'utf8'),
) as Fixture;
// GS's rates are in their own unit (up to 14 here); the cap only has to be above them.
const context: ClearingContext = { slot: { startMs: 0, endMs: 3_600_000 }, priceCap: 100, bidOffset: 0 };

// Offers first, then bids, as GS lists them.
function book(offers: readonly Order[], bids: readonly Order[]): OrderRow[] {
  return [
    ...offers.map((o) => ({ side: 'sell' as const, price: o.price, quantity: o.energy, participant: 0 })),
    ...bids.map((b) => ({ side: 'buy' as const, price: b.price, quantity: b.energy, participant: 1 })),
  ];
}
const unitOrders = (prices: number[]) => prices.map((price, i) => ({ id: `${i}`, price, energy: 1 }));

describe("Grid Singularity's pay-as-clear golden cases", () => {
  const { bids, offers, injectedClearing, expectedMatches, lineSweepClearing: sweep } = fixture.partialBids;
  const ids = [...offers, ...bids].map((o) => o.id);
  const table = orderTableFrom(book(offers, bids));

  it('bids 9, 3, 3 and offers 1–5: shares 15 units out as GS does (7 matches)', () => {
    const matches = matchInMeritOrder(table, context, injectedClearing.energy);
    expect(matches.map((m) => ({ offer: ids[m.sellRow], bid: ids[m.buyRow], energy: m.quantity }))).toEqual(
      expectedMatches,
    );
  });

  it("bids 9, 3, 3 and offers 1–5: GS's line sweep clears 9 units at 9; the mechanism trades them", () => {
    expect(lineSweepClearing(table, context)).toEqual({ price: sweep.rate, quantity: sweep.energy });
    const result = payAsClear.clear(table, context);
    if (!result.ok) throw result.error;
    expect(result.value.clearingPrice).toBe(9);
    // The 9-unit bid is served by the four cheapest offers (1 + 2 + 3 + 3 of 4).
    expect(Array.from(result.value.filled)).toEqual([1, 2, 3, 3, 0, 9, 0, 0]);
  });

  it('bids 9, 3, 3 and offers 1–5: the uniform-price auction trades the same 9 units at a lower price', () => {
    const result = uniformPriceAuction.clear(table, context);
    if (!result.ok) throw result.error;
    const bought = Array.from(result.value.filled)
      .slice(offers.length)
      .reduce((a, b) => a + b, 0);
    expect(bought).toBe(9);
    // GridLAB-D's rule prices the marginal seller (offer 4, partly sold), GS the marginal bid.
    expect(result.value.clearingPrice).toBe(4);
  });

  it.each(fixture.clearingPoints.cases)(
    'offers $offers, bids $bids clear $energy units at $rate',
    ({ offers: offerPrices, bids: bidPrices, rate, energy }) => {
      const caseTable = orderTableFrom(book(unitOrders(offerPrices), unitOrders(bidPrices)));
      expect(lineSweepClearing(caseTable, context)).toEqual({ price: rate, quantity: energy });
      const result = payAsClear.clear(caseTable, context);
      if (!result.ok) throw result.error;
      const bought = Array.from(result.value.filled)
        .slice(offerPrices.length)
        .reduce((a, b) => a + b, 0);
      expect(bought).toBe(energy);
      expect(result.value.clearingPrice).toBe(rate);
    },
  );

  it('clears float prices 1.1, 2.2, 3.3 at 2.2', () => {
    const { offers: o, bids: b, rate } = fixture.clearingPoints.floats;
    const caseTable = orderTableFrom(book(unitOrders(o), unitOrders(b)));
    expect(lineSweepClearing(caseTable, context)?.price).toBe(rate);
  });
});

describe('where the line sweep differs from the competitive quantity (our case, not GS data)', () => {
  it('clears 1 unit at 10 when a large bid at 5 straddles the crossing (5 could trade)', () => {
    const table = orderTableFrom([
      { side: 'buy', price: 10, quantity: 1, participant: 0 },
      { side: 'buy', price: 5, quantity: 10, participant: 1 },
      { side: 'sell', price: 1, quantity: 5, participant: 2 },
      { side: 'sell', price: 8, quantity: 1, participant: 3 },
    ]);
    expect(lineSweepClearing(table, context)).toEqual({ price: 10, quantity: 1 });
  });
});
