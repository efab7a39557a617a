import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clearAuctionBook } from './auction-clearing.js';
import { clearSlotOrderBook } from './auction-clearing.js';
import { SlotOrderBook } from './order-book.js';
import type { AuctionClearing, Side } from './types.js';

/** GridLAB-D market autotests, transcribed; see test/fixtures/auction/SOURCE.md. */
const FIXTURES = new URL('../../test/fixtures/auction/', import.meta.url);

interface GoldenCase {
  name: string;
  priceCap: number;
  bidOffset: number;
  buys: { price: number; quantity: number }[];
  sells: { price: number; quantity: number }[];
  expected: { price: number; quantity: number; clearingType: string; marginalQuantity: number };
  tolerance: { price: number; quantity: number; marginalQuantity: number };
  otherExpected?: { sellerMinPrice?: number; buyerTotalQuantity?: number; sellerTotalQuantity?: number };
  arrival?: { side: Side; index: number }[];
}

const files = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json'))
  .sort();
const cases = files.map((file) => ({
  file,
  golden: JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as GoldenCase,
}));

function expectGolden(clearing: AuctionClearing, golden: GoldenCase): void {
  const { expected, tolerance } = golden;
  expect(Math.abs(clearing.price - expected.price)).toBeLessThanOrEqual(tolerance.price);
  expect(Math.abs(clearing.quantity - expected.quantity)).toBeLessThanOrEqual(tolerance.quantity);
  expect(clearing.clearingType).toBe(expected.clearingType);
  expect(Math.abs(clearing.marginalQuantity - expected.marginalQuantity)).toBeLessThanOrEqual(
    tolerance.marginalQuantity,
  );
}

const total = (bids: { quantity: number }[]): number => bids.reduce((sum, bid) => sum + bid.quantity, 0);

describe('GridLAB-D auction golden cases', () => {
  it('has all ten fixtures in the repository', () => {
    expect(files).toHaveLength(10);
  });

  it.each(cases)('$file reproduces price, quantity, type and marginal quantity', ({ golden }) => {
    const clearing = clearAuctionBook(golden);
    expect(clearing.ok).toBe(true);
    if (!clearing.ok) return;
    expectGolden(clearing.value, golden);

    const bought = clearing.value.trades.filter((t) => t.side === 'buy').reduce((s, t) => s + t.quantity, 0);
    const sold = clearing.value.trades.filter((t) => t.side === 'sell').reduce((s, t) => s + t.quantity, 0);
    expect(bought).toBeCloseTo(clearing.value.quantity, 9);
    expect(sold).toBeCloseTo(clearing.value.quantity, 9);
  });

  const withOther = cases.filter(({ golden }) => golden.otherExpected !== undefined);
  it.each(withOther)('$file matches the other asserted market figures', ({ golden }) => {
    const other = golden.otherExpected ?? {};
    // GridLAB-D's seller_min_price, buyer_total_quantity and seller_total_quantity describe the book.
    if (other.sellerMinPrice !== undefined) {
      expect(Math.min(...golden.sells.map((bid) => bid.price))).toBe(other.sellerMinPrice);
    }
    if (other.buyerTotalQuantity !== undefined) expect(total(golden.buys)).toBe(other.buyerTotalQuantity);
    if (other.sellerTotalQuantity !== undefined) expect(total(golden.sells)).toBe(other.sellerTotalQuantity);
    // In the unresponsive-buyer failure every offer is below the cap price, so all supply is sold.
    const clearing = clearAuctionBook(golden);
    if (!clearing.ok) throw clearing.error;
    const sold = clearing.value.trades.filter((t) => t.side === 'sell').reduce((s, t) => s + t.quantity, 0);
    if (other.sellerTotalQuantity !== undefined) expect(sold).toBe(other.sellerTotalQuantity);
  });

  const withArrival = cases.filter(({ golden }) => golden.arrival !== undefined);
  it('has the five order-independence cases', () => {
    expect(withArrival).toHaveLength(5);
  });

  it.each(withArrival)('$file clears identically when bids arrive interleaved', ({ golden }) => {
    const created = SlotOrderBook.create({ priceCap: golden.priceCap, bidOffset: golden.bidOffset });
    if (!created.ok) throw created.error;
    const book = created.value;
    for (const { side, index } of golden.arrival ?? []) {
      const bid = (side === 'buy' ? golden.buys : golden.sells)[index];
      if (bid === undefined) throw new Error(`arrival points past the ${side}s`);
      const submitted = book.submit(`${side}-${index}`, side, bid);
      expect(submitted.ok).toBe(true);
    }
    const clearing = clearSlotOrderBook(book);
    if (!clearing.ok) throw clearing.error;
    expectGolden(clearing.value, golden);
    expect(clearing.value).toEqual(
      (() => {
        const direct = clearAuctionBook(golden);
        if (!direct.ok) throw direct.error;
        return {
          ...direct.value,
          trades: direct.value.trades.map((trade) => ({ ...trade, bidder: `${trade.side}-${trade.index}` })),
        };
      })(),
    );
  });
});
