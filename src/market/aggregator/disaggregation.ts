/**
 * Hands the portfolio's fill back to its members. The inner mechanism fills each portfolio step (one
 * price, area and green flag); the step's fill is shared among its members pro rata to their quantities.
 * With a uniform-price inner market that is: members whose re-priced bid is strictly better than the
 * clearing price fill in full (their whole step does), members at the clearing price share what is left
 * in proportion to what they asked — not in submission order, so no member at the margin is favoured
 * for bidding first. Members pay the step's price plus the margin (buyers) or receive it minus the margin
 * (sellers); buyers also pay the step's grid fee.
 */
import type { BilateralTrade, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';
import type { PortfolioBook } from './portfolio-book.js';

/** The original rows an inner row stands for, each with its share of the inner row's quantity. */
type Shares = readonly (readonly [row: number, share: number])[];

export function disaggregate(
  mechanism: string,
  table: OrderTable,
  book: PortfolioBook,
  inner: MarketClearing,
  marginPerKwh: number,
): MarketClearing {
  const filled = new Float64Array(table.rows);
  const price = new Float64Array(table.rows).fill(Number.NaN);
  const feePerKwh = new Float64Array(table.rows);
  const shares = shareTable(table, book);
  for (let k = 0; k < book.inner.rows; k++) {
    const innerFill = inner.filled[k] ?? 0;
    const innerPrice = inner.price[k] ?? Number.NaN;
    const innerFee = inner.feePerKwh[k] ?? 0;
    const isStep = book.originalRow[k] === -1;
    const sign = book.inner.side[k] === BUY ? 1 : -1;
    for (const [row, share] of shares[k] ?? []) {
      // Never more than the member asked, whatever float rounding the share picked up.
      const rowFill = Math.min(table.quantity[row] ?? 0, innerFill * share);
      filled[row] = rowFill;
      if (rowFill <= 0) continue;
      price[row] = isStep ? innerPrice + sign * marginPerKwh : innerPrice;
      feePerKwh[row] = innerFee;
    }
  }
  const clearing: MarketClearing = {
    mechanism,
    filled,
    price,
    feePerKwh,
    clearingPrice: inner.clearingPrice,
    status: inner.status,
    ...(inner.areaPrice === undefined ? {} : { areaPrice: inner.areaPrice }),
  };
  if (inner.trades === undefined) return clearing;
  return { ...clearing, trades: disaggregateTrades(book, inner.trades, shares, marginPerKwh) };
}

function shareTable(table: OrderTable, book: PortfolioBook): Shares[] {
  const shares: Shares[] = [];
  for (let k = 0; k < book.inner.rows; k++) {
    const original = book.originalRow[k] ?? -1;
    if (original >= 0) {
      shares.push([[original, 1]]);
      continue;
    }
    const members = book.stepMembers[k - book.firstStepRow] ?? [];
    const total = book.inner.quantity[k] ?? 0;
    shares.push(members.map((row) => [row, total > 0 ? (table.quantity[row] ?? 0) / total : 0] as const));
  }
  return shares;
}

/**
 * Trades that name a portfolio step are split over its members by the same shares, so each member's
 * trades add up to its fill. A trade's price is what its seller receives: a member seller's is the
 * step's price minus the margin; a member buyer's payment (plus margin) is in the row's `price`.
 */
function disaggregateTrades(
  book: PortfolioBook,
  trades: readonly BilateralTrade[],
  shares: readonly Shares[],
  marginPerKwh: number,
): BilateralTrade[] {
  const out: BilateralTrade[] = [];
  for (const trade of trades) {
    const sellerIsStep = book.originalRow[trade.sellRow] === -1;
    const tradePrice = sellerIsStep ? trade.price - marginPerKwh : trade.price;
    for (const [buyRow, buyShare] of shares[trade.buyRow] ?? []) {
      for (const [sellRow, sellShare] of shares[trade.sellRow] ?? []) {
        const quantity = trade.quantity * buyShare * sellShare;
        if (quantity > 0)
          out.push({ buyRow, sellRow, quantity, price: tradePrice, feePerKwh: trade.feePerKwh });
      }
    }
  }
  return out;
}
