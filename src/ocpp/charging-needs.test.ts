import { afterEach, describe, expect, it } from 'vitest';
import { registerParticipant } from '../store/registry-repository.js';
import { TEST_DATABASE_URL, type TestStore, TEST_STORE_BACKENDS } from '../store/test-databases.fixture.js';
import {
  deleteChargingNeeds,
  getChargingNeed,
  listChargingNeeds,
  saveChargingNeed,
} from './charging-need-repository.js';
import {
  DEFAULT_STAY_MS,
  parseChargingNeed,
  plannedDepartureMs,
  remainingEnergyWh,
  type NotifyEvChargingNeedsRequest,
} from './charging-needs.js';
import { registerStation } from './station-repository.js';

const NOW = Date.UTC(2026, 0, 1, 18);
const iso = (ms: number) => new Date(ms).toISOString();
const ac = (
  over: Partial<NonNullable<NotifyEvChargingNeedsRequest['chargingNeeds']['acChargingParameters']>> = {},
) => ({
  evseId: 1,
  chargingNeeds: {
    requestedEnergyTransfer: 'AC_three_phase' as const,
    departureTime: iso(NOW + 10 * 3_600_000),
    acChargingParameters: {
      energyAmount: 20_000,
      evMinCurrent: 6,
      evMaxCurrent: 16,
      evMaxVoltage: 400,
      ...over,
    },
  },
});
const dc = (energyAmount: number | undefined, evMaxPower?: number): NotifyEvChargingNeedsRequest => ({
  evseId: 2,
  chargingNeeds: {
    requestedEnergyTransfer: 'DC',
    dcChargingParameters: {
      evMaxCurrent: 200,
      evMaxVoltage: 500,
      ...(energyAmount === undefined ? {} : { energyAmount }),
      ...(evMaxPower === undefined ? {} : { evMaxPower }),
    },
  },
});
const reason = (request: NotifyEvChargingNeedsRequest) => {
  const parsed = parseChargingNeed('CS-1', request, NOW, undefined);
  return parsed.ok ? 'Accepted' : parsed.rejection.reasonCode;
};

