/**
 * The program source over a real store and API: an envelope PUT through the API and a stored clearing
 * announced on the bus each lead to one rebuild, the slot's end on the clock to another; requests read
 * the snapshot.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  apiHarness,
  describeOnStores,
  MARKET_ID,
  SLOT_MS,
  SLOT_START_MS,
  storeExampleClearing,
  type ApiHarness,
} from '../../server/api-test.fixture.js';
import type { SepDevice } from '../server/registry.js';
import { mridOf } from './program-snapshot.js';
import { PlatformSepProgramSource } from './program-source.js';

const device = (participantId: string | undefined): SepDevice => ({
  id: `inv-${participantId ?? 'none'}`,
  lfdi: 'A'.repeat(40),
  sfdi: 0,
  pin: 0,
  registeredAt: 0,
  ...(participantId === undefined ? {} : { participantId }),
});

describeOnStores('the 2030.5 program source', (kind) => {
  let h: ApiHarness;
  let source: PlatformSepProgramSource;
  const changes: string[][] = [];
  const errors: unknown[] = [];
  beforeEach(async () => {
    h = await apiHarness(kind);
    changes.length = 0;
    errors.length = 0;
    source = new PlatformSepProgramSource({
      db: h.store.store.db,
      clock: h.clock,
      defaultControl: { exportLimitKw: 5 },
      refreshMs: 60_000,
      onError: (error) => errors.push(error),
    });
    source.onChange((ids) => changes.push([...ids]));
    source.rebuildOn(h.events, h.app.openadr3Objects.changes);
    await source.start();
  });
  afterEach(async () => {
    await source.close();
    await h.dispose();
  });

  it('follows envelopes, clearings and the clock, and serves the same snapshot between rebuilds', async () => {
    expect(source.programs(device(undefined))).toEqual([]);
    expect(source.programs(device('p1')).map((p) => p.controls.length)).toEqual([0, 0]);

    const put = await h.call('dso', {
      method: 'PUT',
      url: `/api/markets/${MARKET_ID}/slots/${SLOT_START_MS}/envelopes`,
      payload: { envelopes: [{ participantId: 'p1', exportLimitKw: 4, importLimitKw: 9 }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    await source.idle();
    const [dso] = source.programs(device('p1'));
    expect(dso?.controls).toHaveLength(1);
    expect(dso?.controls[0]).toMatchObject({
      mRID: mridOf(MARKET_ID, SLOT_START_MS, 'p1', 'envelope'),
      interval: { start: SLOT_START_MS / 1000, duration: SLOT_MS / 1000 },
      EventStatus: { currentStatus: 0 },
      DERControlBase: {
        opModMaxLimWInject: { multiplier: 0, value: 4000 },
        opModMaxLimWAbsorb: { multiplier: 0, value: 9000 },
      },
    });
    expect(source.programs(device('p9'))[0]?.controls).toEqual([]);
    expect(changes).toEqual([['dso']]);
    // Between rebuilds every request gets the very same arrays.
    expect(source.programs(device('p1'))).toBe(source.programs(device('p1')));

    await storeExampleClearing(h.store.store, { tradedValueMinor: 25 });
    h.events.publish(
      {
        type: 'slot-cleared',
        marketId: MARKET_ID,
        slotStartMs: SLOT_START_MS,
        mechanism: 'uniform-price-double-auction',
        pricePerKwh: 0.1,
        status: 'cleared',
        tradedEnergyWh: 250,
      },
      SLOT_START_MS,
    );
    await source.idle();
    const target = (participantId: string) =>
      source.programs(device(participantId))[1]?.controls[0]?.DERControlBase.opModTargetW;
    expect(target('p1')).toEqual({ multiplier: 0, value: -2000 });
    expect(target('p9')).toEqual({ multiplier: 0, value: 1000 });
    expect(changes).toEqual([['dso'], ['market']]);

    // The slot starts: both controls become active. It ends: both are dropped.
    h.clock.set(SLOT_START_MS);
    await waitFor(() => changes.length === 3);
    await source.idle();
    expect(source.programs(device('p1')).map((p) => p.controls[0]?.EventStatus.currentStatus)).toEqual([
      1, 1,
    ]);
    h.clock.set(SLOT_START_MS + SLOT_MS);
    await waitFor(() => changes.length === 4);
    await source.idle();
    expect(source.programs(device('p1')).map((p) => p.controls.length)).toEqual([0, 0]);
    expect(errors).toEqual([]);
  });
});

describeOnStores('the 2030.5 program source without events', (kind) => {
  let h: ApiHarness;
  afterEach(async () => {
    await h.dispose();
  });

  it("picks up another instance's clearing from the store within its refresh period", async () => {
    h = await apiHarness(kind);
    const source = new PlatformSepProgramSource({ db: h.store.store.db, clock: h.clock, refreshMs: 50 });
    const changes: string[][] = [];
    source.onChange((ids) => changes.push([...ids]));
    await source.start();
    try {
      // Written as the leader would, but nothing on this instance's bus.
      await storeExampleClearing(h.store.store, { tradedValueMinor: 25 });
      await waitFor(() => changes.length === 1);
      expect(changes).toEqual([['market']]);
      expect(source.programs(device('p2'))[1]?.controls[0]?.DERControlBase.opModTargetW).toEqual({
        multiplier: 0,
        value: -1000,
      });
      // Nothing new in the store: the periodic check reports nothing more.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(changes).toHaveLength(1);
    } finally {
      await source.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
