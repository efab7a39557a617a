import { describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import { book, CAP, clear, expectClearing, OFFSET, served } from './test-books.fixture.js';
import { clearUniformPriceAuction, tryClearUniformPriceAuction } from './uniform-price-auction.js';

describe('one-sided and empty books', () => {
  it('clears an empty book at 0 with no quantity', () => {
    expectClearing(clear([], []), { price: 0, quantity: 0, clearingType: 'null' });
  });

  it('prices a sells-only book just below the cheapest offer', () => {
    expectClearing(
      clear(
        [],
        [
          [5, 10],
          [3, 20],
        ],
      ),
      { price: 3 - OFFSET, quantity: 0, clearingType: 'null' },
    );
  });

  it('prices a buys-only book just above the highest bid', () => {
    expectClearing(
      clear(
        [
          [5, 10],
          [3, 20],
        ],
        [],
      ),
      { price: 5 + OFFSET, quantity: 0, clearingType: 'null' },
    );
  });

  it('clamps one-sided prices to the cap', () => {
    expect(clear([[CAP, 1]], []).price).toBe(CAP);
    expect(clear([], [[-CAP, 1]]).price).toBe(-CAP);
    expect(clear([[20_000, 1]], []).price).toBe(CAP);
  });
});

describe('books that do not cross (Q == 0)', () => {
  it('prices halfway between the best bid and the best offer', () => {
    const outcome = clear([[10, 5]], [[20, 5]]);
    expectClearing(outcome, { price: 15, quantity: 0, clearingType: 'null' });
    expect(served(outcome.buyServed)).toEqual([0]);
    expect(served(outcome.sellServed)).toEqual([0]);
  });

  it('prices just above the best bid when the cheapest offer sits at the cap', () => {
    // 12000 is lowered to the cap before anything else.
    expectClearing(clear([[10, 5]], [[12_000, 5]]), {
      price: 10 + OFFSET,
      quantity: 0,
      clearingType: 'null',
    });
  });

  it('prices just below the cheapest offer when the best bid sits at -cap', () => {
    expectClearing(clear([[-CAP, 5]], [[20, 5]]), { price: 20 - OFFSET, quantity: 0, clearingType: 'null' });
  });

  it('reports null when only zero quantities cross', () => {
    expectClearing(clear([[30, 0]], [[10, 0]]), { price: 20, quantity: 0, clearingType: 'null' });
  });
});

describe('walk steps and tie orders', () => {
  it('serves equal-price buyers in submission order', () => {
    const outcome = clear(
      [
        [10, 5],
        [10, 5],
      ],
      [[8, 7]],
    );
    expectClearing(outcome, { price: 10, quantity: 7, clearingType: 'marginal-buyer', marginalQuantity: 7 });
    expect(served(outcome.buyServed)).toEqual([5, 2]);
    expect(served(outcome.sellServed)).toEqual([7]);
  });

  it('serves equal-price sellers in reverse submission order', () => {
    const outcome = clear(
      [[20, 7]],
      [
        [10, 5],
        [10, 5],
      ],
    );
    expectClearing(outcome, { price: 10, quantity: 7, clearingType: 'marginal-seller', marginalQuantity: 7 });
    expect(served(outcome.sellServed)).toEqual([2, 5]);
  });

  it('lets the reverse seller order pick the marginal seller after a tie', () => {
    // Sorted sells: #1 (5 @ 10), then #0 (1 @ 10). The tie with the buy uses #1.
    const outcome = clear(
      [
        [30, 5],
        [5, 1],
      ],
      [
        [10, 1],
        [10, 5],
      ],
    );
    expectClearing(outcome, { price: 10, quantity: 5, clearingType: 'marginal-seller', marginalQuantity: 5 });
    expect(served(outcome.sellServed)).toEqual([0, 5]);
    expect(served(outcome.buyServed)).toEqual([5, 0]);
  });

  it('lets the seller order change the price in the rare corner the spec warns about', () => {
    // Sorted sells: #1 (2 @ 10) ties the only buy; buys are used up and the next sell is also at 10, so
    // the type is marginal-seller at the buyer's price a = 30. The marginal quantity 2 - 7 is as specified.
    const outcome = clear(
      [[30, 2]],
      [
        [10, 5],
        [10, 2],
      ],
    );
    expectClearing(outcome, {
      price: 30,
      quantity: 2,
      clearingType: 'marginal-seller',
      marginalQuantity: -5,
    });
    expect(served(outcome.sellServed)).toEqual([0, 2]);
  });
});

describe('unresponsive bids', () => {
  it('fails at +cap when supply cannot meet unresponsive demand', () => {
    const outcome = clear([[CAP, 10]], [[50, 4]]);
    expectClearing(outcome, { price: CAP, quantity: 4, clearingType: 'failure' });
    expect(served(outcome.buyServed)).toEqual([4]);
    expect(served(outcome.sellServed)).toEqual([4]);
  });

  it('fails at -cap when demand cannot take unresponsive supply', () => {
    const outcome = clear([[50, 4]], [[-CAP, 10]]);
    expectClearing(outcome, { price: -CAP, quantity: 4, clearingType: 'failure' });
    expect(served(outcome.buyServed)).toEqual([4]);
    expect(served(outcome.sellServed)).toEqual([4]);
  });

  it('clears at 0 when only unresponsive bids clear, and serves only those', () => {
    const outcome = clear(
      [
        [CAP, 10],
        [50, 5],
      ],
      [
        [-CAP, 10],
        [60, 5],
      ],
    );
    expectClearing(outcome, { price: 0, quantity: 10, clearingType: 'marginal-price' });
    // The buy at 50 is better than the price 0 but the walk's quantity is used up by the must-run buyer.
    expect(served(outcome.buyServed)).toEqual([10, 0]);
    expect(served(outcome.sellServed)).toEqual([10, 0]);
  });
});

describe('serving bids', () => {
  it('serves bids better than the price in full and the marginal ones in part', () => {
    const outcome = clear(
      [
        [40, 3],
        [30, 4],
        [30, 4],
        [10, 9],
      ],
      [
        [5, 6],
        [20, 4],
        [35, 8],
      ],
    );
    // Walk: 3 buys (3+4+4 = 11) meet 6+4 = 10 of supply at the buyers' price 30.
    expectClearing(outcome, { price: 30, quantity: 10, clearingType: 'marginal-buyer', marginalQuantity: 7 });
    expect(served(outcome.buyServed)).toEqual([3, 4, 3, 0]);
    expect(served(outcome.sellServed)).toEqual([6, 4, 0]);
    expect(outcome.tradedQuantity).toBe(10);
  });

  it('trades only what is available at the price when the offset moves it past matched bids', () => {
    // Tie at a = 30, b = 10; the next buy at 29.99995 pulls the price to 29.99995 + 0.0001 > 30.
    const outcome = clear(
      [
        [30, 5],
        [29.99995, 1],
      ],
      [
        [10, 5],
        [31, 1],
      ],
    );
    expect(outcome.price).toBeCloseTo(30.00005, 9);
    expect(outcome.quantity).toBe(5);
    expect(outcome.tradedQuantity).toBe(0);
    expect(served(outcome.buyServed)).toEqual([0, 0]);
    expect(served(outcome.sellServed)).toEqual([0, 0]);
  });
});

describe('invalid columnar books', () => {
  it('throws the coded error from the strict entry point and returns it from the Result one', () => {
    const bad = book([[10, -1]], []);
    expect(() => clearUniformPriceAuction(bad)).toThrow(TeError);
    const result = tryClearUniformPriceAuction(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('TE_ERR_NEGATIVE_QUANTITY');
      expect(result.error.path).toBe('buys[0].quantity');
    }
  });

  it.each([
    [
      'sell price NaN',
      book(
        [],
        [
          [1, 1],
          [Number.NaN, 1],
        ],
      ),
      'TE_ERR_NOT_FINITE',
      'sells[1].price',
    ],
    ['buy quantity Infinity', book([[1, Infinity]], []), 'TE_ERR_NOT_FINITE', 'buys[0].quantity'],
    ['buy price +Infinity', book([[Infinity, 1]], []), 'TE_ERR_NOT_FINITE', 'buys[0].price'],
    ['sell price below -cap', book([], [[-10_000, 1]]), 'TE_ERR_PRICE_OUT_OF_RANGE', 'sells[0].price'],
    ['zero price cap', book([], [], 0), 'TE_ERR_VALIDATION', 'priceCap'],
    ['infinite price cap', book([], [], Infinity), 'TE_ERR_NOT_FINITE', 'priceCap'],
    ['negative offset', book([], [], CAP, -1), 'TE_ERR_VALIDATION', 'bidOffset'],
    ['NaN offset', book([], [], CAP, Number.NaN), 'TE_ERR_NOT_FINITE', 'bidOffset'],
  ])('rejects %s', (_label, columns, code, path) => {
    const result = tryClearUniformPriceAuction(columns);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.path).toBe(path);
      expect(result.error.hint).toBeTruthy();
    }
  });

  it('rejects columns of different lengths', () => {
    const columns = { ...book([[1, 1]], []), buyQuantities: new Float64Array(0) };
    const result = tryClearUniformPriceAuction(columns);
    expect(!result.ok && result.error.path).toBe('buys');
  });
});
