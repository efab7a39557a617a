/**
 * The aggregator (virtual power plant) as a decorator of any clearing mechanism: it gathers its members'
 * rows into a portfolio curve, bids that curve into the inner market as one participant, clears, and
 * hands the portfolio's fill back to the members (see portfolio-book.ts and disaggregation.ts). Rows of
 * non-members pass through unchanged. The aggregator keeps `marginPerKwh` on every member kWh traded.
 */
import type { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { slotDurationHours, type TimeSlot } from '../../core/time.js';
import type { ClearingContext, ClearingMechanism, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';
import { validateOrderTable } from '../mechanism/order-table-validation.js';
import { disaggregate } from './disaggregation.js';
import { buildPortfolioBook, type PortfolioBook } from './portfolio-book.js';
import { membershipTest, validatePortfolio, type Portfolio } from './portfolio.js';

export interface AggregatedClearing {
  /** Per row of the submitted table; members' prices include the margin. */
  readonly clearing: MarketClearing;
  /** What the inner market saw: pass-through rows and the portfolio steps. */
  readonly book: PortfolioBook;
  /** The inner mechanism's clearing of `book.inner`. */
  readonly innerClearing: MarketClearing;
  /** Average kW the portfolio bought and sold in the inner market over the slot. */
  readonly portfolioBoughtKw: number;
  readonly portfolioSoldKw: number;
  /** What the aggregator keeps this slot, in the market currency: member kWh traded × margin. */
  readonly marginRevenue: number;
}

/** Clears through the aggregator and keeps every intermediate result, for reports and tests. */
export function clearAggregated(
  inner: ClearingMechanism,
  portfolio: Portfolio,
  table: OrderTable,
  context: ClearingContext,
): Result<AggregatedClearing, TeError> {
  const badPortfolio = validatePortfolio(portfolio);
  if (badPortfolio !== undefined) return err(badPortfolio);
  // Check the rows as submitted, so errors name the member's row and not a portfolio step.
  const invalid = validateOrderTable(table, context);
  if (invalid !== undefined) return err(invalid);
  const book = buildPortfolioBook(table, context, portfolio);
  const cleared = inner.clear(book.inner, context);
  if (!cleared.ok) return err(cleared.error);
  const innerClearing = cleared.value;
  let portfolioBoughtKw = 0;
  let portfolioSoldKw = 0;
  for (let k = book.firstStepRow; k < book.inner.rows; k++) {
    const fill = innerClearing.filled[k] ?? 0;
    if (book.inner.side[k] === BUY) portfolioBoughtKw += fill;
    else portfolioSoldKw += fill;
  }
  const clearing = disaggregate(aggregatorName(inner), table, book, innerClearing, portfolio.marginPerKwh);
  return ok({
    clearing,
    book,
    innerClearing,
    portfolioBoughtKw,
    portfolioSoldKw,
    marginRevenue: aggregatorMargin(table, clearing, portfolio, context.slot),
  });
}

/**
 * `inner` with an aggregator in front of it, named `aggregator-<inner name>`. Prices are no longer one
 * price for all once the margin is above 0 (members pay or receive the margin on top); order
 * independence is the inner mechanism's. A portfolio definition that fails `validatePortfolio` throws
 * here: it is configuration, checked once when the market is set up.
 */
export function aggregatorMechanism(inner: ClearingMechanism, portfolio: Portfolio): ClearingMechanism {
  const badPortfolio = validatePortfolio(portfolio);
  if (badPortfolio !== undefined) throw badPortfolio;
  return {
    name: aggregatorName(inner),
    guarantees: {
      uniformPrice: inner.guarantees.uniformPrice && portfolio.marginPerKwh === 0,
      orderIndependent: inner.guarantees.orderIndependent,
    },
    clear(table, context) {
      const result = clearAggregated(inner, portfolio, table, context);
      return result.ok ? ok(result.value.clearing) : result;
    },
  };
}

/**
 * The aggregator's margin revenue for one slot, in the market currency: Σ over member rows of the kW
 * filled × slot hours × margin per kWh. Quantities in the table are average kW over the slot.
 */
export function aggregatorMargin(
  table: OrderTable,
  clearing: MarketClearing,
  portfolio: Portfolio,
  slot: TimeSlot,
): number {
  const isMember = membershipTest(portfolio);
  let memberKw = 0;
  for (let row = 0; row < table.rows; row++) {
    if (isMember(table.participant[row] ?? -1)) memberKw += clearing.filled[row] ?? 0;
  }
  return memberKw * slotDurationHours(slot) * portfolio.marginPerKwh;
}

function aggregatorName(inner: ClearingMechanism): string {
  return `aggregator-${inner.name}`;
}
