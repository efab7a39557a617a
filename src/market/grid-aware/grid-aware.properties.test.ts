/**
 * For random books and random limits: the grid-aware dispatch never breaks a limit it was given, never
 * gains welfare over the unconstrained auction, keeps every fill within its bid, and leaves a congestion
 * rent ≥ 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHighsLpSolver } from '../../engine/highs-lp-solver.js';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY, orderTableFrom, type OrderTable } from '../mechanism/order-table.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { gridAwareAuction } from './grid-aware-auction.js';
import { checkGridLimits } from './grid-limits.js';

const mechanism = gridAwareAuction(await createHighsLpSolver());
const PARTICIPANTS = 12;
const TOLERANCE = 1e-6;

const row = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  price: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 100 }).map((c) => c / 100) },
    { weight: 1, arbitrary: fc.constantFrom(1, -1) },
  ),
  quantity: fc.integer({ min: 0, max: 300 }).map((q) => q / 10),
  participant: fc.integer({ min: 0, max: PARTICIPANTS - 1 }),
  area: fc.integer({ min: -1, max: 4 }),
});
const limitKw = fc.oneof(
  fc.integer({ min: 0, max: 400 }).map((q) => q / 10),
  fc.constant(Infinity),
);
const limits = fc.record({
  capacityKw: fc.array(limitKw, { minLength: 5, maxLength: 5 }),
  importKw: fc.array(limitKw, { minLength: PARTICIPANTS, maxLength: PARTICIPANTS }),
  exportKw: fc.array(limitKw, { minLength: PARTICIPANTS, maxLength: PARTICIPANTS }),
  withEnvelopes: fc.boolean(),
});

/** substation → feeder → {lateral-a → sub-lateral, lateral-b}. */
function context(
  capacityKw: readonly number[],
  importKw: number[],
  exportKw: number[],
  withEnvelopes: boolean,
) {
  const names = ['substation', 'feeder', 'lateral-a', 'lateral-b', 'sub-lateral'];
  const parents = [null, 'substation', 'feeder', 'feeder', 'lateral-a'];
  const result: ClearingContext = {
    slot: { startMs: 0, endMs: 300_000 },
    priceCap: 1,
    bidOffset: 0.0001,
    areas: areaTree(
      names.map((name, i) => ({ name, parent: parents[i] ?? null, capacityKw: capacityKw[i] })),
    ),
    ...(withEnvelopes
      ? { envelopes: { importKw: Float64Array.from(importKw), exportKw: Float64Array.from(exportKw) } }
      : {}),
  };
  return result;
}

function welfare(table: OrderTable, clearing: MarketClearing): number {
  let total = 0;
  for (let i = 0; i < table.rows; i++)
    total += (table.side[i] === BUY ? 1 : -1) * (table.price[i] ?? 0) * (clearing.filled[i] ?? 0);
  return total;
}

describe('grid-aware auction properties', () => {
  it('respects every limit, never beats unconstrained welfare, keeps fills within bids and rent ≥ 0', () => {
    let redispatched = 0;
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 50 }),
        limits,
        (rows, { capacityKw, importKw, exportKw, withEnvelopes }) => {
          const table = orderTableFrom(rows);
          const grid = context(capacityKw, importKw, exportKw, withEnvelopes);
          const result = mechanism.clear(table, grid);
          if (!result.ok) throw result.error;
          const clearing = result.value;
          if (clearing.bindingLimits.length > 0) redispatched++;
          expect(checkGridLimits(table, grid, clearing, TOLERANCE)).toEqual([]);

          const unconstrained = uniformPriceAuction.clear(table, grid);
          if (!unconstrained.ok) throw unconstrained.error;
          expect(welfare(table, clearing)).toBeLessThanOrEqual(
            welfare(table, unconstrained.value) + TOLERANCE,
          );

          let bought = 0;
          let sold = 0;
          for (let i = 0; i < table.rows; i++) {
            const filled = clearing.filled[i] ?? 0;
            expect(filled).toBeGreaterThanOrEqual(0);
            expect(filled).toBeLessThanOrEqual(table.quantity[i] ?? 0);
            if (filled === 0) continue;
            const price = clearing.price[i] ?? NaN;
            if (table.side[i] === BUY) {
              bought += filled;
              expect(price).toBeLessThanOrEqual((table.price[i] ?? 0) + 1e-7);
            } else {
              sold += filled;
              expect(price).toBeGreaterThanOrEqual((table.price[i] ?? 0) - 1e-7);
            }
          }
          expect(Math.abs(bought - sold)).toBeLessThanOrEqual(1e-7 * Math.max(1, bought));
          expect(clearing.congestionRentPerHour).toBeGreaterThanOrEqual(-1e-7);
        },
      ),
      { numRuns: 300 },
    );
    // The random limits must bind often enough for the property to say something about the LP path.
    expect(redispatched).toBeGreaterThan(50);
  });
});
