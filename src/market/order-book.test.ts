import { describe, expect, it } from 'vitest';
import { clearSlotOrderBook } from './auction-clearing.js';
import { SlotOrderBook } from './order-book.js';

function newBook(): SlotOrderBook {
  const created = SlotOrderBook.create();
  if (!created.ok) throw created.error;
  return created.value;
}

function clear(book: SlotOrderBook) {
  const clearing = clearSlotOrderBook(book);
  if (!clearing.ok) throw clearing.error;
  return clearing.value;
}

describe('SlotOrderBook', () => {
  it('takes a bid curve as one order; a re-bid replaces the whole curve in its place', () => {
    const book = newBook();
    book.submit('early', 'buy', { price: 30, quantity: 1 });
    expect(
      book.submit('home', 'buy', [
        { price: 50, quantity: 2 },
        { price: 20, quantity: 3 },
      ]).ok,
    ).toBe(true);
    book.submit('late', 'buy', { price: 40, quantity: 1 });
    expect(book.bids('buy').map((b) => [b.bidder, b.price])).toEqual([
      ['early', 30],
      ['home', 50],
      ['home', 20],
      ['late', 40],
    ]);
    book.submit('home', 'buy', [{ price: 60, quantity: 1 }]);
    expect(book.bids('buy').map((b) => [b.bidder, b.price])).toEqual([
      ['early', 30],
      ['home', 60],
      ['late', 40],
    ]);
    book.submit('grid', 'sell', { price: 25, quantity: 10 });
    const clearing = clear(book);
    // demand above 25: 1 (home) + 1 (late) + 1 (early) = 3 of 10 offered → the buyers set nothing; price 25
    expect(clearing.quantity).toBeCloseTo(3, 12);
    expect(clearing.price).toBe(25);
  });

  it('refuses an empty, oversized or partly invalid curve whole, naming the step', () => {
    const book = newBook();
    expect(book.submit('x', 'buy', []).ok).toBe(false);
    expect(
      book.submit(
        'x',
        'buy',
        Array.from({ length: 1001 }, () => ({ price: 1, quantity: 1 })),
      ).ok,
    ).toBe(false);
    const bad = book.submit('x', 'buy', [
      { price: 10, quantity: 1 },
      { price: 5, quantity: -1 },
    ]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('TE_ERR_NEGATIVE_QUANTITY');
      expect(bad.error.path).toContain('steps[1]');
    }
    expect(book.count('buy')).toBe(0);
  });

  it('keeps bids in submission order per side', () => {
    const book = newBook();
    book.submit('a', 'buy', { price: 10, quantity: 1 });
    book.submit('s', 'sell', { price: 5, quantity: 1 });
    book.submit('b', 'buy', { price: 20, quantity: 2 });
    expect(book.bids('buy')).toEqual([
      { bidder: 'a', price: 10, quantity: 1 },
      { bidder: 'b', price: 20, quantity: 2 },
    ]);
    expect(book.count('sell')).toBe(1);
  });

  it('puts a re-bid in the old bid’s place and drops the old bid', () => {
    const book = newBook();
    book.submit('a', 'buy', { price: 10, quantity: 100 });
    book.submit('b', 'buy', { price: 10, quantity: 5 });
    book.submit('a', 'buy', { price: 10, quantity: 5 });
    expect(book.bids('buy').map((bid) => [bid.bidder, bid.quantity])).toEqual([
      ['a', 5],
      ['b', 5],
    ]);
    book.submit('s', 'sell', { price: 8, quantity: 7 });
    const clearing = clear(book);
    // Equal-price buyers are served in submission order: a keeps its first place.
    expect(clearing.quantity).toBe(7);
    expect(clearing.trades.filter((t) => t.side === 'buy')).toEqual([
      { side: 'buy', index: 0, bidder: 'a', price: 10, quantity: 5 },
      { side: 'buy', index: 1, bidder: 'b', price: 10, quantity: 2 },
    ]);
  });

  it('decides the marginal seller by re-bid place: equal-price sellers clear in reverse order', () => {
    const book = newBook();
    book.submit('s1', 'sell', { price: 10, quantity: 5 });
    book.submit('s2', 'sell', { price: 10, quantity: 5 });
    book.submit('s1', 'sell', { price: 10, quantity: 5 }); // re-bid: s1 stays first in submission order
    book.submit('h', 'buy', { price: 20, quantity: 7 });
    const sold = (): Record<string, number> =>
      Object.fromEntries(
        clear(book)
          .trades.filter((t) => t.side === 'sell')
          .map((t) => [t.bidder, t.quantity]),
      );
    expect(sold()).toEqual({ s2: 5, s1: 2 });

    // Cancelling and bidding again makes s1 a new, later submission, so it is now served first.
    expect(book.cancel('s1', 'sell')).toBe(true);
    book.submit('s1', 'sell', { price: 10, quantity: 5 });
    expect(book.bids('sell').map((bid) => bid.bidder)).toEqual(['s2', 's1']);
    expect(sold()).toEqual({ s1: 5, s2: 2 });
  });

  it('cancels a bid so it no longer counts', () => {
    const book = newBook();
    book.submit('a', 'buy', { price: 30, quantity: 5 });
    book.submit('s', 'sell', { price: 10, quantity: 5 });
    expect(book.cancel('a', 'buy')).toBe(true);
    expect(book.cancel('a', 'buy')).toBe(false);
    expect(book.cancel('nobody', 'sell')).toBe(false);
    const clearing = clear(book);
    expect(clearing).toMatchObject({ quantity: 0, clearingType: 'null', trades: [] });
    expect(clearing.price).toBeCloseTo(10 - 0.0001, 9);
  });

  it('lets one bidder hold a buy and a sell', () => {
    const book = newBook();
    book.submit('battery', 'buy', { price: 5, quantity: 2 });
    book.submit('battery', 'sell', { price: 50, quantity: 3 });
    expect(book.count('buy')).toBe(1);
    expect(book.count('sell')).toBe(1);
  });

  it('refuses an invalid bid with a coded error and leaves the book unchanged', () => {
    const book = newBook();
    book.submit('a', 'buy', { price: 10, quantity: 1 });
    const refused = book.submit('a', 'buy', { price: 10, quantity: -1 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('TE_ERR_NEGATIVE_QUANTITY');
      expect(refused.error.path).toBe('buys[bidder=a].quantity');
    }
    expect(book.bids('buy')).toEqual([{ bidder: 'a', price: 10, quantity: 1 }]);
  });

  it('refuses invalid market parameters', () => {
    const created = SlotOrderBook.create({ priceCap: 0 });
    expect(!created.ok && created.error.path).toBe('priceCap');
  });

  it('produces the columnar book for the fast path', () => {
    const created = SlotOrderBook.create({ priceCap: 100, bidOffset: 0.5 });
    if (!created.ok) throw created.error;
    const book = created.value;
    book.submit('a', 'buy', { price: 10, quantity: 1 });
    book.submit('b', 'buy', { price: 20, quantity: 2 });
    book.cancel('a', 'buy');
    const columns = book.toColumnarBook();
    expect(columns.priceCap).toBe(100);
    expect(columns.bidOffset).toBe(0.5);
    expect(Array.from(columns.buyPrices)).toEqual([20]);
    expect(Array.from(columns.buyQuantities)).toEqual([2]);
    expect(columns.sellPrices).toHaveLength(0);
  });
});
