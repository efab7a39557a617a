import { describe, expect, it } from 'vitest';
import { createHighsLpSolver } from '../../engine/highs-lp-solver.js';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { orderTableFrom, type OrderRow } from '../mechanism/order-table.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { gridAwareAuction } from './grid-aware-auction.js';
import { checkGridLimits } from './grid-limits.js';
import type { LpSolver } from './linear-program.js';

const solver = await createHighsLpSolver();
const mechanism = gridAwareAuction(solver);
const BASE: ClearingContext = { slot: { startMs: 0, endMs: 3_600_000 }, priceCap: 1, bidOffset: 0.0001 };

/** grid → feeder (area 1) → lateral (area 2), the lateral's section limited to `lateralKw`. */
const feeder = (lateralKw: number) =>
  areaTree([
    { name: 'grid', parent: null },
    { name: 'feeder', parent: 'grid' },
    { name: 'lateral', parent: 'feeder', capacityKw: lateralKw },
  ]);

function clear(rows: readonly OrderRow[], context: ClearingContext) {
  const table = orderTableFrom(rows);
  const result = mechanism.clear(table, context);
  if (!result.ok) throw result.error;
  return { table, clearing: result.value };
}

// Cheap sellers upstream, a buyer and a dearer seller on the lateral, a buyer upstream.
const TWO_AREAS: OrderRow[] = [
  { side: 'sell', price: 0.05, quantity: 20, participant: 0, area: 1 },
  { side: 'sell', price: 0.1, quantity: 20, participant: 1, area: 1 },
  { side: 'buy', price: 0.3, quantity: 10, participant: 2, area: 2 },
  { side: 'buy', price: 0.08, quantity: 8, participant: 3, area: 1 },
  { side: 'sell', price: 0.2, quantity: 3, participant: 4, area: 2 },
];

