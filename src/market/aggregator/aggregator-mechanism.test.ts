import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClearingContext, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY, orderTableFrom, type OrderRow, type OrderTable } from '../mechanism/order-table.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { aggregatorMargin, aggregatorMechanism, clearAggregated } from './aggregator-mechanism.js';
import type { Portfolio } from './portfolio.js';

const HOUR: ClearingContext = { slot: { startMs: 0, endMs: 3_600_000 }, priceCap: 1, bidOffset: 0.0001 };
const FIVE_MINUTES: ClearingContext = { ...HOUR, slot: { startMs: 0, endMs: 300_000 } };
const TOLERANCE = 1e-7;
const MEMBERS_0_TO_9: Portfolio = {
  members: (p) => p >= 0 && p <= 9,
  aggregatorParticipant: 1000,
  marginPerKwh: 0.005,
};

function clear(rows: readonly OrderRow[], portfolio: Portfolio, context = HOUR) {
  const table = orderTableFrom(rows);
  const result = clearAggregated(uniformPriceAuction, portfolio, table, context);
  if (!result.ok) throw result.error;
  return { table, ...result.value };
}

function direct(table: OrderTable, context = HOUR): MarketClearing {
  const result = uniformPriceAuction.clear(table, context);
  if (!result.ok) throw result.error;
  return result.value;
}

const row = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  price: fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((c) => c / 100),
    fc.constant(1),
    fc.constant(-1),
  ),
  quantity: fc.integer({ min: 0, max: 500 }).map((q) => q / 10),
  participant: fc.integer({ min: 0, max: 20 }),
});
const book = fc.array(row, { maxLength: 60 });

describe('aggregator over the uniform-price auction: a worked slot', () => {
  // Three member homes buy through aggregator 100 (margin 0.01 per kWh); two outside sellers.
  const portfolio: Portfolio = { members: [0, 1, 2], aggregatorParticipant: 100, marginPerKwh: 0.01 };
  const rows: OrderRow[] = [
    { side: 'buy', price: 0.3, quantity: 4, participant: 0 },
    { side: 'buy', price: 0.2, quantity: 2, participant: 1 },
    { side: 'buy', price: 0.2, quantity: 2, participant: 2 },
    { side: 'sell', price: 0.1, quantity: 6, participant: 5 },
    { side: 'sell', price: 0.25, quantity: 10, participant: 6 },
  ];

  it('bids one re-priced portfolio curve, best price first, under the aggregator', () => {
    const { book } = clear(rows, portfolio);
    const steps = Array.from({ length: book.inner.rows - book.firstStepRow }, (_, s) => {
      const k = book.firstStepRow + s;
      return [book.inner.participant[k], book.inner.price[k], book.inner.quantity[k]];
    });
    expect(steps).toEqual([
      [100, 0.29, 4],
      [100, 0.19, 4],
    ]);
    expect(book.stepMembers).toEqual([[0], [1, 2]]);
  });

  it('fills the better member in full, shares the margin step pro rata, and adds the margin', () => {
    const { clearing, innerClearing, marginRevenue } = clear(rows, portfolio);
    expect(innerClearing.clearingPrice).toBeCloseTo(0.19, 12);
    expect(Array.from(clearing.filled)).toEqual([4, 1, 1, 6, 0]);
    expect(clearing.price[0]).toBeCloseTo(0.2, 12);
    expect(clearing.price[1]).toBeCloseTo(0.2, 12);
    expect(clearing.price[3]).toBeCloseTo(0.19, 12);
    expect(marginRevenue).toBeCloseTo(6 * 0.01, 12);
    expect(clearing.mechanism).toBe('aggregator-uniform-price-double-auction');
  });

  it('leaves out a member whose limit cannot cover the margin within the cap', () => {
    const floorBuy: OrderRow = { side: 'buy', price: -1, quantity: 3, participant: 1 };
    const { clearing, book } = clear([floorBuy, ...rows], portfolio);
    expect(book.excludedRows).toEqual([0]);
    expect(clearing.filled[0]).toBe(0);
  });

  it('refuses a bad portfolio with a coded error', () => {
    const bad = { ...portfolio, marginPerKwh: -0.01 };
    expect(() => aggregatorMechanism(uniformPriceAuction, bad)).toThrowError(/marginPerKwh/);
    const result = clearAggregated(uniformPriceAuction, bad, orderTableFrom(rows), HOUR);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('TE_ERR_VALIDATION');
  });
});

