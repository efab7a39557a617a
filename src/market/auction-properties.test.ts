import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceClear } from '../../bench/reference-auction.js';
import { toColumnarBook } from './auction-book.js';
import type { AuctionBook } from './auction-book.js';
import { clearAuctionBook } from './auction-clearing.js';
import type { ClearingOutcome } from './types.js';
import { clearUniformPriceAuction } from './uniform-price-auction.js';

const CAP = 9999;

/**
 * Books with integer prices from a narrow band (so ties and crossings are common), the caps themselves
 * and prices above the cap. Integer prices keep bids at least 1 apart, more than the bid offset, so the
 * walk's quantity always trades in full.
 */
const price = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -20, max: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(CAP, -CAP, 12_000) },
);
const quantity = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 50, noNaN: true }) },
);
const bid = fc.record({ price, quantity });
const bookArbitrary: fc.Arbitrary<AuctionBook> = fc.record({
  priceCap: fc.constant(CAP),
  bidOffset: fc.constant(0.0001),
  buys: fc.array(bid, { maxLength: 25 }),
  sells: fc.array(bid, { maxLength: 25 }),
});

const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0);
const close = (x: number, y: number): boolean =>
  Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
const clearBook = (book: AuctionBook): ClearingOutcome => clearUniformPriceAuction(toColumnarBook(book));

