/** Small books written as [price, quantity] pairs, and the assertion the auction tests share. */
import { expect } from 'vitest';
import type { ClearingOutcome, ColumnarBook } from './types.js';
import { clearUniformPriceAuction } from './uniform-price-auction.js';

export type Bid = readonly [price: number, quantity: number];
export const CAP = 9999;
export const OFFSET = 0.0001;

export function book(
  buys: readonly Bid[],
  sells: readonly Bid[],
  priceCap = CAP,
  bidOffset = OFFSET,
): ColumnarBook {
  return {
    priceCap,
    bidOffset,
    buyPrices: Float64Array.from(buys, ([price]) => price),
    buyQuantities: Float64Array.from(buys, ([, quantity]) => quantity),
    sellPrices: Float64Array.from(sells, ([price]) => price),
    sellQuantities: Float64Array.from(sells, ([, quantity]) => quantity),
  };
}

export function clear(buys: readonly Bid[], sells: readonly Bid[]): ClearingOutcome {
  return clearUniformPriceAuction(book(buys, sells));
}

export function expectClearing(
  outcome: ClearingOutcome,
  expected: { price: number; quantity: number; clearingType: string; marginalQuantity?: number },
): void {
  expect(outcome.price).toBeCloseTo(expected.price, 9);
  expect(outcome.quantity).toBeCloseTo(expected.quantity, 9);
  expect(outcome.clearingType).toBe(expected.clearingType);
  expect(outcome.marginalQuantity).toBeCloseTo(expected.marginalQuantity ?? 0, 9);
}

export const served = (values: Float64Array): number[] => Array.from(values);
