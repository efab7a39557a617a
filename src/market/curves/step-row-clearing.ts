/**
 * Clearing an order table whose rows are the steps of the participants' bid curves (a buy row: "this much
 * at up to this price", a sell row: "this much at this price or more"). The rows are aggregated on a
 * market basis over [−cap, cap] — summing every participant's sampled step curve is the same as sampling
 * every row, so it is one pass with a difference array — and the basis locates the crossing to within one
 * step. The exact price is then settled from the few rows priced inside that step, so nobody is filled at
 * a price beyond its own limit however coarse the basis: O(rows + steps) plus a sort of the rows near the
 * price, never of the whole table.
 */
import { BUY, type OrderTable } from '../mechanism/order-table.js';

/** Default basis: 2001 prices over [−cap, cap], one step per thousandth of the cap (0.1 ¢ at cap 1). */
export const DEFAULT_BASIS_STEPS = 2001;

export type StepClearingStatus = 'crossed' | 'demand-exceeds-supply' | 'supply-exceeds-demand' | 'no-trade';

export interface StepClearing {
  readonly price: number;
  readonly status: StepClearingStatus;
  /** Total bought = total sold, kW. */
  readonly tradedKw: number;
  /** Demand (+) or supply (−) wanted at the price but not met, kW (the shortfall at the cap ends). */
  readonly imbalanceKw: number;
  /** Per row, kW filled. */
  readonly filled: Float64Array;
}

/**
 * Every price p in [lowest, highest] clears: buyers priced above p and sellers priced below p can all be
 * served (strict demand ≤ supply at p, strict supply ≤ demand at p). The price is the middle of that
 * range: the marginal order's price when one order is marginal, the middle of the gap otherwise.
 */
export function clearStepRows(
  table: OrderTable,
  priceCap: number,
  steps = DEFAULT_BASIS_STEPS,
): StepClearing {
  const n = table.rows;
  const rowPrice = Float64Array.from(table.price, (p) =>
    p > priceCap ? priceCap : p < -priceCap ? -priceCap : p,
  );
  const stepPrice = (2 * priceCap) / (steps - 1);
  const basisPrice = (k: number) => (k >= steps - 1 ? priceCap : -priceCap + k * stepPrice);

  // Net demand on the basis: a buy counts at every basis price ≤ its price, a sell at every one ≥ its price.
  const change = new Float64Array(steps + 1);
  let totalKw = 0;
  for (let i = 0; i < n; i++) {
    const q = table.quantity[i] as number;
    const p = rowPrice[i] as number;
    totalKw += q;
    let k = Math.min(steps - 1, Math.max(0, Math.floor((p + priceCap) / stepPrice)));
    if (table.side[i] === BUY) {
      // Largest k with basisPrice(k) ≤ p.
      while (k < steps - 1 && basisPrice(k + 1) <= p) k++;
      while (k > 0 && basisPrice(k) > p) k--;
      change[0] = (change[0] as number) + q;
      change[k + 1] = (change[k + 1] as number) - q;
    } else {
      // Smallest k with basisPrice(k) ≥ p.
      while (k > 0 && basisPrice(k - 1) >= p) k--;
      while (k < steps - 1 && basisPrice(k) < p) k++;
      change[k] = (change[k] as number) - q;
    }
  }
  // Sums that cancel up to rounding count as equal, so the result does not depend on row order.
  const toleranceKw = 1e-9 * totalKw;
  let firstNotPositive = -1;
  let lastNotNegative = -1;
  let net = 0;
  for (let k = 0; k < steps; k++) {
    net += change[k] as number;
    if (firstNotPositive === -1 && net <= toleranceKw) firstNotPositive = k;
    if (net >= -toleranceKw) lastNotNegative = k;
  }
  // The lowest clearing price lies in [p(kA−1), p(kA)], the highest in [p(kB), p(kB+1)].
  const lowestWindow: [number, number] =
    firstNotPositive === -1
      ? [priceCap, priceCap]
      : firstNotPositive === 0
        ? [-priceCap, -priceCap]
        : [basisPrice(firstNotPositive - 1), basisPrice(firstNotPositive)];
  const highestWindow: [number, number] =
    lastNotNegative === -1
      ? [-priceCap, -priceCap]
      : lastNotNegative === steps - 1
        ? [priceCap, priceCap]
        : [basisPrice(lastNotNegative), basisPrice(lastNotNegative + 1)];
  const lowest =
    lowestClearingPrice(table, rowPrice, lowestWindow, toleranceKw) ??
    lowestClearingPrice(table, rowPrice, [-priceCap, priceCap], toleranceKw) ??
    priceCap;
  const highest =
    highestClearingPrice(table, rowPrice, highestWindow, toleranceKw) ??
    highestClearingPrice(table, rowPrice, [-priceCap, priceCap], toleranceKw) ??
    -priceCap;
  const price = (lowest + highest) / 2;
  return fillAtPrice(table, rowPrice, price, priceCap);
}

interface Window {
  /** Distinct row prices in the window plus its ends, ascending. */
  readonly prices: number[];
  readonly buyKw: Float64Array;
  readonly sellKw: Float64Array;
  /** Buys priced above the window and sells priced below it, kW. */
  readonly buyAboveKw: number;
  readonly sellBelowKw: number;
}

