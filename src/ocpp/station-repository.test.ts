import { afterEach, describe, expect, it } from 'vitest';
import { registerParticipant } from '../store/registry-repository.js';
import { TEST_DATABASE_URL, type TestStore, TEST_STORE_BACKENDS } from '../store/test-databases.fixture.js';
import { listChargingNeeds, saveChargingNeed } from './charging-need-repository.js';
import { parseChargingNeed } from './charging-needs.js';
import {
  advanceRegister,
  authenticateStation,
  getStation,
  listStations,
  registerStation,
  removeStation,
} from './station-repository.js';

const T0 = Date.UTC(2026, 0, 1);
const PASSWORD = 'a-sixteen-plus-password';
let store: TestStore | undefined;
afterEach(async () => {
  await store?.dispose();
  store = undefined;
});

describe.each(TEST_STORE_BACKENDS)('OCPP stations on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';

  it.skipIf(skip)('authenticates by salted hash and only moves the register forward', async () => {
    store = await open();
    const db = store.store.db;
    await registerParticipant(db, { id: 'home-1', role: 'prosumer', name: 'Home 1', createdMs: T0 });
    await registerStation(db, { stationId: 'CS-1', participantId: 'home-1', password: PASSWORD }, T0);
    const fresh = {
      stationId: 'CS-1',
      participantId: 'home-1',
      registerWh: undefined,
      registerMs: undefined,
    };
    expect(await authenticateStation(db, 'CS-1', PASSWORD)).toEqual(fresh);
    expect(await authenticateStation(db, 'CS-1', `${PASSWORD}x`)).toBeUndefined();
    expect(await authenticateStation(db, 'CS-2', PASSWORD)).toBeUndefined();

    await advanceRegister(db, 'CS-1', 5_000_000_000, T0 + 60_000);
    await advanceRegister(db, 'CS-1', 1, T0); // older: ignored
    expect(await getStation(db, 'CS-1')).toMatchObject({
      registerWh: 5_000_000_000,
      registerMs: T0 + 60_000,
    });
  });

  it.skipIf(skip)(
    'refuses malformed ids and passwords with coded errors, and a second station of one id or one participant',
    async () => {
      store = await open();
      const db = store.store.db;
      await registerParticipant(db, { id: 'home-1', role: 'prosumer', name: 'Home 1', createdMs: T0 });
      const register = (stationId: string, password: string) =>
        registerStation(db, { stationId, participantId: 'home-1', password }, T0);
      await expect(register('bad/id', PASSWORD)).rejects.toMatchObject({
        code: 'TE_ERR_VALIDATION',
        path: 'stationId',
      });
      await expect(register('CS-1', 'short')).rejects.toMatchObject({
        code: 'TE_ERR_VALIDATION',
        path: 'password',
      });
      await register('CS-1', PASSWORD);
      await expect(register('CS-1', PASSWORD)).rejects.toMatchObject({ code: 'TE_ERR_ALREADY_EXISTS' });
      // A second station of the same participant would write the same meter's intervals.
      await expect(register('CS-2', PASSWORD)).rejects.toMatchObject({ code: 'TE_ERR_ALREADY_EXISTS' });
    },
  );

  it.skipIf(skip)('lists stations and removes one with its needs, leaving the others', async () => {
    store = await open();
    const db = store.store.db;
    for (const n of [1, 2]) {
      await registerParticipant(db, { id: `home-${n}`, role: 'prosumer', name: `Home ${n}`, createdMs: T0 });
      await registerStation(db, { stationId: `CS-${n}`, participantId: `home-${n}`, password: PASSWORD }, T0);
      const need = parseChargingNeed(
        `CS-${n}`,
        {
          evseId: 1,
          chargingNeeds: {
            requestedEnergyTransfer: 'DC',
            dcChargingParameters: { evMaxCurrent: 100, evMaxVoltage: 400, energyAmount: 10_000 },
          },
        },
        T0,
        undefined,
      );
      if (!need.ok) throw new Error('expected a need');
      await saveChargingNeed(db, need.need);
    }
    expect((await listStations(db)).map((s) => [s.stationId, s.participantId])).toEqual([
      ['CS-1', 'home-1'],
      ['CS-2', 'home-2'],
    ]);
    expect(await removeStation(db, 'CS-1')).toBe(true);
    expect(await removeStation(db, 'CS-1')).toBe(false);
    expect((await listStations(db)).map((s) => s.stationId)).toEqual(['CS-2']);
    expect((await listChargingNeeds(db)).map((n) => n.stationId)).toEqual(['CS-2']);
    expect(await authenticateStation(db, 'CS-1', PASSWORD)).toBeUndefined();
    // The participant may have a station again.
    await registerStation(db, { stationId: 'CS-1b', participantId: 'home-1', password: PASSWORD }, T0);
  });
});
