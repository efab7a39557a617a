import { describe, expect, it } from 'vitest';
import { bookRows } from './order-book-rows';

describe('order book rows', () => {
  it('puts the best ask and the best bid next to the spread, with depth against the deepest level', () => {
    const { asks, bids, spreadPerKwh } = bookRows({
      slotStartMs: 0,
      asks: [
        { pricePerKwh: 0.09, quantityKw: 10, orders: 1 },
        { pricePerKwh: 0.12, quantityKw: 40, orders: 3 },
      ],
      bids: [
        { pricePerKwh: 0.05, quantityKw: 20, orders: 2 },
        { pricePerKwh: 0.07, quantityKw: 5, orders: 1 },
      ],
    });
    expect(asks.map((r) => r.pricePerKwh)).toEqual([0.12, 0.09]);
    expect(bids.map((r) => r.pricePerKwh)).toEqual([0.07, 0.05]);
    expect(asks.map((r) => r.depthShare)).toEqual([1, 0.25]);
    expect(bids.map((r) => r.depthShare)).toEqual([0.125, 0.5]);
    expect(spreadPerKwh).toBeCloseTo(0.02);
  });

  it('has no spread and no depth on an empty side or book', () => {
    const empty = bookRows({ slotStartMs: 0, asks: [], bids: [] });
    expect(empty).toEqual({ asks: [], bids: [] });
    const oneSided = bookRows({
      slotStartMs: 0,
      asks: [],
      bids: [{ pricePerKwh: 0.1, quantityKw: 0, orders: 1 }],
    });
    expect(oneSided.bids[0]?.depthShare).toBe(0);
    expect(oneSided.spreadPerKwh).toBeUndefined();
  });
});
