import { afterEach, beforeEach, expect, it } from 'vitest';
import { countOpenAdrObjects } from '../../store/openadr-object-repository.js';
import {
  describeOnStores,
  storeExampleClearing,
  MARKET_ID,
  SLOT_MS,
  SLOT_START_MS,
} from '../../server/api-test.fixture.js';
import { vtnHarness, type ClientName, type VtnHarness } from '../vtn-test.fixture.js';
import { dispatchOfEvent, eventNameForSlot, priceOfSlotEvent } from './market-mapping.js';
import { startOpenAdr3MarketPublisher, type MarketPublisher } from './market-publisher.js';

type Served = Record<string, unknown> & { id: string; eventName?: string };

describeOnStores('the market publisher', (kind) => {
  let h: VtnHarness;
  const publishers: MarketPublisher[] = [];
  const errors: unknown[] = [];

  const start = (options: { keepEventsMs?: number } = {}) => {
    const publisher = startOpenAdr3MarketPublisher({
      objects: h.api.app.openadr3Objects,
      events: h.api.events,
      onError: (error) => errors.push(error),
      ...options,
    });
    publishers.push(publisher);
    return publisher;
  };
  const clear = (slotStartMs: number, pricePerKwh: number | null, status = 'cleared') =>
    h.api.events.publish(
      {
        type: 'slot-cleared',
        marketId: MARKET_ID,
        slotStartMs,
        mechanism: 'uniform-price-double-auction',
        pricePerKwh,
        status,
        tradedEnergyWh: pricePerKwh === null ? 0 : 250,
      },
      h.api.clock.nowMs(),
    );
  /** Untargeted events, or those with these targets (a VEN asks twice to get both). */
  const eventsOf = (who: ClientName, targets: string[] = []) => {
    const query = targets.map((t) => `targets=${encodeURIComponent(t)}`).join('&');
    return h.json<Served[]>(who, { method: 'GET', url: query === '' ? '/events' : `/events?${query}` }, 200);
  };
  const storeResult = async () => {
    await storeExampleClearing(h.api.store.store);
  };

  beforeEach(async () => {
    h = await vtnHarness(kind);
    errors.length = 0;
  });
  afterEach(async () => {
    for (const p of publishers.splice(0)) await p.close();
    await h.dispose();
  });

  it('creates the market program once and the slot event every VEN sees, with its prices', async () => {
    await storeResult();
    const publisher = start();
    await publisher.idle();
    clear(SLOT_START_MS, 0.1);
    await publisher.idle();
    const programs = await h.json<Served[]>('ven1', { method: 'GET', url: '/programs' }, 200);
    expect(programs.map((p) => p['programName'])).toEqual(['market:m1']);
    expect(programs[0]?.['intervalPeriod']).toEqual({ duration: 'PT5M' });
    const events = await eventsOf('ven1');
    const slotEvent = events.find((e) => e.eventName === eventNameForSlot(MARKET_ID, SLOT_START_MS));
    expect(slotEvent?.['intervalPeriod']).toEqual({
      start: new Date(SLOT_START_MS).toISOString(),
      duration: 'PT5M',
    });
    expect(priceOfSlotEvent(slotEvent as Parameters<typeof priceOfSlotEvent>[0])).toEqual({
      marketId: MARKET_ID,
      slotStartMs: SLOT_START_MS,
      slotEndMs: SLOT_START_MS + SLOT_MS,
      importPricePerKwh: 0.12,
      exportPricePerKwh: 0.1,
    });
    expect(errors).toEqual([]);
  });

  it('publishes a slot without a price as a no-price event', async () => {
    const publisher = start();
    clear(SLOT_START_MS + SLOT_MS, null, 'no-trade');
    await publisher.idle();
    const [event] = await eventsOf('ven2');
    expect(event?.['intervals']).toEqual([
      {
        id: 0,
        payloads: [
          { type: 'X_TENET_NO_PRICE', values: ['no-trade'] },
          { type: 'X_TENET_TRADED_ENERGY', values: [0] },
        ],
      },
    ]);
    expect(priceOfSlotEvent(event as Parameters<typeof priceOfSlotEvent>[0])).toMatchObject({
      importPricePerKwh: null,
      exportPricePerKwh: null,
    });
  });

  it('is idempotent on a repeat and on a restart over the same store', async () => {
    await storeResult();
    const first = start();
    clear(SLOT_START_MS, 0.1);
    clear(SLOT_START_MS, 0.1);
    await first.close();
    const count = await countOpenAdrObjects(h.api.store.store.db);
    const second = start();
    clear(SLOT_START_MS, 0.1);
    await second.idle();
    expect(await countOpenAdrObjects(h.api.store.store.db)).toBe(count);
    // Program, slot event, p2's dispatch.
    expect(count).toBe(3);
    expect(errors).toEqual([]);
  });

  it('catches up on a slot cleared while nothing published', async () => {
    await storeResult();
    expect(await eventsOf('ven1')).toEqual([]);
    await start().idle();
    const names = (await eventsOf('ven1')).map((e) => e.eventName);
    expect(names).toEqual([eventNameForSlot(MARKET_ID, SLOT_START_MS)]);
  });

  it('catches up again at the first clearing it hears of (a standby that took over)', async () => {
    const publisher = start();
    await publisher.idle();
    // The old leader cleared this slot and died before publishing it; this instance now clears the next.
    await storeResult();
    clear(SLOT_START_MS + SLOT_MS, 0.12);
    await publisher.idle();
    const names = (await eventsOf('ven1')).map((e) => e.eventName).sort();
    expect(names).toEqual([
      eventNameForSlot(MARKET_ID, SLOT_START_MS),
      eventNameForSlot(MARKET_ID, SLOT_START_MS + SLOT_MS),
    ]);
    expect(errors).toEqual([]);
  });

  it("dispatches an aggregator's member to the aggregator's VEN only", async () => {
    await storeResult();
    await start().idle();
    const aggregatorView = await eventsOf('ven3', ['participant:p2']);
    const dispatches = aggregatorView.flatMap((e) => {
      const parsed = dispatchOfEvent(e as Parameters<typeof dispatchOfEvent>[0]);
      return parsed === undefined ? [] : [parsed];
    });
    expect(dispatches).toEqual([
      {
        marketId: MARKET_ID,
        slotStartMs: SLOT_START_MS,
        slotEndMs: SLOT_START_MS + SLOT_MS,
        participantId: 'p2',
        setpointKw: 1,
      },
    ]);
    for (const other of ['ven1', 'ven2'] as const) {
      const seen = [...(await eventsOf(other)), ...(await eventsOf(other, ['participant:p2']))];
      expect(seen.some((e) => e.eventName?.includes(':dispatch:'))).toBe(false);
      const dispatchId = aggregatorView.find((e) => e.eventName?.includes(':dispatch:'))?.id;
      expect((await h.call(other, { method: 'GET', url: `/events/${dispatchId}` })).statusCode).toBe(404);
    }
  });

  it('prunes market events that ended more than the kept time ago', async () => {
    const publisher = start({ keepEventsMs: SLOT_MS });
    clear(SLOT_START_MS, 0.1);
    await publisher.idle();
    h.api.clock.set(SLOT_START_MS + 5 * SLOT_MS);
    clear(SLOT_START_MS + 4 * SLOT_MS, 0.1);
    await publisher.idle();
    const names = (await eventsOf('ven1')).map((e) => e.eventName);
    expect(names).toEqual([eventNameForSlot(MARKET_ID, SLOT_START_MS + 4 * SLOT_MS)]);
  });

  it('reports a failed publication to onError and goes on with the next slot', async () => {
    const publisher = start();
    h.api.events.publish(
      {
        type: 'slot-cleared',
        marketId: 'no-such-market',
        slotStartMs: SLOT_START_MS,
        mechanism: 'uniform-price-double-auction',
        pricePerKwh: 0.1,
        status: 'cleared',
        tradedEnergyWh: 0,
      },
      h.api.clock.nowMs(),
    );
    clear(SLOT_START_MS, 0.1);
    await publisher.idle();
    expect(errors).toHaveLength(1);
    expect((await eventsOf('ven1')).map((e) => e.eventName)).toEqual([
      eventNameForSlot(MARKET_ID, SLOT_START_MS),
    ]);
  });

  it('publishes into a new program when the market program was deleted', async () => {
    const publisher = start();
    clear(SLOT_START_MS, 0.1);
    await publisher.idle();
    const [program] = await h.json<Served[]>('bl', { method: 'GET', url: '/programs' }, 200);
    await h.json('bl', { method: 'DELETE', url: `/programs/${program?.id}` }, 200);
    clear(SLOT_START_MS + SLOT_MS, 0.1);
    await publisher.idle();
    expect(errors).toEqual([]);
    const names = (await eventsOf('ven1')).map((e) => e.eventName);
    expect(names).toEqual([eventNameForSlot(MARKET_ID, SLOT_START_MS + SLOT_MS)]);
  });
});
