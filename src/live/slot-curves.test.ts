import { describe, expect, it } from 'vitest';
import type { PriceQuantity, Side } from '../market/types.js';
import type { StoredOrder } from '../store/order-repository.js';
import type { StoredFills } from './clearing-fills.js';
import { DEFAULT_MARKET_RULES, type MarketRules } from './market-rules.js';
import { slotBookDepth } from './slot-book.js';
import { clearSlotOrders } from './slot-clearing.js';
import { slotCurves, type SlotCurves } from './slot-curves.js';
import { slotBookSteps } from './slot-steps.js';

const SLOT = { startMs: 1_767_225_600_000, endMs: 1_767_225_900_000 };
const NO_SUPPLIER: MarketRules = { ...DEFAULT_MARKET_RULES };
delete (NO_SUPPLIER as { supplier?: unknown }).supplier;

let sequence = 0;
function order(participantId: string, side: Side, steps: PriceQuantity[]): StoredOrder {
  sequence += 1;
  return {
    marketId: 'm1',
    slotStartMs: SLOT.startMs,
    participantId,
    clientOrderId: `o${sequence}`,
    side,
    steps,
    green: false,
    sequence,
    status: 'live',
    revision: 1,
    updatedMs: 0,
  };
}

/** Clears the orders as the market operator does and builds the curves from the stored record. */
function curvesOf(rules: MarketRules, orders: StoredOrder[], maxSteps = 1000): SlotCurves {
  const cleared = clearSlotOrders('m1', SLOT, rules, orders, SLOT.startMs);
  if (!cleared.ok) throw cleared.error;
  const { record } = cleared.value;
  const fills = record.fills as StoredFills;
  const tradedKw = fills.rows.filter((r) => r.side === 'buy').reduce((sum, r) => sum + r.filledKw, 0);
  return slotCurves(
    slotBookSteps(SLOT.startMs, rules, orders),
    rules.priceCapPerKwh,
    { mechanism: record.mechanism, price: record.price, status: record.status, tradedKw },
    maxSteps,
  );
}

const book = () => [
  order('b1', 'buy', [{ price: 0.3, quantity: 2 }]),
  order('b2', 'buy', [
    { price: 0.2, quantity: 3 },
    { price: 0.05, quantity: 4 },
  ]),
  order('b3', 'buy', [{ price: 0.2, quantity: 1 }]),
  order('s1', 'sell', [{ price: 0.1, quantity: 4 }]),
  order('s2', 'sell', [{ price: 0.15, quantity: 5 }]),
];