describe('charging needs', () => {
  it('reads AC needs per phase at a nominal 230 V and DC needs from the power or current × voltage', () => {
    const parsed = parseChargingNeed('CS-1', ac(), NOW, 5_000);
    expect(parsed).toEqual({
      ok: true,
      need: {
        stationId: 'CS-1',
        evseId: 1,
        transferMode: 'AC_three_phase',
        energyWh: 20_000,
        departureMs: NOW + 10 * 3_600_000,
        maxPowerW: 16 * 3 * 230,
        minPowerW: 6 * 3 * 230,
        maxCurrentA: 16,
        minCurrentA: 6,
        phases: 3,
        receivedMs: NOW,
        registerWhAtReceipt: 5_000,
      },
    });
    const fast = parseChargingNeed('CS-1', dc(40_000, 50_000), NOW, undefined);
    expect(fast.ok && [fast.need.maxPowerW, fast.need.maxCurrentA, fast.need.departureMs]).toEqual([
      50_000,
      undefined,
      undefined,
    ]);
    const byCurrent = parseChargingNeed('CS-1', dc(40_000), NOW, undefined);
    expect(byCurrent.ok && byCurrent.need.maxPowerW).toBe(100_000);
    if (!byCurrent.ok) throw new Error('expected a need');
    expect(plannedDepartureMs(byCurrent.need)).toBe(NOW + DEFAULT_STAY_MS);
  });

  it('rejects what no EV means: past or far departures, absurd energy or power, mismatched parameters', () => {
    const at = (departureMs: number) => ({
      ...ac(),
      chargingNeeds: { ...ac().chargingNeeds, departureTime: iso(departureMs) },
    });
    expect(reason(at(NOW))).toBe('DepartureInPast');
    expect(reason(at(NOW - 60_000))).toBe('DepartureInPast');
    expect(reason(at(NOW + 8 * 86_400_000))).toBe('DepartureTooFar');
    expect(reason(ac({ energyAmount: 0 }))).toBe('EnergyOutOfRange');
    expect(reason(ac({ energyAmount: -5 }))).toBe('EnergyOutOfRange');
    expect(reason(ac({ energyAmount: 5_000_000_000 }))).toBe('EnergyOutOfRange');
    expect(reason(ac({ evMaxCurrent: 0 }))).toBe('PowerOutOfRange');
    expect(reason(ac({ evMaxCurrent: 100_000 }))).toBe('PowerOutOfRange');
    expect(reason(ac({ evMinCurrent: 32 }))).toBe('MinAboveMax');
    expect(reason(dc(undefined))).toBe('MissingEnergy');
    expect(reason({ ...dc(1_000), evseId: 0 })).toBe('InvalidEVSE');
    expect(reason({ evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'DC' } })).toBe('MissingParameters');
    expect(reason({ ...ac(), chargingNeeds: { ...ac().chargingNeeds, requestedEnergyTransfer: 'DC' } })).toBe(
      'MissingParameters',
    );
    for (const request of [ac({ energyAmount: 0 }), dc(undefined)]) {
      const parsed = parseChargingNeed('CS-1', request, NOW, undefined);
      expect(!parsed.ok && parsed.rejection.reasonCode.length).toBeLessThanOrEqual(20);
    }
  });

  it('counts what the station metered since the need arrived as delivered', () => {
    const parsed = parseChargingNeed('CS-1', ac(), NOW, 5_000);
    if (!parsed.ok) throw new Error('expected a need');
    expect(remainingEnergyWh(parsed.need, 5_000)).toBe(20_000);
    expect(remainingEnergyWh(parsed.need, 12_000)).toBe(13_000);
    expect(remainingEnergyWh(parsed.need, 40_000)).toBe(0);
    expect(remainingEnergyWh(parsed.need, 4_000)).toBe(20_000); // a reset register delivers nothing
    expect(remainingEnergyWh({ ...parsed.need, registerWhAtReceipt: undefined }, 9_000)).toBe(20_000);
  });
});

let store: TestStore | undefined;
afterEach(async () => {
  await store?.dispose();
  store = undefined;
});
describe.each(TEST_STORE_BACKENDS)('stored charging needs on %s', (name, open) => {
  it.skipIf(name === 'PostgreSQL' && TEST_DATABASE_URL === '')('keep one need per EVSE', async () => {
    store = await open();
    const db = store.store.db;
    await registerParticipant(db, { id: 'home-1', role: 'prosumer', name: 'Home 1', createdMs: NOW });
    await registerStation(
      db,
      { stationId: 'CS-1', participantId: 'home-1', password: 'a-sixteen-plus-pass' },
      NOW,
    );
    const first = parseChargingNeed('CS-1', ac(), NOW, 5_000);
    const second = parseChargingNeed('CS-1', ac({ energyAmount: 9_000 }), NOW + 1, undefined);
    const other = parseChargingNeed('CS-1', dc(40_000), NOW, undefined);
    if (!first.ok || !second.ok || !other.ok) throw new Error('expected needs');
    await saveChargingNeed(db, first.need);
    expect(await getChargingNeed(db, 'CS-1', 1)).toEqual(first.need);
    await saveChargingNeed(db, second.need);
    await saveChargingNeed(db, other.need);
    expect(await listChargingNeeds(db)).toEqual([second.need, other.need]);
    await deleteChargingNeeds(db, 'CS-1', 1);
    expect(await listChargingNeeds(db, 'CS-1')).toEqual([other.need]);
    await deleteChargingNeeds(db, 'CS-1');
    expect(await listChargingNeeds(db)).toEqual([]);
    // The need belongs to a registered station.
    await expect(saveChargingNeed(db, { ...first.need, stationId: 'CS-404' })).rejects.toThrow();
  });
});
