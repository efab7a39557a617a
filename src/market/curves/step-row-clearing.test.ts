import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderTableFrom, type OrderRow } from '../mechanism/order-table.js';
import { clearStepRows } from './step-row-clearing.js';

const CAP = 1;
const buy = (price: number, quantity: number, participant = 0): OrderRow => ({
  side: 'buy',
  price,
  quantity,
  participant,
});
const sell = (price: number, quantity: number, participant = 1): OrderRow => ({
  side: 'sell',
  price,
  quantity,
  participant,
});
const clear = (rows: OrderRow[], steps?: number) => clearStepRows(orderTableFrom(rows), CAP, steps);

describe('clearStepRows', () => {
  it('fills rows beyond the price in full and shares the margin pro rata', () => {
    const result = clear([buy(0.5, 4), buy(0.3, 6), buy(0.3, 2), sell(0.1, 5), sell(0.2, 3)]);
    expect(result.price).toBe(0.3);
    expect(result.status).toBe('crossed');
    expect(Array.from(result.filled)).toEqual([4, 3, 1, 5, 3]);
    expect(result.tradedKw).toBe(8);
  });

  it('prices a gap between the curves at its middle', () => {
    const result = clear([buy(0.5, 5), sell(0.3, 5)]);
    expect(result.price).toBeCloseTo(0.4, 12);
    expect(Array.from(result.filled)).toEqual([5, 5]);
  });

  it('finds prices between basis steps exactly', () => {
    // Basis steps every 0.2; the crossing is at a buyer's 0.12345.
    const result = clear([buy(0.9, 5), buy(0.12345, 10), sell(0.1, 4), sell(0.12, 3)], 11);
    expect(result.price).toBe(0.12345);
    expect(Array.from(result.filled)).toEqual([5, 2, 4, 3]);
  });

  it('puts the price at the cap and reports the shortfall when demand always exceeds supply', () => {
    const result = clear([buy(1, 10), buy(5, 2), sell(0.2, 4)]);
    expect(result.price).toBe(1);
    expect(result.status).toBe('demand-exceeds-supply');
    expect(result.imbalanceKw).toBe(8);
    expect(result.filled[0]! + result.filled[1]!).toBeCloseTo(4, 12);
    expect(result.filled[0]! / result.filled[1]!).toBeCloseTo(5, 12);
  });

  it('puts the price at the floor when must-run supply exceeds all demand', () => {
    const result = clear([sell(-1, 10), buy(0.3, 4)]);
    expect(result.price).toBe(-1);
    expect(result.status).toBe('supply-exceeds-demand');
    expect(result.imbalanceKw).toBe(-6);
    expect(Array.from(result.filled)).toEqual([4, 4]);
  });

  it('reports no trade when the curves do not meet', () => {
    const result = clear([buy(0.2, 3), sell(0.6, 3)]);
    expect(result.status).toBe('no-trade');
    expect(result.price).toBeCloseTo(0.4, 12);
    expect(result.tradedKw).toBe(0);
  });

  it('gives the same result on any basis: the basis only narrows the search', () => {
    const row = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      price: fc.oneof(
        fc.integer({ min: -100, max: 100 }).map((c) => c / 100),
        fc.double({ min: -1, max: 1.5, noNaN: true }),
      ),
      quantity: fc.integer({ min: 0, max: 500 }).map((q) => q / 10),
      participant: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.integer({ min: 3, max: 400 }), (rows, steps) => {
        const whole = clear(rows, 2); // two basis prices: the search covers the whole range
        const fine = clear(rows, steps);
        expect(fine.price).toBeCloseTo(whole.price, 12);
        expect(fine.tradedKw).toBeCloseTo(whole.tradedKw, 9);
        fine.filled.forEach((f, i) => expect(f).toBeCloseTo(whole.filled[i] ?? NaN, 9));
      }),
      { numRuns: 200 },
    );
  });
});