describe('slot curves', () => {
  it('sums a known book into merit-order steps, equal prices merged, and finds the crossing and the marginal seller', () => {
    const curves = curvesOf(NO_SUPPLIER, book());
    expect(curves.demand).toEqual([
      { pricePerKwh: 0.3, quantityKw: 2 },
      { pricePerKwh: 0.2, quantityKw: 4 },
      { pricePerKwh: 0.05, quantityKw: 4 },
    ]);
    expect(curves.supply).toEqual([
      { pricePerKwh: 0.1, quantityKw: 4 },
      { pricePerKwh: 0.15, quantityKw: 5 },
    ]);
    // Demand at 0.15 is 6 kW; supply is 4 kW below it, so s2 is marginal with 2 of its 5 kW taken.
    expect(curves.clearing).toEqual({ pricePerKwh: 0.15, quantityKw: 6, type: 'crossing' });
    expect(curves.marginal).toEqual({ side: 'supply', pricePerKwh: 0.15, quantityKw: 5, acceptedKw: 2 });
  });

  it('names a marginal buyer when a demand step is cut', () => {
    const curves = curvesOf(NO_SUPPLIER, [
      order('b1', 'buy', [{ price: 0.3, quantity: 2 }]),
      order('b2', 'buy', [{ price: 0.2, quantity: 6 }]),
      order('s1', 'sell', [{ price: 0.1, quantity: 5 }]),
    ]);
    expect(curves.clearing).toEqual({ pricePerKwh: 0.2, quantityKw: 5, type: 'crossing' });
    expect(curves.marginal).toEqual({ side: 'demand', pricePerKwh: 0.2, quantityKw: 6, acceptedKw: 3 });
  });

  it('the supplier’s standing offer is a supply step', () => {
    const curves = curvesOf(DEFAULT_MARKET_RULES, [order('b1', 'buy', [{ price: 0.3, quantity: 2 }])]);
    expect(curves.supply).toEqual([{ pricePerKwh: 0.08, quantityKw: 5000 }]);
    expect(curves.marginal?.side).toBe('supply');
    expect(curves.clearing.quantityKw).toBe(2);
  });

  it('a book whose curves do not cross trades nothing: no-cross, no marginal step', () => {
    const curves = curvesOf(NO_SUPPLIER, [
      order('b1', 'buy', [{ price: 0.05, quantity: 2 }]),
      order('s1', 'sell', [{ price: 0.1, quantity: 2 }]),
    ]);
    expect(curves.clearing.type).toBe('no-cross');
    expect(curves.clearing.quantityKw).toBe(0);
    expect(curves.marginal).toBeUndefined();
  });

  it('one-sided books: no-supply, no-demand, no-orders', () => {
    expect(curvesOf(NO_SUPPLIER, [order('b1', 'buy', [{ price: 0.05, quantity: 2 }])]).clearing.type).toBe(
      'no-supply',
    );
    const sellsOnly = curvesOf(NO_SUPPLIER, [order('s1', 'sell', [{ price: 0.1, quantity: 2 }])]);
    expect(sellsOnly.clearing.type).toBe('no-demand');
    expect(sellsOnly.demand).toEqual([]);
    expect(curvesOf(NO_SUPPLIER, []).clearing.type).toBe('no-orders');
  });

  it('unserved must-run demand fails the auction at the cap: price-cap', () => {
    const curves = curvesOf(NO_SUPPLIER, [
      order('b1', 'buy', [{ price: 1, quantity: 10 }]),
      order('s1', 'sell', [{ price: 0.1, quantity: 2 }]),
    ]);
    expect(curves.clearing.type).toBe('price-cap');
  });

  it('pay-as-bid and P2P slots have curves, their own clearing type and no marginal step', () => {
    for (const [mechanism, type] of [
      ['pay-as-bid', 'pay-as-bid'],
      ['p2p-bilateral', 'bilateral'],
      ['continuous-double-auction', 'continuous'],
    ] as const) {
      const curves = curvesOf({ ...NO_SUPPLIER, mechanism }, book());
      expect(curves.clearing.type, mechanism).toBe(type);
      expect(curves.clearing.quantityKw, mechanism).toBeGreaterThan(0);
      expect(curves.marginal, mechanism).toBeUndefined();
      expect(curves.supply).toHaveLength(2);
    }
  });

  it('a book of 100,000 distinct prices answers quickly in at most maxSteps steps a side, banded at the worst price', () => {
    const orders: StoredOrder[] = [];
    for (let i = 0; i < 50_000; i++) {
      orders.push(order(`b${i % 500}`, 'buy', [{ price: 0.2 + i * 1e-6, quantity: 0.5 }]));
      orders.push(order(`s${i % 500}`, 'sell', [{ price: 0.1 + i * 1e-6, quantity: 0.5 }]));
    }
    const cleared = clearSlotOrders('m1', SLOT, NO_SUPPLIER, orders, SLOT.startMs);
    if (!cleared.ok) throw cleared.error;
    const fills = cleared.value.record.fills as StoredFills;
    const tradedKw = fills.rows.filter((r) => r.side === 'buy').reduce((sum, r) => sum + r.filledKw, 0);
    const started = performance.now();
    const curves = slotCurves(
      slotBookSteps(SLOT.startMs, NO_SUPPLIER, orders),
      1,
      {
        mechanism: cleared.value.record.mechanism,
        price: cleared.value.record.price,
        status: cleared.value.record.status,
        tradedKw,
      },
      1000,
    );
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeLessThan(1000);
    expect(curves.supplyLevels).toBe(50_000);
    expect(curves.supply.length).toBeLessThanOrEqual(1000);
    expect(curves.demand.length).toBeLessThanOrEqual(1000);
    expect(curves.priceBandPerKwh).toBeCloseTo(0.05 / 1000, 6);
    const sum = (steps: readonly { quantityKw: number }[]) => steps.reduce((s, x) => s + x.quantityKw, 0);
    expect(sum(curves.supply)).toBeCloseTo(25_000, 6);
    expect(sum(curves.demand)).toBeCloseTo(25_000, 6);
    // Supply ascends and demand descends after banding, each band at its worst price.
    expect(curves.supply.every((s, k, a) => k === 0 || s.pricePerKwh > (a[k - 1]?.pricePerKwh ?? 0))).toBe(
      true,
    );
    expect(curves.supply.at(-1)?.pricePerKwh).toBeCloseTo(0.1 + 49_999e-6, 9);
    expect(curves.demand.at(-1)?.pricePerKwh).toBeCloseTo(0.2, 9);
    expect(curves.clearing.type).toBe('crossing');
  });
});

describe('continuous book replay', () => {
  it('matches in time priority and leaves the rest as depth by price level, no ids', () => {
    const rules: MarketRules = { ...NO_SUPPLIER, mechanism: 'continuous-double-auction' };
    const orders = [
      order('s1', 'sell', [{ price: 0.12, quantity: 3 }]),
      order('s2', 'sell', [{ price: 0.12, quantity: 1 }]),
      order('s3', 'sell', [{ price: 0.15, quantity: 2 }]),
      order('b1', 'buy', [{ price: 0.13, quantity: 2 }]),
      order('b2', 'buy', [{ price: 0.1, quantity: 1 }]),
      order('b3', 'buy', [{ price: 0.1, quantity: 4 }]),
    ];
    const depth = slotBookDepth(slotBookSteps(SLOT.startMs, rules, orders), 1, 10);
    expect(depth.tradeCount).toBe(1);
    expect(depth.lastTradePrice).toBe(0.12);
    expect(depth.asks).toEqual([
      { price: 0.12, quantity: 2, orders: 2 },
      { price: 0.15, quantity: 2, orders: 1 },
    ]);
    expect(depth.bids).toEqual([{ price: 0.1, quantity: 5, orders: 2 }]);
  });
});