describe('aggregator invariants (random books, members 0–9, margin 0.005)', () => {
  it('earns the margin on every member kWh: Σ member fills × slot hours × margin', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const { table, clearing, marginRevenue } = clear(rows, MEMBERS_0_TO_9, FIVE_MINUTES);
        let memberKw = 0;
        let memberPaidOverMarket = 0;
        for (let i = 0; i < table.rows; i++) {
          if ((table.participant[i] ?? 99) > 9 || (clearing.filled[i] ?? 0) === 0) continue;
          const filled = clearing.filled[i] ?? 0;
          memberKw += filled;
          const sign = table.side[i] === BUY ? 1 : -1;
          memberPaidOverMarket += sign * filled * ((clearing.price[i] ?? NaN) - clearing.clearingPrice);
        }
        const expected = (memberKw * 5 * 0.005) / 60;
        expect(marginRevenue).toBeCloseTo(expected, 12);
        expect(aggregatorMargin(table, clearing, MEMBERS_0_TO_9, FIVE_MINUTES.slot)).toBeCloseTo(
          expected,
          12,
        );
        // The same amount seen from the members: what they paid above (or got below) the market price.
        expect((memberPaidOverMarket * 5) / 60).toBeCloseTo(expected, 9);
      }),
      { numRuns: 200 },
    );
  });

  it('never makes a member pay above its bid or sell below its offer', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const { table, clearing } = clear(rows, MEMBERS_0_TO_9);
        for (let i = 0; i < table.rows; i++) {
          if ((clearing.filled[i] ?? 0) <= 0) continue;
          const limit = Math.min(table.price[i] ?? NaN, HOUR.priceCap);
          const price = clearing.price[i] ?? NaN;
          if (table.side[i] === BUY) expect(price).toBeLessThanOrEqual(limit + TOLERANCE);
          else expect(price).toBeGreaterThanOrEqual(limit - TOLERANCE);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('hands out exactly the portfolio fill: per step and per side', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const {
          table,
          clearing,
          book: portfolioBook,
          innerClearing,
          portfolioBoughtKw,
          portfolioSoldKw,
        } = clear(rows, MEMBERS_0_TO_9);
        portfolioBook.stepMembers.forEach((members, s) => {
          const stepFill = innerClearing.filled[portfolioBook.firstStepRow + s] ?? 0;
          const handedOut = members.reduce((sum, r) => sum + (clearing.filled[r] ?? 0), 0);
          expect(handedOut).toBeCloseTo(stepFill, 9);
        });
        let memberBoughtKw = 0;
        let memberSoldKw = 0;
        for (let i = 0; i < table.rows; i++) {
          if ((table.participant[i] ?? 99) > 9) continue;
          if (table.side[i] === BUY) memberBoughtKw += clearing.filled[i] ?? 0;
          else memberSoldKw += clearing.filled[i] ?? 0;
        }
        expect(memberBoughtKw).toBeCloseTo(portfolioBoughtKw, 9);
        expect(memberSoldKw).toBeCloseTo(portfolioSoldKw, 9);
      }),
      { numRuns: 200 },
    );
  });

  it('passes non-members through unchanged when nobody bids like a member', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const outsiders = rows.filter((r) => r.participant > 9);
        const { clearing } = clear(outsiders, MEMBERS_0_TO_9);
        const alone = direct(orderTableFrom(outsiders));
        expect(Array.from(clearing.filled)).toEqual(Array.from(alone.filled));
        expect(Array.from(clearing.price)).toEqual(Array.from(alone.price));
      }),
      { numRuns: 50 },
    );
  });
});

describe('aggregator with margin 0 against the inner mechanism alone', () => {
  const noMargin: Portfolio = { ...MEMBERS_0_TO_9, marginPerKwh: 0 };

  it('gives every row the same fill and price when no two rows on a side share a price', () => {
    const distinct = book.map((rows) => {
      const seen = new Set<string>();
      return rows.filter((r) => {
        const key = `${r.side}|${Math.min(r.price, 1)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    });
    fc.assert(
      fc.property(distinct, (rows) => {
        const { table, clearing } = clear(rows, noMargin);
        const alone = direct(table);
        for (let i = 0; i < table.rows; i++) {
          expect(clearing.filled[i]).toBeCloseTo(alone.filled[i] ?? NaN, 9);
          if ((alone.filled[i] ?? 0) > 0) expect(clearing.price[i]).toBeCloseTo(alone.price[i] ?? NaN, 12);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('with ties at the margin, gives each price level the same total, split pro rata inside the portfolio', () => {
    fc.assert(
      fc.property(book, (rows) => {
        const { table, clearing } = clear(rows, noMargin);
        const alone = direct(table);
        const byLevel = (c: MarketClearing) => {
          const levels = new Map<string, number>();
          for (let i = 0; i < table.rows; i++) {
            const key = `${table.side[i]}|${Math.min(table.price[i] ?? NaN, 1)}`;
            levels.set(key, (levels.get(key) ?? 0) + (c.filled[i] ?? 0));
          }
          return levels;
        };
        const mine = byLevel(clearing);
        for (const [level, total] of byLevel(alone)) expect(mine.get(level)).toBeCloseTo(total, 9);
        expect(clearing.clearingPrice).toBe(alone.clearingPrice);
      }),
      { numRuns: 200 },
    );
  });

  it('shares a tied margin step pro rata where the inner auction serves in submission order', () => {
    const rows: OrderRow[] = [
      { side: 'buy', price: 0.2, quantity: 3, participant: 1 },
      { side: 'buy', price: 0.2, quantity: 1, participant: 2 },
      { side: 'sell', price: 0.1, quantity: 2, participant: 15 },
    ];
    const { clearing } = clear(rows, noMargin);
    const alone = direct(orderTableFrom(rows));
    expect(Array.from(alone.filled)).toEqual([2, 0, 2]);
    expect(Array.from(clearing.filled)).toEqual([1.5, 0.5, 2]);
  });
});
