import { afterEach, beforeEach, expect, it } from 'vitest';
import { countDeviceTelemetry } from '../../store/device-telemetry-repository.js';
import { registerDevice } from '../../store/registry-repository.js';
import { apiHarness, describeOnStores, START_MS, type ApiHarness } from '../api-test.fixture.js';
import type { Role } from '../auth/roles.js';

const SLOT_MS = 300_000;
/** p1 is the prosumer's, p2 is represented by agg1, p9 is nobody's. */
const DEVICES: [string, string, string][] = [
  ['p1.hvac', 'p1', 'hvac'],
  ['p1.battery', 'p1', 'battery'],
  ['p2.hvac', 'p2', 'hvac'],
  ['p9.ev', 'p9', 'ev'],
];

interface LatestBody {
  devices: { deviceId: string; participantId: string; kind: string; sample: Record<string, unknown> }[];
  nextAfterId?: string;
}
interface Problem {
  code: string;
  status: number;
  path?: string;
  errors?: { code: string; path?: string }[];
}

describeOnStores('/api/device-telemetry and /api/devices/{id}/telemetry', (kind) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await apiHarness(kind, { deviceTelemetryRetentionMs: 24 * 3_600_000 });
    for (const [id, participantId, deviceKind] of DEVICES) {
      await registerDevice(h.store.store.db, { id, participantId, kind: deviceKind, params: {} });
    }
  });
  afterEach(async () => {
    await h.dispose();
  });

  const post = (role: Role | undefined, samples: unknown) =>
    h.call(role, { method: 'POST', url: '/api/device-telemetry', payload: { samples } });
  const get = (role: Role, url: string) => h.call(role, { method: 'GET', url });
  const hvacSample = (slot: number) => ({
    deviceId: 'p1.hvac',
    timeMs: START_MS + slot * SLOT_MS,
    powerKw: 3.5,
    state: 'cooling',
    indoorTempF: 75.25,
    setpointF: 76,
    comfortLowF: 66,
    comfortHighF: 79,
    bidPricePerKwh: 0.131,
    bidQuantityKw: 3.6,
    expectedPricePerKwh: 0.12,
    clearingPricePerKwh: 0.125,
  });

  it('stores a batch idempotently, announces it without ids, and serves latest and history', async () => {
    const battery = {
      deviceId: 'p1.battery',
      timeMs: START_MS,
      powerKw: -2.5,
      state: 'discharging',
      socPct: 40,
    };
    const first = await post('prosumer', [hvacSample(0), hvacSample(1), battery]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: 3, inserted: 3, duplicates: 0 });
    const again = await post('prosumer', [hvacSample(1), hvacSample(2)]);
    expect(again.json()).toEqual({ received: 2, inserted: 1, duplicates: 1 });
    const announced = h.published.filter((p) => p.event.type === 'telemetry-received');
    expect(announced.map((p) => p.event)).toEqual([
      { type: 'telemetry-received', count: 3, latestSampleMs: START_MS + SLOT_MS },
      { type: 'telemetry-received', count: 2, latestSampleMs: START_MS + 2 * SLOT_MS },
    ]);
    // A batch of resends only is not announced: nothing changed.
    await post('prosumer', [battery]);
    expect(h.published.filter((p) => p.event.type === 'telemetry-received')).toHaveLength(2);

    const latest = await get('prosumer', '/api/device-telemetry/latest');
    expect(latest.statusCode, latest.body).toBe(200);
    expect(latest.json<LatestBody>()).toEqual({
      devices: [
        { deviceId: 'p1.battery', participantId: 'p1', kind: 'battery', sample: battery },
        { deviceId: 'p1.hvac', participantId: 'p1', kind: 'hvac', sample: hvacSample(2) },
      ],
    });
    const history = await get(
      'prosumer',
      `/api/devices/p1.hvac/telemetry?fromMs=${START_MS + SLOT_MS}&toMs=${START_MS + 3 * SLOT_MS}`,
    );
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json()).toEqual({
      deviceId: 'p1.hvac',
      participantId: 'p1',
      kind: 'hvac',
      samples: [hvacSample(1), hvacSample(2)],
    });
    const one = await get('prosumer', `/api/devices/p1.hvac/telemetry?fromMs=0&toMs=${START_MS * 2}&limit=1`);
    expect(one.json<{ samples: unknown[] }>().samples).toEqual([hvacSample(0)]);
  });

  it('pages the latest samples by device id, filtered by participant and kind', async () => {
    for (const [deviceId] of DEVICES) {
      const owner = deviceId.slice(0, 2);
      const response = await post('market-operator', [{ deviceId, timeMs: START_MS, powerKw: 1 }]);
      expect(response.statusCode, `${owner}: ${response.body}`).toBe(200);
    }
    const page1 = (await get('dso', '/api/device-telemetry/latest?limit=3')).json<LatestBody>();
    expect(page1.devices.map((d) => d.deviceId)).toEqual(['p1.battery', 'p1.hvac', 'p2.hvac']);
    expect(page1.nextAfterId).toBe('p2.hvac');
    const page2 = (
      await get('dso', '/api/device-telemetry/latest?limit=3&afterId=p2.hvac')
    ).json<LatestBody>();
    expect(page2).toEqual({
      devices: [{ deviceId: 'p9.ev', participantId: 'p9', kind: 'ev', sample: expect.anything() }],
    });
    const ids = async (role: Role, query: string) =>
      (await get(role, `/api/device-telemetry/latest?${query}`))
        .json<LatestBody>()
        .devices.map((d) => d.deviceId);
    expect(await ids('utility', 'kind=hvac')).toEqual(['p1.hvac', 'p2.hvac']);
    expect(await ids('market-operator', 'participantId=p9')).toEqual(['p9.ev']);
    expect(await ids('aggregator', '')).toEqual(['p2.hvac']);
    expect(await ids('aggregator', 'participantId=p2&kind=hvac')).toEqual(['p2.hvac']);
    expect(await ids('prosumer', 'kind=ev')).toEqual([]);
  });

  it('scopes writes and reads: own, represented, all; the regulator gets 403', async () => {
    // An aggregator writes for a participant it represents; the market operator for anyone.
    expect(
      (await post('aggregator', [{ deviceId: 'p2.hvac', timeMs: START_MS, powerKw: 1 }])).statusCode,
    ).toBe(200);
    expect(
      (await post('market-operator', [{ deviceId: 'p9.ev', timeMs: START_MS, powerKw: 7 }])).statusCode,
    ).toBe(200);
    // Someone else's device refuses the whole batch, naming the sample.
    const stranger = await post('prosumer', [
      { deviceId: 'p1.hvac', timeMs: START_MS + SLOT_MS, powerKw: 1 },
      { deviceId: 'p9.ev', timeMs: START_MS + SLOT_MS, powerKw: 1 },
    ]);
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json<Problem>()).toMatchObject({ code: 'TE_ERR_FORBIDDEN', path: 'samples[1].deviceId' });
    for (const role of ['dso', 'utility', 'regulator'] as const) {
      const refused = await post(role, [{ deviceId: 'p1.hvac', timeMs: START_MS + SLOT_MS, powerKw: 1 }]);
      expect(refused.statusCode, role).toBe(403);
    }
    expect(await countDeviceTelemetry(h.store.store.db)).toBe(2);
    expect((await post(undefined, [{ deviceId: 'p1.hvac', timeMs: START_MS, powerKw: 1 }])).statusCode).toBe(
      401,
    );

    const history = (role: Role, deviceId: string) =>
      get(role, `/api/devices/${deviceId}/telemetry?fromMs=0&toMs=${START_MS * 2}`);
    expect((await history('aggregator', 'p2.hvac')).statusCode).toBe(200);
    expect((await history('dso', 'p9.ev')).statusCode).toBe(200);
    expect((await history('prosumer', 'p9.ev')).statusCode).toBe(403);
    expect((await history('aggregator', 'p9.ev')).statusCode).toBe(403);
    expect((await history('regulator', 'p2.hvac')).json<Problem>()).toMatchObject({
      status: 403,
      code: 'TE_ERR_FORBIDDEN',
    });
    expect((await history('prosumer', 'nothing')).json<Problem>()).toMatchObject({
      status: 404,
      code: 'TE_ERR_NOT_FOUND',
    });
    expect((await get('regulator', '/api/device-telemetry/latest')).statusCode).toBe(403);
    expect((await get('prosumer', '/api/device-telemetry/latest?participantId=p9')).statusCode).toBe(403);
    expect((await get('aggregator', '/api/device-telemetry/latest?participantId=p1')).statusCode).toBe(403);
  });

  it('refuses unknown devices (404, each named) and hostile values with coded problems, storing nothing', async () => {
    const unknown = await post('market-operator', [
      { deviceId: 'p1.hvac', timeMs: START_MS, powerKw: 1 },
      { deviceId: 'ghost', timeMs: START_MS, powerKw: 1 },
      { deviceId: 'ghost-2', timeMs: START_MS, powerKw: 1 },
    ]);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<Problem>()).toMatchObject({
      code: 'TE_ERR_NOT_FOUND',
      path: 'samples[1].deviceId',
      errors: [
        { code: 'TE_ERR_NOT_FOUND', path: 'samples[1].deviceId' },
        { code: 'TE_ERR_NOT_FOUND', path: 'samples[2].deviceId' },
      ],
    });
    const base = { deviceId: 'p1.hvac', timeMs: START_MS, powerKw: 1 };
    const hostile: [string, unknown][] = [
      ['socPct over 100', { ...base, socPct: 100.5 }],
      ['socPct negative', { ...base, socPct: -1 }],
      ['indoor temperature', { ...base, indoorTempF: 251 }],
      ['tank temperature', { ...base, tankTempF: -101 }],
      ['power', { ...base, powerKw: 100_001 }],
      ['export power', { ...base, powerKw: -1e9 }],
      ['bid quantity', { ...base, bidQuantityKw: 1e6 }],
      ['price', { ...base, clearingPricePerKwh: 1e12 }],
      ['power as text', { ...base, powerKw: '1' }],
      ['null power', { ...base, powerKw: null }],
      ['missing power', { deviceId: 'p1.hvac', timeMs: START_MS }],
      ['negative time', { ...base, timeMs: -1 }],
      ['fractional time', { ...base, timeMs: 1.5 }],
      ['state with spaces', { ...base, state: 'on fire' }],
      ['long state', { ...base, state: 'a'.repeat(33) }],
      ['bad device id', { ...base, deviceId: "p1'; DROP TABLE devices" }],
    ];
    for (const [name, sample] of hostile) {
      const response = await post('prosumer', [sample]);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(400);
      expect(response.json<Problem>().code, name).toBe('TE_ERR_VALIDATION');
    }
    const extra = await post('prosumer', [{ ...base, secret: 1 }]);
    expect([extra.statusCode, extra.json<Problem>().code]).toEqual([400, 'TE_ERR_UNKNOWN_KEY']);
    // JSON has no NaN or Infinity; 1e400 parses to Infinity and is out of range.
    for (const body of [
      '{"samples":[{"deviceId":"p1.hvac","timeMs":1,"powerKw":NaN}]}',
      '{"samples":[{"deviceId":"p1.hvac","timeMs":1,"powerKw":Infinity}]}',
      '{"samples":[{"deviceId":"p1.hvac","timeMs":1,"powerKw":1e400}]}',
      '{"samples":[{"deviceId":"p1.hvac","timeMs":1,"powerKw":1,"socPct":-1e400}]}',
      '{"samples":[]}',
      '{"samples":{}}',
      '[]',
    ]) {
      const response = await h.call('prosumer', {
        method: 'POST',
        url: '/api/device-telemetry',
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(response.statusCode, body).toBe(400);
      expect(['TE_ERR_INVALID_JSON', 'TE_ERR_VALIDATION'], body).toContain(response.json<Problem>().code);
    }
    const tooMany = await post(
      'prosumer',
      Array.from({ length: 10_001 }, (_, k) => ({ ...base, timeMs: START_MS + k })),
    );
    expect([tooMany.statusCode, tooMany.json<Problem>().code]).toEqual([400, 'TE_ERR_VALIDATION']);
    const huge = await h.call('prosumer', {
      method: 'POST',
      url: '/api/device-telemetry',
      headers: { 'content-type': 'application/json' },
      payload: `{"samples":[{"deviceId":"p1.hvac","timeMs":1,"powerKw":1,"state":"${'a'.repeat(9 * 1024 * 1024)}"}]}`,
    });
    expect([huge.statusCode, huge.json<Problem>().code]).toEqual([413, 'TE_ERR_INPUT_TOO_LARGE']);
    for (const query of [
      'limit=0',
      'limit=5001',
      'limit=abc',
      'afterId=%00',
      `afterId=${'a'.repeat(65)}`,
      'kind=a%20b',
      'participantId=x%27y',
      'offset=3',
    ]) {
      const response = await get('dso', `/api/device-telemetry/latest?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
    for (const query of [
      'fromMs=0',
      'fromMs=-1&toMs=5',
      'fromMs=0&toMs=1e999',
      'fromMs=0&toMs=5&limit=10001',
    ]) {
      const response = await get('dso', `/api/devices/p1.hvac/telemetry?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
    expect(await countDeviceTelemetry(h.store.store.db)).toBe(0);
  });

  it('prunes samples older than the retention after a batch', async () => {
    const sample = (timeMs: number) => ({ deviceId: 'p1.hvac', timeMs, powerKw: 1 });
    await post('prosumer', [
      sample(START_MS - 2 * 24 * 3_600_000),
      sample(START_MS - 3_600_000),
      sample(START_MS),
    ]);
    // The first batch prunes at once: the two-day-old sample is beyond the one-day retention.
    expect(await countDeviceTelemetry(h.store.store.db)).toBe(2);
    h.clock.advance(24 * 3_600_000);
    await post('prosumer', [sample(START_MS + 24 * 3_600_000)]);
    expect(await countDeviceTelemetry(h.store.store.db)).toBe(2);
  });
});
