import { describe, expect, it } from 'vitest';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { mechanismNamed } from '../mechanism/mechanism-registry.js';
import { orderTableFrom, type OrderTable } from '../mechanism/order-table.js';
import { continuousDoubleAuction } from './continuous-double-auction.js';

const context: ClearingContext = { slot: { startMs: 0, endMs: 300_000 }, priceCap: 1, bidOffset: 0.0001 };

function clear(table: OrderTable, ctx: ClearingContext = context) {
  const result = continuousDoubleAuction.clear(table, ctx);
  if (!result.ok) throw result.error;
  return result.value;
}

describe('continuous double auction mechanism', () => {
  it('is registered under its name', () => {
    expect(mechanismNamed('continuous-double-auction')).toBe(continuousDoubleAuction);
    expect(continuousDoubleAuction.guarantees).toEqual({ uniformPrice: false, orderIndependent: false });
  });

  it('matches rows as they arrive, at the resting price, with market orders at the cap', () => {
    const table = orderTableFrom([
      { side: 'sell', price: 0.1, quantity: 2, participant: 1 },
      { side: 'buy', price: 0.15, quantity: 3, participant: 2 },
      { side: 'sell', price: -1, quantity: 4, participant: 3 },
      { side: 'buy', price: 0.5, quantity: 0, participant: 4 },
    ]);
    const clearing = clear(table);
    expect(clearing.trades).toEqual([
      { buyRow: 1, sellRow: 0, quantity: 2, price: 0.1, feePerKwh: 0 },
      { buyRow: 1, sellRow: 2, quantity: 1, price: 0.15, feePerKwh: 0 },
    ]);
    expect(Array.from(clearing.filled)).toEqual([2, 3, 1, 0]);
    expect(clearing.price[1]).toBeCloseTo((2 * 0.1 + 0.15) / 3, 12);
    expect(clearing.price[3]).toBeNaN();
    expect(clearing.clearingPrice).toBeNaN();
    expect(clearing.status).toBe('matched');
  });

  it('follows the sequence column, not the row order', () => {
    const base = orderTableFrom([
      { side: 'buy', price: 0.2, quantity: 1, participant: 1 },
      { side: 'sell', price: 0.1, quantity: 1, participant: 2 },
    ]);
    // The sell arrived first, so it rests and the trade is at its price.
    const clearing = clear({ ...base, sequence: Float64Array.from([2, 1]) });
    expect(clearing.trades).toEqual([{ buyRow: 0, sellRow: 1, quantity: 1, price: 0.1, feePerKwh: 0 }]);
    expect(clear(base).trades?.[0]?.price).toBe(0.2);
  });

  it('adds the grid fee of the areas crossed, paid by the buyer, only where the limit covers it', () => {
    const areas = areaTree([
      { name: 'grid', parent: null, feePerKwh: 0.01 },
      { name: 'feeder-1', parent: 'grid', feePerKwh: 0.02 },
      { name: 'feeder-2', parent: 'grid', feePerKwh: 0.015 },
    ]);
    const table = orderTableFrom([
      { side: 'sell', price: 0.1, quantity: 1, participant: 1, area: 1 },
      { side: 'sell', price: 0.11, quantity: 1, participant: 2, area: 2 },
      // Inside feeder-2 the fee is 0.015: 0.11 + 0.015 fits 0.13; the cheaper seller from feeder-1
      // would cost 0.1 + 0.02 + 0.01 + 0.015 = 0.145.
      { side: 'buy', price: 0.13, quantity: 2, participant: 3, area: 2 },
    ]);
    const clearing = clear(table, { ...context, areas });
    expect(clearing.trades).toHaveLength(1);
    expect(clearing.trades?.[0]).toMatchObject({ buyRow: 2, sellRow: 1, quantity: 1, price: 0.11 });
    expect(clearing.trades?.[0]?.feePerKwh).toBeCloseTo(0.015, 12);
    expect(clearing.feePerKwh[2]).toBeCloseTo(0.015, 12);
    expect(clearing.feePerKwh[1]).toBe(0);
  });

  it('refuses bad rows with the coded error of the common validation', () => {
    const result = continuousDoubleAuction.clear(
      orderTableFrom([{ side: 'buy', price: Number.NaN, quantity: 1, participant: 0 }]),
      context,
    );
    expect(!result.ok && result.error.code).toBe('TE_ERR_NOT_FINITE');
  });
});
