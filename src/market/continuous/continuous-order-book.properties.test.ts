/**
 * Properties of the continuous book over random sequences of submits, cancels and replaces: the book is
 * never crossed, quantity is conserved (submitted = filled + resting + removed), and the plain
 * reference book (reference-order-book.fixture.ts) produces the same trades, removals and resting
 * orders, with and without grid fees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TradeRecorder, type RemovalReason } from './book-events.js';
import { ContinuousOrderBook } from './continuous-order-book.js';
import type { FeeBetweenAreas } from './order-matching.js';
import { ReferenceOrderBook, type PlainRemoval } from './reference-order-book.fixture.js';

const price = fc.oneof(
  fc.integer({ min: 5, max: 25 }).map((c) => c / 100),
  fc.double({ min: 0.05, max: 0.25, noNaN: true }),
);
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 1, max: 100 }).map((q) => q / 7),
);
const operation = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      price,
      quantity,
      participant: fc.integer({ min: 0, max: 4 }),
      area: fc.integer({ min: 0, max: 2 }),
      clientOrderId: fc.option(
        fc.integer({ min: 0, max: 15 }).map((i) => `c${i}`),
        { nil: undefined },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('market' as const),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity,
      participant: fc.integer({ min: 0, max: 4 }),
      area: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), target: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('replace' as const), target: fc.nat(), price, quantity }),
  },
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

const FEES: FeeBetweenAreas = (sellArea, buyArea) => (sellArea === buyArea ? 0.005 : 0.02 + 0.01 * sellArea);

function run(operations: readonly Operation[], fees: FeeBetweenAreas | undefined) {
  const trades = new TradeRecorder();
  const removals: PlainRemoval[] = [];
  const book = new ContinuousOrderBook({
    priceCap: 1,
    initialCapacity: 16,
    ...(fees ? { feePerKwh: fees } : {}),
    events: {
      trade: trades.trade.bind(trades),
      removed: (orderId: number, q: number, reason: RemovalReason) =>
        removals.push({ orderId, quantity: q, reason }),
    },
  });
  const reference = new ReferenceOrderBook(1, fees);
  // Each book's ids, by the index of the operation that created the order.
  const fastIds: number[] = [];
  const plainIds: number[] = [];
  let submitted = 0;
  for (const op of operations) {
    if (op.kind === 'submit' || op.kind === 'market') {
      const request =
        op.kind === 'submit'
          ? {
              side: op.side,
              price: op.price,
              quantity: op.quantity,
              participant: op.participant,
              area: op.area,
              clientOrderId: op.clientOrderId,
            }
          : {
              side: op.side,
              type: 'market' as const,
              quantity: op.quantity,
              participant: op.participant,
              area: op.area,
            };
      const fast = book.submit(request);
      const plain = reference.submit(request);
      expect(fast.ok && plain.ok).toBe(true);
      if (!fast.ok || !plain.ok) continue;
      expect(fast.value.status === 'duplicate').toBe(plain.value.duplicate);
      if (fast.value.status === 'duplicate') continue;
      submitted += op.quantity;
      fastIds.push(fast.value.orderId);
      plainIds.push(plain.value.orderId);
    } else if (fastIds.length > 0) {
      const k = op.target % fastIds.length;
      const fastId = fastIds[k] as number;
      const plainId = plainIds[k] as number;
      if (op.kind === 'cancel') {
        expect(book.cancel(fastId).ok).toBe(reference.cancel(plainId));
      } else {
        const fast = book.replace(fastId, { price: op.price, quantity: op.quantity });
        const plain = reference.replace(plainId, { price: op.price, quantity: op.quantity });
        expect(fast.ok).toBe(plain.ok);
        if (fast.ok && plain.ok) {
          expect(fast.value.status).toBe(plain.value);
          // A replace that re-enters is a cancel of the open quantity plus a new order; an amendment
          // only removes the difference.
          if (plain.value === 'replaced') submitted += op.quantity;
        }
      }
    }
    if (fees === undefined) {
      const bid = book.bestBid();
      const ask = book.bestAsk();
      if (!Number.isNaN(bid) && !Number.isNaN(ask)) expect(bid).toBeLessThan(ask);
    }
  }
  return { book, reference, trades, removals, submitted, fastIds, plainIds };
}

function check(operations: readonly Operation[], fees: FeeBetweenAreas | undefined): void {
  const { book, reference, trades, removals, submitted, fastIds, plainIds } = run(operations, fees);
  // The books name orders differently; compare through the operation that created each order.
  const fastIndex = new Map(fastIds.map((id, k) => [id, k]));
  const plainIndex = new Map(plainIds.map((id, k) => [id, k]));
  const fastTrades = trades.toArray().map((t) => ({
    ...t,
    buyOrderId: fastIndex.get(t.buyOrderId),
    sellOrderId: fastIndex.get(t.sellOrderId),
  }));
  const plainTrades = reference.trades.map((t) => ({
    ...t,
    buyOrderId: plainIndex.get(t.buyOrderId),
    sellOrderId: plainIndex.get(t.sellOrderId),
  }));
  expect(fastTrades).toEqual(plainTrades);
  expect(removals.map((r) => ({ ...r, orderId: fastIndex.get(r.orderId) }))).toEqual(
    reference.removals.map((r) => ({ ...r, orderId: plainIndex.get(r.orderId) })),
  );
  const snapshot = book.snapshot();
  const plain = reference.snapshot();
  for (const side of ['bids', 'asks'] as const) {
    expect(snapshot[side].map((o) => [fastIndex.get(o.orderId), o.quantity, o.price])).toEqual(
      plain[side].map((o) => [plainIndex.get(o.id), o.quantity, o.ticks / 1e5]),
    );
  }
  expect(book.restingOrderCount).toBe(snapshot.bids.length + snapshot.asks.length);
  // Every submitted kW is filled (once on each side of a trade), resting, or removed.
  const filled = 2 * trades.toArray().reduce((sum, t) => sum + t.quantity, 0);
  const resting = [...snapshot.bids, ...snapshot.asks].reduce((sum, o) => sum + o.quantity, 0);
  const removed = removals.reduce((sum, r) => sum + r.quantity, 0);
  expect(filled + resting + removed).toBeCloseTo(submitted, 9);
}

describe('ContinuousOrderBook properties', () => {
  it('is never crossed, conserves quantity and matches the reference book', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 120 }), (operations) => check(operations, undefined)),
      { numRuns: 300 },
    );
  });

  it('matches the reference book with grid fees between areas', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 120 }), (operations) => check(operations, FEES)),
      { numRuns: 300 },
    );
  });
});
