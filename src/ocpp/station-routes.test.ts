/**
 * The station routes on a real platform over HTTP: who may register, list and remove stations (the
 * `devices:*` rows of the access matrix), the coded refusals, the audit trail, and that removal closes
 * the station's live connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../server/auth/client-secrets.js';
import type { Role } from '../server/auth/roles.js';
import { createApiClient } from '../store/api-client-repository.js';
import { listAuditRecords } from '../store/audit-repository.js';
import { registerParticipant } from '../store/registry-repository.js';
import { PASSWORD, platformWithStation, station as stationOf, T0, type Cleanups } from './csms.fixture.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Platform = Awaited<ReturnType<typeof platformWithStation>>;

async function tokenFor(platform: Platform, role: Role, participantId?: string): Promise<string> {
  const clientId = `${role}-${participantId ?? 'none'}`;
  const secret = `secret-${clientId}-0123456789`;
  const created = await createApiClient(platform.store.db, {
    clientId,
    role,
    participantId,
    secretHash: await hashClientSecret(secret),
    createdMs: T0,
  });
  if (!created.ok) throw created.error;
  const response = await fetch(`${platform.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

function api(platform: Platform) {
  return async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown>,
    };
  };
}

describe('/api/ocpp/stations', () => {
  it('registers, lists and removes stations for whom the access matrix allows, with coded refusals', async () => {
    const platform = await platformWithStation(cleanups);
    const db = platform.store.db;
    for (const id of ['home-2', 'home-3'])
      await registerParticipant(db, { id, role: 'prosumer', name: id, createdMs: T0 });
    await registerParticipant(db, { id: 'vpp', role: 'aggregator', name: 'VPP', createdMs: T0 });
    await db.updateTable('participants').set({ aggregator_id: 'vpp' }).where('id', '=', 'home-3').execute();
    const call = api(platform);
    const operator = await tokenFor(platform, 'market-operator');
    const home1 = await tokenFor(platform, 'prosumer', 'home-1');
    const home2 = await tokenFor(platform, 'prosumer', 'home-2');
    const aggregator = await tokenFor(platform, 'aggregator', 'vpp');
    const utility = await tokenFor(platform, 'utility');
    const regulator = await tokenFor(platform, 'regulator');
    const station = (stationId: string, participantId: string, password = 'a-long-enough-password') => ({
      stationId,
      participantId,
      password,
    });

    expect(await call(home2, 'POST', '/api/ocpp/stations', station('CS-2', 'home-2'))).toMatchObject({
      status: 201,
      body: { stationId: 'CS-2', participantId: 'home-2', connected: false, connectors: [] },
    });
    expect((await call(aggregator, 'POST', '/api/ocpp/stations', station('CS-3', 'home-3'))).status).toBe(
      201,
    );
    const refused = async (token: string | undefined, body: unknown) => {
      const { status, body: problem } = await call(token, 'POST', '/api/ocpp/stations', body);
      return [status, problem?.code];
    };
    expect(await refused(home2, station('CS-X', 'home-1'))).toEqual([403, 'TE_ERR_FORBIDDEN']);
    expect(await refused(aggregator, station('CS-X', 'home-2'))).toEqual([403, 'TE_ERR_FORBIDDEN']);
    expect(await refused(utility, station('CS-X', 'util'))).toEqual([403, 'TE_ERR_FORBIDDEN']);
    expect(await refused(undefined, station('CS-X', 'home-2'))).toEqual([401, 'TE_ERR_UNAUTHORIZED']);
    expect(await refused(operator, station('CS-X', 'ghost'))).toEqual([404, 'TE_ERR_UNKNOWN_PARTICIPANT']);
    expect(await refused(operator, station('CS-2', 'vpp'))).toEqual([409, 'TE_ERR_ALREADY_EXISTS']);
    expect(await refused(operator, station('CS-Y', 'home-2'))).toEqual([409, 'TE_ERR_ALREADY_EXISTS']);
    expect(await refused(operator, station('CS-X', 'vpp', 'short'))).toEqual([400, 'TE_ERR_VALIDATION']);
    expect(await refused(operator, station('CS/X', 'vpp'))).toEqual([400, 'TE_ERR_VALIDATION']);
    expect(await refused(operator, { ...station('CS-X', 'vpp'), admin: true })).toEqual([
      400,
      'TE_ERR_UNKNOWN_KEY',
    ]);
    const audit = await listAuditRecords(db, { target: 'ocpp-station:CS-2' });
    expect(audit).toMatchObject([
      { action: 'ocpp-station-registered', details: { participantId: 'home-2' } },
    ]);
    expect(JSON.stringify(audit)).not.toContain('a-long-enough-password');

    const cs = stationOf(cleanups, platform);
    await cs.connect();
    await cs.call('StatusNotification', {
      timestamp: new Date(T0).toISOString(),
      connectorStatus: 'Available',
      evseId: 1,
      connectorId: 1,
    });
    const listed = await call(home1, 'GET', '/api/ocpp/stations');
    expect(listed).toEqual({
      status: 200,
      body: [
        {
          stationId: 'CS-1',
          participantId: 'home-1',
          connected: true,
          connectors: [{ evseId: 1, connectorId: 1, status: 'Available', timestampMs: T0 }],
          registerWh: null,
          registerMs: null,
        },
      ],
    });
    const ids = async (token: string) =>
      ((await call(token, 'GET', '/api/ocpp/stations')).body as unknown as { stationId: string }[]).map(
        (s) => s.stationId,
      );
    expect(await ids(operator)).toEqual(['CS-1', 'CS-2', 'CS-3']);
    expect(await ids(aggregator)).toEqual(['CS-3']);
    expect(await ids(utility)).toEqual(['CS-1', 'CS-2', 'CS-3']);
    expect((await call(regulator, 'GET', '/api/ocpp/stations')).status).toBe(403);

    const closed = new Promise<void>((resolve) => {
      (cs as unknown as { once(e: 'close', l: () => void): void }).once('close', () => resolve());
    });
    expect((await call(home2, 'DELETE', '/api/ocpp/stations/CS-1')).status).toBe(403);
    expect((await call(operator, 'DELETE', '/api/ocpp/stations/CS-404')).body?.code).toBe('TE_ERR_NOT_FOUND');
    expect(await call(home1, 'DELETE', '/api/ocpp/stations/CS-1')).toEqual({
      status: 200,
      body: { stationId: 'CS-1', disconnected: true },
    });
    await closed;
    expect(platform.ocpp.connectedStations()).toEqual([]);
    await expect(stationOf(cleanups, platform, { password: PASSWORD }).connect()).rejects.toThrow();
    expect(await ids(operator)).toEqual(['CS-2', 'CS-3']);
    expect(await call(operator, 'DELETE', '/api/ocpp/stations/CS-2')).toEqual({
      status: 200,
      body: { stationId: 'CS-2', disconnected: false },
    });
    expect((await listAuditRecords(db, { target: 'ocpp-station:CS-1' })).map((r) => r.action)).toEqual([
      'ocpp-station-removed',
    ]);
  });
});
