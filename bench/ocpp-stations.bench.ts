/**
 * 5,000 OCPP charge points on the CSMS (issue 7, part 5: "5,000 charge points connected, MeterValues
 * every 10 s, a new profile to all after a clearing"). The CSMS is the real platform in a process of its
 * own on SQLite (`bench/ocpp-csms-process.ts`); this process is the 5,000 stations, each an ocpp-rpc
 * RPCClient (not strict: schema checks on the load side would cost the load generator, which shares the
 * machine, more than the server; the server is strict as always) over its own WebSocket.
 *
 * Phases: connect all (Basic auth, 250 at a time), each station sends NotifyEVChargingNeeds (its need
 * becomes a bid for the open slot), MeterValues from every station every 10 s (500/s) for
 * BENCH_OCPP_SECONDS, then the slot clears while MeterValues go on: every station should receive a
 * SetChargingProfile, which this side checks against the OCPP 2.0.1 schema. Measured: connect time, CALL →
 * CALLRESULT latency, errors, the time from the clearing until each station has its profile, server CPU
 * and memory. BENCH_OCPP_STATIONS shortens it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RPCClient } from 'ocpp-rpc';
import { ocpp201Validator } from '../src/ocpp/validator.js';
import { cpuTimeMs, loadAverage, residentMiB } from './openadr3-world.js';
import { BENCH_STATION_PASSWORD, inParallel, percentile, startCsms } from './ocpp-bench-world.js';

const STATIONS = Number(process.env.BENCH_OCPP_STATIONS ?? 5_000);
const METER_SECONDS = Number(process.env.BENCH_OCPP_SECONDS ?? 60);
const METER_INTERVAL_MS = 10_000;
const CONNECT_CONCURRENCY = 250;
const PROFILE_TIMEOUT_MS = 180_000;

interface Client {
  connect(): Promise<unknown>;
  call(method: string, params: unknown): Promise<unknown>;
  handle(method: string, handler: (call: { params: unknown }) => unknown): void;
  close(options?: object): Promise<unknown>;
}

const validator = ocpp201Validator();
const csms = await startCsms(STATIONS);
const idleMiB = residentMiB(csms.pid);
const rows: string[][] = [];
const loopNotes: string[] = [];
const localLoop = monitorEventLoopDelay({ resolution: 10 });
localLoop.enable();
/** Event-loop delay of both processes since the last call (ms): where a slow answer waited. */
async function noteLoops(phase: string): Promise<void> {
  const server = await csms.ask<{ p50: number; p99: number; max: number }>({ kind: 'loop' }, 'loop');
  const ms = (q: number) => (localLoop.percentile(q) / 1e6).toFixed(0);
  loopNotes.push(
    `| ${phase} | ${server.p50.toFixed(0)} / ${server.p99.toFixed(0)} / ${server.max.toFixed(0)} | ${ms(50)} / ${ms(99)} / ${(localLoop.max / 1e6).toFixed(0)} |`,
  );
  localLoop.reset();
}
const row = (...cells: (string | number)[]) =>
  rows.push(
    cells.map((c) =>
      typeof c === 'number' ? (Number.isInteger(c) ? c.toLocaleString('en-US') : c.toFixed(1)) : c,
    ),
  );

