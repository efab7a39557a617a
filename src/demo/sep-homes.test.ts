/**
 * The demo's 2030.5 homes on the real platform: a home with PV gets a device certificate from the
 * platform's development CA, is registered through `POST /api/sep/devices`, polls the platform's 2030.5
 * server over mutual TLS, and follows (and answers) the DSO's DERControl once an envelope is published for
 * its participant. A home whose registration the API refuses stays a plain home and the log says why.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { createPv, DEFAULT_PV_PARAMS } from '../der/pv.js';
import { ApiTransport, type ClientCredentials } from '../http-client/api-transport.js';
import { ensureSepPki } from '../ieee2030-5/pki/index.js';
import { ManualClock } from '../live/clock.js';
import { startPlatform, type RunningPlatform } from '../live/platform.js';
import { parseServerConfig } from '../live/server-config.js';
import { OPERATOR_CREDENTIALS_FILE } from '../server/auth/index.js';
import { defaultScenario, tucsonWeather } from '../sim/test-scenario.fixture.js';
import { SepHomes } from './sep-homes.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const SLOT_MS = 300_000;
const NEXT_SLOT = T0 + SLOT_MS;

async function eventually(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the demo 2030.5 homes on the platform', () => {
  const clock = new ManualClock(T0 + 60_000);
  const stop = new AbortController();
  const lines: string[] = [];
  let dataDir: string;
  let platform: RunningPlatform;
  let transport: ApiTransport;
  let operator: ClientCredentials;
  let homes: SepHomes;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tenet-demo-sep-'));
    const config = parseServerConfig('server:\n  port: 0\n', 'test.yaml');
    if (!config.ok) throw new Error('config');
    platform = await startPlatform({ config: config.value, dataDir, clock, log: () => undefined });
    const credentials = JSON.parse(readFileSync(join(dataDir, OPERATOR_CREDENTIALS_FILE), 'utf8')) as {
      client_id: string;
      client_secret: string;
    };
    operator = { clientId: credentials.client_id, clientSecret: credentials.client_secret };
    transport = new ApiTransport({ baseUrl: platform.url, random: new SeededRandom(3) });
    for (const id of ['home', 'pv-less'])
      await transport.request({
        method: 'POST',
        path: '/api/participants',
        json: { id, role: 'prosumer', name: id },
        as: operator,
        what: `participant ${id}`,
      });
    const sep = platform.sep;
    if (sep === undefined) throw new Error('the platform did not start its 2030.5 server');
    const pki = await ensureSepPki(dataDir);
    const scenario = defaultScenario();
    homes = await SepHomes.start({
      sepUrl: sep.url,
      serverCaPem: sep.caCertPem,
      deviceCa: { certPem: pki.caCertPem, keyPem: pki.caKeyPem },
      transport,
      operator,
      premises: [
        { id: 'home', classes: ['pv'], devices: [createPv('pv-1', DEFAULT_PV_PARAMS, 'transactive')] },
        { id: 'no-der', classes: [], devices: [] },
        { id: 'ghost', classes: ['pv'], devices: [createPv('pv-2', DEFAULT_PV_PARAMS, 'transactive')] },
      ],
      registered: [
        { homeIndex: 0, participantId: 'home', credentials: operator },
        { homeIndex: 1, participantId: 'pv-less', credentials: operator },
        // A participant the platform does not know: its device registration is refused.
        { homeIndex: 2, participantId: 'ghost', credentials: operator },
      ],
      count: 2,
      runTag: 't1',
      clock,
      weather: tucsonWeather(scenario).source,
      seed: scenario.seed,
      log: (line) => lines.push(line),
      stop: stop.signal,
    });
  }, 30_000);
  afterAll(async () => {
    stop.abort();
    await homes?.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers the homes with PV or a battery, and reports one it could not register', async () => {
    expect(homes.size).toBe(1);
    expect(lines.join('\n')).toMatch(/1 homes run an IEEE 2030\.5 inverter client .*; 1 could not register/);
    const devices = await transport.request<{ participantId: string; pin: number }[]>({
      method: 'GET',
      path: '/api/sep/devices',
      as: operator,
      what: 'devices',
    });
    expect(devices.body.map((d) => d.participantId)).toEqual(['home']);
    expect(String(devices.body[0]?.pin)).toMatch(/^\d{6}$/);
  });

  it('polls, then follows and answers the DSO control published for its participant', async () => {
    await eventually(() => homes.stats().sepPolls >= 1, 'a first poll');
    expect(homes.stats()).toMatchObject({ sepFailedPolls: 0, sepPollsFollowingControls: 0 });
    await eventually(async () => {
      const slots = await transport.request<{ status: string }[]>({
        method: 'GET',
        path: `/api/markets/community/slots?fromMs=${NEXT_SLOT}&toMs=${NEXT_SLOT + 1}`,
        as: operator,
        what: 'slots',
      });
      return slots.body.some((s) => s.status === 'open');
    }, 'the next slot to open');
    await transport.request({
      method: 'PUT',
      path: `/api/markets/community/slots/${NEXT_SLOT}/envelopes`,
      json: { envelopes: [{ participantId: 'home', exportLimitKw: 1 }] },
      as: operator,
      what: 'envelope',
    });
    // Into the enveloped slot: the client's next poll is due there.
    clock.set(NEXT_SLOT + 60_000);
    await eventually(() => homes.stats().sepPollsFollowingControls >= 1, 'a poll following the control');
    await eventually(() => homes.stats().sepResponsesSent >= 2, 'received and started responses');
    expect(homes.stats().sepFailedPolls).toBe(0);
  }, 30_000);
});