function collectWindow(table: OrderTable, rowPrice: Float64Array, [low, high]: [number, number]): Window {
  const atPrice = new Map<number, { buy: number; sell: number }>([
    [low, { buy: 0, sell: 0 }],
    [high, { buy: 0, sell: 0 }],
  ]);
  let buyAboveKw = 0;
  let sellBelowKw = 0;
  for (let i = 0; i < table.rows; i++) {
    const p = rowPrice[i] as number;
    const q = table.quantity[i] as number;
    const buy = table.side[i] === BUY;
    if (p > high) {
      if (buy) buyAboveKw += q;
    } else if (p < low) {
      if (!buy) sellBelowKw += q;
    } else {
      let entry = atPrice.get(p);
      if (entry === undefined) atPrice.set(p, (entry = { buy: 0, sell: 0 }));
      if (buy) entry.buy += q;
      else entry.sell += q;
    }
  }
  const prices = [...atPrice.keys()].sort((a, b) => a - b);
  const buyKw = Float64Array.from(prices, (p) => atPrice.get(p)?.buy ?? 0);
  const sellKw = Float64Array.from(prices, (p) => atPrice.get(p)?.sell ?? 0);
  return { prices, buyKw, sellKw, buyAboveKw, sellBelowKw };
}

/** The first window price where buys priced strictly above it fit within the supply at it. */
function lowestClearingPrice(
  table: OrderTable,
  rowPrice: Float64Array,
  window: [number, number],
  toleranceKw: number,
): number | undefined {
  const { prices, buyKw, sellKw, buyAboveKw, sellBelowKw } = collectWindow(table, rowPrice, window);
  let buyStrictlyAbove = buyAboveKw;
  for (let j = 0; j < prices.length; j++) buyStrictlyAbove += buyKw[j] as number;
  let supply = sellBelowKw;
  for (let j = 0; j < prices.length; j++) {
    buyStrictlyAbove -= buyKw[j] as number;
    supply += sellKw[j] as number;
    if (buyStrictlyAbove <= supply + toleranceKw) return prices[j];
  }
  return undefined;
}

/** The last window price where sells priced strictly below it fit within the demand at it. */
function highestClearingPrice(
  table: OrderTable,
  rowPrice: Float64Array,
  window: [number, number],
  toleranceKw: number,
): number | undefined {
  const { prices, buyKw, sellKw, buyAboveKw, sellBelowKw } = collectWindow(table, rowPrice, window);
  let sellStrictlyBelow = sellBelowKw;
  for (let j = 0; j < prices.length; j++) sellStrictlyBelow += sellKw[j] as number;
  let demand = buyAboveKw;
  for (let j = prices.length - 1; j >= 0; j--) {
    sellStrictlyBelow -= sellKw[j] as number;
    demand += buyKw[j] as number;
    if (sellStrictlyBelow <= demand + toleranceKw) return prices[j];
  }
  return undefined;
}

/**
 * Fills at one price: on the short side every row willing at the price is filled in full; on the long side
 * rows strictly inside the price are filled in full and the rows at the price share the rest pro rata to
 * their quantities. The last marginal row takes the rounding remainder, so bought = sold.
 */
function fillAtPrice(
  table: OrderTable,
  rowPrice: Float64Array,
  price: number,
  priceCap: number,
): StepClearing {
  let buyInsideKw = 0;
  let buyAtKw = 0;
  let sellInsideKw = 0;
  let sellAtKw = 0;
  for (let i = 0; i < table.rows; i++) {
    const p = rowPrice[i] as number;
    const q = table.quantity[i] as number;
    if (table.side[i] === BUY) {
      if (p > price) buyInsideKw += q;
      else if (p === price) buyAtKw += q;
    } else if (p < price) sellInsideKw += q;
    else if (p === price) sellAtKw += q;
  }
  const demandKw = buyInsideKw + buyAtKw;
  const supplyKw = sellInsideKw + sellAtKw;
  const tradedKw = Math.min(demandKw, supplyKw);
  const buyersLong = demandKw > supplyKw;
  const filled = new Float64Array(table.rows);
  const [insideKw, atKw] = buyersLong ? [buyInsideKw, buyAtKw] : [sellInsideKw, sellAtKw];
  // Normally the inside rows fit and the marginal rows share the rest; only rounding can make the inside
  // rows exceed the total, and then the whole long side is scaled.
  const insideShare = insideKw <= tradedKw ? 1 : tradedKw / insideKw;
  const atShare = insideKw <= tradedKw ? (atKw > 0 ? (tradedKw - insideKw) / atKw : 0) : 0;
  let longFilledKw = 0;
  let lastLongRow = -1;
  for (let i = 0; i < table.rows; i++) {
    const p = rowPrice[i] as number;
    const q = table.quantity[i] as number;
    const buy = table.side[i] === BUY;
    const willing = buy ? p >= price : p <= price;
    if (!willing || q === 0) continue;
    if (buy !== buyersLong) {
      filled[i] = q;
      continue;
    }
    filled[i] = Math.min(q, q * (p === price ? atShare : insideShare));
    longFilledKw += filled[i] as number;
    if (filled[i] !== 0) lastLongRow = i;
  }
  if (lastLongRow >= 0) {
    const q = table.quantity[lastLongRow] as number;
    const reconciled = (filled[lastLongRow] as number) + (tradedKw - longFilledKw);
    filled[lastLongRow] = Math.min(q, Math.max(0, reconciled));
  }
  const imbalanceKw = demandKw - supplyKw;
  const status: StepClearingStatus =
    tradedKw === 0
      ? 'no-trade'
      : price >= priceCap && buyersLong
        ? 'demand-exceeds-supply'
        : price <= -priceCap && demandKw < supplyKw
          ? 'supply-exceeds-demand'
          : 'crossed';
  return {
    price,
    status,
    tradedKw,
    imbalanceKw: status === 'demand-exceeds-supply' || status === 'supply-exceeds-demand' ? imbalanceKw : 0,
    filled,
  };
}
