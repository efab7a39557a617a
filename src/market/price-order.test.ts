import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buyOrder, sellOrder } from './price-order.js';

const order = (values: number[], sort: (prices: Float64Array) => Uint32Array): number[] =>
  Array.from(sort(Float64Array.from(values)));

describe('buyOrder', () => {
  it('sorts by price descending and keeps submission order among equal prices', () => {
    expect(order([3, 1, 3, 2, 3], buyOrder)).toEqual([0, 2, 4, 3, 1]);
  });

  it('orders negative prices, zero and -0 as numbers', () => {
    expect(order([-5, 0, -0, 7.5, -1e-300, 1e-300], buyOrder)).toEqual([3, 5, 1, 2, 4, 0]);
  });

  it('handles empty and single books', () => {
    expect(order([], buyOrder)).toEqual([]);
    expect(order([42], buyOrder)).toEqual([0]);
  });
});

describe('sellOrder', () => {
  it('sorts by price ascending and puts equal prices in reverse submission order', () => {
    expect(order([3, 1, 3, 1, 3], sellOrder)).toEqual([3, 1, 4, 2, 0]);
  });

  it('treats -0 and 0 as one price', () => {
    expect(order([0, -0, 0], sellOrder)).toEqual([2, 1, 0]);
  });

  it('matches a GridLAB-D style top-down merge sort that takes the second half first on ties', () => {
    // curve.cpp's merge sort, transcribed: split at len/2, take from b unless a < b strictly.
    const mergeSort = (prices: number[], keys: number[]): number[] => {
      if (keys.length <= 1) return keys;
      const split = Math.floor(keys.length / 2);
      const left = mergeSort(prices, keys.slice(0, split));
      const right = mergeSort(prices, keys.slice(split));
      const merged: number[] = [];
      let l = 0;
      let r = 0;
      while (l < left.length && r < right.length) {
        if (prices[left[l]!]! < prices[right[r]!]!) merged.push(left[l++]!);
        else merged.push(right[r++]!);
      }
      return [...merged, ...left.slice(l), ...right.slice(r)];
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 60 }), (prices) => {
        const expected = mergeSort(
          prices,
          prices.map((_, index) => index),
        );
        expect(order(prices, sellOrder)).toEqual(expected);
      }),
    );
  });
});

describe('both orders against comparator sorts', () => {
  it('agree on random doubles, with ties', () => {
    const price = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constantFrom(-9999, 0, 9999, 12.5),
    );
    fc.assert(
      fc.property(fc.array(price, { maxLength: 300 }), (prices) => {
        const indices = prices.map((_, index) => index);
        const normal = prices.map((value) => value + 0);
        const buys = [...indices].sort((x, y) => normal[y]! - normal[x]! || x - y);
        const sells = [...indices].sort((x, y) => normal[x]! - normal[y]! || y - x);
        expect(order(prices, buyOrder)).toEqual(buys);
        expect(order(prices, sellOrder)).toEqual(sells);
      }),
    );
  });
});

describe('the radix path for large books', () => {
  it('agrees with comparator sorts on books past the small-book threshold', () => {
    const price = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer({ min: -50, max: 50 }),
      fc.constantFrom(-9999, -0, 0, 9999, -1e-310, 1e-310),
    );
    fc.assert(
      fc.property(fc.array(price, { minLength: 2048, maxLength: 5000 }), (prices) => {
        const indices = prices.map((_, index) => index);
        const normal = prices.map((value) => value + 0);
        const buys = [...indices].sort((x, y) => normal[y]! - normal[x]! || x - y);
        const sells = [...indices].sort((x, y) => normal[x]! - normal[y]! || y - x);
        expect(order(prices, buyOrder)).toEqual(buys);
        expect(order(prices, sellOrder)).toEqual(sells);
      }),
      { numRuns: 20 },
    );
  });

  it('handles a large book with a single price', () => {
    const prices = new Array<number>(3000).fill(7);
    expect(order(prices, buyOrder)).toEqual(prices.map((_, index) => index));
    expect(order(prices, sellOrder)).toEqual(prices.map((_, index) => 2999 - index));
  });
});
