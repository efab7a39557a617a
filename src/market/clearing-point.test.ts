import { describe, expect, it } from 'vitest';
import { priceAfterWalk, walkCurves } from './clearing-point.js';
import { demandCurve, supplyCurve } from './sorted-curve.js';
import { book, CAP, clear, expectClearing, OFFSET, served, type Bid } from './test-books.fixture.js';

describe('price and type after a tie', () => {
  it('is exact when both sides are used up at one price', () => {
    expectClearing(clear([[20, 5]], [[20, 5]]), { price: 20, quantity: 5, clearingType: 'exact' });
  });

  it('averages when both sides are used up at different prices', () => {
    expectClearing(clear([[30, 5]], [[10, 5]]), { price: 20, quantity: 5, clearingType: 'marginal-price' });
  });

  it('is marginal-buyer when the sells are used up and the next buy sits at a', () => {
    const outcome = clear(
      [
        [30, 5],
        [30, 2],
      ],
      [[10, 5]],
    );
    expectClearing(outcome, { price: 30, quantity: 5, clearingType: 'marginal-buyer', marginalQuantity: 5 });
    expect(served(outcome.buyServed)).toEqual([5, 0]);
  });

  it('is exact when the sells are used up, a == b and the next buy is lower', () => {
    expectClearing(
      clear(
        [
          [20, 5],
          [15, 2],
        ],
        [[20, 5]],
      ),
      { price: 20, quantity: 5, clearingType: 'exact' },
    );
  });

  it('averages when the sells are used up and the next buy sits at the average', () => {
    expectClearing(
      clear(
        [
          [30, 5],
          [20, 2],
        ],
        [[10, 5]],
      ),
      {
        price: 20,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
  });

  it('is exact with bids left on both sides when a == b', () => {
    expectClearing(
      clear(
        [
          [20, 5],
          [15, 1],
        ],
        [
          [20, 5],
          [25, 1],
        ],
      ),
      {
        price: 20,
        quantity: 5,
        clearingType: 'exact',
      },
    );
  });

  it('is marginal-buyer with bids left when the next buy sits at a', () => {
    expectClearing(
      clear(
        [
          [30, 5],
          [30, 1],
        ],
        [
          [10, 5],
          [40, 1],
        ],
      ),
      {
        price: 30,
        quantity: 5,
        clearingType: 'marginal-buyer',
        marginalQuantity: 5,
      },
    );
  });

  it('nudges above the next buy when the average is below it', () => {
    expectClearing(
      clear(
        [
          [30, 5],
          [25, 1],
        ],
        [
          [10, 5],
          [28, 1],
        ],
      ),
      {
        price: 25 + OFFSET,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
  });

  it('nudges below the next sell when the average is above it', () => {
    expectClearing(
      clear(
        [
          [30, 5],
          [12, 1],
        ],
        [
          [10, 5],
          [15, 1],
        ],
      ),
      {
        price: 15 - OFFSET,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
  });

  it('takes the average when it lies between the next bid and the next offer', () => {
    expectClearing(
      clear(
        [
          [30, 5],
          [12, 1],
        ],
        [
          [10, 5],
          [28, 1],
        ],
      ),
      {
        price: 20,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
  });

  it('prices just above the next buy after an unresponsive buyer tied', () => {
    expectClearing(
      clear(
        [
          [CAP, 5],
          [10, 3],
        ],
        [
          [4, 5],
          [20, 1],
        ],
      ),
      {
        price: 10 + OFFSET,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
    expectClearing(
      clear(
        [
          [CAP, 5],
          [4, 3],
        ],
        [
          [4, 5],
          [20, 1],
        ],
      ),
      {
        price: 4,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
  });

  it('prices just below the next sell after an unresponsive seller tied', () => {
    expectClearing(
      clear(
        [
          [30, 5],
          [2, 1],
        ],
        [
          [-CAP, 5],
          [10, 3],
        ],
      ),
      {
        price: 10 - OFFSET,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
  });

  it('clamps a nudged price to the cap', () => {
    // a == cap, the last buy (at the cap) stays `buy`: cap + offset, clamped.
    expectClearing(
      clear(
        [[CAP, 5]],
        [
          [10, 5],
          [20, 3],
        ],
      ),
      {
        price: CAP,
        quantity: 5,
        clearingType: 'marginal-price',
      },
    );
  });
});

describe('the j == nB quirk', () => {
  const stepsOneToThree = (buys: readonly Bid[], sells: readonly Bid[]) => {
    const columns = book(buys, sells);
    const demand = demandCurve(columns.buyPrices, columns.buyQuantities, CAP);
    const supply = supplyCurve(columns.sellPrices, columns.sellQuantities, CAP);
    return priceAfterWalk(walkCurves(demand, supply, CAP), demand, supply, CAP, OFFSET);
  };
  const sells: Bid[] = [
    [-CAP, 2],
    [-CAP, 3],
    [50, 4],
  ];

  it('prices below the next sell when j equals the number of buys', () => {
    // Two buys; the walk ends at j = 2 after the unresponsive seller pair ties the unresponsive buyer.
    expect(
      stepsOneToThree(
        [
          [CAP, 5],
          [10, 3],
        ],
        sells,
      ),
    ).toEqual({
      price: 50 - OFFSET,
      clearingType: 'marginal-price',
    });
  });

  it('takes the midpoint of the next bid and offer when j differs from the number of buys', () => {
    expect(
      stepsOneToThree(
        [
          [CAP, 5],
          [10, 3],
          [5, 1],
        ],
        sells,
      ),
    ).toEqual({
      price: 30,
      clearingType: 'marginal-price',
    });
  });

  it('is then overridden by step 4, since Q equals both unresponsive totals', () => {
    expectClearing(
      clear(
        [
          [CAP, 5],
          [10, 3],
        ],
        sells,
      ),
      { price: 0, quantity: 5, clearingType: 'marginal-price' },
    );
  });
});
