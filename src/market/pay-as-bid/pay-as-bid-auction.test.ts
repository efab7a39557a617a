import { describe, expect, it } from 'vitest';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { orderTableFrom, type OrderRow } from '../mechanism/order-table.js';
import { payAsBidAuction } from './pay-as-bid-auction.js';

const context: ClearingContext = { slot: { startMs: 0, endMs: 3_600_000 }, priceCap: 1, bidOffset: 0.0001 };
const buy = (price: number, quantity: number, participant = 0, area?: number): OrderRow => ({
  side: 'buy',
  price,
  quantity,
  participant,
  ...(area === undefined ? {} : { area }),
});
const sell = (price: number, quantity: number, participant = 0, area?: number): OrderRow => ({
  ...buy(price, quantity, participant, area),
  side: 'sell',
});

function clear(rows: OrderRow[], ctx: ClearingContext = context) {
  const result = payAsBidAuction.clear(orderTableFrom(rows), ctx);
  if (!result.ok) throw result.error;
  return result.value;
}

describe('pay-as-bid auction', () => {
  it('matches the highest bids with the cheapest offers, each side at its own price', () => {
    const clearing = clear([buy(0.3, 2), buy(0.2, 2), sell(0.1, 1), sell(0.15, 2), sell(0.25, 1)]);
    expect(clearing.trades).toEqual([
      { buyRow: 0, sellRow: 2, quantity: 1, price: 0.1, feePerKwh: 0 },
      { buyRow: 0, sellRow: 3, quantity: 1, price: 0.15, feePerKwh: 0 },
      { buyRow: 1, sellRow: 3, quantity: 1, price: 0.15, feePerKwh: 0 },
    ]);
    expect(Array.from(clearing.filled)).toEqual([2, 1, 1, 2, 0]);
    // Buyers pay their bid, sellers receive their offer.
    expect(clearing.price[0]).toBeCloseTo(0.3, 12);
    expect(clearing.price[1]).toBeCloseTo(0.2, 12);
    expect(clearing.price[2]).toBeCloseTo(0.1, 12);
    expect(clearing.price[3]).toBeCloseTo(0.15, 12);
    expect(clearing.price[4]).toBeNaN();
    expect(clearing.clearingPrice).toBeNaN();
    expect(clearing.status).toBe('matched');
  });

  it('the operator keeps the spread: bids 0.30+0.30+0.20 against offers 0.10+0.15+0.15', () => {
    const clearing = clear([buy(0.3, 2), buy(0.2, 2), sell(0.1, 1), sell(0.15, 2), sell(0.25, 1)]);
    let paid = 0;
    let received = 0;
    for (let row = 0; row < 5; row++) {
      const value = (clearing.filled[row] ?? 0) * (clearing.price[row] || 0);
      if (row < 2) paid += value;
      else received += value;
    }
    expect(paid - received).toBeCloseTo(0.8 - 0.4, 12);
  });

  it('matches at equal prices and stops when the best bid is below the best offer', () => {
    expect(Array.from(clear([buy(0.2, 1), sell(0.2, 1)]).filled)).toEqual([1, 1]);
    const none = clear([buy(0.19, 1), sell(0.2, 1)]);
    expect(Array.from(none.filled)).toEqual([0, 0]);
    expect(none.status).toBe('null');
  });

  it('breaks ties by submission sequence on both sides', () => {
    const sellers = clear([sell(0.1, 1, 1), sell(0.1, 1, 2), buy(0.2, 1)]);
    expect(Array.from(sellers.filled)).toEqual([1, 0, 1]);
    const buyers = clear([buy(0.2, 1, 1), buy(0.2, 1, 2), sell(0.1, 1)]);
    expect(Array.from(buyers.filled)).toEqual([1, 0, 1]);
  });

  it('holds a bid above the price cap to the cap', () => {
    const clearing = clear([buy(5, 1), sell(0.1, 1)]);
    expect(clearing.price[0]).toBe(1);
  });

  describe('with grid fees', () => {
    const areas = areaTree([
      { name: 'grid', parent: null, feePerKwh: 0.01 },
      { name: 'feeder-1', parent: 'grid', feePerKwh: 0.02 },
      { name: 'feeder-2', parent: 'grid', feePerKwh: 0.015 },
    ]);
    const withAreas: ClearingContext = { ...context, areas };

    it('does not match when the bid does not cover offer + fee', () => {
      // Across the grid: 0.10 + 0.015 + 0.01 + 0.02 = 0.145 > 0.14.
      const clearing = clear([buy(0.14, 1, 0, 1), sell(0.1, 1, 1, 2)], withAreas);
      expect(Array.from(clearing.filled)).toEqual([0, 0]);
    });

    it('skips a cheaper seller the fee blocks and takes a dearer one it covers', () => {
      const clearing = clear([buy(0.14, 1, 0, 1), sell(0.1, 1, 1, 2), sell(0.11, 1, 2, 1)], withAreas);
      expect(clearing.trades).toEqual([{ buyRow: 0, sellRow: 2, quantity: 1, price: 0.11, feePerKwh: 0.02 }]);
      // The buyer pays its bid in all: energy 0.12 + fee 0.02.
      expect(clearing.price[0]).toBeCloseTo(0.12, 12);
      expect(clearing.feePerKwh[0]).toBeCloseTo(0.02, 12);
      expect(clearing.price[2]).toBeCloseTo(0.11, 12);
    });
  });
});
