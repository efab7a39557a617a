/**
 * Interop: a charge point we did not write (ocpp-rpc's RPCClient in strict mode, which validates what it
 * sends and receives against the OCPP 2.0.1 schemas) against the real platform on a loopback port.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { readMeterReadings } from '../store/meter-reading-repository.js';
import { PASSWORD, platformWithStation, station as stationOf, T0, type Cleanups } from './csms.fixture.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A bare upgrade request: the HTTP status the server refuses it with, or 101. */
function upgradeStatus(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const sample = (minutes: number, wh: number) => ({
  timestamp: new Date(T0 + minutes * 60_000).toISOString(),
  sampledValue: [
    { value: wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
    { value: 7.2, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } },
  ],
});
const txEvent = (eventType: string, seqNo: number, minutes: number, wh: number) => ({
  eventType,
  timestamp: new Date(T0 + minutes * 60_000).toISOString(),
  triggerReason: eventType === 'Updated' ? 'MeterValuePeriodic' : 'Authorized',
  seqNo,
  transactionInfo: { transactionId: 'tx-1' },
  idToken: { idToken: 'RFID-42', type: 'ISO14443' },
  evse: { id: 1, connectorId: 1 },
  meterValue: [sample(minutes, wh)],
});

describe('the OCPP 2.0.1 CSMS', () => {
  it('serves a strict ocpp-rpc charge point: boot, heartbeat, status, authorize, a metered transaction, a charging profile', async () => {
    const platform = await platformWithStation(cleanups);
    const cs = stationOf(cleanups, platform);
    const profiles: unknown[] = [];
    cs.handle('SetChargingProfile', ({ params }) => {
      profiles.push(params);
      return Promise.resolve({ status: 'Accepted' });
    });
    await cs.connect();
    expect(platform.ocpp.connectedStations()).toEqual(['CS-1']);

    expect(
      await cs.call('BootNotification', {
        reason: 'PowerUp',
        chargingStation: { model: 'Scripted', vendorName: 'ocpp-rpc' },
      }),
    ).toEqual({ currentTime: new Date(T0).toISOString(), interval: 300, status: 'Accepted' });
    expect(await cs.call('Heartbeat', {})).toEqual({ currentTime: new Date(T0).toISOString() });
    expect(
      await cs.call('StatusNotification', {
        timestamp: new Date(T0).toISOString(),
        connectorStatus: 'Occupied',
        evseId: 1,
        connectorId: 1,
      }),
    ).toEqual({});
    expect(await cs.call('Authorize', { idToken: { idToken: 'RFID-42', type: 'ISO14443' } })).toEqual({
      idTokenInfo: { status: 'Accepted' },
    });
    expect(await cs.call('TransactionEvent', txEvent('Started', 0, 0, 1_000))).toEqual({
      idTokenInfo: { status: 'Accepted' },
    });
    await cs.call('TransactionEvent', txEvent('Updated', 1, 15, 1_500.4));
    const meterValues = { evseId: 1, meterValue: [sample(30, 2_100)] };
    expect(await cs.call('MeterValues', meterValues)).toEqual({});
    await cs.call('MeterValues', meterValues); // a resend adds nothing
    await cs.call('TransactionEvent', txEvent('Ended', 2, 45, 2_600));

    const readings = await readMeterReadings(platform.store.db, 'home-1', T0, T0 + 3_600_000);
    expect(readings).toEqual([
      { meterId: 'home-1', timeMs: T0, energyWh: 500 },
      { meterId: 'home-1', timeMs: T0 + 15 * 60_000, energyWh: 600 },
      { meterId: 'home-1', timeMs: T0 + 30 * 60_000, energyWh: 500 },
    ]);

    const profile = {
      evseId: 1,
      chargingProfile: {
        id: 7,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile' as const,
        chargingProfileKind: 'Absolute' as const,
        chargingSchedule: [
          {
            id: 1,
            chargingRateUnit: 'W' as const,
            startSchedule: new Date(T0).toISOString(),
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 3_600 }],
          },
        ],
      },
    };
    expect(await platform.ocpp.callStation('CS-1', 'SetChargingProfile', profile)).toEqual({
      status: 'Accepted',
    });
    expect(profiles).toEqual([profile]);
    // The scripted station has no ClearChargingProfile handler: its NotImplemented becomes a coded error.
    await expect(
      platform.ocpp.callStation('CS-1', 'ClearChargingProfile', { chargingProfileId: 7 }),
    ).rejects.toMatchObject({ code: 'TE_ERR_OCPP_CALL_FAILED' });
    await expect(
      platform.ocpp.callStation('CS-2', 'GetCompositeSchedule', { duration: 3_600, evseId: 1 }),
    ).rejects.toMatchObject({ code: 'TE_ERR_OCPP_STATION_OFFLINE' });
  });

  it('answers bad frames with the OCPP CALLERROR and keeps serving', async () => {
    const platform = await platformWithStation(cleanups);
    const cs = stationOf(cleanups, platform);
    await cs.connect();
    const received: unknown[] = [];
    cs.on('message', ({ message, outbound }) => {
      if (!outbound) received.push(JSON.parse(message));
    });
    const answer = async (frame: string): Promise<unknown[]> => {
      const before = received.length;
      cs.sendRaw(frame);
      for (let i = 0; i < 200 && received.length === before; i++) await new Promise((r) => setTimeout(r, 5));
      return received[before] as unknown[];
    };
    expect((await answer('not json'))[2]).toBe('RpcFrameworkError');
    // ocpp-rpc checks the type before it reads the id, so it answers with id "-1" (docs/protocols/ocpp.md).
    expect((await answer('[7,"m1","Heartbeat",{}]')).slice(0, 3)).toEqual([
      4,
      '-1',
      'MessageTypeNotSupported',
    ]);
    expect((await answer('[2,"m2","Heartbeat",{"extra":1}]')).slice(0, 3)).toEqual([
      4,
      'm2',
      'PropertyConstraintViolation',
    ]);
    expect((await answer('[2,"m3","BootNotification",{"reason":"PowerUp"}]')).slice(0, 3)).toEqual([
      4,
      'm3',
      'OccurrenceConstraintViolation',
    ]);
    const longModel = JSON.stringify({
      reason: 'PowerUp',
      chargingStation: { model: 'x'.repeat(21), vendorName: 'v' },
    });
    expect((await answer(`[2,"m4","BootNotification",${longModel}]`)).slice(0, 3)).toEqual([
      4,
      'm4',
      'FormatViolation',
    ]);
    expect((await answer('[2,"m5","Heartbeat","nope"]')).slice(0, 3)).toEqual([
      4,
      'm5',
      'TypeConstraintViolation',
    ]);
    expect((await answer('[2,"m6","FlyToTheMoon",{}]')).slice(0, 3)).toEqual([4, 'm6', 'NotImplemented']);
    // Still serving after all of that.
    expect(await cs.call('Heartbeat', {})).toEqual({ currentTime: new Date(T0).toISOString() });
  });

  it('closes the connection on an oversized frame (1009) without affecting the server', async () => {
    const platform = await platformWithStation(cleanups);
    const cs = stationOf(cleanups, platform);
    await cs.connect();
    const closed = new Promise<number>((resolve) => {
      (cs as unknown as { once(e: 'close', l: (x: { code: number }) => void): void }).once(
        'close',
        ({ code }) => resolve(code),
      );
    });
    cs.sendRaw(`[2,"big","Heartbeat",{"pad":"${'x'.repeat(70_000)}"}]`);
    expect(await closed).toBe(1009);
    const again = stationOf(cleanups, platform);
    await again.connect();
    expect(await again.call('Heartbeat', {})).toEqual({ currentTime: new Date(T0).toISOString() });
  });

  it('refuses wrong passwords, unknown stations, other subprotocols and other paths at the upgrade', async () => {
    const platform = await platformWithStation(cleanups);
    const ok = { 'Sec-WebSocket-Protocol': 'ocpp2.0.1', Authorization: basic('CS-1', PASSWORD) };
    expect(await upgradeStatus(platform.port, '/ocpp/CS-1', ok)).toBe(101);
    expect(
      await upgradeStatus(platform.port, '/ocpp/CS-1', {
        ...ok,
        Authorization: basic('CS-1', 'wrong-password-123'),
      }),
    ).toBe(401);
    expect(
      await upgradeStatus(platform.port, '/ocpp/CS-9', { ...ok, Authorization: basic('CS-9', PASSWORD) }),
    ).toBe(401);
    expect(await upgradeStatus(platform.port, '/ocpp/CS-1', { 'Sec-WebSocket-Protocol': 'ocpp2.0.1' })).toBe(
      401,
    );
    expect(
      await upgradeStatus(platform.port, '/ocpp/CS-1', { ...ok, 'Sec-WebSocket-Protocol': 'ocpp1.6' }),
    ).toBe(400);
    expect(await upgradeStatus(platform.port, '/elsewhere/CS-1', ok)).toBe(404);
    await expect(
      stationOf(cleanups, platform, { password: 'wrong-password-123' }).connect(),
    ).rejects.toThrow();
    await expect(stationOf(cleanups, platform, { protocols: ['ocpp1.6'] }).connect()).rejects.toThrow();
  });
});
