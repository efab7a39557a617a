/**
 * The demo community against the real platform: the Fastify API on loopback over a throwaway store, the
 * market operator on an accelerated clock, the VTN publishing the market's price events with its MQTT
 * notifier on an embedded broker, and ten of the scenario's homes trading through HTTP for six slots and
 * more, four of them also OpenADR VENs (two polling events, two on MQTT). Orders, clearings with trades,
 * meter readings (the VEN homes' as USAGE reports) and a verifying ledger must follow.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerEntry, Sha256 } from '../ledger/journal-entry.js';
import { verifyJournal } from '../ledger/verify-journal.js';
import type { StoredFills } from '../live/clearing-fills.js';
import { AcceleratedClock, WallClock } from '../live/clock.js';
import { SingleProcessLease } from '../live/leader-lease.js';
import { InProcessEventBus } from '../live/market-events.js';
import { MarketOperator } from '../live/market-operator.js';
import { buildApiServer } from '../server/api-server.js';
import { ensureOperatorClient } from '../server/auth/operator-client.js';
import { ephemeralSigningKey } from '../server/auth/signing-key.js';
import { startOpenAdr3MarketPublisher } from '../openadr3/market/market-publisher.js';
import { startOpenAdr3Notifications } from '../openadr3/notifications/start-notifications.js';
import { getClearingResult } from '../store/clearing-result-repository.js';
import { readLedgerEntries } from '../store/ledger-repository.js';
import { countMeterReadings } from '../store/meter-reading-repository.js';
import { listSlotOrders } from '../store/order-repository.js';
import { TEST_DATABASE_URL, type TestStore, TEST_STORE_BACKENDS } from '../store/test-databases.fixture.js';
import { defaultScenario, tucsonWeather } from '../sim/test-scenario.fixture.js';
import { startCommunity, type RunningCommunity } from './community.js';

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const HOMES = 10;
const SLOTS = 6;
/** 300 clock seconds per slot in one real second. */
const SPEED = 300;
const MARKET_ID = 'demo';
const OPENADR_HOMES = { http: 2, mqtt: 2 };

const cleanups: (() => Promise<void> | void)[] = [];
// The server closes only once the community's connections are gone: a socket the community left open
// without a request would hold it for a minute and fail this hook.
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 30_000);

