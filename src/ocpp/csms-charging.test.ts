/**
 * Interop for smart charging: ocpp-rpc's RPCClient in strict mode (it validates what it sends and what it
 * receives against the OCPP 2.0.1 schemas) sends an EV's charging need to the real platform on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredFills } from '../live/clearing-fills.js';
import { storeClearingResult } from '../store/clearing-result-repository.js';
import { listSlotOrders } from '../store/order-repository.js';
import { getSlot, registerParticipant } from '../store/registry-repository.js';
import { getChargingNeed, saveChargingNeed } from './charging-need-repository.js';
import { chargingProfileId } from './charging-profile-mapping.js';
import { MAX_NEEDS_PER_STATION } from './handlers.js';
import { platformWithStation, station as stationOf, T0, type Cleanups } from './csms.fixture.js';
import type { ChargingProfile } from './station-calls.js';
import { registerStation } from './station-repository.js';

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
      registerWhAtReceipt: undefined,
    });
    // The station had sent no register yet: its first sample becomes the need's baseline.
    await cs.call('MeterValues', {
      evseId: 1,
      meterValue: [
        {
          timestamp: new Date(T0).toISOString(),
          sampledValue: [{ value: 4_321, measurand: 'Energy.Active.Import.Register' }],
        },
      ],
    });
    expect((await getChargingNeed(platform.store.db, 'CS-1', 1))?.registerWhAtReceipt).toBe(4_321);
    expect(await cs.call('NotifyEVChargingNeeds', needOf(12_000, T0 - HOUR_MS, 2))).toEqual({
      status: 'Rejected',
      statusInfo: { reasonCode: 'DepartureInPast', additionalInfo: 'departureTime is not in the future' },
    });
    expect(await cs.call('NotifyEVChargingNeeds', needOf(900_000_000, T0 + HOUR_MS, 2))).toMatchObject({
      status: 'Rejected',
      statusInfo: { reasonCode: 'EnergyOutOfRange' },
    });
    expect(await getChargingNeed(platform.store.db, 'CS-1', 2)).toBeUndefined();
    // A station cannot fill the table with needs for ever more EVSEs.
    for (let evseId = 2; evseId <= MAX_NEEDS_PER_STATION; evseId++)
      await cs.call('NotifyEVChargingNeeds', needOf(1_000, T0 + HOUR_MS, evseId));
    expect(await cs.call('NotifyEVChargingNeeds', needOf(1_000, T0 + HOUR_MS, 999))).toMatchObject({
      status: 'Rejected',
      statusInfo: { reasonCode: 'TooManyEVSEs' },
    });
    // A known EVSE may still renew its need.
    expect(await cs.call('NotifyEVChargingNeeds', needOf(2_000, T0 + HOUR_MS, 1))).toEqual({
      status: 'Accepted',
    });
  });

  it('answers schema-invalid needs with the OCPP CALLERROR and keeps serving', async () => {
    const platform = await platformWithStation(cleanups);
    const cs = stationOf(cleanups, platform);
    await cs.connect();
    const received: unknown[][] = [];
    cs.on('message', ({ message, outbound }) => {
      if (!outbound) received.push(JSON.parse(message) as unknown[]);
    });
    const answer = async (
      id: string,
      payload: unknown,
      action = 'NotifyEVChargingNeeds',
    ): Promise<unknown[]> => {
      const before = received.length;
      cs.sendRaw(JSON.stringify([2, id, action, payload]));
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
    const report = { requestId: 1, chargingLimitSource: 'CSO', evseId: 1 };
    expect(await answer('r1', { ...report, chargingProfile: [] }, 'ReportChargingProfiles')).toEqual([
      4,
      'r1',
      'OccurrenceConstraintViolation',
    ]);
    expect(
      await answer(
        'r2',
        { ...report, chargingLimitSource: 'Me', chargingProfile: [] },
        'ReportChargingProfiles',
      ),
    ).toEqual([4, 'r2', 'FormatViolation']);
    expect(platform.ocpp.profileReport('CS-1')).toBeUndefined();
    expect(await getChargingNeed(platform.store.db, 'CS-1', 1)).toBeUndefined();
    expect(await cs.call('NotifyEVChargingNeeds', good)).toEqual({ status: 'Accepted' });
  });
});

const SLOT_MS = 300_000;

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 800; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('need → bid → cleared schedule → charging profile', () => {
  it('bids a need into the open slots, turns the clearing into a TxProfile, and reads the profiles back', async () => {
    const platform = await platformWithStation(cleanups);
    const db = platform.store.db;
    // A second station that never connects: it is counted offline and not called, nothing else breaks.
    await registerParticipant(db, { id: 'home-2', role: 'prosumer', name: 'Home 2', createdMs: T0 });
    await registerStation(
      db,
      { stationId: 'CS-2', participantId: 'home-2', password: 'another-long-password' },
      T0,
    );
    // A third that is connected but implements no SetChargingProfile: its call fails and is counted.
    await registerParticipant(db, { id: 'home-3', role: 'prosumer', name: 'Home 3', createdMs: T0 });
    await registerStation(
      db,
      { stationId: 'CS-3', participantId: 'home-3', password: 'a-third-long-password' },
      T0,
    );
    await stationOf(cleanups, platform, { identity: 'CS-3', password: 'a-third-long-password' }).connect();
    for (const stationId of ['CS-2', 'CS-3'])
      await saveChargingNeed(db, {
        stationId,
        evseId: 1,
        transferMode: 'DC',
        energyWh: 50_000,
        departureMs: T0 + HOUR_MS,
        maxPowerW: 50_000,
        minPowerW: 0,
        maxCurrentA: undefined,
        minCurrentA: undefined,
        phases: 1,
        receivedMs: T0,
        registerWhAtReceipt: undefined,
      });
    await until(() => getSlot(db, 'community', T0 + SLOT_MS + SLOT_MS), 'the operator opening the slots');
    await platform.ocpp.chargingBids.rebid();

    const cs = stationOf(cleanups, platform);
    const installed: ChargingProfile[] = [];
    cs.handle('SetChargingProfile', ({ params }) => {
      const { chargingProfile } = params as { chargingProfile: ChargingProfile };
      const at = installed.findIndex((p) => p.id === chargingProfile.id);
      if (at >= 0) installed.splice(at, 1, chargingProfile);
      else installed.push(chargingProfile);
      return Promise.resolve({ status: 'Accepted' });
    });
    cs.handle('GetChargingProfiles', ({ params }) => {
      const { requestId } = params as { requestId: number };
      setTimeout(() => {
        void cs.call('ReportChargingProfiles', {
          requestId,
          chargingLimitSource: 'CSO',
          evseId: 1,
          chargingProfile: installed,
        });
      }, 5);
      return Promise.resolve({ status: 'Accepted' });
    });
    await cs.connect();
    await cs.call('StatusNotification', {
      timestamp: new Date(T0).toISOString(),
      connectorStatus: 'Occupied',
      evseId: 1,
      connectorId: 1,
    });
    await cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: new Date(T0).toISOString(),
      triggerReason: 'CablePluggedIn',
      seqNo: 0,
      transactionInfo: { transactionId: 'tx-1' },
      evse: { id: 1, connectorId: 1 },
    });
    // 20 kWh by 2.5 h at 32 A on one phase (7.36 kW): 18.4 kWh at most, so every slot is must-run.
    expect(await cs.call('NotifyEVChargingNeeds', needOf(20_000, T0 + 2.5 * HOUR_MS))).toEqual({
      status: 'Accepted',
    });
    const bidSlot = T0 + SLOT_MS;
    const order = await until(async () => {
      await platform.ocpp.chargingBids.idle();
      const orders = await listSlotOrders(db, 'community', bidSlot);
      return orders.find((o) => o.participantId === 'home-1');
    }, 'the charging bid');
    expect(order).toMatchObject({
      participantId: 'home-1',
      clientOrderId: 'ocpp-evse-1',
      side: 'buy',
      steps: [{ price: 1, quantity: 7.36 }],
    });
    expect(await listSlotOrders(db, 'community', bidSlot + SLOT_MS)).toContainEqual(
      expect.objectContaining({ participantId: 'home-1', clientOrderId: 'ocpp-evse-1' }),
    );

    platform.clock.set(bidSlot);
    const profile = await until(() => installed[0], 'the charging profile');
    expect(profile).toEqual({
      id: chargingProfileId('TxProfile', 1),
      stackLevel: 1,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Absolute',
      transactionId: 'tx-1',
      validFrom: new Date(bidSlot).toISOString(),
      validTo: new Date(bidSlot + SLOT_MS).toISOString(),
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          startSchedule: new Date(bidSlot).toISOString(),
          duration: 300,
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 32, numberPhases: 1 }],
        },
      ],
    });
    await platform.ocpp.chargingProfiles.idle();
    expect(platform.ocpp.chargingProfiles.lastRun()).toMatchObject({
      stations: 3,
      offline: 1,
      accepted: 1,
      failed: 1,
    });

    // The next clearing replaces the profile (same id) rather than adding one.
    platform.clock.set(bidSlot + SLOT_MS);
    await until(
      () => (installed[0]?.validFrom === new Date(bidSlot + SLOT_MS).toISOString() ? true : undefined),
      'the next profile',
    );
    expect(installed).toHaveLength(1);

    expect(
      await platform.ocpp.callStation('CS-1', 'GetChargingProfiles', { requestId: 42, chargingProfile: {} }),
    ).toEqual({ status: 'Accepted' });
    const report = await until(() => platform.ocpp.profileReport('CS-1'), 'the profile report');
    expect(report).toMatchObject({
      requestId: 42,
      incomplete: false,
      entries: [{ evseId: 1, chargingLimitSource: 'CSO' }],
    });
    expect(report.entries[0]?.chargingProfile).toEqual(installed);
    expect(platform.ocpp.connectorStates('CS-1')).toEqual([
      { evseId: 1, connectorId: 1, status: 'Occupied', timestampMs: T0 },
    ]);

    // The EV leaves: its need goes, and the transaction's profile target with it.
    await cs.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: new Date(bidSlot + SLOT_MS).toISOString(),
      triggerReason: 'EVDeparted',
      seqNo: 1,
      transactionInfo: { transactionId: 'tx-1' },
    });
    expect(await getChargingNeed(db, 'CS-1', 1)).toBeUndefined();
    expect(platform.ocpp.activeTransaction('CS-1', 1)).toBeUndefined();
  });
});

describe('a clearing this instance did not announce', () => {
  it('reaches its stations from the store (another instance cleared the slot)', async () => {
    const platform = await platformWithStation(cleanups);
    const db = platform.store.db;
    const cs = stationOf(cleanups, platform);
    const received: ChargingProfile[] = [];
    cs.handle('SetChargingProfile', ({ params }) => {
      received.push((params as { chargingProfile: ChargingProfile }).chargingProfile);
      return Promise.resolve({ status: 'Accepted' });
    });
    await cs.connect();
    const slotMs = T0 + SLOT_MS;
    await until(() => getSlot(db, 'community', slotMs), 'the operator opening the slot');
    const fills: StoredFills = {
      rows: [
        {
          participantId: 'home-1',
          clientOrderId: 'ocpp-evse-1',
          partyKind: 'participant',
          side: 'buy',
          step: 0,
          filledKw: 3.6,
          pricePerKwh: 0.1,
          feePerKwh: 0,
        },
      ],
      trades: [],
    };
    // Written as another instance's operator would: no event on this platform's bus.
    const stored = await storeClearingResult(db, {
      marketId: 'community',
      slotStartMs: slotMs,
      mechanism: 'uniform-price-double-auction',
      price: 0.1,
      status: 'cleared',
      tradedEnergyWh: 300,
      tradedValueMinor: 30_000,
      fills,
      clearedAtMs: T0,
    });
    expect(stored.ok).toBe(true);
    const profile = await until(() => received[0], 'the profile from the store');
    expect(profile).toMatchObject({
      id: chargingProfileId('TxDefaultProfile', 1),
      chargingProfilePurpose: 'TxDefaultProfile',
      // The running slot (cleared at start-up, nothing bought) is in the schedule at 0 W.
      validFrom: new Date(T0).toISOString(),
      validTo: new Date(slotMs + SLOT_MS).toISOString(),
      chargingSchedule: [
        {
          chargingRateUnit: 'W',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 0 },
            { startPeriod: 300, limit: 3_600 },
          ],
        },
      ],
    });
    // Sent once, however often the store is looked at.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(received).toHaveLength(1);
  }, 15_000);
});
