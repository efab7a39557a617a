/**
 * The contract every clearing mechanism keeps: quantities within the orders, bought = sold, nobody pays
 * above their bid or receives below their offer, the operator never pays out more than it takes in,
 * deterministic, order independent where promised, and bad input refused with a coded error. Run
 * against each mechanism in the registry (mechanisms.contract.test.ts) and against mechanisms built
 * outside it (grid-aware clearing, which needs a solver: grid-aware/grid-aware.contract.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaTree } from './area-tree.js';
import type { ClearingContext, ClearingMechanism, MarketClearing } from './clearing-mechanism.js';
import { BUY, orderTableFrom, type OrderRow, type OrderTable } from './order-table.js';

const AREAS = areaTree([
  { name: 'grid', parent: null, feePerKwh: 0.01 },
  { name: 'feeder-1', parent: 'grid', feePerKwh: 0.02 },
  { name: 'feeder-2', parent: 'grid', feePerKwh: 0.015 },
]);
/** The context the registry's mechanisms are checked in: three areas with grid fees, no limits. */
export const CONTRACT_CONTEXT: ClearingContext = {
  slot: { startMs: 0, endMs: 300_000 },
  priceCap: 1,
  bidOffset: 0.0001,
  areas: AREAS,
};
const TOLERANCE = 1e-7;

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
  green: fc.boolean(),
});
const book = fc.array(row, { maxLength: 60 });

function totals(table: OrderTable, clearing: MarketClearing) {
  let bought = 0;
  let sold = 0;
  let paid = 0;
  let received = 0;
  for (let i = 0; i < table.rows; i++) {
    const filled = clearing.filled[i] ?? 0;
    if (filled === 0) continue;
    const price = clearing.price[i] ?? NaN;
    if (table.side[i] === BUY) {
      bought += filled;
      paid += filled * price;
    } else {
      sold += filled;
      received += filled * price;
    }
  }
  return { bought, sold, paid, received };
}

/**
 * Registers the contract's tests for one mechanism under `describe('clearing mechanism <name>')`. A
 * mechanism whose behaviour depends on the context (grid limits) can be checked in another one as well.
 */
export function describeMechanismContract(
  mechanism: ClearingMechanism,
  context: ClearingContext = CONTRACT_CONTEXT,
  title = `clearing mechanism ${mechanism.name}`,
): void {
  describe(title, () => contractTests(mechanism, context));
}

function contractTests(mechanism: ClearingMechanism, context: ClearingContext): void {
  const clear = (rows: readonly OrderRow[]) => {
    const table = orderTableFrom(rows);
    const result = mechanism.clear(table, context);
    if (!result.ok) throw result.error;
    return { table, clearing: result.value };
  };

  it('fills within each order, buys as much as it sells, and keeps prices within limits', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const { table, clearing } = clear(rows);
        expect(clearing.filled).toHaveLength(table.rows);
        for (let i = 0; i < table.rows; i++) {
          const filled = clearing.filled[i] ?? NaN;
          expect(filled).toBeGreaterThanOrEqual(0);
          expect(filled).toBeLessThanOrEqual((table.quantity[i] ?? 0) + TOLERANCE);
          if (filled <= TOLERANCE) continue;
          const price = clearing.price[i] ?? NaN;
          const limit = Math.min(table.price[i] ?? NaN, context.priceCap);
          if (table.side[i] === BUY)
            expect(price + (clearing.feePerKwh[i] ?? 0)).toBeLessThanOrEqual(limit + TOLERANCE);
          else expect(price).toBeGreaterThanOrEqual(limit - TOLERANCE);
        }
        const { bought, sold, paid, received } = totals(table, clearing);
        expect(Math.abs(bought - sold)).toBeLessThanOrEqual(TOLERANCE * Math.max(1, bought));
        // Buyers' energy payments cover what sellers receive: the market never runs a deficit.
        expect(paid - received).toBeGreaterThanOrEqual(-TOLERANCE * Math.max(1, paid));
        if (mechanism.guarantees.uniformPrice && bought > TOLERANCE) {
          for (let i = 0; i < table.rows; i++) {
            if ((clearing.filled[i] ?? 0) > TOLERANCE)
              expect(clearing.price[i]).toBeCloseTo(clearing.clearingPrice, 9);
          }
        }
        if (clearing.trades !== undefined) {
          const byRow = new Float64Array(table.rows);
          for (const trade of clearing.trades) {
            byRow[trade.buyRow] = (byRow[trade.buyRow] ?? 0) + trade.quantity;
            byRow[trade.sellRow] = (byRow[trade.sellRow] ?? 0) + trade.quantity;
          }
          for (let i = 0; i < table.rows; i++) expect(byRow[i]).toBeCloseTo(clearing.filled[i] ?? 0, 6);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const first = clear(rows).clearing;
        const second = clear(rows).clearing;
        expect(Array.from(second.filled)).toEqual(Array.from(first.filled));
        expect(Array.from(second.price)).toEqual(Array.from(first.price));
      }),
      { numRuns: 50 },
    );
  });

  it.runIf(mechanism.guarantees.orderIndependent)('does not depend on submission order', () => {
    fc.assert(
      fc.property(book, fc.integer({ min: 1, max: 1000 }), (rows, seed) => {
        const shuffled = rows
          .map((r, i) => ({ r, i, key: (i * 7919 + seed * 104729) % 1009 }))
          .sort((a, b) => a.key - b.key);
        const original = clear(rows).clearing;
        const reordered = clear(shuffled.map((s) => s.r)).clearing;
        const a = totals(orderTableFrom(rows), original);
        const b = totals(orderTableFrom(shuffled.map((s) => s.r)), reordered);
        expect(b.bought).toBeCloseTo(a.bought, 6);
        expect(b.paid).toBeCloseTo(a.paid, 6);
      }),
      { numRuns: 50 },
    );
  });

  it('clears an empty book to nothing', () => {
    const { clearing } = clear([]);
    expect(clearing.filled).toHaveLength(0);
  });

  it('refuses bad input with a coded error naming the row', () => {
    const bad: OrderRow[][] = [
      [{ side: 'buy', price: Number.NaN, quantity: 1, participant: 0 }],
      [{ side: 'sell', price: 0.1, quantity: -1, participant: 0 }],
      [{ side: 'buy', price: 0.1, quantity: Number.POSITIVE_INFINITY, participant: 0 }],
      [{ side: 'sell', price: -2, quantity: 1, participant: 0 }],
    ];
    for (const rows of bad) {
      const result = mechanism.clear(orderTableFrom(rows), context);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toMatch(/^TE_ERR_/);
        expect(result.error.path).toContain('rows[0]');
      }
    }
  });
}
