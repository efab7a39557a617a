import { describe, expect, it } from 'vitest';
import { parseAuctionBook } from './auction-book.js';
import { clearAuctionBook } from './auction-clearing.js';

const valid = { buys: [{ price: 30, quantity: 5 }], sells: [{ price: 10, quantity: 5 }] };

describe('clearAuctionBook', () => {
  it('applies the GridLAB-D defaults and ignores informational keys', () => {
    const parsed = parseAuctionBook({ ...valid, name: 'x', expected: { price: 1 }, tolerance: {} });
    expect(parsed).toEqual({
      ok: true,
      value: { priceCap: 9999, bidOffset: 0.0001, buys: valid.buys, sells: valid.sells },
    });
  });

  it('returns price, quantity, type, marginal quantity and the trades with bidder ids', () => {
    const clearing = clearAuctionBook({
      buys: [
        { price: 30, quantity: 5, bidder: 'house-1' },
        { price: 5, quantity: 5 },
      ],
      sells: [{ price: 10, quantity: 8, bidder: 'pv-9' }],
    });
    expect(clearing).toEqual({
      ok: true,
      value: {
        price: 10,
        quantity: 5,
        clearingType: 'marginal-seller',
        marginalQuantity: 5,
        trades: [
          { side: 'buy', index: 0, bidder: 'house-1', price: 10, quantity: 5 },
          { side: 'sell', index: 0, bidder: 'pv-9', price: 10, quantity: 5 },
        ],
      },
    });
  });
});

describe('bad input is a coded error with a path, never a throw', () => {
  it.each([
    ['not an object', 42, 'TE_ERR_VALIDATION', '(root)'],
    ['a list', [], 'TE_ERR_VALIDATION', '(root)'],
    ['null', null, 'TE_ERR_VALIDATION', '(root)'],
    ['missing buys', { sells: [] }, 'TE_ERR_VALIDATION', 'buys'],
    ['missing sells', { buys: [] }, 'TE_ERR_VALIDATION', 'sells'],
    ['buys not a list', { buys: {}, sells: [] }, 'TE_ERR_VALIDATION', 'buys'],
    ['bid not an object', { buys: [7], sells: [] }, 'TE_ERR_VALIDATION', 'buys[0]'],
    ['missing price', { buys: [{ quantity: 1 }], sells: [] }, 'TE_ERR_VALIDATION', 'buys[0].price'],
    ['missing quantity', { buys: [], sells: [{ price: 1 }] }, 'TE_ERR_VALIDATION', 'sells[0].quantity'],
    [
      'price as a string',
      { buys: [{ price: '30', quantity: 1 }], sells: [] },
      'TE_ERR_VALIDATION',
      'buys[0].price',
    ],
    [
      'quantity null',
      { buys: [], sells: [{ price: 1, quantity: null }] },
      'TE_ERR_VALIDATION',
      'sells[0].quantity',
    ],
    [
      'bidder a number',
      { buys: [{ price: 1, quantity: 1, bidder: 3 }], sells: [] },
      'TE_ERR_VALIDATION',
      'buys[0].bidder',
    ],
    [
      'NaN price',
      { buys: [valid.buys[0], { price: NaN, quantity: 1 }], sells: [] },
      'TE_ERR_NOT_FINITE',
      'buys[1].price',
    ],
    [
      'Infinity quantity',
      { buys: [], sells: [{ price: 1, quantity: Infinity }] },
      'TE_ERR_NOT_FINITE',
      'sells[0].quantity',
    ],
    [
      'negative quantity',
      { buys: [], sells: [{ price: 1, quantity: -2 }] },
      'TE_ERR_NEGATIVE_QUANTITY',
      'sells[0].quantity',
    ],
    [
      'price below -cap',
      { buys: [{ price: -10_000, quantity: 1 }], sells: [] },
      'TE_ERR_PRICE_OUT_OF_RANGE',
      'buys[0].price',
    ],
    [
      'price below a custom -cap',
      { priceCap: 100, buys: [], sells: [{ price: -101, quantity: 1 }] },
      'TE_ERR_PRICE_OUT_OF_RANGE',
      'sells[0].price',
    ],
    ['priceCap a string', { ...valid, priceCap: '9999' }, 'TE_ERR_VALIDATION', 'priceCap'],
    ['priceCap negative', { ...valid, priceCap: -1 }, 'TE_ERR_VALIDATION', 'priceCap'],
    ['bidOffset negative', { ...valid, bidOffset: -0.1 }, 'TE_ERR_VALIDATION', 'bidOffset'],
    ['bidOffset Infinity', { ...valid, bidOffset: Infinity }, 'TE_ERR_NOT_FINITE', 'bidOffset'],
  ])('%s', (_label, input, code, path) => {
    let result: ReturnType<typeof clearAuctionBook> | undefined;
    expect(() => {
      result = clearAuctionBook(input);
    }).not.toThrow();
    expect(result?.ok).toBe(false);
    if (result !== undefined && !result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.path).toBe(path);
      expect(result.error.hint).toBeTruthy();
      expect(result.error.toLine()).toContain(path);
    }
  });

  it('accepts a price above the cap (it is lowered) and a zero quantity', () => {
    const clearing = clearAuctionBook({ buys: [{ price: 1e6, quantity: 0 }], sells: [] });
    expect(clearing.ok && clearing.value.price).toBe(9999);
  });
});
