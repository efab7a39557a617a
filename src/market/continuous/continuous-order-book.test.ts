import { describe, expect, it } from 'vitest';
import type { Side } from '../types.js';
import { TradeRecorder, type RemovalReason } from './book-events.js';
import { ContinuousOrderBook, type OrderReport } from './continuous-order-book.js';
import type { OrderRequest } from './order-validation.js';

function setup(feePerKwh?: (sellArea: number, buyArea: number) => number) {
  const trades = new TradeRecorder();
  const removals: { orderId: number; quantity: number; reason: RemovalReason }[] = [];
  const events = {
    trade: trades.trade.bind(trades),
    removed: (orderId: number, quantity: number, reason: RemovalReason) =>
      removals.push({ orderId, quantity, reason }),
  };
  const book = new ContinuousOrderBook({ priceCap: 1, events, ...(feePerKwh ? { feePerKwh } : {}) });
  const submit = (request: OrderRequest): OrderReport => {
    const result = book.submit(request);
    if (!result.ok) throw result.error;
    return { ...result.value };
  };
  const limit = (side: Side, price: number, quantity: number, participant: number, area = -1) =>
    submit({ side, price, quantity, participant, area });
  return { book, trades, removals, submit, limit };
}

describe('ContinuousOrderBook', () => {
  it('fills the earlier order first at the same price (price-time priority)', () => {
    const { limit, trades } = setup();
    const first = limit('sell', 0.1, 2, 1).orderId;
    const second = limit('sell', 0.1, 2, 2).orderId;
    limit('buy', 0.1, 3, 3);
    const fills = trades.toArray();
    expect(fills.map((t) => [t.sellOrderId, t.quantity])).toEqual([
      [first, 2],
      [second, 1],
    ]);
  });

  it('trades at the resting order price, whichever side rests', () => {
    const { limit, trades } = setup();
    limit('sell', 0.1, 1, 1);
    limit('buy', 0.15, 1, 2);
    limit('buy', 0.2, 1, 3);
    limit('sell', 0.12, 1, 4);
    expect(trades.toArray().map((t) => [t.price, t.aggressor, t.sequence])).toEqual([
      [0.1, 'buy', 1],
      [0.2, 'sell', 2],
    ]);
  });

  it('fills partially across levels and rests the limit remainder', () => {
    const { book, limit, trades } = setup();
    limit('sell', 0.12, 5, 1);
    limit('sell', 0.1, 2, 2);
    limit('sell', 0.11, 3, 3);
    const report = limit('buy', 0.12, 6, 9);
    expect(trades.toArray().map((t) => [t.price, t.quantity])).toEqual([
      [0.1, 2],
      [0.11, 3],
      [0.12, 1],
    ]);
    expect(report).toMatchObject({
      status: 'accepted',
      filledQuantity: 6,
      restingQuantity: 0,
      tradeCount: 3,
    });
    expect(book.depth('sell')).toEqual([{ price: 0.12, quantity: 4, orders: 1 }]);
    const rested = limit('buy', 0.125, 10, 9);
    expect(rested).toMatchObject({ filledQuantity: 4, restingQuantity: 6 });
    expect(book.bestBid()).toBeCloseTo(0.125, 12);
    expect(book.bestAsk()).toBeNaN();
  });

  it('never rests a market order: its remainder is cancelled and reported', () => {
    const { book, submit, limit, removals } = setup();
    limit('buy', 0.3, 2, 1);
    limit('buy', 0.05, 1, 2);
    const report = submit({ side: 'sell', type: 'market', quantity: 5, participant: 3 });
    expect(report).toMatchObject({ filledQuantity: 3, restingQuantity: 0, cancelledQuantity: 2 });
    expect(removals).toEqual([{ orderId: report.orderId, quantity: 2, reason: 'market-remainder' }]);
    expect(book.snapshot().asks).toHaveLength(0);
    const alone = submit({ side: 'buy', type: 'market', quantity: 1, participant: 3 });
    expect(alone).toMatchObject({ filledQuantity: 0, cancelledQuantity: 1 });
  });

  it('cancels by order id, and refuses unknown, filled or stale ids', () => {
    const { book, limit } = setup();
    const id = limit('buy', 0.2, 4, 1).orderId;
    const cancelled = book.cancel(id);
    expect(cancelled.ok && cancelled.value).toMatchObject({ status: 'cancelled', cancelledQuantity: 4 });
    expect(book.bestBid()).toBeNaN();
    for (const bogus of [id, 12345, -1, 1.5, Number.NaN]) {
      const again = book.cancel(bogus);
      expect(again.ok).toBe(false);
      if (!again.ok) expect(again.error.code).toBe('TE_ERR_UNKNOWN_ORDER');
    }
    // The freed slot is reused under a new id; the old id stays unknown.
    const reused = limit('buy', 0.2, 1, 1).orderId;
    expect(reused).not.toBe(id);
    expect(book.cancel(id).ok).toBe(false);
    expect(book.order(reused)).toMatchObject({ side: 'buy', quantity: 1, participant: 1 });
  });

  it('keeps time priority when a replace only lowers the quantity, and loses it otherwise', () => {
    const { book, limit, trades } = setup();
    const a = limit('sell', 0.1, 5, 1).orderId;
    const b = limit('sell', 0.1, 5, 2).orderId;
    const amended = book.replace(a, { price: 0.1, quantity: 3 });
    expect(amended.ok && amended.value).toMatchObject({ status: 'amended', cancelledQuantity: 2 });
    expect(book.snapshot().asks.map((o) => o.orderId)).toEqual([a, b]);
    const raised = book.replace(a, { price: 0.1, quantity: 4 });
    expect(raised.ok && raised.value).toMatchObject({ status: 'replaced', orderId: a, restingQuantity: 4 });
    expect(book.snapshot().asks.map((o) => o.orderId)).toEqual([b, a]);
    const repriced = book.replace(b, { price: 0.11, quantity: 5 });
    expect(repriced.ok && repriced.value.status).toBe('replaced');
    expect(book.depth('sell').map((l) => l.price)).toEqual([0.1, 0.11]);
    // A replace that crosses trades at once.
    const bid = limit('buy', 0.05, 2, 3).orderId;
    const crossing = book.replace(bid, { price: 0.1, quantity: 2 });
    expect(crossing.ok && crossing.value).toMatchObject({ filledQuantity: 2, restingQuantity: 0 });
    expect(trades.toArray().at(-1)).toMatchObject({ buyOrderId: bid, sellOrderId: a, price: 0.1 });
    const bad = book.replace(a, { price: 0.1, quantity: 0 });
    expect(!bad.ok && bad.error.code).toBe('TE_ERR_VALIDATION');
    const unknown = book.replace(999, { price: 0.1, quantity: 1 });
    expect(!unknown.ok && unknown.error.code).toBe('TE_ERR_UNKNOWN_ORDER');
  });

  it('acknowledges a repeated client order id as a duplicate and does nothing', () => {
    const { book, submit, trades } = setup();
    const first = submit({ side: 'buy', price: 0.2, quantity: 1, participant: 1, clientOrderId: 'c-1' });
    const again = submit({ side: 'buy', price: 0.2, quantity: 1, participant: 1, clientOrderId: 'c-1' });
    expect(again).toMatchObject({ status: 'duplicate', orderId: first.orderId, filledQuantity: 0 });
    expect(book.depth('buy')).toEqual([{ price: 0.2, quantity: 1, orders: 1 }]);
    // Even a different order under a used id is refused quietly as a duplicate; a filled id stays used.
    submit({ side: 'sell', price: 0.2, quantity: 1, participant: 2, clientOrderId: 'c-2' });
    expect(trades.count).toBe(1);
    expect(
      submit({ side: 'sell', price: 0.1, quantity: 1, participant: 2, clientOrderId: 'c-2' }).status,
    ).toBe('duplicate');
    // A rejected order does not use up its client id.
    expect(
      book.submit({ side: 'sell', price: 5, quantity: 1, participant: 2, clientOrderId: 'c-3' }).ok,
    ).toBe(false);
    expect(
      submit({ side: 'sell', price: 0.5, quantity: 1, participant: 2, clientOrderId: 'c-3' }).status,
    ).toBe('accepted');
    expect(book.orderIdOf('c-3')).toBeDefined();
  });

  it("cancels the participant's own resting order instead of trading with it", () => {
    const { book, limit, trades, removals } = setup();
    const own = limit('sell', 0.1, 2, 7).orderId;
    const other = limit('sell', 0.11, 1, 8).orderId;
    const report = limit('buy', 0.12, 3, 7);
    expect(removals).toEqual([{ orderId: own, quantity: 2, reason: 'self-trade' }]);
    expect(trades.toArray().map((t) => t.sellOrderId)).toEqual([other]);
    expect(report).toMatchObject({ filledQuantity: 1, restingQuantity: 2, selfTradeCancelledQuantity: 2 });
    expect(book.bestBid()).toBeCloseTo(0.12, 12);
    expect(book.bestAsk()).toBeNaN();
  });

  it('refuses malformed orders with coded errors and changes nothing', () => {
    const { book } = setup();
    const base = { side: 'buy', price: 0.1, quantity: 1, participant: 1 } as const;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ price: Number.NaN }, 'TE_ERR_NOT_FINITE', 'price'],
      [{ quantity: Number.NaN }, 'TE_ERR_NOT_FINITE', 'quantity'],
      [{ quantity: Number.POSITIVE_INFINITY }, 'TE_ERR_NOT_FINITE', 'quantity'],
      [{ quantity: -1 }, 'TE_ERR_NEGATIVE_QUANTITY', 'quantity'],
      [{ quantity: 0 }, 'TE_ERR_VALIDATION', 'quantity'],
      [{ price: 1.01 }, 'TE_ERR_PRICE_OUT_OF_RANGE', 'price'],
      [{ price: -1.01 }, 'TE_ERR_PRICE_OUT_OF_RANGE', 'price'],
      [{ price: undefined }, 'TE_ERR_VALIDATION', 'price'],
      [{ side: 'hold' }, 'TE_ERR_VALIDATION', 'side'],
      [{ type: 'stop' }, 'TE_ERR_VALIDATION', 'type'],
      [{ participant: 1.5 }, 'TE_ERR_VALIDATION', 'participant'],
      [{ area: -2 }, 'TE_ERR_VALIDATION', 'area'],
    ];
    for (const [change, code, path] of cases) {
      const result = book.submit({ ...base, ...change } as OrderRequest);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe(code);
        expect(result.error.path).toBe(path);
      }
    }
    expect(book.snapshot()).toEqual({ tradeCount: 0, bids: [], asks: [] });
    expect(book.restingOrderCount).toBe(0);
    expect(() => new ContinuousOrderBook({ priceCap: Number.NaN })).toThrow(/priceCap/);
    expect(() => new ContinuousOrderBook({ priceCap: 1, tickSize: 0 })).toThrow(/tickSize/);
  });

  it('rounds off-grid prices in the owner’s favour and keeps on-grid prices exact', () => {
    const { book, limit } = setup();
    limit('buy', 0.123456, 1, 1);
    limit('sell', 0.223456, 1, 2);
    limit('buy', 0.19, 1, 3);
    expect(book.depth('buy').map((l) => l.price)).toEqual([0.19, 0.12345]);
    expect(book.bestAsk()).toBeCloseTo(0.22346, 12);
  });

  it('reports depth by level and a snapshot in priority order', () => {
    const { book, limit } = setup();
    limit('buy', 0.1, 1, 1);
    limit('buy', 0.1, 2, 2);
    limit('buy', 0.09, 3, 3);
    limit('sell', 0.2, 4, 4);
    expect(book.depth('buy', 1)).toEqual([{ price: 0.1, quantity: 3, orders: 2 }]);
    expect(book.restingOrderCount).toBe(4);
    const snapshot = book.snapshot();
    expect(snapshot.bids.map((o) => [o.participant, o.quantity])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(snapshot.asks).toEqual([
      { orderId: 3, side: 'sell', price: 0.2, quantity: 4, participant: 4, area: -1 },
    ]);
  });

  it('with grid fees, trades only where the buyer covers price + fee and skips sellers it cannot afford', () => {
    // Area 1 to area 2 costs 0.03 per kWh; inside one area 0.01.
    const { book, limit, trades } = setup((sellArea, buyArea) => (sellArea === buyArea ? 0.01 : 0.03));
    const far = limit('sell', 0.1, 1, 1, 1).orderId;
    const near = limit('sell', 0.11, 1, 2, 2).orderId;
    limit('buy', 0.12, 2, 3, 2);
    expect(trades.toArray()).toMatchObject([{ sellOrderId: near, price: 0.11, feePerKwh: 0.01 }]);
    expect(book.order(far)).toBeDefined();
    limit('buy', 0.13, 1, 4, 2);
    expect(trades.toArray().at(-1)).toMatchObject({ sellOrderId: far, price: 0.1, feePerKwh: 0.03 });
    // A resting buyer pays its own price all-in: the seller receives it less the fee.
    limit('buy', 0.2, 1, 5, 2);
    limit('sell', 0.15, 1, 6, 1);
    expect(trades.toArray().at(-1)).toMatchObject({ price: 0.2 - 0.03, feePerKwh: 0.03, aggressor: 'sell' });
  });
});
