/**
 * PowerMatcher-style curve clearing behind the common mechanism interface ('powermatcher-curve'): each
 * participant's buy rows are the steps of its demand curve and its sell rows the steps of its supply
 * curve; the curves are aggregated on a basis over [−cap, cap] (DEFAULT_BASIS_STEPS: a step per
 * thousandth of the cap), cleared where they cross, and every filled row trades at that one price. Rows
 * beyond the price are filled in full, rows at it share the marginal remainder pro rata — no time
 * priority, so the result does not depend on submission order. No grid fees: areas are not priced here.
 */
import { err, ok } from '../../core/result.js';
import type { ClearingMechanism, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { emptyClearing } from '../mechanism/clearing-mechanism.js';
import { validateOrderTable } from '../mechanism/order-table-validation.js';
import { clearStepRows, DEFAULT_BASIS_STEPS } from './step-row-clearing.js';

export const POWERMATCHER_CURVE = 'powermatcher-curve';

export function powerMatcherCurveMechanism(basisSteps = DEFAULT_BASIS_STEPS): ClearingMechanism {
  return {
    name: POWERMATCHER_CURVE,
    guarantees: { uniformPrice: true, orderIndependent: true },
    clear(table, context) {
      const invalid = validateOrderTable(table, context);
      if (invalid !== undefined) return err(invalid);
      if (table.rows === 0) return ok(emptyClearing(POWERMATCHER_CURVE, 0));
      const result = clearStepRows(table, context.priceCap, basisSteps);
      const price = new Float64Array(table.rows).fill(Number.NaN);
      for (let i = 0; i < table.rows; i++) if ((result.filled[i] as number) > 0) price[i] = result.price;
      const clearing: MarketClearing = {
        mechanism: POWERMATCHER_CURVE,
        filled: result.filled,
        price,
        feePerKwh: new Float64Array(table.rows),
        clearingPrice: result.price,
        status: result.status,
      };
      return ok(clearing);
    },
  };
}

export const powerMatcherCurve = powerMatcherCurveMechanism();
