/**
 * 'grid-aware-auction': the uniform-price double auction, redone as a welfare-maximising dispatch with
 * locational prices only when the auction's dispatch breaks a grid limit (area capacity or a customer's
 * operating envelope). See docs/designs/grid-aware-clearing.md.
 *
 * 1. Clear with the uniform-price auction. If `checkGridLimits` finds nothing broken, that result stands
 *    unchanged (every area then has the one clearing price).
 * 2. Otherwise solve the welfare program (welfare-program.ts) with the injected `LpSolver`, fill the rows
 *    from its solution and price each participant at its area's price plus the congestion components
 *    (congestion-pricing.ts). Status 'congested', or 'failure' when must-run rows (at ±cap) could not
 *    all be served: the program then sheds the least must-run it can, and the shed kW are reported.
 */
import { teError, type TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import type { ClearingContext, ClearingMechanism, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { congestionPrices, type BindingLimit } from './congestion-pricing.js';
import { checkGridLimits, validateGridLimits } from './grid-limits.js';
import type { LpSolver } from './linear-program.js';
import { welfareProgram } from './welfare-program.js';

export const GRID_AWARE_AUCTION = 'grid-aware-auction';

export interface GridAwareClearing extends MarketClearing {
  /** By area index (empty without an area tree). */
  readonly areaPrice: Float64Array;
  /** The price without congestion: the dual of the energy balance (the auction price when nothing binds). */
  readonly energyPricePerKwh: number;
  /** Buyers' payments minus sellers' receipts (currency per hour; × slot hours for the slot): ≥ 0. */
  readonly congestionRentPerHour: number;
  /** Limits whose congestion component is not zero. */
  readonly bindingLimits: readonly BindingLimit[];
  /** Must-run quantity (rows at ±cap) left unserved, kW. */
  readonly shedKw: number;
}

export interface GridAwareMechanism extends ClearingMechanism {
  clear(table: OrderTable, context: ClearingContext): Result<GridAwareClearing, TeError>;
}

/** Fills closer than this to a bound are put on it (the solver's own tolerance is 1e-9). */
const SNAP_KW = 1e-9;

export function gridAwareAuction(solver: LpSolver): GridAwareMechanism {
  return {
    name: GRID_AWARE_AUCTION,
    // Congestion prices differ by area, and the auction underneath breaks ties by submission order.
    guarantees: { uniformPrice: false, orderIndependent: false },
    clear(table, context) {
      const auction = uniformPriceAuction.clear(table, context);
      if (!auction.ok) return auction;
      const invalid = validateGridLimits(table, context);
      if (invalid !== undefined) return err(invalid);
      if (checkGridLimits(table, context, auction.value).length === 0) {
        const unconstrained = auction.value;
        return ok({
          ...unconstrained,
          mechanism: GRID_AWARE_AUCTION,
          areaPrice: new Float64Array(context.areas?.names.length ?? 0).fill(unconstrained.clearingPrice),
          energyPricePerKwh: unconstrained.clearingPrice,
          congestionRentPerHour: congestionRent(table, unconstrained.filled, unconstrained.price),
          bindingLimits: [],
          shedKw: mustRunShedKw(table, context, unconstrained.filled),
        });
      }
      return clearWithLimits(solver, table, context);
    },
  };
}

function clearWithLimits(
  solver: LpSolver,
  table: OrderTable,
  context: ClearingContext,
): Result<GridAwareClearing, TeError> {
  const welfare = welfareProgram(table, context);
  const solution = solver.solve(welfare.program);
  if (solution.status !== 'optimal') {
    // The program is feasible by construction (nothing traded meets every limit ≥ 0) and bounded (every
    // quantity is), so this is a solver fault, not bad input.
    return err(
      teError(
        'TE_ERR_INTERNAL',
        `the ${solver.name} solver ended '${solution.status}' on the grid-aware dispatch`,
        {
          path: 'grid-aware-auction',
          hint: solution.message ?? 'report it with the order table; the uniform-price auction still clears',
        },
      ),
    );
  }
  const filled = new Float64Array(table.rows);
  for (let i = 0; i < table.rows; i++) {
    const quantity = table.quantity[i] ?? 0;
    const value = Math.min(quantity, Math.max(0, solution.columnValue[i] ?? 0));
    filled[i] = value < SNAP_KW ? 0 : quantity - value < SNAP_KW ? quantity : value;
  }
  const prices = congestionPrices(table, welfare, solution, filled);
  const shedKw = mustRunShedKw(table, context, filled);
  return ok({
    mechanism: GRID_AWARE_AUCTION,
    filled,
    price: prices.rowPrice,
    feePerKwh: new Float64Array(table.rows),
    clearingPrice: Number.NaN,
    status: shedKw > SNAP_KW ? 'failure' : 'congested',
    areaPrice: prices.areaPrice,
    energyPricePerKwh: prices.energyPricePerKwh,
    congestionRentPerHour: congestionRent(table, filled, prices.rowPrice),
    bindingLimits: prices.bindingLimits,
    shedKw,
  });
}

/** Buyers' payments minus sellers' receipts. */
export function congestionRent(table: OrderTable, filled: Float64Array, price: Float64Array): number {
  let rent = 0;
  for (let i = 0; i < table.rows; i++) {
    const quantity = filled[i] ?? 0;
    if (quantity > 0) rent += (table.side[i] === BUY ? 1 : -1) * quantity * (price[i] ?? 0);
  }
  return rent;
}

function mustRunShedKw(table: OrderTable, context: ClearingContext, filled: Float64Array): number {
  let shed = 0;
  for (let i = 0; i < table.rows; i++) {
    const price = table.price[i] ?? 0;
    const mustRun = table.side[i] === BUY ? price >= context.priceCap : price <= -context.priceCap;
    if (mustRun) shed += (table.quantity[i] ?? 0) - (filled[i] ?? 0);
  }
  return shed;
}
