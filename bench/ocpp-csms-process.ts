/**
 * The CSMS under load, as a process of its own (the bench drives it from another, so server and load each
 * get a core): the real platform (`startPlatform`: API server, CSMS, market operator, charging bids and
 * profiles) on SQLite over a throwaway directory, with a market whose supplier can fill every station.
 * The platform runs on a ManualClock so the bench decides when the slot clears; tokens and TLS are not
 * involved (stations use Basic auth).
 *
 * Registering 5,000 stations through the API would measure registration, so participants and stations
 * are written straight into the store (one password hash for all: the check per connection is the same).
 *
 * Environment: BENCH_OCPP_DIR (required), BENCH_OCPP_STATIONS. IPC from the parent:
 * `{kind: 'bids-idle'}` → `{kind: 'bids', written, refused}` once every queued bid is written;
 * `{kind: 'loop'}` → `{kind: 'loop', p50, p99, max}`, the event loop's delay (ms) since the last ask;
 * `{kind: 'clear'}` → `{kind: 'cleared', triggeredAtMs, slotStartMs}` after moving the clock to the next
 * open slot's gate; `{kind: 'profiles'}` → `{kind: 'profiles', run}` once that clearing's profiles are sent.
 * Prints `READY <json>` on stdout when listening.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ManualClock } from '../src/live/clock.js';
import { startPlatform } from '../src/live/platform.js';
import { parseServerConfig } from '../src/live/server-config.js';
import { hashClientSecret } from '../src/server/auth/client-secrets.js';
import { BENCH_STATION_PASSWORD } from './ocpp-bench-world.js';

const dir = process.env.BENCH_OCPP_DIR;
if (dir === undefined) throw new Error('BENCH_OCPP_DIR is required');
const stations = Number(process.env.BENCH_OCPP_STATIONS ?? 5_000);
const CHUNK = 500;

const yaml = `
server:
  port: 0
  host: 127.0.0.1
openadr3:
  notifications:
    webhooks: { enabled: false }
    mqtt: { enabled: false }
  market: { publish: false }
ieee2030_5:
  enabled: false
markets:
  - id: community
    name: Bench market
    rules:
      orderHorizonSlots: 1
      supplier: { id: substation, capacityKw: 1000000, pricePerKwh: 0.08 }
`;
const parsed = parseServerConfig(yaml, 'bench.yaml');
if (!parsed.ok) throw new Error(parsed.error.map((e) => e.message).join('; '));
const clock = new ManualClock(Date.now());
let failures = 0;
const platform = await startPlatform({
  config: parsed.value,
  dataDir: dir,
  clock,
  log: (line) => {
    // 5,000 identical failures would flood the bench's output; they are counted by the CSMS anyway.
    if (line.startsWith('OCPP: charging profile to')) failures++;
    else if (!line.startsWith('market ')) console.error(line);
  },
});

const db = platform.store.db;
const passwordHash = await hashClientSecret(BENCH_STATION_PASSWORD);
await db.transaction().execute(async (tx) => {
  for (let at = 0; at < stations; at += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, stations - at) }, (_, k) => at + k);
    await tx
      .insertInto('participants')
      .values(
        ids.map((i) => ({
          id: `home-${i}`,
          role: 'prosumer',
          name: `home-${i}`,
          created_ms: clock.nowMs(),
          aggregator_id: null,
        })),
      )
      .execute();
    await tx
      .withTables<{
        ocpp_stations: {
          station_id: string;
          participant_id: string;
          password_hash: string;
          created_ms: number;
          register_wh: number | null;
          register_ms: number | null;
        };
      }>()
      .insertInto('ocpp_stations')
      .values(
        ids.map((i) => ({
          station_id: `CS-${i}`,
          participant_id: `home-${i}`,
          password_hash: passwordHash,
          created_ms: clock.nowMs(),
          register_wh: null,
          register_ms: null,
        })),
      )
      .execute();
  }
});

let clearedSlotMs: number | undefined;
// How late the CSMS's event loop runs: separates the server's delays from the load process's.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
process.on('message', (message: { kind: string }) => {
  void (async () => {
    if (message.kind === 'bids-idle') {
      await platform.ocpp.chargingBids.idle();
      process.send?.({ kind: 'bids', ...platform.ocpp.chargingBids.counts() });
    } else if (message.kind === 'clear') {
      const next = await db
        .selectFrom('slots')
        .select('start_ms')
        .where('status', '=', 'open')
        .where('gate_closure_ms', '>', clock.nowMs())
        .orderBy('start_ms')
        .executeTakeFirstOrThrow();
      clearedSlotMs = next.start_ms;
      const triggeredAtMs = Date.now();
      clock.set(next.start_ms);
      process.send?.({ kind: 'cleared', triggeredAtMs, slotStartMs: next.start_ms });
    } else if (message.kind === 'loop') {
      const ms = (q: number) => loopDelay.percentile(q) / 1e6;
      process.send?.({ kind: 'loop', p50: ms(50), p99: ms(99), max: loopDelay.max / 1e6 });
      loopDelay.reset();
    } else if (message.kind === 'profiles') {
      while (platform.ocpp.chargingProfiles.lastRun()?.slotStartMs !== clearedSlotMs) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await platform.ocpp.chargingProfiles.idle();
      }
      process.send?.({ kind: 'profiles', run: platform.ocpp.chargingProfiles.lastRun(), failures });
    }
  })().catch((error: unknown) => console.error('bench CSMS:', error));
});

console.log(`READY ${JSON.stringify({ port: platform.port, pid: process.pid })}`);
process.once('SIGTERM', () => {
  void platform.stop().then(() => process.exit(0));
});
