/**
 * The demo's VEN homes against the real VTN on loopback: VEN registration under a taken name, the MQTT
 * homes polling when the VTN has no MQTT notifier, a slot's price event learnt by polling, a reading
 * sent as a USAGE report that the VTN stores as the home's meter reading, and a slot without an event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { ApiTransport } from '../http-client/api-transport.js';
import { marketProgramRequest, slotPriceEventRequest } from '../openadr3/market/market-mapping.js';
import { liveVtn, type LiveVtn } from '../openadr3/ven/ven-test.fixture.js';
import { SLOT_MS, SLOT_START_MS } from '../server/api-test.fixture.js';
import { OpenAdrHomes } from './openadr-homes.js';

describe('the demo VEN homes on the VTN', () => {
  let vtn: LiveVtn;
  let homes: OpenAdrHomes;
  const stop = new AbortController();
  const lines: string[] = [];

  beforeAll(async () => {
    vtn = await liveVtn('sqlite');
    // An earlier run's client holds the plain name of p1's VEN.
    await vtn.bl('POST', '/vens', {
      objectType: 'BL_VEN_REQUEST',
      clientID: 'client-aggregator',
      venName: 'demo:p1',
    });
    const baseUrl = vtn.vtnUrl.replace(/\/openadr3$/, '');
    const transport = new ApiTransport({ baseUrl, random: new SeededRandom(1) });
    homes = await OpenAdrHomes.start({
      baseUrl,
      transport,
      marketId: 'm1',
      registered: [
        {
          homeIndex: 0,
          participantId: 'p1',
          credentials: { clientId: 'client-prosumer', clientSecret: vtn.api.secrets.prosumer },
        },
        {
          homeIndex: 1,
          participantId: 'agg1',
          credentials: { clientId: 'client-aggregator', clientSecret: vtn.api.secrets.aggregator },
        },
      ],
      counts: { http: 1, mqtt: 1 },
      runTag: 'run7',
      pollIntervalMs: 20,
      log: (line) => lines.push(line),
      stop: stop.signal,
    });
  });
  afterAll(async () => {
    stop.abort();
    await homes?.close();
    await vtn?.dispose();
  });

  it('registers both as VENs, and the MQTT home polls since the VTN has no MQTT notifier', async () => {
    expect(homes.size).toBe(2);
    expect(homes.stats()).toMatchObject({ httpHomes: 2, mqttHomes: 0 });
    expect(lines.join('\n')).toMatch(/2 homes are OpenADR VENs .*1 could not use MQTT and poll instead/);
    const vens = await vtn.venClient('prosumer').searchVens();
    expect(vens.map((v) => v.venName)).toEqual(['demo:p1:run7']);
  });

  it('learns a slot from its price event and reports the reading, which becomes a meter reading', async () => {
    const program = await vtn.bl<{ id: string }>(
      'POST',
      '/programs',
      marketProgramRequest({
        marketId: 'm1',
        marketName: 'Test market',
        slotDurationMs: SLOT_MS,
        currency: 'USD',
      }),
    );
    await vtn.bl(
      'POST',
      '/events',
      slotPriceEventRequest(program.id, {
        marketId: 'm1',
        slotStartMs: SLOT_START_MS,
        slotDurationMs: SLOT_MS,
        currency: 'USD',
        pricePerKwh: 0.08,
        gridFeePerKwh: 0.02,
        status: 'cleared',
        tradedEnergyWh: 1234,
      }),
    );
    const clock = { nowMs: () => 0, sleepUntil: () => new Promise<void>(() => {}) };
    // A clock that never reaches the give-up time: each home waits until its poll finds the event.
    expect(await homes.waitForSlot('p1', SLOT_START_MS, clock, 1)).toBe(true);
    expect(await homes.waitForSlot('agg1', SLOT_START_MS, clock, 1)).toBe(true);
    const event = homes.slotEvent('p1', SLOT_START_MS);
    expect(event?.price).toMatchObject({ importPricePerKwh: 0.1, exportPricePerKwh: 0.08 });
    expect(event?.status).toBe('cleared');

    const slot = { startMs: SLOT_START_MS, endMs: SLOT_START_MS + SLOT_MS };
    await homes.sendUsageReport('p1', event as NonNullable<typeof event>, slot, 1500);
    const readings = await vtn.api.call('prosumer', {
      method: 'GET',
      url: `/api/meter-readings?meterId=p1&fromMs=${slot.startMs}&toMs=${slot.endMs}`,
    });
    expect(readings.statusCode, readings.body).toBe(200);
    expect(readings.json()).toEqual([expect.objectContaining({ timeMs: SLOT_START_MS, energyWh: 1500 })]);
    expect(homes.stats()).toMatchObject({ reportsSent: 1, eventsMissed: 0 });
    expect(homes.stats().eventsPolled).toBeGreaterThanOrEqual(2);
  });

  it('gives up on a slot whose event does not come by the give-up time', async () => {
    const clock = { nowMs: () => 10, sleepUntil: () => Promise.resolve() };
    expect(await homes.waitForSlot('p1', SLOT_START_MS + SLOT_MS, clock, 10)).toBe(false);
    expect(homes.stats().eventsMissed).toBe(1);
    expect(homes.isVen('p9')).toBe(false);
  });
});
