import { describe, expect, it } from 'vitest';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { orderTableFrom, type OrderRow } from '../mechanism/order-table.js';
import { p2pBilateral } from '../p2p/p2p-bilateral.js';
import { payAsBidAuction } from '../pay-as-bid/pay-as-bid-auction.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { feeBreakdown, feeRevenueFromRows, slotDurationHours, slotFeeRevenue } from './fee-accounting.js';

// The golden example: a trade between two streets crosses street-1 (0.01), the grid above
// them (0.02) and street-2 (0.01).
const tree = areaTree([
  { name: 'grid', parent: null, feePerKwh: 0.02 },
  { name: 'street-1', parent: 'grid', feePerKwh: 0.01 },
  { name: 'street-2', parent: 'grid', feePerKwh: 0.01 },
]);
const GRID = 0;
const STREET_1 = 1;
const STREET_2 = 2;
// Half an hour: 2 kW over the slot is 1 kWh.
const context: ClearingContext = {
  slot: { startMs: 0, endMs: 1_800_000 },
  priceCap: 1,
  bidOffset: 0.0001,
  areas: tree,
};
const rows: OrderRow[] = [
  { side: 'sell', price: 0.1, quantity: 2, participant: 1, area: STREET_1 },
  { side: 'buy', price: 0.14, quantity: 2, participant: 2, area: STREET_2 },
];

describe('grid fees per area', () => {
  it('golden: an offer of 0.10 across fees 0.01 + 0.02 + 0.01 costs the buyer 0.14', () => {
    const split = feeBreakdown(tree, STREET_1, STREET_2, 0.1);
    expect(split.buyerPaysPerKwh).toBeCloseTo(0.14, 12);
    expect(split.sellerReceivesPerKwh).toBe(0.1);
    expect(split.feePerKwh).toBeCloseTo(0.04, 12);
    expect(split.areas).toEqual([
      { area: STREET_1, name: 'street-1', feePerKwh: 0.01 },
      { area: GRID, name: 'grid', feePerKwh: 0.02 },
      { area: STREET_2, name: 'street-2', feePerKwh: 0.01 },
    ]);
  });

  it.each([payAsBidAuction, p2pBilateral])(
    'golden through $name: each area collects its fee',
    (mechanism) => {
      const table = orderTableFrom(rows);
      const result = mechanism.clear(table, context);
      if (!result.ok) throw result.error;
      const clearing = result.value;
      expect(clearing.filled[1]).toBe(2);
      // The bid of 0.14 exactly covers offer + fees: the buyer pays 0.14, the seller gets 0.10.
      expect((clearing.price[1] ?? NaN) + (clearing.feePerKwh[1] ?? NaN)).toBeCloseTo(0.14, 12);
      expect(clearing.price[0]).toBeCloseTo(0.1, 12);
      const revenue = slotFeeRevenue(tree, table, clearing, slotDurationHours(context.slot));
      expect(revenue.revenueByArea[STREET_1]).toBeCloseTo(0.01, 12);
      expect(revenue.revenueByArea[GRID]).toBeCloseTo(0.02, 12);
      expect(revenue.revenueByArea[STREET_2]).toBeCloseTo(0.01, 12);
      expect(revenue.paidByRow[1]).toBeCloseTo(0.04, 12);
      expect(revenue.paidByRow[0]).toBe(0);
      expect(revenue.unallocated).toBe(0);
    },
  );

  it('one bid below offer + fees does not trade and nobody collects anything', () => {
    const table = orderTableFrom([rows[0] as OrderRow, { ...(rows[1] as OrderRow), price: 0.139 }]);
    const result = payAsBidAuction.clear(table, context);
    if (!result.ok) throw result.error;
    const revenue = slotFeeRevenue(tree, table, result.value, 0.5);
    expect(Array.from(revenue.revenueByArea)).toEqual([0, 0, 0]);
  });

  it('a trade inside one street pays only that street', () => {
    const table = orderTableFrom([
      { side: 'sell', price: 0.1, quantity: 4, participant: 1, area: STREET_1 },
      { side: 'buy', price: 0.2, quantity: 4, participant: 2, area: STREET_1 },
    ]);
    const result = p2pBilateral.clear(table, context);
    if (!result.ok) throw result.error;
    const revenue = slotFeeRevenue(tree, table, result.value, 0.25);
    expect(Array.from(revenue.revenueByArea)).toEqual([0, 0.01, 0]);
  });

  it('without counterparties charges each buyer its path to the root', () => {
    const table = orderTableFrom(rows);
    const result = uniformPriceAuction.clear(table, context);
    if (!result.ok) throw result.error;
    // The uniform-price auction charges no fees; with a fee of 0.03 per kWh put on the buyer's row, the
    // path street-2 → grid collects it in proportion to their fees (0.01 : 0.02).
    const feePerKwh = new Float64Array([0, 0.03]);
    const revenue = feeRevenueFromRows(tree, table, { ...result.value, feePerKwh }, 0.5);
    expect(revenue.revenueByArea[STREET_2]).toBeCloseTo(0.01, 12);
    expect(revenue.revenueByArea[GRID]).toBeCloseTo(0.02, 12);
    expect(revenue.revenueByArea[STREET_1]).toBe(0);
  });
});
