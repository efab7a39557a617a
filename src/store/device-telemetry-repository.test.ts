import { afterEach, describe, expect, it } from 'vitest';
import { insertParticipant } from '../server/queries/registry-queries.js';
import {
  countDeviceTelemetry,
  insertDeviceTelemetry,
  latestDeviceTelemetry,
  pruneDeviceTelemetry,
  readDeviceTelemetry,
  SAMPLES_PER_STATEMENT,
  type DeviceTelemetrySample,
} from './device-telemetry-repository.js';
import {
  readParticipantPreferences,
  writeParticipantPreferences,
} from './participant-preferences-repository.js';
import { registerDevice } from './registry-repository.js';
import { TEST_DATABASE_URL, TEST_STORE_BACKENDS, type TestStore } from './test-databases.fixture.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const SLOT_MS = 300_000;

describe.each(TEST_STORE_BACKENDS)('device telemetry and preferences in the store on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  async function setUp() {
    store = await open();
    const db = store.store.db;
    for (const id of ['home-a', 'home-b']) {
      await insertParticipant(db, { id, role: 'prosumer', name: id, createdMs: T0, aggregatorId: null });
    }
    const devices: [string, string, string][] = [
      ['home-a.hvac', 'home-a', 'hvac'],
      ['home-a.battery', 'home-a', 'battery'],
      ['home-b.hvac', 'home-b', 'hvac'],
      ['home-b.pv', 'home-b', 'pv'],
    ];
    for (const [id, participantId, kind] of devices) {
      await registerDevice(db, { id, participantId, kind, params: {} });
    }
    return db;
  }

  it.skipIf(skip)('stores a batch once: a resend and a repeat in the batch add nothing', async () => {
    const db = await setUp();
    const hvac: DeviceTelemetrySample = {
      deviceId: 'home-a.hvac',
      timeMs: T0,
      powerKw: 3.25,
      state: 'cooling',
      indoorTempF: 74.5,
      setpointF: 75,
      comfortLowF: 66,
      comfortHighF: 78,
      bidPricePerKwh: 0.1234,
      bidQuantityKw: 3.5,
      expectedPricePerKwh: 0.11,
      clearingPricePerKwh: 0.12,
    };
    const battery: DeviceTelemetrySample = {
      deviceId: 'home-a.battery',
      timeMs: T0,
      powerKw: -2,
      state: 'discharging',
      socPct: 61.5,
    };
    expect(await insertDeviceTelemetry(db, [hvac, battery, { ...hvac, powerKw: 9 }], T0 + 1)).toBe(2);
    expect(await insertDeviceTelemetry(db, [battery, { ...battery, timeMs: T0 + SLOT_MS }], T0 + 2)).toBe(1);
    expect(await countDeviceTelemetry(db)).toBe(3);
    // The first sample stored for a key stays; absent figures stay absent.
    expect(await readDeviceTelemetry(db, 'home-a.hvac', { fromMs: 0, toMs: T0 + 1, limit: 10 })).toEqual([
      hvac,
    ]);
    expect(
      await readDeviceTelemetry(db, 'home-a.battery', { fromMs: T0, toMs: T0 + 2 * SLOT_MS, limit: 10 }),
    ).toEqual([battery, { ...battery, timeMs: T0 + SLOT_MS }]);
    expect(
      await readDeviceTelemetry(db, 'home-a.battery', { fromMs: T0, toMs: T0 + 2 * SLOT_MS, limit: 1 }),
    ).toEqual([battery]);
  });

  it.skipIf(skip)('inserts batches larger than one statement', async () => {
    const db = await setUp();
    const n = SAMPLES_PER_STATEMENT * 2 + 7;
    const samples = Array.from({ length: n }, (_, k) => ({
      deviceId: k % 2 === 0 ? 'home-b.pv' : 'home-b.hvac',
      timeMs: T0 + k * 1000,
      powerKw: -k / 100,
    }));
    expect(await insertDeviceTelemetry(db, samples, T0)).toBe(n);
    expect(await insertDeviceTelemetry(db, samples, T0)).toBe(0);
  });

  it.skipIf(skip)('lists each device’s newest sample in id order, by owner, kind and page', async () => {
    const db = await setUp();
    const samples: DeviceTelemetrySample[] = [];
    for (const deviceId of ['home-a.hvac', 'home-a.battery', 'home-b.hvac']) {
      for (let slot = 0; slot < 3; slot += 1) {
        samples.push({ deviceId, timeMs: T0 + slot * SLOT_MS, powerKw: slot });
      }
    }
    await insertDeviceTelemetry(db, samples, T0);
    const latest = await latestDeviceTelemetry(db, { participants: 'all', limit: 10 });
    expect(latest.map((l) => [l.deviceId, l.participantId, l.kind, l.sample.timeMs])).toEqual([
      ['home-a.battery', 'home-a', 'battery', T0 + 2 * SLOT_MS],
      ['home-a.hvac', 'home-a', 'hvac', T0 + 2 * SLOT_MS],
      ['home-b.hvac', 'home-b', 'hvac', T0 + 2 * SLOT_MS],
    ]);
    const ids = async (query: Partial<Parameters<typeof latestDeviceTelemetry>[1]>) =>
      (await latestDeviceTelemetry(db, { participants: 'all', limit: 10, ...query })).map((l) => l.deviceId);
    expect(await ids({ participants: ['home-b'] })).toEqual(['home-b.hvac']);
    expect(await ids({ participants: [] })).toEqual([]);
    expect(await ids({ kind: 'hvac' })).toEqual(['home-a.hvac', 'home-b.hvac']);
    expect(await ids({ limit: 1, afterId: 'home-a.battery' })).toEqual(['home-a.hvac']);
  });

  it.skipIf(skip)('prunes samples older than the retention', async () => {
    const db = await setUp();
    await insertDeviceTelemetry(
      db,
      [0, 1, 2].map((slot) => ({ deviceId: 'home-a.hvac', timeMs: T0 + slot * SLOT_MS, powerKw: 1 })),
      T0,
    );
    expect(await pruneDeviceTelemetry(db, T0 + SLOT_MS)).toBe(1);
    expect(await pruneDeviceTelemetry(db, T0 + SLOT_MS)).toBe(0);
    expect(await countDeviceTelemetry(db)).toBe(2);
  });

  it.skipIf(skip)('keeps one preferences row per participant, replaced by each write', async () => {
    const db = await setUp();
    expect(await readParticipantPreferences(db, 'home-a')).toBeUndefined();
    await writeParticipantPreferences(db, { participantId: 'home-a', comfortSlider: 0.2, updatedMs: T0 });
    await writeParticipantPreferences(db, { participantId: 'home-a', comfortSlider: 0.9, updatedMs: T0 + 5 });
    expect(await readParticipantPreferences(db, 'home-a')).toEqual({
      participantId: 'home-a',
      comfortSlider: 0.9,
      updatedMs: T0 + 5,
    });
    expect(await readParticipantPreferences(db, 'home-b')).toBeUndefined();
  });
});
