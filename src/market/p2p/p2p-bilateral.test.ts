import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { orderTableFrom, type OrderRow } from '../mechanism/order-table.js';
import { limitPrice } from '../pay-as-bid/merit-order.js';
import { matchP2p, p2pBilateral } from './p2p-bilateral.js';

// substation → feeder → two buses; a second feeder with one bus.
const areas = areaTree([
  { name: 'substation', parent: null, feePerKwh: 0.01 },
  { name: 'feeder-a', parent: 'substation', feePerKwh: 0.005 },
  { name: 'bus-a1', parent: 'feeder-a', feePerKwh: 0.002 },
  { name: 'bus-a2', parent: 'feeder-a', feePerKwh: 0.002 },
  { name: 'feeder-b', parent: 'substation', feePerKwh: 0.005 },
  { name: 'bus-b1', parent: 'feeder-b', feePerKwh: 0.002 },
]);
const AREA = { substation: 0, busA1: 2, busA2: 3, busB1: 5 } as const;
const context: ClearingContext = {
  slot: { startMs: 0, endMs: 3_600_000 },
  priceCap: 1,
  bidOffset: 0.0001,
  areas,
};

const row = (
  side: 'buy' | 'sell',
  price: number,
  quantity: number,
  area: number,
  green = false,
): OrderRow => ({
  side,
  price,
  quantity,
  participant: 0,
  area,
  green,
});

function clear(rows: OrderRow[], ctx: ClearingContext = context) {
  const result = p2pBilateral.clear(orderTableFrom(rows), ctx);
  if (!result.ok) throw result.error;
  return result.value;
}

describe('P2P bilateral matching', () => {
  it('prefers a seller in its own area over a cheaper one further away', () => {
    const clearing = clear([
      row('buy', 0.3, 1, AREA.busA1),
      row('sell', 0.1, 1, AREA.busB1), // across the substation: fee 0.002+0.005+0.01+0.005+0.002 = 0.024
      row('sell', 0.15, 1, AREA.busA1), // same bus: fee 0.002
    ]);
    expect(clearing.trades).toHaveLength(1);
    const [trade] = clearing.trades ?? [];
    expect(trade?.sellRow).toBe(2);
    expect(trade?.feePerKwh).toBeCloseTo(0.002, 12);
    // Buyer's all-in price: midpoint of 0.30 and 0.15 + 0.002 = 0.226; the seller gets 0.224.
    expect(trade?.price).toBeCloseTo(0.224, 12);
    expect((clearing.price[0] ?? NaN) + (clearing.feePerKwh[0] ?? NaN)).toBeCloseTo(0.226, 12);
  });

  it('goes to the nearest area by the number of areas crossed', () => {
    const clearing = clear([
      row('buy', 0.3, 1, AREA.busA1),
      row('sell', 0.1, 1, AREA.busB1), // 5 areas crossed
      row('sell', 0.2, 1, AREA.busA2), // 3 areas crossed: the same feeder
    ]);
    expect(clearing.trades?.map((t) => t.sellRow)).toEqual([2]);
  });

  it('takes the green seller first for a buyer that prefers green, the cheapest otherwise', () => {
    const sellers = [row('sell', 0.1, 1, AREA.busA1, false), row('sell', 0.12, 1, AREA.busA1, true)];
    const green = clear([row('buy', 0.3, 1, AREA.busA1, true), ...sellers]);
    expect(green.trades?.map((t) => t.sellRow)).toEqual([2]);
    const indifferent = clear([row('buy', 0.3, 1, AREA.busA1, false), ...sellers]);
    expect(indifferent.trades?.map((t) => t.sellRow)).toEqual([1]);
  });

  it('puts locality before colour', () => {
    const clearing = clear([
      row('buy', 0.3, 1, AREA.busA1, true),
      row('sell', 0.1, 1, AREA.busB1, true),
      row('sell', 0.1, 1, AREA.busA1, false),
    ]);
    expect(clearing.trades?.map((t) => t.sellRow)).toEqual([2]);
  });

  it('skips a preferred seller whose offer + fee the bid does not cover', () => {
    const clearing = clear([
      row('buy', 0.2, 1, AREA.busA1),
      row('sell', 0.199, 1, AREA.busA1), // 0.199 + 0.002 > 0.2
      row('sell', 0.15, 1, AREA.busB1), // 0.15 + 0.024 ≤ 0.2
    ]);
    expect(clearing.trades?.map((t) => t.sellRow)).toEqual([2]);
  });

  it('serves buyers by bid price, ties by sequence, and splits a buyer over several sellers', () => {
    const clearing = clear([
      row('buy', 0.2, 2, AREA.busA1),
      row('buy', 0.3, 2, AREA.busA1),
      row('buy', 0.3, 2, AREA.busA1),
      row('sell', 0.1, 1, AREA.busA1),
      row('sell', 0.1, 2, AREA.busA2),
    ]);
    expect(clearing.trades?.map((t) => [t.buyRow, t.sellRow, t.quantity])).toEqual([
      [1, 3, 1],
      [1, 4, 1],
      [2, 4, 1],
    ]);
    expect(Array.from(clearing.filled)).toEqual([0, 2, 1, 1, 2]);
  });

  it('without areas ranks by colour and price only', () => {
    const clearing = clear(
      [row('buy', 0.3, 1, -1, true), row('sell', 0.1, 1, -1), row('sell', 0.2, 1, -1, true)],
      { ...context, areas: undefined },
    );
    expect(clearing.trades).toEqual([{ buyRow: 0, sellRow: 2, quantity: 1, price: 0.25, feePerKwh: 0 }]);
  });

  it('keeps every trade within both limits and balances energy payments (property)', () => {
    const arbitraryRow = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      price: fc.integer({ min: -100, max: 150 }).map((c) => c / 100),
      quantity: fc.integer({ min: 0, max: 50 }).map((q) => q / 10),
      participant: fc.constant(0),
      area: fc.constantFrom(-1, 0, 2, 3, 5),
      green: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryRow, { maxLength: 40 }), (rows) => {
        const table = orderTableFrom(rows);
        for (const trade of matchP2p(table, context)) {
          const bid = limitPrice(table, trade.buyRow, context);
          const offer = limitPrice(table, trade.sellRow, context);
          expect(trade.price).toBeGreaterThanOrEqual(offer - 1e-12);
          expect(trade.price + trade.feePerKwh).toBeLessThanOrEqual(bid + 1e-12);
        }
      }),
      { numRuns: 200 },
    );
  });
});
