/**
 * Pay-as-bid invariants on random books: every trade has non-negative welfare, the operator never runs
 * a deficit, and without fees the quantity traded is the competitive quantity, the same as the
 * uniform-price auction trades.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { BUY, orderTableFrom, type OrderRow } from '../mechanism/order-table.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { limitPrice } from './merit-order.js';
import { matchPayAsBid } from './pay-as-bid-auction.js';

const TOLERANCE = 1e-9;
const plain: ClearingContext = { slot: { startMs: 0, endMs: 300_000 }, priceCap: 1, bidOffset: 0.0001 };
const withAreas: ClearingContext = {
  ...plain,
  areas: areaTree([
    { name: 'grid', parent: null, feePerKwh: 0.01 },
    { name: 'feeder-1', parent: 'grid', feePerKwh: 0.02 },
    { name: 'feeder-2', parent: 'grid', feePerKwh: 0.015 },
  ]),
};

const row = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  price: fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((c) => c / 100),
    fc.constant(1),
    fc.constant(-1),
  ),
  quantity: fc.integer({ min: 0, max: 500 }).map((q) => q / 10),
  participant: fc.integer({ min: 0, max: 20 }),
  area: fc.constantFrom(1, 2),
});
const book = fc.array(row, { maxLength: 60 });

/** Largest q such that the q-th unit bid is at least the q-th unit offered (the competitive quantity). */
function competitiveQuantity(rows: readonly OrderRow[]): number {
  const table = orderTableFrom(rows);
  const side = (s: 'buy' | 'sell') =>
    rows
      .map((r, i) => ({ price: limitPrice(table, i, plain), quantity: r.quantity, side: r.side }))
      .filter((r) => r.side === s && r.quantity > 0)
      .sort((a, b) => (s === 'buy' ? b.price - a.price : a.price - b.price));
  const buys = side('buy');
  const sells = side('sell');
  let quantity = 0;
  let b = 0;
  let s = 0;
  let bidLeft = buys[0]?.quantity ?? 0;
  let offerLeft = sells[0]?.quantity ?? 0;
  while (b < buys.length && s < sells.length && (buys[b]?.price ?? 0) >= (sells[s]?.price ?? 0)) {
    const q = Math.min(bidLeft, offerLeft);
    quantity += q;
    bidLeft -= q;
    offerLeft -= q;
    if (bidLeft <= 0) bidLeft = buys[++b]?.quantity ?? 0;
    if (offerLeft <= 0) offerLeft = sells[++s]?.quantity ?? 0;
  }
  return quantity;
}

describe('pay-as-bid properties', () => {
  it.each([
    ['without areas', plain],
    ['with grid fees', withAreas],
  ])('each trade has welfare ≥ 0 and the operator surplus is ≥ 0 (%s)', (_name, context) => {
    fc.assert(
      fc.property(book, (rows) => {
        const table = orderTableFrom(rows);
        const { trades, buyerEnergyPrice } = matchPayAsBid(table, context);
        let surplus = 0;
        trades.forEach((trade, k) => {
          const bid = limitPrice(table, trade.buyRow, context);
          const offer = limitPrice(table, trade.sellRow, context);
          expect(table.side[trade.buyRow]).toBe(BUY);
          // Welfare of the pair: what the buyer values it at less the seller's cost and the grid fee.
          expect(bid - offer - trade.feePerKwh).toBeGreaterThanOrEqual(-TOLERANCE);
          expect(trade.price).toBe(offer);
          expect((buyerEnergyPrice[k] ?? NaN) + trade.feePerKwh).toBeCloseTo(bid, 12);
          surplus += trade.quantity * ((buyerEnergyPrice[k] ?? NaN) - trade.price);
        });
        expect(surplus).toBeGreaterThanOrEqual(-TOLERANCE);
      }),
      { numRuns: 200 },
    );
  });

  it('without fees trades the competitive quantity, as much as the uniform-price auction', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const table = orderTableFrom(rows);
        const traded = matchPayAsBid(table, plain).trades.reduce((sum, t) => sum + t.quantity, 0);
        expect(traded).toBeCloseTo(competitiveQuantity(rows), 9);
        const uniform = uniformPriceAuction.clear(table, plain);
        if (!uniform.ok) throw uniform.error;
        let uniformBought = 0;
        for (let i = 0; i < table.rows; i++)
          if (table.side[i] === BUY) uniformBought += uniform.value.filled[i] ?? 0;
        expect(traded).toBeCloseTo(uniformBought, 9);
      }),
      { numRuns: 300 },
    );
  });
});
