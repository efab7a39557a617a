/**
 * The VTN under load, as a process of its own (the benches drive it from another, so server and load each
 * get a core): the real API server on SQLite over a throwaway directory, a world of VEN clients, and
 * optionally the MQTT notifier (embedded broker with bearer-token logins, or an external broker).
 *
 * Registering 10,000 homes through the API would measure registration, not polling, so participants and
 * their clients are written straight into the store and their tokens issued with the server's own key.
 * Everything OpenADR (VEN objects granting targets, programs, events) goes through the VTN's operations
 * as business logic, so the stored bodies are exactly what the VTN writes.
 *
 * Environment: BENCH_VTN_DIR (required; `world.json` is written there), BENCH_VENS, BENCH_MQTT
 * (`embedded`, an `mqtt://` URL, or unset for none), BENCH_MQTT_PREFIX (topic prefix), BENCH_VTN_EVENTS (`1`: seed the day of events).
 * Prints one line `READY <json>` on stdout when listening.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { WallClock } from '../src/live/clock.js';
import { InProcessEventBus } from '../src/live/market-events.js';
import { startOpenAdr3Notifications } from '../src/openadr3/notifications/start-notifications.js';
import { buildApiServer } from '../src/server/api-server.js';
import { hashClientSecret } from '../src/server/auth/client-secrets.js';
import { ephemeralSigningKey } from '../src/server/auth/signing-key.js';
import { issueToken, verifyToken, type AuthSettings, type Caller } from '../src/server/auth/tokens.js';
import { openStoreDatabase, selectStoreConfig } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrations.js';
import { FEEDERS, type VenOfWorld, type World } from './openadr3-world.js';

const dir = process.env.BENCH_VTN_DIR;
if (dir === undefined) throw new Error('BENCH_VTN_DIR is required');
const venCount = Number(process.env.BENCH_VENS ?? 10_000);
const mqttSetting = process.env.BENCH_MQTT ?? '';
const seedEvents = process.env.BENCH_VTN_EVENTS === '1';
const topicPrefix = process.env.BENCH_MQTT_PREFIX ?? '';

const ISSUER = 'tenet-bench';
const BUSINESS_LOGIC: Caller = {
  clientId: 'bench-business-logic',
  role: 'market-operator',
  participantId: undefined,
};
const SLOT_MS = 5 * 60_000;
const SLOTS_PER_DAY = 288;
/** One home in this many also has an event of its own (an operating envelope). */
const ENVELOPE_EVERY = 10;
const CHUNK = 500;

const clock = new WallClock();
const signingKey = await ephemeralSigningKey();
const auth: AuthSettings = { signingKey, issuer: ISSUER, tokenTtlS: 6 * 3600 };
const store = openStoreDatabase(selectStoreConfig({ dataDir: dir }));
await migrateToLatest(store);
const app = await buildApiServer({
  store,
  clock,
  events: new InProcessEventBus(() => {}),
  signingKey,
  issuer: ISSUER,
  tokenTtlSeconds: auth.tokenTtlS,
  rateLimitPerMinute: 1_000_000_000,
  pseudonymKey: new Uint8Array(32),
});

const businessLogicToken = (await issueToken(auth, clock, BUSINESS_LOGIC)).access_token;
const vens = await registerHomes(venCount);
const programs = seedEvents ? await seedDay(vens) : await seedPrograms();

const notifications =
  mqttSetting === ''
    ? undefined
    : await startOpenAdr3Notifications(
        app,
        store.db,
        {
          webhooks: false,
          mqtt:
            mqttSetting === 'embedded' ? { port: 0, topicPrefix } : { brokerUrl: mqttSetting, topicPrefix },
        },
        {
          verifyToken: (token) => verifyToken(auth, clock, token),
          onError: (error) => console.error('notifier:', error),
        },
      );
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const world: World = {
  url,
  mqttUrl: notifications?.broker?.url ?? (mqttSetting === '' ? undefined : mqttSetting),
  businessLogicToken,
  priceProgramId: programs.price,
  flexProgramId: programs.flex,
  vens,
};
writeFileSync(join(dir, 'world.json'), JSON.stringify(world));
console.log(`READY ${JSON.stringify({ url, mqttUrl: world.mqttUrl })}`);

process.once('SIGTERM', () => {
  void (async () => {
    await notifications?.close();
    await app.close();
    await store.close();
    process.exit(0);
  })();
});