describe('grid-aware auction', () => {
  it('prices the congested lateral above the feeder by the congestion component', () => {
    const { table, clearing } = clear(TWO_AREAS, { ...BASE, areas: feeder(5) });
    expect(clearing.status).toBe('congested');
    // 5 kW come down the lateral, the lateral's own seller sells its 3 kW: the buyer gets 8 of 10.
    expect(Array.from(clearing.filled)).toEqual([13, 0, 8, 8, 3]);
    expect(clearing.energyPricePerKwh).toBeCloseTo(0.05, 9); // the partly sold seller upstream
    expect(clearing.areaPrice[1]).toBeCloseTo(0.05, 9);
    expect(clearing.areaPrice[2]).toBeCloseTo(0.3, 9); // the partly served buyer on the lateral
    expect(clearing.bindingLimits).toEqual([
      { kind: 'area', index: 2, direction: 'import', shadowPricePerKwh: expect.closeTo(0.25, 9) },
    ]);
    expect(clearing.price[4]).toBeCloseTo(0.3, 9); // the lateral's seller earns the lateral price
    expect(clearing.price[3]).toBeCloseTo(0.05, 9);
    // Rent = congestion component × the flow over the limit.
    expect(clearing.congestionRentPerHour).toBeCloseTo(0.25 * 5, 9);
    expect(checkGridLimits(table, { ...BASE, areas: feeder(5) }, clearing)).toEqual([]);
  });

  it('prices an area that cannot export its surplus below the rest', () => {
    const rows: OrderRow[] = [
      { side: 'sell', price: 0.01, quantity: 12, participant: 0, area: 2 }, // PV on the lateral
      { side: 'buy', price: 0.04, quantity: 2, participant: 1, area: 2 },
      { side: 'buy', price: 0.2, quantity: 15, participant: 2, area: 1 },
      { side: 'sell', price: 0.12, quantity: 20, participant: 3, area: 1 },
    ];
    const { clearing } = clear(rows, { ...BASE, areas: feeder(6) });
    expect(Array.from(clearing.filled)).toEqual([8, 2, 15, 9]);
    expect(clearing.areaPrice[1]).toBeCloseTo(0.12, 9);
    expect(clearing.areaPrice[2]).toBeCloseTo(0.01, 9);
    expect(clearing.bindingLimits[0]).toMatchObject({ kind: 'area', index: 2, direction: 'export' });
    expect(clearing.congestionRentPerHour).toBeCloseTo(0.11 * 6, 9);
  });

  it('limits one participant to its envelope and prices it at its own connection', () => {
    const rows: OrderRow[] = [
      { side: 'buy', price: 0.3, quantity: 10, participant: 0 },
      { side: 'buy', price: 0.2, quantity: 10, participant: 1 },
      { side: 'sell', price: 0.05, quantity: 12, participant: 2 },
      { side: 'sell', price: 0.15, quantity: 10, participant: 3 },
    ];
    const envelopes = {
      importKw: Float64Array.of(4, Infinity, Infinity, Infinity),
      exportKw: Float64Array.of(Infinity, Infinity, Infinity, Infinity),
    };
    const context = { ...BASE, envelopes };
    const { table, clearing } = clear(rows, context);
    expect(Array.from(clearing.filled)).toEqual([4, 10, 12, 2]);
    expect(clearing.energyPricePerKwh).toBeCloseTo(0.15, 9);
    expect(clearing.price[1]).toBeCloseTo(0.15, 9);
    // Behind its 4 kW connection the participant is the marginal buyer of its own node.
    expect(clearing.price[0]).toBeCloseTo(0.3, 9);
    expect(clearing.bindingLimits).toEqual([
      { kind: 'envelope', index: 0, direction: 'import', shadowPricePerKwh: expect.closeTo(0.15, 9) },
    ]);
    expect(clearing.congestionRentPerHour).toBeCloseTo(0.6, 9);
    expect(checkGridLimits(table, context, clearing)).toEqual([]);
  });

  it('returns the unconstrained auction unchanged when no limit binds', () => {
    const context = { ...BASE, areas: feeder(50) };
    const { table, clearing } = clear(TWO_AREAS, context);
    const plain = uniformPriceAuction.clear(table, context);
    if (!plain.ok) throw plain.error;
    expect(clearing.filled).toEqual(plain.value.filled);
    expect(clearing.price).toEqual(plain.value.price);
    expect(clearing.feePerKwh).toEqual(plain.value.feePerKwh);
    expect(clearing.clearingPrice).toBe(plain.value.clearingPrice);
    expect(clearing.status).toBe(plain.value.status);
    expect(clearing.trades).toEqual(plain.value.trades);
    expect(Array.from(clearing.areaPrice)).toEqual([0.05, 0.05, 0.05]);
    expect(clearing.congestionRentPerHour).toBe(0);
  });

  it('sheds must-run demand beyond a limit, reports it and fails the slot', () => {
    const rows: OrderRow[] = [
      { side: 'sell', price: 0.05, quantity: 20, participant: 0, area: 1 },
      { side: 'buy', price: 1, quantity: 8, participant: 1, area: 2 }, // must-run at the cap
    ];
    const { clearing } = clear(rows, { ...BASE, areas: feeder(5) });
    expect(clearing.status).toBe('failure');
    expect(clearing.shedKw).toBeCloseTo(3, 9);
    expect(Array.from(clearing.filled)).toEqual([5, 5]);
    expect(clearing.areaPrice[2]).toBeCloseTo(1, 9);
  });

  it('refuses negative or missing limits with a coded error naming the limit', () => {
    const table = orderTableFrom(TWO_AREAS);
    const negative = mechanism.clear(table, { ...BASE, areas: feeder(-1) });
    expect(negative.ok).toBe(false);
    if (!negative.ok) expect(negative.error.path).toContain('areas.capacityKw[2]');
    const envelopes = { importKw: Float64Array.of(Number.NaN), exportKw: Float64Array.of(1) };
    const nan = mechanism.clear(table, { ...BASE, envelopes });
    expect(nan.ok).toBe(false);
    if (!nan.ok) expect(nan.error.code).toBe('TE_ERR_VALIDATION');
  });

  it('reports a solver that fails as an internal error', () => {
    const broken: LpSolver = {
      name: 'broken',
      solve: (program) => ({
        status: 'infeasible',
        objective: Number.NaN,
        columnValue: new Float64Array(program.cost.length),
        rowDual: new Float64Array(program.rowLower.length),
      }),
    };
    const result = gridAwareAuction(broken).clear(orderTableFrom(TWO_AREAS), { ...BASE, areas: feeder(5) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('TE_ERR_INTERNAL');
  });
});