// Each station's profile: when it arrived and whether it passed the schema.
let clearedAtMs = Number.NaN;
const profileAtMs = new Array<number>(STATIONS).fill(Number.NaN);
let invalidProfiles = 0;
const clients: Client[] = [];
try {
  // 1. Connect.
  const connectMs: number[] = [];
  let connectFailures = 0;
  let cpu = cpuTimeMs(csms.pid);
  const connectStart = performance.now();
  await inParallel(STATIONS, CONNECT_CONCURRENCY, async (i) => {
    const client = new RPCClient({
      endpoint: `ws://127.0.0.1:${csms.port}/ocpp`,
      identity: `CS-${i}`,
      password: BENCH_STATION_PASSWORD,
      protocols: ['ocpp2.0.1'],
      strictMode: false,
      reconnect: false,
      pingIntervalMs: 0,
      callTimeoutMs: 60_000,
    } as never) as unknown as Client;
    client.handle('SetChargingProfile', ({ params }) => {
      if (Number.isNaN(profileAtMs[i])) profileAtMs[i] = Date.now();
      try {
        validator.validate('urn:SetChargingProfile.req', params);
      } catch {
        invalidProfiles++;
      }
      return { status: 'Accepted' };
    });
    const started = performance.now();
    try {
      await client.connect();
      connectMs.push(performance.now() - started);
      clients[i] = client;
    } catch {
      connectFailures++;
    }
  });
  const connectTotalS = (performance.now() - connectStart) / 1000;
  row(
    `connect ${STATIONS.toLocaleString('en-US')} (${CONNECT_CONCURRENCY} at a time)`,
    connectMs.length,
    `${connectTotalS.toFixed(1)} s total`,
    percentile(connectMs, 0.5),
    percentile(connectMs, 0.99),
    connectFailures,
    ((cpuTimeMs(csms.pid) - cpu) / Math.max(1, connectMs.length)) * 1000,
    loadAverage(),
  );
  const connectedMiB = residentMiB(csms.pid);
  await noteLoops('connect');

  // 2. Needs: 20 kWh by 2.5 h at 32 A on one phase, so each bid is must-run and fills.
  const needMs: number[] = [];
  let needErrors = 0;
  cpu = cpuTimeMs(csms.pid);
  const departure = new Date(Date.now() + 2.5 * 3_600_000).toISOString();
  await inParallel(STATIONS, 500, async (i) => {
    const client = clients[i];
    if (client === undefined) return;
    const started = performance.now();
    try {
      const answer = (await client.call('NotifyEVChargingNeeds', {
        evseId: 1,
        chargingNeeds: {
          requestedEnergyTransfer: 'AC_single_phase',
          departureTime: departure,
          acChargingParameters: {
            energyAmount: 20_000,
            evMinCurrent: 6,
            evMaxCurrent: 32,
            evMaxVoltage: 230,
          },
        },
      })) as { status: string };
      if (answer.status !== 'Accepted') needErrors++;
      needMs.push(performance.now() - started);
    } catch {
      needErrors++;
    }
  });
  const bids = await csms.ask<{ written: number; refused: number }>({ kind: 'bids-idle' }, 'bids');
  await noteLoops('needs and bids');
  row(
    'NotifyEVChargingNeeds, one per station',
    needMs.length,
    `${bids.written.toLocaleString('en-US')} bids written, ${bids.refused} refused`,
    percentile(needMs, 0.5),
    percentile(needMs, 0.99),
    needErrors,
    ((cpuTimeMs(csms.pid) - cpu) / Math.max(1, needMs.length)) * 1000,
    loadAverage(),
  );

  // 3. MeterValues every 10 s from every station, staggered over the interval.
  const meterMs: { atMs: number; ms: number }[] = [];
  let meterErrors = 0;
  let stopMeters = false;
  const meterLoop = async (i: number) => {
    const client = clients[i];
    if (client === undefined) return;
    let registerWh = 0;
    await new Promise((r) => setTimeout(r, (i / STATIONS) * METER_INTERVAL_MS));
    let nextMs = performance.now();
    while (!stopMeters) {
      registerWh += 20; // 7.2 kW for 10 s
      const started = performance.now();
      try {
        await client.call('MeterValues', {
          evseId: 1,
          meterValue: [
            {
              timestamp: new Date().toISOString(),
              sampledValue: [
                {
                  value: registerWh,
                  measurand: 'Energy.Active.Import.Register',
                  unitOfMeasure: { unit: 'Wh' },
                },
              ],
            },
          ],
        });
        meterMs.push({ atMs: Date.now(), ms: performance.now() - started });
      } catch {
        meterErrors++;
      }
      nextMs += METER_INTERVAL_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, nextMs - performance.now())));
    }
  };
  const meters = Promise.all(clients.map((_, i) => meterLoop(i)));
  await new Promise((r) => setTimeout(r, METER_INTERVAL_MS)); // every station has started
  await noteLoops('MeterValues start-up');
  cpu = cpuTimeMs(csms.pid);
  const steadyFromMs = Date.now();
  await new Promise((r) => setTimeout(r, METER_SECONDS * 1000));
  const steadyToMs = Date.now();
  const steady = meterMs.filter((m) => m.atMs >= steadyFromMs && m.atMs < steadyToMs).map((m) => m.ms);
  const steadyCpuMs = cpuTimeMs(csms.pid) - cpu;
  await noteLoops('MeterValues');
  row(
    `MeterValues, every station every 10 s (${METER_SECONDS} s)`,
    steady.length,
    `${(steady.length / METER_SECONDS).toFixed(0)}/s`,
    percentile(steady, 0.5),
    percentile(steady, 0.99),
    meterErrors,
    (steadyCpuMs / Math.max(1, steady.length)) * 1000,
    loadAverage(),
  );
  const meteringMiB = residentMiB(csms.pid);

  // 4. The slot clears while meter values go on: every station should get its profile.
  cpu = cpuTimeMs(csms.pid);
  const cleared = await csms.ask<{ triggeredAtMs: number }>({ kind: 'clear' }, 'cleared');
  clearedAtMs = cleared.triggeredAtMs;
  const waitUntil = Date.now() + PROFILE_TIMEOUT_MS;
  while (profileAtMs.some((t, i) => Number.isNaN(t) && clients[i] !== undefined) && Date.now() < waitUntil)
    await new Promise((r) => setTimeout(r, 50));
  const { run } = await csms.ask<{
    run: { stations: number; accepted: number; rejected: number; failed: number; durationMs: number };
  }>({ kind: 'profiles' }, 'profiles');
  const fanOutCpuMs = cpuTimeMs(csms.pid) - cpu;
  await noteLoops('clearing and fan-out');
  const delays = profileAtMs.filter((t) => !Number.isNaN(t)).map((t) => t - clearedAtMs);
  const during = meterMs
    .filter((m) => m.atMs >= clearedAtMs && m.atMs < clearedAtMs + Math.max(...delays, 0))
    .map((m) => m.ms);
  stopMeters = true;
  await meters;
  row(
    'clearing → SetChargingProfile to every station',
    delays.length,
    `last at ${(Math.max(...delays) / 1000).toFixed(2)} s; CSMS sent them in ${(run.durationMs / 1000).toFixed(2)} s: ${run.accepted} accepted, ${run.rejected} rejected, ${run.failed} failed; ${invalidProfiles} schema-invalid`,
    percentile(delays, 0.5),
    percentile(delays, 0.99),
    STATIONS - delays.length,
    fanOutCpuMs,
    loadAverage(),
  );
  row(
    'MeterValues during the fan-out',
    during.length,
    '',
    percentile(during, 0.5),
    percentile(during, 0.99),
    meterErrors,
    '',
    loadAverage(),
  );

  console.log(
    '| phase | done | totals | p50 ms | p99 ms | errors | server CPU µs per op (fan-out: ms in all) | load avg |',
  );
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const cells of rows) console.log(`| ${cells.join(' | ')} |`);
  console.log('\n| phase | CSMS event-loop delay p50 / p99 / max ms | stations process p50 / p99 / max ms |');
  console.log('| --- | ---: | ---: |');
  for (const line of loopNotes) console.log(line);
  console.log(
    `\nCSMS memory (RSS): ${idleMiB.toFixed(0)} MiB with ${STATIONS} stations registered, ${connectedMiB.toFixed(0)} MiB connected, ${meteringMiB.toFixed(0)} MiB metering, ${residentMiB(csms.pid).toFixed(0)} MiB after the fan-out.`,
  );
} finally {
  await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined)));
  await csms.stop();
}
