/**
 * Interop for smart charging: ocpp-rpc's RPCClient in strict mode (it validates what it sends and what it
 * receives against the OCPP 2.0.1 schemas) sends an EV's charging need to the real platform on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getChargingNeed } from './charging-need-repository.js';
import { platformWithStation, station as stationOf, T0, type Cleanups } from './csms.fixture.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const HOUR_MS = 3_600_000;
const needOf = (energyAmount: number, departureMs: number, evseId = 1) => ({
  evseId,
  chargingNeeds: {
    requestedEnergyTransfer: 'AC_single_phase',
    departureTime: new Date(departureMs).toISOString(),
    acChargingParameters: { energyAmount, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 230 },
  },
});

describe('NotifyEVChargingNeeds', () => {
  it('stores a sound need and rejects nonsense with a reason, never a CALLERROR', async () => {
    const platform = await platformWithStation(cleanups);
    const cs = stationOf(cleanups, platform);
    await cs.connect();
    expect(await cs.call('NotifyEVChargingNeeds', needOf(12_000, T0 + 8 * HOUR_MS))).toEqual({
      status: 'Accepted',
    });
    expect(await getChargingNeed(platform.store.db, 'CS-1', 1)).toMatchObject({
      energyWh: 12_000,
      departureMs: T0 + 8 * HOUR_MS,
      maxPowerW: 32 * 230,
      phases: 1,
    });
    expect(await cs.call('NotifyEVChargingNeeds', needOf(12_000, T0 - HOUR_MS, 2))).toEqual({
      status: 'Rejected',
      statusInfo: { reasonCode: 'DepartureInPast', additionalInfo: 'departureTime is not in the future' },
    });
    expect(await cs.call('NotifyEVChargingNeeds', needOf(900_000_000, T0 + HOUR_MS, 2))).toMatchObject({
      status: 'Rejected',
      statusInfo: { reasonCode: 'EnergyOutOfRange' },
    });
    expect(await getChargingNeed(platform.store.db, 'CS-1', 2)).toBeUndefined();
  });

  it('answers schema-invalid needs with the OCPP CALLERROR and keeps serving', async () => {
    const platform = await platformWithStation(cleanups);
    const cs = stationOf(cleanups, platform);
    await cs.connect();
    const received: unknown[][] = [];
    cs.on('message', ({ message, outbound }) => {
      if (!outbound) received.push(JSON.parse(message) as unknown[]);
    });
    const answer = async (id: string, payload: unknown): Promise<unknown[]> => {
      const before = received.length;
      cs.sendRaw(JSON.stringify([2, id, 'NotifyEVChargingNeeds', payload]));
      for (let i = 0; i < 200 && received.length === before; i++) await new Promise((r) => setTimeout(r, 5));
      return received[before]?.slice(0, 3) ?? [];
    };
    const good = needOf(12_000, T0 + HOUR_MS);
    expect(
      await answer('n1', {
        ...good,
        chargingNeeds: { ...good.chargingNeeds, requestedEnergyTransfer: 'Warp' },
      }),
    ).toEqual([4, 'n1', 'FormatViolation']);
    expect(
      await answer('n2', { ...good, chargingNeeds: { ...good.chargingNeeds, departureTime: 'tomorrow' } }),
    ).toEqual([4, 'n2', 'FormatViolation']);
    expect(await answer('n3', { ...good, surprise: true })).toEqual([4, 'n3', 'PropertyConstraintViolation']);
    expect(await answer('n4', { evseId: 1 })).toEqual([4, 'n4', 'OccurrenceConstraintViolation']);
    expect(await answer('n5', { ...good, evseId: 'one' })).toEqual([4, 'n5', 'TypeConstraintViolation']);
    expect(await getChargingNeed(platform.store.db, 'CS-1', 1)).toBeUndefined();
    expect(await cs.call('NotifyEVChargingNeeds', good)).toEqual({ status: 'Accepted' });
  });
});
