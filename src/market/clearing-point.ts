import type { SortedCurve } from './sorted-curve.js';
import { headQuantityAt, priceAt, quantityAt } from './sorted-curve.js';
import type { ClearingType } from './types.js';

/** Price, quantity and type of a uniform-price clearing, before anyone is served. */
export interface ClearingPoint {
  readonly price: number;
  readonly quantity: number;
  readonly clearingType: ClearingType;
}

/** State at the end of the curve walk (spec "Walking the curves"). */
export interface CurveWalk {
  /** Buys used (fully or at a tie) and sells used, as ranks on the curves. */
  readonly i: number;
  readonly j: number;
  readonly quantity: number;
  readonly a: number;
  readonly b: number;
  /** Whether the last step was a tie. */
  readonly tie: boolean;
  readonly clearingType: ClearingType;
}

/**
 * Where the demand and supply curves meet, by the rules of GridLAB-D's `auction` object as written down in
 * specs/double-auction.md. The rules are reproduced as written, odd corners included (see the `j == nB`
 * test in `priceAfterWalk`); the section names of the spec head each step.
 */
export function findClearingPoint(
  buys: SortedCurve,
  sells: SortedCurve,
  priceCap: number,
  bidOffset: number,
): ClearingPoint {
  // No buys or no sells.
  if (buys.count === 0 || sells.count === 0) {
    let price = 0;
    if (sells.count > 0) price = priceAt(sells, 0) - bidOffset;
    else if (buys.count > 0) price = priceAt(buys, 0) + bidOffset;
    return { price: clampPrice(price, priceCap), quantity: 0, clearingType: 'null' };
  }
  const walk = walkCurves(buys, sells, priceCap);
  const afterWalk = priceAfterWalk(walk, buys, sells, priceCap, bidOffset);
  const final = applyQuantityRules(walk.quantity, afterWalk, buys, sells, priceCap, bidOffset);
  return {
    price: clampPrice(final.price, priceCap),
    quantity: walk.quantity,
    clearingType: final.clearingType,
  };
}

/** Both curves must hold at least one bid. */
export function walkCurves(buys: SortedCurve, sells: SortedCurve, priceCap: number): CurveWalk {
  const buyCount = buys.count;
  const sellCount = sells.count;
  let i = 0;
  let j = 0;
  let demand = 0;
  let supply = 0;
  let quantity = 0;
  let a = priceCap;
  let b = -priceCap;
  let tie = false;
  let clearingType: ClearingType = 'null';
  while (i < buyCount && j < sellCount) {
    const buyPrice = priceAt(buys, i);
    const sellPrice = priceAt(sells, j);
    if (!(buyPrice >= sellPrice)) break;
    const demandWithBuy = demand + quantityAt(buys, i);
    const supplyWithSell = supply + quantityAt(sells, j);
    if (demandWithBuy > supplyWithSell) {
      quantity = supply = supplyWithSell;
      a = b = buyPrice;
      j++;
      tie = false;
      clearingType = 'marginal-buyer';
    } else if (demandWithBuy < supplyWithSell) {
      quantity = demand = demandWithBuy;
      a = b = sellPrice;
      i++;
      tie = false;
      clearingType = 'marginal-seller';
    } else {
      quantity = demand = supply = demandWithBuy;
      a = buyPrice;
      b = sellPrice;
      i++;
      j++;
      tie = true;
    }
  }

  return { i, j, quantity, a, b, tie, clearingType };
}

/**
 * Spec "Price and type after the walk", steps 1 to 3: the price and type before the quantity rules of
 * step 4 and the clamp. Exported so tests can see corners that step 4 later overrides (such as `j == nB`).
 */