async function livePlatform(store: TestStore, startMs: number) {
  const clock = new AcceleratedClock(startMs, SPEED);
  const events = new InProcessEventBus();
  const app = await buildApiServer({
    store: store.store,
    clock,
    events,
    signingKey: await ephemeralSigningKey(),
    tokenClock: new WallClock(),
    sseHeartbeatMs: 1000,
  });
  const tokenClock = new WallClock();
  const operatorErrors: unknown[] = [];
  const notifications = await startOpenAdr3Notifications(
    app,
    store.store.db,
    { mqtt: { port: 0 }, webhooks: false },
    {
      verifyToken: (token) => app.verifyAccessToken(token),
      tokenClock,
      onError: (e) => operatorErrors.push(e),
    },
  );
  const publisher = startOpenAdr3MarketPublisher({
    objects: app.openadr3Objects,
    events,
    onError: (e) => operatorErrors.push(e),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const operatorLines: string[] = [];
  const operator = new MarketOperator({
    db: store.store.db,
    clock,
    events,
    lease: new SingleProcessLease(),
    sha256,
    log: (line) => operatorLines.push(line),
  });
  const stopOperator = new AbortController();
  const operatorRun = operator.run(stopOperator.signal);
  const dir = mkdtempSync(join(tmpdir(), 'tenet-demo-'));
  const file = await ensureOperatorClient(store.store.db, dir, clock.nowMs());
  const written = JSON.parse(readFileSync(file ?? '', 'utf8')) as {
    client_id: string;
    client_secret: string;
  };
  cleanups.push(async () => {
    stopOperator.abort();
    await operatorRun;
    await publisher.close();
    await app.close();
    await notifications.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    clock,
    events,
    operatorLines,
    operatorErrors,
    baseUrl: `http://127.0.0.1:${port}`,
    operatorCredentials: { clientId: written.client_id, clientSecret: written.client_secret },
  };
}

async function listParticipantIds(store: TestStore): Promise<string[]> {
  const rows = await store.store.db.selectFrom('participants').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

async function operatorToken(
  baseUrl: string,
  credentials: { clientId: string; clientSecret: string },
): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe.each(TEST_STORE_BACKENDS)('the demo community on the live platform (%s)', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';
  it.skipIf(skip)(
    `${HOMES} homes trade through the API for ${SLOTS} slots: orders, trades, readings, a verifying ledger`,
    async () => {
      const store = await open();
      cleanups.push(() => store.dispose());
      const scenario = defaultScenario();
      const weather = tucsonWeather(scenario);
      // Noon in Tucson: PV exports, air conditioners run, prices move with the load.
      const platform = await livePlatform(store, scenario.startMs + 12 * 3_600_000 + 150_000);
      const bidSlots = new Set<number>();
      const settledSlots = new Set<number>();
      platform.events.subscribe((event) => {
        if (event.type === 'order-accepted') bidSlots.add(event.slotStartMs);
        if (event.type === 'slot-settled') settledSlots.add(event.slotStartMs);
      });
      const lines: string[] = [];
      const community: RunningCommunity = await startCommunity({
        baseUrl: platform.baseUrl,
        operatorCredentials: platform.operatorCredentials,
        scenario: { scenario, weather },
        clock: platform.clock,
        homes: HOMES,
        marketId: MARKET_ID,
        log: (line) => lines.push(line),
        openAdrHomes: OPENADR_HOMES,
        openAdrPollIntervalMs: 50,
        // Both ways of posting device telemetry, one per store.
        deviceTelemetry: name === 'SQLite' ? 'per-home' : 'batched',
      });
      cleanups.push(() => community.stop());
      expect(community.homes).toBe(HOMES);
      // An occupant moves the comfort slider: the home hears it and applies it from the next slot.
      const token = await operatorToken(platform.baseUrl, platform.operatorCredentials);
      const firstHome = (await listParticipantIds(store)).find((id) => id.startsWith('home-')) ?? '';
      const slider = await fetch(`${platform.baseUrl}/api/participants/${firstHome}/preferences`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ comfortSlider: 0.1 }),
      });
      expect(slider.status).toBe(200);

      const settledBids = () => [...bidSlots].filter((s) => settledSlots.has(s)).sort((a, b) => a - b);
      const deadline = Date.now() + 45_000;
      // Settled, and every home's readings of those slots posted (the first slot, sat out, has them too).
      const done = () =>
        settledBids().length >= SLOTS + 1 && community.stats().readingsSent >= HOMES * (SLOTS + 2);
      while (!done() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await community.stop();
      const stats = community.stats();
      // The first slot bid may be partial (homes registered just before its gate sit it out).
      const slots = settledBids().slice(1, SLOTS + 1);
      expect(slots, lines.join('\n')).toHaveLength(SLOTS);
      expect(stats.readingsSent, lines.join('\n')).toBeGreaterThanOrEqual(HOMES * (SLOTS + 2));

      const db = store.store.db;
      let trades = 0;
      let homeSells = 0;
      let multiStepBuys = 0;
      for (const slotStartMs of slots) {
        const orders = await listSlotOrders(db, MARKET_ID, slotStartMs);
        expect(new Set(orders.map((o) => o.participantId)).size).toBe(HOMES);
        multiStepBuys += orders.filter((o) => o.side === 'buy' && o.steps.length > 1).length;
        const result = await getClearingResult(db, MARKET_ID, slotStartMs);
        expect(result).toBeDefined();
        const fills = result?.fills as StoredFills;
        const homeFills = fills.rows.filter((row) => row.partyKind === 'participant');
        expect(homeFills.length).toBeGreaterThan(0);
        homeSells += homeFills.filter((row) => row.side === 'sell').length;
        trades += result?.tradedEnergyWh ?? 0;
      }
      expect(trades).toBeGreaterThan(0);
      expect(multiStepBuys).toBeGreaterThan(0); // a bid curve: must-run load and flexible steps
      expect(homeSells).toBeGreaterThan(0); // noon PV sold into the market
      expect(await countMeterReadings(db)).toBeGreaterThanOrEqual(HOMES * (SLOTS + 1));

      const entries = await readLedgerEntries(db);
      expect(entries.length).toBeGreaterThan(0);
      const report = verifyJournal(
        entries.map((record) => record.body as LedgerEntry),
        sha256,
      );
      expect(report.ok, JSON.stringify(report)).toBe(true);
      expect(report.slotCount).toBeGreaterThanOrEqual(SLOTS);

      expect(stats.slotsBid).toBeGreaterThanOrEqual(SLOTS);
      expect(stats.ordersSent).toBeGreaterThanOrEqual(HOMES * SLOTS);
      expect(stats.readingsSent).toBeGreaterThanOrEqual(HOMES * SLOTS);
      expect(lines.some((line) => /homes registered/.test(line))).toBe(true);
      expect(stats.comfortApplied, lines.join('\n')).toBeGreaterThanOrEqual(1);

      // The VEN homes: price events learnt over both transports, readings sent as USAGE reports, stored
      // as meter readings by the VTN, and settled.
      expect(platform.operatorErrors).toEqual([]);
      const openAdr = stats.openAdr;
      expect(openAdr, lines.join('\n')).toMatchObject({ httpHomes: 2, mqttHomes: 2 });
      expect(openAdr?.eventsPolled).toBeGreaterThanOrEqual(2 * SLOTS);
      expect(openAdr?.eventsNotified).toBeGreaterThanOrEqual(2 * SLOTS);
      expect(openAdr?.reportsSent).toBeGreaterThanOrEqual(4 * SLOTS);
      const get = async <T>(path: string): Promise<T> => {
        const response = await fetch(`${platform.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status, path).toBe(200);
        return (await response.json()) as T;
      };
      const vens = await get<{ venName: string }[]>('/openadr3/vens?limit=50');
      const venHomes = vens.map((ven) => ven.venName.replace(/^demo:/, ''));
      expect(venHomes).toHaveLength(4);
      const reports = await get<{ clientName: string; payloadDescriptors: { payloadType: string }[] }[]>(
        '/openadr3/reports?limit=50',
      );
      expect(reports.length).toBeGreaterThanOrEqual(Math.min(50, 4 * SLOTS));
      expect(reports.every((r) => r.payloadDescriptors.some((d) => d.payloadType === 'USAGE'))).toBe(true);
      const fromMs = slots[0] as number;
      const toMs = (slots.at(-1) as number) + scenario.marketPeriodMs;
      const readingTimes = async (meterId: string) =>
        (
          await get<{ timeMs: number }[]>(
            `/api/meter-readings?meterId=${encodeURIComponent(meterId)}&fromMs=${fromMs}&toMs=${toMs}`,
          )
        ).map((r) => r.timeMs);
      const orders = await listSlotOrders(db, MARKET_ID, fromMs);
      const restHome = orders.map((o) => o.participantId).find((id) => !venHomes.includes(id)) as string;
      const restTimes = await readingTimes(restHome);
      expect(
        restTimes.length,
        `${restHome}: ${JSON.stringify(restTimes)} in ${JSON.stringify(slots)}; ${JSON.stringify(stats)}\n${lines.join('\n')}`,
      ).toBeGreaterThanOrEqual(SLOTS - 1);
      for (const participantId of venHomes) {
        // A VEN home has a reading for every slot a REST home has one for (the last slot's may be cut by
        // the stop for all homes alike).
        expect(
          await readingTimes(participantId),
          `${participantId} against ${restHome}; ${JSON.stringify(stats)}\n${lines.filter((l) => /could not|OpenADR|sit/.test(l)).join('\n')}`,
        ).toEqual(restTimes);
        const settled = entries.filter((entry) =>
          (entry.body as LedgerEntry).postings.some((p) =>
            p.account.startsWith(`participant:${participantId}:`),
          ),
        );
        expect(settled.length, participantId).toBeGreaterThan(0);
      }

      // Every home posted its devices' telemetry each slot: the fleet view has every device, with the
      // bids and prices that explain what it did, and each device's history covers the slots.
      const deviceCount = (await db.selectFrom('devices').select('id').execute()).length;
      expect(stats.telemetrySent).toBeGreaterThanOrEqual(deviceCount * SLOTS);
      type Sample = Record<string, number | string>;
      const latest = await get<{ devices: { deviceId: string; kind: string; sample: Sample }[] }>(
        '/api/device-telemetry/latest?limit=5000',
      );
      expect(latest.devices).toHaveLength(deviceCount);
      const hvac = latest.devices.find((d) => d.kind === 'hvac');
      expect(hvac?.sample).toMatchObject({ indoorTempF: expect.any(Number), state: expect.any(String) });
      const explained = latest.devices.filter(
        (d) => d.sample.bidPricePerKwh !== undefined && d.sample.expectedPricePerKwh !== undefined,
      );
      expect(explained.length).toBeGreaterThan(0);
      expect(latest.devices.some((d) => d.sample.clearingPricePerKwh !== undefined)).toBe(true);
      const history = await get<{ samples: Sample[] }>(
        `/api/devices/${hvac?.deviceId ?? ''}/telemetry?fromMs=${fromMs}&toMs=${toMs}`,
      );
      expect(history.samples.length).toBeGreaterThanOrEqual(SLOTS - 1);
    },
    90_000,
  );
});
