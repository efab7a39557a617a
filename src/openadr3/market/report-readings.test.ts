import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApiClient } from '../../store/api-client-repository.js';
import { countMeterReadings } from '../../store/meter-reading-repository.js';
import { describeOnStores, SLOT_MS, SLOT_START_MS } from '../../server/api-test.fixture.js';
import { hashClientSecret } from '../../server/auth/client-secrets.js';
import { eventBody, programBody, vtnHarness, type ClientName, type VtnHarness } from '../vtn-test.fixture.js';
import { MAX_REPORT_READINGS, usageReportBody } from './usage-reports.js';

const START_ISO = new Date(SLOT_START_MS).toISOString();

describeOnStores('VEN reports as meter readings', (kind) => {
  let h: VtnHarness;
  let eventId: string;

  beforeEach(async () => {
    h = await vtnHarness(kind);
    const program = await h.json<{ id: string }>(
      'bl',
      { method: 'POST', url: '/programs', payload: programBody('market:m1') },
      201,
    );
    const event = await h.json<{ id: string }>(
      'bl',
      { method: 'POST', url: '/events', payload: eventBody(program.id) },
      201,
    );
    eventId = event.id;
  });
  afterEach(() => h.dispose());

  const usage = (meterId: string, energies: number[]) =>
    usageReportBody({
      eventID: eventId,
      clientName: 'home',
      meterId,
      intervals: energies.map((energyWh, k) => ({
        startMs: SLOT_START_MS + k * SLOT_MS,
        durationMs: SLOT_MS,
        energyWh,
      })),
    });
  const report = (who: ClientName, payload: unknown) =>
    h.call(who, { method: 'POST', url: '/reports', payload });
  const readingsOf = async (role: 'prosumer' | 'aggregator', meterId: string) => {
    const response = await h.api.call(role, {
      method: 'GET',
      url: `/api/meter-readings?meterId=${meterId}&fromMs=${SLOT_START_MS}&toMs=${SLOT_START_MS + 100 * SLOT_MS}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as unknown[];
  };

  it("stores a VEN's USAGE as its participant's readings, and a resend keeps the first", async () => {
    expect((await report('ven1', usage('p1', [120, -40]))).statusCode).toBe(201);
    const expected = [
      { meterId: 'p1', timeMs: SLOT_START_MS, energyWh: 120 },
      { meterId: 'p1', timeMs: SLOT_START_MS + SLOT_MS, energyWh: -40 },
    ];
    expect(await readingsOf('prosumer', 'p1')).toEqual(expected);
    expect((await report('ven1', usage('p1', [999, 999]))).statusCode).toBe(201);
    expect(await readingsOf('prosumer', 'p1')).toEqual(expected);
  });

  it("lets an aggregator's VEN report its member's meter, and no one another's", async () => {
    expect((await report('ven3', usage('p2', [50]))).statusCode).toBe(201);
    expect(await readingsOf('aggregator', 'p2')).toEqual([
      { meterId: 'p2', timeMs: SLOT_START_MS, energyWh: 50 },
    ]);
    const refused = await report('ven1', usage('p9', [50]));
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain("meter 'p9'");
    // A resource that names no meter is the VEN's own premises meter.
    expect((await report('ven1', usage('heat-pump', [70]))).statusCode).toBe(201);
    expect(await readingsOf('prosumer', 'p1')).toEqual([
      { meterId: 'p1', timeMs: SLOT_START_MS, energyWh: 70 },
    ]);
  });

  it('refuses hostile bodies with a 400 naming the problem, storing nothing', async () => {
    const period = { start: START_ISO, duration: 'PT5M' };
    const withIntervals = (intervals: unknown[]) => ({
      ...usage('p1', []),
      resources: [{ resourceName: 'p1', intervalPeriod: period, intervals }],
    });
    const hostile: [unknown, string][] = [
      [withIntervals([{ id: 0, payloads: [{ type: 'USAGE', values: ['NaN'] }] }]), 'finite number'],
      [withIntervals([{ id: 0, payloads: [{ type: 'USAGE', values: [1e300] }] }]), '1e12'],
      [
        withIntervals([
          { id: 0, payloads: [{ type: 'USAGE', values: [1] }] },
          { id: 1, intervalPeriod: { start: START_ISO }, payloads: [{ type: 'USAGE', values: [1] }] },
        ]),
        'overlaps',
      ],
      [
        withIntervals([
          { id: 0, intervalPeriod: { duration: '-PT5M' }, payloads: [{ type: 'USAGE', values: [1] }] },
        ]),
        'positive duration',
      ],
      [
        withIntervals(
          Array.from({ length: MAX_REPORT_READINGS + 1 }, (_, id) => ({
            id,
            payloads: [{ type: 'USAGE', values: [0.1] }],
          })),
        ),
        `at most ${MAX_REPORT_READINGS}`,
      ],
    ];
    for (const [payload, detail] of hostile) {
      const response = await report('ven1', payload);
      expect(response.statusCode, detail).toBe(400);
      expect(response.json<{ detail: string }>().detail).toContain(detail);
    }
    expect(await countMeterReadings(h.api.store.store.db)).toBe(0);
  });

  it('refuses USAGE from a VEN client that acts for no participant', async () => {
    const secret = 'lonely-secret';
    const created = await createApiClient(h.api.store.store.db, {
      clientId: 'lonely-ven',
      role: 'prosumer',
      participantId: undefined,
      secretHash: await hashClientSecret(secret),
      createdMs: h.api.clock.nowMs(),
    });
    if (!created.ok) throw created.error;
    const token = await h.api.app.inject({
      method: 'POST',
      url: '/openadr3/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'lonely-ven',
        client_secret: secret,
      }).toString(),
    });
    const response = await h.api.app.inject({
      method: 'POST',
      url: '/openadr3/reports',
      headers: { authorization: `Bearer ${token.json<{ access_token: string }>().access_token}` },
      payload: usage('p1', [10]),
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ detail: string }>().detail).toContain('acts for no participant');
    expect(await countMeterReadings(h.api.store.store.db)).toBe(0);
  });

  it('stores a report without USAGE or DEMAND as a report only', async () => {
    const body = {
      ...usage('p1', []),
      resources: [
        {
          resourceName: 'battery',
          intervalPeriod: { start: START_ISO, duration: 'PT5M' },
          intervals: [{ id: 0, payloads: [{ type: 'STORAGE_CHARGE_LEVEL', values: [40] }] }],
        },
      ],
    };
    expect((await report('ven1', body)).statusCode).toBe(201);
    expect(await countMeterReadings(h.api.store.store.db)).toBe(0);
  });
});
