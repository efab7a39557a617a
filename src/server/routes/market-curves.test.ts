import { afterAll, beforeAll, expect, it } from 'vitest';
import { clearSlotOrders } from '../../live/slot-clearing.js';
import { DEFAULT_MARKET_RULES, type MarketRules } from '../../live/market-rules.js';
import { storeClearingResult } from '../../store/clearing-result-repository.js';
import { saveMarket } from '../../store/market-repository.js';
import { listSlotOrders } from '../../store/order-repository.js';
import { closeSlot, openSlot } from '../../store/registry-repository.js';
import { ROLES } from '../auth/roles.js';
import {
  apiHarness,
  describeOnStores,
  MARKET_ID,
  orderBody,
  SLOT_MS,
  SLOT_START_MS,
  START_MS,
  type ApiHarness,
} from '../api-test.fixture.js';

const OPEN_SLOT_MS = SLOT_START_MS + SLOT_MS;
const BIG_SLOT_MS = SLOT_START_MS + 2 * SLOT_MS;
const CDA_MARKET = 'cda1';
const BIG_BOOK_ORDERS = 100_000;

describeOnStores('market curves and order book API', (kind) => {
  let h: ApiHarness;
  const curvesUrl = (slotStartMs: number, marketId = MARKET_ID, query = '') =>
    `/api/markets/${marketId}/slots/${slotStartMs}/curves${query}`;

  async function submit(marketId: string, slotStartMs: number, orders: Record<string, unknown>[]) {
    for (const body of orders) {
      const response = await h.call('market-operator', {
        method: 'POST',
        url: '/api/orders',
        payload: orderBody({ marketId, slotStartMs, ...body }),
      });
      if (response.statusCode !== 201) throw new Error(response.body);
    }
  }

  async function clear(marketId: string, slotStartMs: number, rules: MarketRules) {
    const db = h.store.store.db;
    await closeSlot(db, marketId, slotStartMs);
    const orders = await listSlotOrders(db, marketId, slotStartMs);
    const cleared = clearSlotOrders(
      marketId,
      { startMs: slotStartMs, endMs: slotStartMs + SLOT_MS },
      rules,
      orders,
      slotStartMs,
    );
    if (!cleared.ok) throw cleared.error;
    const stored = await storeClearingResult(db, cleared.value.record);
    if (!stored.ok) throw stored.error;
  }

  beforeAll(async () => {
    h = await apiHarness(kind);
    const db = h.store.store.db;
    for (const startMs of [OPEN_SLOT_MS, BIG_SLOT_MS]) {
      await openSlot(db, { marketId: MARKET_ID, startMs, endMs: startMs + SLOT_MS, gateClosureMs: startMs });
    }
    await submit(MARKET_ID, SLOT_START_MS, [
      { participantId: 'p1', clientOrderId: 'b1', side: 'buy', steps: [{ price: 0.3, quantity: 2 }] },
      { participantId: 'p2', clientOrderId: 'b2', side: 'buy', steps: [{ price: 0.2, quantity: 4 }] },
      { participantId: 'p9', clientOrderId: 's9', side: 'sell', steps: [{ price: 0.05, quantity: 3 }] },
    ]);
    await submit(MARKET_ID, OPEN_SLOT_MS, [
      { participantId: 'p1', clientOrderId: 'b1', side: 'buy', steps: [{ price: 0.3, quantity: 2 }] },
    ]);
    await clear(MARKET_ID, SLOT_START_MS, DEFAULT_MARKET_RULES);
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('serves a cleared slot’s curves to every role, with the clearing point and the marginal step and no ids', async () => {
    for (const role of ROLES) {
      const response = await h.call(role, { method: 'GET', url: curvesUrl(SLOT_START_MS) });
      expect(response.statusCode, role).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({
        slotStartMs: SLOT_START_MS,
        mechanism: 'uniform-price-double-auction',
        supply: [
          { pricePerKwh: 0.05, quantityKw: 3 },
          { pricePerKwh: 0.08, quantityKw: 5000 },
        ],
        demand: [
          { pricePerKwh: 0.3, quantityKw: 2 },
          { pricePerKwh: 0.2, quantityKw: 4 },
        ],
        clearing: { pricePerKwh: 0.08, quantityKw: 6, type: 'crossing' },
        marginal: { side: 'supply', pricePerKwh: 0.08, quantityKw: 5000, acceptedKw: 3 },
      });
      for (const id of ['p1', 'p2', 'p9', 'b1', 'b2', 's9', 'substation']) {
        expect(response.body, `${role} sees ${id}`).not.toContain(`"${id}"`);
      }
    }
  });

  it('shows the market’s current supplier offer: a rules change is not hidden by the cache', async () => {
    const db = h.store.store.db;
    const supplier = { id: 'substation', capacityKw: 4000, pricePerKwh: 0.08 };
    await saveMarket(db, {
      id: MARKET_ID,
      name: 'Test market',
      createdMs: START_MS,
      rules: { ...DEFAULT_MARKET_RULES, supplier },
    });
    try {
      const response = await h.call('prosumer', { method: 'GET', url: curvesUrl(SLOT_START_MS) });
      expect(response.json().supply).toContainEqual({ pricePerKwh: 0.08, quantityKw: 4000 });
    } finally {
      await saveMarket(db, {
        id: MARKET_ID,
        name: 'Test market',
        createdMs: START_MS,
        rules: DEFAULT_MARKET_RULES,
      });
    }
  });

  it('an open slot’s book is private: 409 TE_ERR_SLOT_NOT_CLEARED with a hint naming the gate', async () => {
    const response = await h.call('prosumer', { method: 'GET', url: curvesUrl(OPEN_SLOT_MS) });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'TE_ERR_SLOT_NOT_CLEARED', path: 'params.slotStartMs' });
    expect(response.json().hint).toContain(new Date(OPEN_SLOT_MS).toISOString());
  });

  it('unknown slots and markets are 404; malformed parameters are 400; no token is 401', async () => {
    const unknownSlot = await h.call('regulator', { method: 'GET', url: curvesUrl(SLOT_START_MS + 1) });
    expect(unknownSlot.statusCode).toBe(404);
    expect(unknownSlot.json().code).toBe('TE_ERR_UNKNOWN_SLOT');
    const unknownMarket = await h.call('regulator', { method: 'GET', url: curvesUrl(SLOT_START_MS, 'nope') });
    expect(unknownMarket.statusCode).toBe(404);
    expect(unknownMarket.json().code).toBe('TE_ERR_NOT_FOUND');
    for (const url of [
      curvesUrl(SLOT_START_MS, MARKET_ID, '?maxSteps=3'),
      curvesUrl(SLOT_START_MS, MARKET_ID, '?maxSteps=1e9'),
      curvesUrl(SLOT_START_MS, MARKET_ID, '?other=1'),
      `/api/markets/${MARKET_ID}/slots/abc/curves`,
      `/api/markets/${MARKET_ID}/slots/-5/curves`,
      `/api/markets/bad%20id/slots/${SLOT_START_MS}/curves`,
    ]) {
      const response = await h.call('prosumer', { method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().code, url).toMatch(/^TE_ERR_(VALIDATION|UNKNOWN_KEY)$/);
    }
    expect((await h.call(undefined, { method: 'GET', url: curvesUrl(SLOT_START_MS) })).statusCode).toBe(401);
  });

  it(`a book of ${BIG_BOOK_ORDERS.toLocaleString('en')} orders answers quickly, at most maxSteps steps a side`, async () => {
    const db = h.store.store.db;
    const participants = ['p1', 'p2', 'p3', 'p9'];
    const rows = Array.from({ length: BIG_BOOK_ORDERS }, (_, i) => ({
      market_id: MARKET_ID,
      slot_start_ms: BIG_SLOT_MS,
      participant_id: participants[i % participants.length] as string,
      client_order_id: `big${i}`,
      side: i % 2 === 0 ? ('buy' as const) : ('sell' as const),
      steps: JSON.stringify([{ price: (i % 2 === 0 ? 0.2 : 0.1) + i * 1e-7, quantity: 0.5 }]),
      green: 0,
      sequence: i + 1,
      status: 'live' as const,
      revision: 0,
      updated_ms: START_MS,
    }));
    for (let k = 0; k < rows.length; k += 2000) {
      await db
        .insertInto('orders')
        .values(rows.slice(k, k + 2000))
        .execute();
    }
    await clear(MARKET_ID, BIG_SLOT_MS, DEFAULT_MARKET_RULES);
    const started = performance.now();
    const response = await h.call('regulator', {
      method: 'GET',
      url: curvesUrl(BIG_SLOT_MS, MARKET_ID, '?maxSteps=500'),
    });
    const elapsedMs = performance.now() - started;
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.demandLevels).toBe(BIG_BOOK_ORDERS / 2);
    expect(body.demand.length).toBeLessThanOrEqual(500);
    expect(body.supply.length).toBeLessThanOrEqual(500);
    expect(body.priceBandPerKwh).toBeGreaterThan(0);
    expect(response.body.length).toBeLessThan(100_000);
    // Reading 100,000 order rows dominates: measured 1.4 s on SQLite, 3.2 s on PostgreSQL (2 shared cores).
    expect(elapsedMs).toBeLessThan(10_000);
    // A cleared book does not change: the second read comes from the server's cache.
    const againStarted = performance.now();
    const again = await h.call('prosumer', {
      method: 'GET',
      url: curvesUrl(BIG_SLOT_MS, MARKET_ID, '?maxSteps=500'),
    });
    const againMs = performance.now() - againStarted;
    expect(again.body).toBe(response.body);
    expect(againMs).toBeLessThan(elapsedMs);
    console.info(
      `curves of ${BIG_BOOK_ORDERS} orders on ${kind}: ${elapsedMs.toFixed(0)} ms, again ${againMs.toFixed(0)} ms`,
    );
  }, 120_000);

  it('serves a continuous market’s book as depth by price level to every role; other markets are 409', async () => {
    const db = h.store.store.db;
    const rules: MarketRules = { ...DEFAULT_MARKET_RULES, mechanism: 'continuous-double-auction' };
    delete (rules as { supplier?: unknown }).supplier;
    await saveMarket(db, { id: CDA_MARKET, name: 'Continuous', createdMs: START_MS, rules });
    await openSlot(db, {
      marketId: CDA_MARKET,
      startMs: SLOT_START_MS,
      endMs: SLOT_START_MS + SLOT_MS,
      gateClosureMs: SLOT_START_MS,
    });
    await submit(CDA_MARKET, SLOT_START_MS, [
      { participantId: 'p9', clientOrderId: 's1', side: 'sell', steps: [{ price: 0.12, quantity: 3 }] },
      { participantId: 'p3', clientOrderId: 's2', side: 'sell', steps: [{ price: 0.15, quantity: 2 }] },
      { participantId: 'p1', clientOrderId: 'b1', side: 'buy', steps: [{ price: 0.13, quantity: 2 }] },
      { participantId: 'p2', clientOrderId: 'b2', side: 'buy', steps: [{ price: 0.1, quantity: 1 }] },
    ]);
    for (const role of ROLES) {
      const response = await h.call(role, { method: 'GET', url: `/api/markets/${CDA_MARKET}/book` });
      expect(response.statusCode, role).toBe(200);
      expect(response.json()).toEqual({
        slotStartMs: SLOT_START_MS,
        status: 'open',
        bids: [{ pricePerKwh: 0.1, quantityKw: 1, orders: 1 }],
        asks: [
          { pricePerKwh: 0.12, quantityKw: 1, orders: 1 },
          { pricePerKwh: 0.15, quantityKw: 2, orders: 1 },
        ],
        lastTradePricePerKwh: 0.12,
        tradeCount: 1,
      });
    }
    const oneLevel = await h.call('prosumer', {
      method: 'GET',
      url: `/api/markets/${CDA_MARKET}/book?slotStartMs=${SLOT_START_MS}&levels=1`,
    });
    expect(oneLevel.json().asks).toHaveLength(1);

    // After gate closure the book is what rested unmatched, and the slot's curves say it matched continuously.
    await clear(CDA_MARKET, SLOT_START_MS, rules);
    const cleared = await h.call('regulator', {
      method: 'GET',
      url: `/api/markets/${CDA_MARKET}/book?slotStartMs=${SLOT_START_MS}`,
    });
    expect(cleared.json()).toMatchObject({ status: 'cleared', tradeCount: 1, lastTradePricePerKwh: 0.12 });
    const curves = await h.call('regulator', { method: 'GET', url: curvesUrl(SLOT_START_MS, CDA_MARKET) });
    expect(curves.json()).toMatchObject({
      mechanism: 'continuous-double-auction',
      status: 'matched',
      clearing: { pricePerKwh: 0.12, quantityKw: 2, type: 'continuous' },
    });
    expect(curves.json().marginal).toBeUndefined();

    const auction = await h.call('prosumer', { method: 'GET', url: `/api/markets/${MARKET_ID}/book` });
    expect(auction.statusCode).toBe(409);
    expect(auction.json().code).toBe('TE_ERR_NOT_CONTINUOUS');
    const unknownMarket = await h.call('prosumer', { method: 'GET', url: '/api/markets/nope/book' });
    expect(unknownMarket.statusCode).toBe(404);
    const unknownSlot = await h.call('prosumer', {
      method: 'GET',
      url: `/api/markets/${CDA_MARKET}/book?slotStartMs=${SLOT_START_MS + 7}`,
    });
    expect(unknownSlot.statusCode).toBe(404);
    expect(unknownSlot.json().code).toBe('TE_ERR_UNKNOWN_SLOT');
    for (const query of ['levels=0', 'levels=501', 'slotStartMs=x', 'depth=3']) {
      const response = await h.call('prosumer', {
        method: 'GET',
        url: `/api/markets/${CDA_MARKET}/book?${query}`,
      });
      expect(response.statusCode, query).toBe(400);
    }
  });
});
