import { afterEach, beforeEach, expect, it } from 'vitest';
import { apiHarness, describeOnStores, type ApiHarness } from '../../server/api-test.fixture.js';
import { listAuditRecords } from '../../store/audit-repository.js';
import { sfdiFromLfdi } from '../identity.js';
import { StoreSepDeviceRegistry } from './store-device-registry.js';

const LFDI_P1 = '3E4F45AB31EDFE5B67E343E5E4562E31984E23E5';
const LFDI_P2 = 'AB4F45AB31EDFE5B67E343E5E4562E31984E23E6';
const LFDI_P9 = '0000000000000000000000000000000000000009';
/** 1+2+3+4+5 = 15, so the check digit is 5. */
const PIN = 123_455;

describeOnStores('/api/sep/devices', (kind) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await apiHarness(kind);
  });
  afterEach(async () => {
    await h.dispose();
  });

  const register = (role: Parameters<ApiHarness['call']>[0], payload: Record<string, unknown>) =>
    h.call(role, { method: 'POST', url: '/api/sep/devices', payload });
  const device = (over: Record<string, unknown> = {}) => ({
    id: 'inv-p1',
    lfdi: LFDI_P1.toLowerCase(),
    pin: PIN,
    participantId: 'p1',
    ...over,
  });

  it('registers with the SFDI computed from the LFDI, acknowledges a resend and refuses a conflicting one', async () => {
    const created = await register('dso', device());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'inv-p1',
      lfdi: LFDI_P1,
      sfdi: sfdiFromLfdi(LFDI_P1),
      pin: PIN,
      participantId: 'p1',
      sees: [],
      enabled: true,
    });
    expect((await register('dso', device())).statusCode).toBe(200);
    const otherPin = await register('dso', device({ pin: 111_115 }));
    expect(otherPin.statusCode).toBe(409);
    expect(otherPin.json()).toMatchObject({ code: 'TE_ERR_ALREADY_EXISTS' });
    const sameCertificate = await register('market-operator', device({ id: 'inv-copy' }));
    expect(sameCertificate.statusCode).toBe(409);

    const audit = await listAuditRecords(h.store.store.db, { target: 'sep-device:inv-p1' });
    expect(audit.map((a) => a.action)).toEqual(['sep-device-registered']);
    expect(audit[0]?.actor).toBe('client-dso (dso)');
    const registry = new StoreSepDeviceRegistry({ db: h.store.store.db });
    await registry.reload();
    expect(registry.byLfdi(LFDI_P1)).toMatchObject({ id: 'inv-p1', participantId: 'p1' });
  });

  it('refuses malformed and hostile input with coded problems and the path', async () => {
    const cases: [Record<string, unknown>, number, string, string | undefined][] = [
      [device({ pin: 123_456 }), 400, 'TE_ERR_VALIDATION', 'pin'],
      [device({ pin: 1_000_000 }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ pin: -5 }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ pin: 12_345.5 }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ lfdi: LFDI_P1.slice(1) }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ lfdi: `${LFDI_P1.slice(1)}Z` }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ id: '../edev' }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ id: 'a'.repeat(65) }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ id: 'x\u0000y' }), 400, 'TE_ERR_VALIDATION', undefined],
      [device({ extra: true }), 400, 'TE_ERR_UNKNOWN_KEY', undefined],
      [device({ sees: ['inv-p1'] }), 400, 'TE_ERR_VALIDATION', 'sees[0]'],
      [device({ sees: ['nobody'] }), 400, 'TE_ERR_VALIDATION', 'sees[0]'],
      [
        device({ sees: Array.from({ length: 1001 }, (_, k) => `d${k}`) }),
        400,
        'TE_ERR_VALIDATION',
        undefined,
      ],
      [device({ participantId: 'ghost' }), 404, 'TE_ERR_UNKNOWN_PARTICIPANT', 'participantId'],
    ];
    for (const [payload, status, code, path] of cases) {
      const response = await register('dso', payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      const problem = response.json<{ code: string; path?: string }>();
      expect(problem.code).toBe(code);
      if (path !== undefined) expect(problem.path).toBe(path);
    }
    for (const text of [
      '{"id": "x", "lfdi": ',
      JSON.stringify(device()).replace('{', '{"__proto__": {"x": 1}, '),
    ]) {
      const raw = await h.call('dso', {
        method: 'POST',
        url: '/api/sep/devices',
        headers: { 'content-type': 'application/json' },
        payload: text,
      });
      expect(raw.statusCode, text).toBe(400);
    }
    expect((await h.call('dso', { method: 'GET', url: '/api/sep/devices' })).json()).toEqual([]);
  });

  it('lets only grid and market operators register, and each participant read only its own devices', async () => {
    for (const role of ['prosumer', 'aggregator', 'regulator', 'facility-manager'] as const) {
      const refused = await register(role, device({ participantId: role === 'prosumer' ? 'p1' : 'p2' }));
      expect(refused.statusCode, role).toBe(403);
    }
    expect((await register('utility', device())).statusCode).toBe(201);
    expect(
      (await register('dso', device({ id: 'inv-p2', lfdi: LFDI_P2, participantId: 'p2' }))).statusCode,
    ).toBe(201);
    expect(
      (await register('dso', device({ id: 'inv-p9', lfdi: LFDI_P9, participantId: 'p9' }))).statusCode,
    ).toBe(201);

    const ids = async (role: Parameters<ApiHarness['call']>[0], url = '/api/sep/devices') => {
      const response = await h.call(role, { method: 'GET', url });
      expect(response.statusCode, `${String(role)} ${url}`).toBe(200);
      return response.json<{ id: string }[]>().map((d) => d.id);
    };
    expect(await ids('prosumer')).toEqual(['inv-p1']);
    expect(await ids('aggregator')).toEqual(['inv-p2']);
    expect(await ids('dso')).toEqual(['inv-p1', 'inv-p2', 'inv-p9']);
    expect(await ids('dso', '/api/sep/devices?participantId=p9')).toEqual(['inv-p9']);
    expect(await ids('dso', '/api/sep/devices?limit=2')).toEqual(['inv-p1', 'inv-p2']);
    expect(await ids('dso', '/api/sep/devices?limit=2&afterId=inv-p2')).toEqual(['inv-p9']);
    expect((await h.call('dso', { method: 'GET', url: '/api/sep/devices?limit=0' })).statusCode).toBe(400);
    expect(
      (await h.call('prosumer', { method: 'GET', url: '/api/sep/devices?participantId=p9' })).statusCode,
    ).toBe(403);
    expect((await h.call('regulator', { method: 'GET', url: '/api/sep/devices' })).statusCode).toBe(403);
    expect((await h.call(undefined, { method: 'GET', url: '/api/sep/devices' })).statusCode).toBe(401);

    expect((await h.call('prosumer', { method: 'GET', url: '/api/sep/devices/inv-p1' })).statusCode).toBe(
      200,
    );
    // Another household's device reads as absent, the same as a device that does not exist.
    const stranger = await h.call('prosumer', { method: 'GET', url: '/api/sep/devices/inv-p9' });
    const missing = await h.call('prosumer', { method: 'GET', url: '/api/sep/devices/nothing' });
    expect([stranger.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(stranger.json<{ detail: string }>().detail).toBe("no 2030.5 device 'inv-p9'");
    expect((await h.call('prosumer', { method: 'DELETE', url: '/api/sep/devices/inv-p1' })).statusCode).toBe(
      403,
    );
  });

  it('lets a device see only devices of its own participant or of those its participant aggregates', async () => {
    expect(
      (await register('dso', device({ id: 'inv-p2', lfdi: LFDI_P2, participantId: 'p2' }))).statusCode,
    ).toBe(201);
    expect(
      (await register('dso', device({ id: 'inv-p9', lfdi: LFDI_P9, participantId: 'p9' }))).statusCode,
    ).toBe(201);
    const gateway = (sees: string[]) =>
      register('dso', { id: 'gw-agg1', lfdi: 'C'.repeat(40), pin: PIN, participantId: 'agg1', sees });
    const foreign = await gateway(['inv-p2', 'inv-p9']);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ code: 'TE_ERR_FORBIDDEN', path: 'sees[1]' });
    expect((await gateway(['inv-p2'])).statusCode).toBe(201);
  });

  it('deletes with an audit record; the registry refuses the certificate afterwards', async () => {
    expect((await register('dso', device())).statusCode).toBe(201);
    const registry = new StoreSepDeviceRegistry({ db: h.store.store.db });
    await registry.reload();
    expect(registry.byLfdi(LFDI_P1)?.id).toBe('inv-p1');
    const deleted = await h.call('market-operator', { method: 'DELETE', url: '/api/sep/devices/inv-p1' });
    expect(deleted.statusCode).toBe(204);
    expect((await h.call('dso', { method: 'DELETE', url: '/api/sep/devices/inv-p1' })).statusCode).toBe(404);
    await registry.reload();
    expect(registry.byLfdi(LFDI_P1)).toBeUndefined();
    const audit = await listAuditRecords(h.store.store.db, { target: 'sep-device:inv-p1' });
    expect(audit.map((a) => a.action)).toEqual(['sep-device-registered', 'sep-device-deleted']);
  });
});