export function priceAfterWalk(
  walk: CurveWalk,
  buys: SortedCurve,
  sells: SortedCurve,
  priceCap: number,
  bidOffset: number,
): { price: number; clearingType: ClearingType } {
  const { i, j, a, b, tie } = walk;
  const buyCount = buys.count;
  const sellCount = sells.count;
  let clearingType = walk.clearingType;
  // Past the end of a curve, `buy` and `sell` stay the last bid of that curve.
  const buysUsedUp = i === buyCount;
  const sellsUsedUp = j === sellCount;
  const buyPrice = priceAt(buys, buysUsedUp ? buyCount - 1 : i);
  const sellPrice = priceAt(sells, sellsUsedUp ? sellCount - 1 : j);

  // Price and type after the walk. A walk that never stepped leaves a != b and price 0; Q == 0 sets it.
  let price = 0;
  if (a === b) price = a;
  if (tie) {
    price = a;
    if (buysUsedUp || sellsUsedUp) {
      if (buysUsedUp && sellsUsedUp) clearingType = a === b ? 'exact' : 'marginal-price';
      else if (buysUsedUp && b === sellPrice) clearingType = 'marginal-seller';
      else if (sellsUsedUp && a === buyPrice) clearingType = 'marginal-buyer';
      else clearingType = a === b ? 'exact' : 'marginal-price';
    } else if (a !== buyPrice && b !== sellPrice && a === b) {
      clearingType = 'exact';
    } else if (a === buyPrice && b !== sellPrice) {
      clearingType = 'marginal-buyer';
    } else if (a !== buyPrice && b === sellPrice) {
      clearingType = 'marginal-seller';
      price = b;
    } else if (!(a === buyPrice && b === sellPrice)) {
      clearingType = 'marginal-price';
    }

    if (clearingType === 'marginal-price') {
      const average = (a + b) / 2;
      const high = buysUsedUp ? a : buyPrice;
      const low = sellsUsedUp ? b : sellPrice;
      if (a === priceCap && b !== -priceCap) {
        price = buyPrice > b ? buyPrice + bidOffset : b;
      } else if (a !== priceCap && b === -priceCap) {
        price = sellPrice < a ? sellPrice - bidOffset : a;
      } else if (a === priceCap && b === -priceCap) {
        if (buysUsedUp && sellsUsedUp) price = 0;
        else if (buysUsedUp) price = buyPrice + bidOffset;
        // GridLAB-D compares j with the number of *buys* here; the spec keeps it.
        else if (j === buyCount) price = sellPrice - bidOffset;
        else price = (high + low) / 2;
      } else if (!buysUsedUp && buyPrice === a) {
        price = a;
      } else if (!sellsUsedUp && sellPrice === b) {
        price = b;
      } else if (!buysUsedUp && average < buyPrice) {
        price = high + bidOffset;
      } else if (!sellsUsedUp && average > sellPrice) {
        price = low - bidOffset;
      } else {
        price = average;
      }
    }
  }

  return { price, clearingType };
}

/** Spec step 4: zero quantity and unresponsive bids override the walk's price and type. */
function applyQuantityRules(
  quantity: number,
  afterWalk: { price: number; clearingType: ClearingType },
  buys: SortedCurve,
  sells: SortedCurve,
  priceCap: number,
  bidOffset: number,
): { price: number; clearingType: ClearingType } {
  let { price, clearingType } = afterWalk;
  const unresponsiveDemand = headQuantityAt(buys, priceCap);
  const unresponsiveSupply = headQuantityAt(sells, -priceCap);
  if (quantity === 0) {
    clearingType = 'null';
    const firstBuyPrice = priceAt(buys, 0);
    const firstSellPrice = priceAt(sells, 0);
    if (firstSellPrice === priceCap) price = firstBuyPrice + bidOffset;
    else if (firstBuyPrice === -priceCap) price = firstSellPrice - bidOffset;
    else price = firstSellPrice + (firstBuyPrice - firstSellPrice) * 0.5;
  } else if (quantity < unresponsiveDemand) {
    clearingType = 'failure';
    price = priceCap;
  } else if (quantity < unresponsiveSupply) {
    clearingType = 'failure';
    price = -priceCap;
  } else if (quantity === unresponsiveDemand && quantity === unresponsiveSupply) {
    clearingType = 'marginal-price';
    price = 0;
  }

  return { price, clearingType };
}

function clampPrice(price: number, priceCap: number): number {
  if (price < -priceCap) return -priceCap;
  if (price > priceCap) return priceCap;
  return price;
}
