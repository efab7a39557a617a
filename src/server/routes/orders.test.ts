import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeSlot } from '../../store/registry-repository.js';
import { listAuditRecords } from '../../store/audit-repository.js';
import {
  apiHarness,
  describeOnStores,
  MARKET_ID,
  orderBody,
  SLOT_MS,
  SLOT_START_MS,
  type ApiHarness,
} from '../api-test.fixture.js';
import { openSlot } from '../../store/registry-repository.js';
import { saveMarket } from '../../store/market-repository.js';
import { DEFAULT_MARKET_RULES } from '../../live/market-rules.js';
import { MARKET_TTL_MS } from './order-gate.js';

describeOnStores('orders API', (kind) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness(kind);
  });
  afterAll(async () => {
    await h.dispose();
  });

  const post = (
    body: Record<string, unknown>,
    role: 'prosumer' | 'aggregator' | 'market-operator' = 'prosumer',
  ) => h.call(role, { method: 'POST', url: '/api/orders', payload: body });

  it('accepts an order (201), acknowledges the same again (200), refuses a different one under its id (409)', async () => {
    const first = await post(orderBody({ clientOrderId: 'idem' }));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      outcome: 'accepted',
      order: { clientOrderId: 'idem', status: 'live' },
    });
    const again = await post(orderBody({ clientOrderId: 'idem' }));
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toBe('already-accepted');
    const other = await post(orderBody({ clientOrderId: 'idem', steps: [{ price: 0.3, quantity: 1 }] }));
    expect(other.statusCode).toBe(409);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({
      code: 'TE_ERR_DUPLICATE_ORDER',
      status: 409,
      path: 'clientOrderId',
    });
    const accepted = h.published.filter(
      (p) => p.event.type === 'order-accepted' && p.event.clientOrderId === 'idem',
    );
    expect(accepted).toHaveLength(1);
    const audit = await listAuditRecords(h.store.store.db, {
      target: `order:${MARKET_ID}/${SLOT_START_MS}/p1/idem`,
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['order-submitted', 'client-prosumer (prosumer)'],
    ]);
  });

  it('checks prices against the cap, the market, the slot and the horizon before writing', async () => {
    const capped = await post(
      orderBody({
        clientOrderId: 'cap',
        steps: [
          { price: 0.1, quantity: 1 },
          { price: -1.5, quantity: 1 },
        ],
      }),
    );
    expect(capped.statusCode).toBe(400);
    expect(capped.json()).toMatchObject({ code: 'TE_ERR_PRICE_OUT_OF_RANGE', path: 'steps[1].price' });
    const negative = await post(orderBody({ clientOrderId: 'neg', steps: [{ price: 0.1, quantity: -1 }] }));
    expect(negative.json()).toMatchObject({ code: 'TE_ERR_VALIDATION', path: 'steps[0].quantity' });
    const noMarket = await post(orderBody({ clientOrderId: 'nm', marketId: 'nope' }));
    expect([noMarket.statusCode, noMarket.json().code]).toEqual([404, 'TE_ERR_NOT_FOUND']);
    const unknownSlot = await post(orderBody({ clientOrderId: 'us', slotStartMs: SLOT_START_MS - SLOT_MS }));
    expect([unknownSlot.statusCode, unknownSlot.json().code]).toEqual([404, 'TE_ERR_UNKNOWN_SLOT']);
    const beyond = await post(
      orderBody({ clientOrderId: 'far', slotStartMs: SLOT_START_MS + 100 * SLOT_MS }),
    );
    expect([beyond.statusCode, beyond.json().code]).toEqual([409, 'TE_ERR_SLOT_NOT_OPEN']);
    const tooManySteps = await post(
      orderBody({
        clientOrderId: 'many',
        steps: Array.from({ length: 1001 }, () => ({ price: 0.1, quantity: 1 })),
      }),
    );
    expect(tooManySteps.json()).toMatchObject({ code: 'TE_ERR_VALIDATION', path: 'steps' });
    const unknownParticipant = await post(
      orderBody({ clientOrderId: 'up', participantId: 'ghost' }),
      'market-operator',
    );
    expect([unknownParticipant.statusCode, unknownParticipant.json().code]).toEqual([
      404,
      'TE_ERR_UNKNOWN_PARTICIPANT',
    ]);
    const orders = await h.call('market-operator', {
      method: 'GET',
      url: `/api/orders?marketId=${MARKET_ID}`,
    });
    const ids = (orders.json() as { clientOrderId: string }[]).map((o) => o.clientOrderId);
    for (const id of ['cap', 'neg', 'nm', 'us', 'far', 'many', 'up']) expect(ids).not.toContain(id);
  });

  it('refuses a market without rules as not open', async () => {
    await h.store.store.db
      .insertInto('markets')
      .values({ id: 'bare', name: 'bare', slot_duration_ms: SLOT_MS, created_ms: 0, rules: null })
      .execute();
    const response = await post(orderBody({ clientOrderId: 'bare', marketId: 'bare' }));
    expect([response.statusCode, response.json().code]).toEqual([409, 'TE_ERR_SLOT_NOT_OPEN']);
  });

  it('replaces, cancels, lists and tells the history of an order', async () => {
    expect((await post(orderBody({ clientOrderId: 'life' }))).statusCode).toBe(201);
    const replaced = await h.call('prosumer', {
      method: 'PUT',
      url: '/api/orders/life',
      payload: orderBody({ clientOrderId: undefined, steps: [{ price: 0.25, quantity: 1 }] }),
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ outcome: 'replaced', order: { revision: 1 } });
    const mismatch = await h.call('prosumer', {
      method: 'PUT',
      url: '/api/orders/life',
      payload: orderBody({ clientOrderId: 'other' }),
    });
    expect(mismatch.json()).toMatchObject({ code: 'TE_ERR_VALIDATION', path: 'clientOrderId' });
    const unknown = await h.call('prosumer', {
      method: 'PUT',
      url: '/api/orders/ghost',
      payload: orderBody({ clientOrderId: 'ghost' }),
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'TE_ERR_UNKNOWN_ORDER']);
    const key = `marketId=${MARKET_ID}&slotStartMs=${SLOT_START_MS}&participantId=p1`;
    const cancelled = await h.call('prosumer', { method: 'DELETE', url: `/api/orders/life?${key}` });
    expect(cancelled.json()).toMatchObject({ outcome: 'cancelled', order: { status: 'cancelled' } });
    const twice = await h.call('prosumer', { method: 'DELETE', url: `/api/orders/life?${key}` });
    expect(twice.json().outcome).toBe('already-cancelled');
    const history = await h.call('prosumer', { method: 'GET', url: `/api/orders/life/history?${key}` });
    expect((history.json() as { action: string }[]).map((e) => e.action)).toEqual([
      'submit',
      'replace',
      'cancel',
    ]);
    const missing = await h.call('prosumer', { method: 'GET', url: `/api/orders/none/history?${key}` });
    expect(missing.statusCode).toBe(404);
    const list = await h.call('prosumer', {
      method: 'GET',
      url: `/api/orders?marketId=${MARKET_ID}&slotStartMs=${SLOT_START_MS}`,
    });
    const life = (list.json() as { clientOrderId: string; status: string }[]).find(
      (o) => o.clientOrderId === 'life',
    );
    expect(life?.status).toBe('cancelled');
    const outcomes = h.published
      .filter((p) => p.event.type === 'order-accepted' && p.event.clientOrderId === 'life')
      .map((p) => (p.event.type === 'order-accepted' ? p.event.outcome : ''));
    expect(outcomes).toEqual(['accepted', 'replaced', 'cancelled']);
  });

  it('an aggregator orders for the participants it represents, not for others', async () => {
    const forMember = await post(orderBody({ clientOrderId: 'agg-a', participantId: 'p2' }), 'aggregator');
    expect(forMember.statusCode).toBe(201);
    const forStranger = await post(orderBody({ clientOrderId: 'agg-b', participantId: 'p9' }), 'aggregator');
    expect([forStranger.statusCode, forStranger.json().code]).toEqual([403, 'TE_ERR_FORBIDDEN']);
    const prosumerForOther = await post(orderBody({ clientOrderId: 'pro-b', participantId: 'p2' }));
    expect(prosumerForOther.statusCode).toBe(403);
  });

  it('refuses late orders: at gate closure by the clock, and after the operator closed the slot', async () => {
    const startMs = SLOT_START_MS + 10 * SLOT_MS;
    await saveMarket(h.store.store.db, {
      id: 'late',
      name: 'late',
      createdMs: 0,
      rules: { ...DEFAULT_MARKET_RULES, orderHorizonSlots: 288 },
    });
    await openSlot(h.store.store.db, {
      marketId: 'late',
      startMs,
      endMs: startMs + SLOT_MS,
      gateClosureMs: startMs,
    });
    await openSlot(h.store.store.db, {
      marketId: 'late',
      startMs: startMs + SLOT_MS,
      endMs: startMs + 2 * SLOT_MS,
      gateClosureMs: h.clock.nowMs(),
    });
    const byClock = await post(
      orderBody({ marketId: 'late', slotStartMs: startMs + SLOT_MS, clientOrderId: 'l1' }),
    );
    expect([byClock.statusCode, byClock.json().code]).toEqual([409, 'TE_ERR_ORDER_LATE']);
    expect(
      (await post(orderBody({ marketId: 'late', slotStartMs: startMs, clientOrderId: 'l2' }))).statusCode,
    ).toBe(201);
    await closeSlot(h.store.store.db, 'late', startMs);
    const afterClose = await post(orderBody({ marketId: 'late', slotStartMs: startMs, clientOrderId: 'l3' }));
    expect([afterClose.statusCode, afterClose.json().code]).toEqual([409, 'TE_ERR_ORDER_LATE']);
    const cancel = await h.call('prosumer', {
      method: 'DELETE',
      url: `/api/orders/l2?marketId=late&slotStartMs=${startMs}&participantId=p1`,
    });
    expect(cancel.statusCode).toBe(409);
  });

  it('applies a rules change made here to the next order, and one made elsewhere within MARKET_TTL_MS', async () => {
    const pricey = (id: string) => orderBody({ clientOrderId: id, steps: [{ price: 0.5, quantity: 1 }] });
    expect((await post(pricey('rules-1'))).statusCode).toBe(201);
    const put = await h.call('market-operator', {
      method: 'PUT',
      url: `/api/markets/${MARKET_ID}/rules`,
      payload: { ...DEFAULT_MARKET_RULES, priceCapPerKwh: 0.4 },
    });
    expect(put.statusCode).toBe(200);
    const capped = await post(pricey('rules-2'));
    expect([capped.statusCode, capped.json().code]).toEqual([400, 'TE_ERR_PRICE_OUT_OF_RANGE']);
    // Another instance on the same database restores the cap: this one sees it within the TTL.
    await saveMarket(h.store.store.db, {
      id: MARKET_ID,
      name: 'Test market',
      createdMs: 0,
      rules: DEFAULT_MARKET_RULES,
    });
    await new Promise((resolve) => setTimeout(resolve, MARKET_TTL_MS + 50));
    expect((await post(pricey('rules-3'))).statusCode).toBe(201);
  });
});
