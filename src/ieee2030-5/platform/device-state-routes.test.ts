import { afterEach, beforeEach, expect, it } from 'vitest';
import { apiHarness, describeOnStores, type ApiHarness } from '../../server/api-test.fixture.js';
import { checkedSepDevice, insertSepDevice } from './sep-device-repository.js';
import { insertControlResponse, upsertDerDocument } from './sep-device-state-repository.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const mrid = (n: number) => n.toString(16).padStart(32, '0').toUpperCase();
const DEVICES: [string, string, string][] = [
  ['inv-p1', '1'.repeat(40), 'p1'],
  ['inv-p2', '2'.repeat(40), 'p2'],
  ['inv-p9', '9'.repeat(40), 'p9'],
];

interface ResponsesBody {
  deviceId: string;
  responses: { controlMRID: string; status: number; responseTimeMs?: number; receivedMs: number }[];
}

describeOnStores('/api/sep/devices/{id}/responses and /der', (kind) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await apiHarness(kind);
    const db = h.store.store.db;
    for (const [id, lfdi, participantId] of DEVICES) {
      await insertSepDevice(db, checkedSepDevice({ id, lfdi, pin: 111_115, participantId }, T0));
      for (let n = 1; n <= 3; n += 1)
        await insertControlResponse(db, {
          deviceId: id,
          controlMRID: mrid(n),
          status: n,
          responseTimeS: n === 1 ? T0 / 1000 : undefined,
          receivedMs: T0 + n * 1000,
        });
    }
    await upsertDerDocument(db, 'inv-p1', 'DERStatus', { readingTime: 1_795_000_000 }, T0 + 5000);
    await upsertDerDocument(
      db,
      'inv-p1',
      'DERCapability',
      { modesSupported: '00500088', type: 83 },
      T0 + 6000,
    );
  });
  afterEach(async () => {
    await h.dispose();
  });

  const get = (role: Parameters<ApiHarness['call']>[0], url: string) => h.call(role, { method: 'GET', url });

  it('lists responses newest first, with limit, after and before', async () => {
    const all = await get('dso', '/api/sep/devices/inv-p1/responses');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json<ResponsesBody>()).toEqual({
      deviceId: 'inv-p1',
      responses: [
        { controlMRID: mrid(3), status: 3, receivedMs: T0 + 3000 },
        { controlMRID: mrid(2), status: 2, receivedMs: T0 + 2000 },
        { controlMRID: mrid(1), status: 1, responseTimeMs: T0, receivedMs: T0 + 1000 },
      ],
    });
    const statuses = async (query: string) =>
      (await get('utility', `/api/sep/devices/inv-p1/responses?${query}`))
        .json<ResponsesBody>()
        .responses.map((r) => r.status);
    expect(await statuses('limit=1')).toEqual([3]);
    expect(await statuses(`after=${T0 + 1000}`)).toEqual([3, 2]);
    expect(await statuses(`before=${T0 + 3000}&limit=1`)).toEqual([2]);
    expect(await statuses(`after=${T0 + 3000}`)).toEqual([]);
  });

  it('shows the latest DER documents with their times, and nothing for a device that PUT none', async () => {
    const der = await get('market-operator', '/api/sep/devices/inv-p1/der');
    expect(der.statusCode, der.body).toBe(200);
    expect(der.json()).toEqual({
      deviceId: 'inv-p1',
      DERCapability: { updatedMs: T0 + 6000, document: { modesSupported: '00500088', type: 83 } },
      DERStatus: { updatedMs: T0 + 5000, document: { readingTime: 1_795_000_000 } },
    });
    expect((await get('dso', '/api/sep/devices/inv-p9/der')).json()).toEqual({ deviceId: 'inv-p9' });
  });

  it("shows a participant its own devices only: another's is 404 like one that does not exist", async () => {
    for (const path of ['responses', 'der']) {
      expect((await get('prosumer', `/api/sep/devices/inv-p1/${path}`)).statusCode, path).toBe(200);
      expect((await get('aggregator', `/api/sep/devices/inv-p2/${path}`)).statusCode, path).toBe(200);
      const stranger = await get('prosumer', `/api/sep/devices/inv-p9/${path}`);
      const missing = await get('prosumer', `/api/sep/devices/nothing/${path}`);
      expect([stranger.statusCode, missing.statusCode], path).toEqual([404, 404]);
      expect(stranger.json<{ code: string; detail: string }>()).toMatchObject({
        code: 'TE_ERR_NOT_FOUND',
        detail: "no 2030.5 device 'inv-p9'",
      });
      expect((await get('aggregator', `/api/sep/devices/inv-p1/${path}`)).statusCode, path).toBe(404);
      expect((await get('regulator', `/api/sep/devices/inv-p1/${path}`)).statusCode, path).toBe(403);
      expect((await get(undefined, `/api/sep/devices/inv-p1/${path}`)).statusCode, path).toBe(401);
    }
  });

  it('refuses hostile query values and ids with coded problems', async () => {
    const cases: [string, number, string][] = [
      ['inv-p1/responses?limit=0', 400, 'TE_ERR_VALIDATION'],
      ['inv-p1/responses?limit=1001', 400, 'TE_ERR_VALIDATION'],
      ['inv-p1/responses?limit=abc', 400, 'TE_ERR_VALIDATION'],
      ['inv-p1/responses?limit=1.5', 400, 'TE_ERR_VALIDATION'],
      ['inv-p1/responses?after=-1', 400, 'TE_ERR_VALIDATION'],
      ['inv-p1/responses?after=1e300', 400, 'TE_ERR_VALIDATION'],
      ['inv-p1/responses?before=NaN', 400, 'TE_ERR_VALIDATION'],
      [`inv-p1/responses?after=${'9'.repeat(400)}`, 400, 'TE_ERR_VALIDATION'],
      ['inv-p1/responses?offset=5', 400, 'TE_ERR_UNKNOWN_KEY'],
      ["inv-p1/responses?after=1'%20OR%201=1", 400, 'TE_ERR_VALIDATION'],
      [`${'a'.repeat(65)}/responses`, 400, 'TE_ERR_VALIDATION'],
      ['inv%00p1/der', 400, 'TE_ERR_VALIDATION'],
      ["inv'p1/der", 400, 'TE_ERR_VALIDATION'],
    ];
    for (const [path, status, code] of cases) {
      const response = await get('dso', `/api/sep/devices/${path}`);
      expect(response.statusCode, `${path}: ${response.body}`).toBe(status);
      expect(response.json<{ code: string }>().code, path).toBe(code);
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { operationId: string }>>;
    }>();
    expect(doc.paths['/api/sep/devices/{id}/responses']?.get?.operationId).toBe('listSepControlResponses');
    expect(doc.paths['/api/sep/devices/{id}/der']?.get?.operationId).toBe('getSepDerState');
  });
});