describe('auction invariants', () => {
  it('bought equals sold equals the cleared quantity', () => {
    fc.assert(
      fc.property(bookArbitrary, (book) => {
        const outcome = clearBook(book);
        expect(close(sum(outcome.buyServed), sum(outcome.sellServed))).toBe(true);
        expect(close(sum(outcome.buyServed), outcome.quantity)).toBe(true);
        expect(outcome.tradedQuantity).toBe(outcome.quantity);
      }),
      { numRuns: 1000 },
    );
  });

  it('balances the budget: buyers pay what sellers receive at the uniform price', () => {
    fc.assert(
      fc.property(bookArbitrary, (book) => {
        const outcome = clearBook(book);
        const paid = sum(outcome.buyServed) * outcome.price;
        const received = sum(outcome.sellServed) * outcome.price;
        expect(close(paid, received)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('serves no buyer below its bid and no seller above its offer, and nobody beyond its quantity', () => {
    fc.assert(
      fc.property(bookArbitrary, (book) => {
        const outcome = clearBook(book);
        book.buys.forEach((bid, index) => {
          const served = outcome.buyServed[index] ?? 0;
          expect(served).toBeGreaterThanOrEqual(0);
          expect(served).toBeLessThanOrEqual(bid.quantity);
          if (served > 0) expect(Math.min(bid.price, CAP)).toBeGreaterThanOrEqual(outcome.price);
        });
        book.sells.forEach((bid, index) => {
          const served = outcome.sellServed[index] ?? 0;
          expect(served).toBeGreaterThanOrEqual(0);
          expect(served).toBeLessThanOrEqual(bid.quantity);
          if (served > 0) expect(Math.min(bid.price, CAP)).toBeLessThanOrEqual(outcome.price);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the price within the cap', () => {
    fc.assert(
      fc.property(bookArbitrary, (book) => {
        const outcome = clearBook(book);
        expect(Math.abs(outcome.price)).toBeLessThanOrEqual(CAP);
      }),
    );
  });

  it('does not depend on submission order when all prices on a side are distinct', () => {
    const distinctSide = fc.uniqueArray(bid, {
      selector: (entry) => Math.min(entry.price, CAP),
      maxLength: 20,
    });
    const distinctBook = fc.record({ buys: distinctSide, sells: distinctSide });
    fc.assert(
      fc.property(distinctBook, fc.func(fc.integer()), ({ buys, sells }, shuffleKey) => {
        const shuffle = <T>(items: T[]): T[] =>
          items
            .map((item, index) => ({ item, key: shuffleKey(index) }))
            .sort((x, y) => x.key - y.key)
            .map(({ item }) => item);
        const original = { priceCap: CAP, bidOffset: 0.0001, buys, sells };
        const shuffled = { ...original, buys: shuffle(buys), sells: shuffle(sells) };
        const first = clearBook(original);
        const second = clearBook(shuffled);
        expect(second.price).toBe(first.price);
        expect(second.quantity).toBe(first.quantity);
        expect(second.clearingType).toBe(first.clearingType);
        expect(second.marginalQuantity).toBe(first.marginalQuantity);
        const servedByPrice = (bids: typeof buys, served: Float64Array): Map<number, number> =>
          new Map(bids.map((entry, index) => [Math.min(entry.price, CAP), served[index] ?? 0]));
        expect(servedByPrice(shuffled.buys, second.buyServed)).toEqual(servedByPrice(buys, first.buyServed));
        expect(servedByPrice(shuffled.sells, second.sellServed)).toEqual(
          servedByPrice(sells, first.sellServed),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic: the same book twice gives the same outcome', () => {
    fc.assert(
      fc.property(bookArbitrary, (book) => {
        expect(clearBook(book)).toEqual(clearBook(book));
      }),
    );
  });
});

describe('agreement between implementations', () => {
  it('the columnar and object APIs agree', () => {
    fc.assert(
      fc.property(bookArbitrary, (book) => {
        const outcome = clearBook(book);
        const clearing = clearAuctionBook(book);
        if (!clearing.ok) throw clearing.error;
        expect(clearing.value.price).toBe(outcome.price);
        expect(clearing.value.quantity).toBe(outcome.quantity);
        expect(clearing.value.clearingType).toBe(outcome.clearingType);
        expect(clearing.value.marginalQuantity).toBe(outcome.marginalQuantity);
        const buyServed = new Float64Array(book.buys.length);
        const sellServed = new Float64Array(book.sells.length);
        for (const trade of clearing.value.trades) {
          expect(trade.price).toBe(outcome.price);
          (trade.side === 'buy' ? buyServed : sellServed)[trade.index] = trade.quantity;
        }
        expect(buyServed).toEqual(outcome.buyServed);
        expect(sellServed).toEqual(outcome.sellServed);
      }),
      { numRuns: 500 },
    );
  });

  it('the columnar implementation agrees with the plain comparator-sort reference', () => {
    const anyPrice = fc.oneof(price, fc.double({ min: -CAP, max: 2 * CAP, noNaN: true }));
    const anyBook = fc.record({
      priceCap: fc.constant(CAP),
      bidOffset: fc.constantFrom(0, 0.0001, 0.5),
      buys: fc.array(fc.record({ price: anyPrice, quantity }), { maxLength: 30 }),
      sells: fc.array(fc.record({ price: anyPrice, quantity }), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(anyBook, (book) => {
        const outcome = clearBook(book);
        const reference = referenceClear(book);
        expect({
          price: outcome.price,
          quantity: outcome.quantity,
          clearingType: outcome.clearingType,
          marginalQuantity: outcome.marginalQuantity,
        }).toEqual({ ...reference, price: reference.price + 0 }); // -0 and 0 are one price
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference on books large enough for the radix sort', () => {
    const sideArbitrary = fc.array(bid, { minLength: 2048, maxLength: 4000 });
    fc.assert(
      fc.property(sideArbitrary, sideArbitrary, (buys, sells) => {
        const book = { priceCap: CAP, bidOffset: 0.0001, buys, sells };
        const outcome = clearBook(book);
        const { price, quantity, clearingType, marginalQuantity } = outcome;
        const reference = referenceClear(book);
        expect({ price, quantity, clearingType, marginalQuantity }).toEqual({
          ...reference,
          price: reference.price + 0,
        });
        expect(close(sum(outcome.buyServed), sum(outcome.sellServed))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});
