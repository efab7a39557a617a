import { afterEach, describe, expect, it } from 'vitest';
import { ingestMeterReadings } from './meter-reading-repository.js';
import { createMarket, registerParticipant } from './registry-repository.js';
import {
  listParticipantAggregators,
  markSettled,
  openMissingSlots,
  slotsDueForClearing,
  slotsDueForSettlement,
  sumSlotReadings,
} from './slot-lifecycle-repository.js';
import { storeClearingResult } from './clearing-result-repository.js';
import { TEST_DATABASE_URL, type TestStore, TEST_STORE_BACKENDS } from './test-databases.fixture.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const D = 300_000;
let store: TestStore | undefined;
afterEach(async () => {
  await store?.dispose();
  store = undefined;
});

describe.each(TEST_STORE_BACKENDS)('slot lifecycle queries on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';

  it.skipIf(skip)('opens only missing slots and finds slots due for clearing and settlement', async () => {
    store = await open();
    const db = store.store.db;
    await createMarket(db, { id: 'm', name: 'm', slotDurationMs: D, createdMs: T0 });
    const slots = [0, 1, 2].map((k) => ({
      startMs: T0 + k * D,
      endMs: T0 + (k + 1) * D,
      gateClosureMs: T0 + k * D - 60_000,
    }));
    expect(await openMissingSlots(db, 'm', slots)).toEqual(slots.map((s) => s.startMs));
    expect(await openMissingSlots(db, 'm', slots)).toEqual([]);
    expect((await slotsDueForClearing(db, 'm', T0 + D - 60_001)).map((s) => s.startMs)).toEqual([T0]);
    expect((await slotsDueForClearing(db, 'm', T0 + D - 60_000)).map((s) => s.startMs)).toEqual([T0, T0 + D]);
    const stored = await storeClearingResult(db, {
      marketId: 'm',
      slotStartMs: T0,
      mechanism: 'x',
      price: 0.1,
      status: 'exact',
      tradedEnergyWh: 0,
      tradedValueMinor: 0,
      fills: { rows: [], trades: [] },
      clearedAtMs: T0,
    });
    expect(stored.ok).toBe(true);
    expect((await slotsDueForClearing(db, 'm', T0 + 3 * D)).map((s) => s.startMs)).toEqual([
      T0 + D,
      T0 + 2 * D,
    ]);
    expect(await slotsDueForSettlement(db, 'm', T0 + D - 1)).toEqual([]);
    expect((await slotsDueForSettlement(db, 'm', T0 + D)).map((s) => s.startMs)).toEqual([T0]);
    expect(await markSettled(db, { marketId: 'm', startMs: T0 }, T0 + D)).toBe(true);
    expect(await markSettled(db, { marketId: 'm', startMs: T0 }, T0 + D + 1)).toBe(false);
    expect(await markSettled(db, { marketId: 'm', startMs: T0 + D }, T0 + D)).toBe(false); // not cleared
    expect(await slotsDueForSettlement(db, 'm', T0 + 9 * D)).toEqual([]);
  });

  it.skipIf(skip)('sums a meter’s readings with start <= timeMs < end, as integer Wh', async () => {
    store = await open();
    const db = store.store.db;
    await registerParticipant(db, { id: 'a', role: 'prosumer', name: 'a', createdMs: T0 });
    await registerParticipant(db, { id: 'b', role: 'prosumer', name: 'b', createdMs: T0 });
    await db.updateTable('participants').set({ aggregator_id: 'b' }).where('id', '=', 'a').execute();
    const ingested = await ingestMeterReadings(db, [
      { meterId: 'a', timeMs: T0 - 1, energyWh: 1000 },
      { meterId: 'a', timeMs: T0, energyWh: 10 },
      { meterId: 'a', timeMs: T0 + D - 1, energyWh: 5 },
      { meterId: 'a', timeMs: T0 + D, energyWh: 1000 },
      { meterId: 'b', timeMs: T0 + 60_000, energyWh: -7 },
      { meterId: 'c', timeMs: T0 + 60_000, energyWh: 3 },
    ]);
    expect(ingested.ok).toBe(true);
    const sums = await sumSlotReadings(db, ['a', 'b', 'z'], T0, T0 + D);
    expect([...sums.entries()].sort()).toEqual([
      ['a', 15],
      ['b', -7],
    ]);
    expect(await listParticipantAggregators(db)).toEqual(
      new Map([
        ['a', 'b'],
        ['b', null],
      ]),
    );
  });
});