/** Participants, their prosumer clients and tokens, and a VEN object per home granting its feeder. */
async function registerHomes(count: number): Promise<VenOfWorld[]> {
  const nowMs = clock.nowMs();
  const secretHash = await hashClientSecret('not-used-by-the-bench');
  const homes = Array.from({ length: count }, (_, i) => ({
    participantId: `home-${i}`,
    clientId: `ven-${i}`,
    feeder: `feeder-${i % FEEDERS}`,
  }));
  await store.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('api_clients')
      .values({
        client_id: BUSINESS_LOGIC.clientId,
        secret_hash: secretHash,
        role: BUSINESS_LOGIC.role,
        participant_id: null,
        created_ms: nowMs,
        disabled: 0,
      })
      .execute();
    for (let at = 0; at < homes.length; at += CHUNK) {
      const chunk = homes.slice(at, at + CHUNK);
      await tx
        .insertInto('participants')
        .values(
          chunk.map((h) => ({
            id: h.participantId,
            role: 'prosumer',
            name: h.participantId,
            created_ms: nowMs,
            aggregator_id: null,
          })),
        )
        .execute();
      await tx
        .insertInto('api_clients')
        .values(
          chunk.map((h) => ({
            client_id: h.clientId,
            secret_hash: secretHash,
            role: 'prosumer',
            participant_id: h.participantId,
            created_ms: nowMs,
            disabled: 0,
          })),
        )
        .execute();
    }
  });
  const vens: VenOfWorld[] = [];
  for (const home of homes) {
    const token = await issueToken(auth, clock, {
      clientId: home.clientId,
      role: 'prosumer',
      participantId: home.participantId,
    });
    const ven = await asBusinessLogic<{ id: string }>('POST', '/openadr3/vens', {
      objectType: 'BL_VEN_REQUEST',
      clientID: home.clientId,
      venName: home.clientId,
      targets: [home.feeder],
    });
    vens.push({ ...home, venId: ven.id, token: token.access_token });
  }
  return vens;
}

async function seedPrograms(): Promise<{ price: string; flex: string }> {
  const price = await asBusinessLogic<{ id: string }>('POST', '/openadr3/programs', {
    programName: 'day-ahead-prices',
  });
  const flex = await asBusinessLogic<{ id: string }>('POST', '/openadr3/programs', {
    programName: 'flexibility',
  });
  return { price: price.id, flex: flex.id };
}

/**
 * A day of five-minute price events (untargeted: every VEN reads them), half of them over by now, and
 * the targeted ones a VEN polls for: two flexibility requests per feeder and an operating envelope for
 * every tenth home (targeted to its participant).
 */
async function seedDay(homes: readonly VenOfWorld[]): Promise<{ price: string; flex: string }> {
  const programs = await seedPrograms();
  const dayStartMs = Math.floor((clock.nowMs() - 12 * 3600_000) / SLOT_MS) * SLOT_MS;
  for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
    await asBusinessLogic('POST', '/openadr3/events', {
      programID: programs.price,
      eventName: `price-${slot}`,
      payloadDescriptors: [
        { objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'PRICE', units: 'KWH', currency: 'EUR' },
      ],
      intervalPeriod: { start: new Date(dayStartMs + slot * SLOT_MS).toISOString(), duration: 'PT5M' },
      intervals: [{ id: 0, payloads: [{ type: 'PRICE', values: [0.1 + (slot % 48) / 200] }] }],
    });
  }
  const soonMs = Math.floor(clock.nowMs() / SLOT_MS) * SLOT_MS + 3600_000;
  const targeted = (name: string, targets: string[], type: string, value: number) =>
    asBusinessLogic('POST', '/openadr3/events', {
      programID: programs.flex,
      eventName: name,
      targets,
      intervalPeriod: { start: new Date(soonMs).toISOString(), duration: 'PT1H' },
      intervals: [{ id: 0, payloads: [{ type, values: [value] }] }],
    });
  for (let feeder = 0; feeder < FEEDERS; feeder++) {
    await targeted(`flex-up-${feeder}`, [`feeder-${feeder}`], 'IMPORT_CAPACITY_LIMIT', 5);
    await targeted(`flex-down-${feeder}`, [`feeder-${feeder}`], 'EXPORT_CAPACITY_LIMIT', 4);
  }
  for (let i = 0; i < homes.length; i += ENVELOPE_EVERY) {
    const home = homes[i] as VenOfWorld;
    await targeted(
      `envelope-${home.participantId}`,
      [`participant:${home.participantId}`],
      'IMPORT_CAPACITY_LIMIT',
      7,
    );
  }
  return programs;
}

async function asBusinessLogic<T = unknown>(method: 'POST', url: string, body: unknown): Promise<T> {
  return injectJson<T>(app, businessLogicToken, method, url, body);
}

async function injectJson<T>(
  server: FastifyInstance,
  token: string,
  method: 'POST',
  url: string,
  body: unknown,
): Promise<T> {
  const response = await server.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return response.json<T>();
}
