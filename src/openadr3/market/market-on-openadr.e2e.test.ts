/**
 * The real market operator clears a slot on the API harness's store; the publisher turns its
 * `slot-cleared` into OpenADR events that VENs read through the VTN, and a VEN's report on the slot's
 * event lands as meter readings.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { SingleProcessLease } from '../../live/leader-lease.js';
import { MarketOperator } from '../../live/market-operator.js';
import { describeOnStores, MARKET_ID, SLOT_MS, SLOT_START_MS } from '../../server/api-test.fixture.js';
import { getClearingResult } from '../../store/clearing-result-repository.js';
import { submitOrder } from '../../store/order-repository.js';
import { vtnHarness, type VtnHarness } from '../vtn-test.fixture.js';
import { dispatchOfEvent, priceOfSlotEvent, usageReportBody, type EventLike } from './market-mapping.js';
import { startOpenAdr3MarketPublisher, type MarketPublisher } from './market-publisher.js';

describeOnStores('the market on OpenADR, end to end', (kind) => {
  let h: VtnHarness;
  let publisher: MarketPublisher;
  const errors: unknown[] = [];

  beforeEach(async () => {
    h = await vtnHarness(kind);
    errors.length = 0;
    publisher = startOpenAdr3MarketPublisher({
      objects: h.api.app.openadr3Objects,
      events: h.api.events,
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    await publisher.close();
    await h.dispose();
  });

  it('publishes the cleared price and the member dispatch, and takes usage back as readings', async () => {
    const db = h.api.store.store.db;
    const orders = [
      { participantId: 'p1', clientOrderId: 'load', side: 'buy', steps: [{ price: 0.2, quantity: 3 }] },
      { participantId: 'p2', clientOrderId: 'ev', side: 'buy', steps: [{ price: 0.2, quantity: 2 }] },
      { participantId: 'p9', clientOrderId: 'pv', side: 'sell', steps: [{ price: 0.05, quantity: 4 }] },
    ] as const;
    for (const order of orders) {
      const submitted = await submitOrder(
        db,
        { ...order, steps: [...order.steps], marketId: MARKET_ID, slotStartMs: SLOT_START_MS },
        h.api.clock.nowMs(),
      );
      if (!submitted.ok) throw submitted.error;
    }
    const operator = new MarketOperator({
      db,
      clock: h.api.clock,
      events: h.api.events,
      lease: new SingleProcessLease(),
      sha256: (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest()),
    });
    h.api.clock.set(SLOT_START_MS);
    const tick = await operator.tick();
    expect(tick.cleared).toBeGreaterThanOrEqual(1);
    await publisher.idle();
    expect(errors).toEqual([]);

    const result = await getClearingResult(db, MARKET_ID, SLOT_START_MS);
    const prices = (await h.json<EventLike[]>('ven1', { method: 'GET', url: '/events' }, 200)).flatMap(
      (e) => priceOfSlotEvent(e) ?? [],
    );
    const slotPrice = prices.find((p) => p.slotStartMs === SLOT_START_MS);
    expect(slotPrice?.exportPricePerKwh).toBe(result?.price);
    expect(slotPrice?.importPricePerKwh).toBeCloseTo((result?.price ?? NaN) + 0.02, 9);

    const memberEvents = await h.json<(EventLike & { id: string })[]>(
      'ven3',
      { method: 'GET', url: '/events?targets=participant%3Ap2' },
      200,
    );
    expect(memberEvents.map((e) => dispatchOfEvent(e)?.setpointKw)).toEqual([2]);

    const [slotEvent] = await h.json<{ id: string }[]>('ven1', { method: 'GET', url: '/events' }, 200);
    const report = usageReportBody({
      eventID: slotEvent?.id ?? '',
      clientName: 'home-1',
      meterId: 'p1',
      intervals: [{ startMs: SLOT_START_MS, durationMs: SLOT_MS, energyWh: 250 }],
    });
    await h.json('ven1', { method: 'POST', url: '/reports', payload: report }, 201);
    const readings = await h.api.call('prosumer', {
      method: 'GET',
      url: `/api/meter-readings?meterId=p1&fromMs=${SLOT_START_MS}&toMs=${SLOT_START_MS + SLOT_MS}`,
    });
    expect(readings.json()).toEqual([{ meterId: 'p1', timeMs: SLOT_START_MS, energyWh: 250 }]);
  });
});
