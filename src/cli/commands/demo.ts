/**
 * tenet demo [SCENARIO] [--speed N] [--seed N] [--homes N] [--port N] [--sep-port N]
 *   [--sep-export-limit KW|none] [--data-dir DIR] [--runs-dir DIR] [--no-simulation] [--exit-when-done]
 * What `npm start` runs: the live platform with the scenario's homes connected to it as participants over
 * the HTTP API, on an accelerated clock (default one simulated day in ten minutes). The demo keeps its own
 * data directory and starts it afresh each time, since its timeline restarts at the scenario's start.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TeError } from '../../core/errors.js';
import type { Sha256 } from '../../ledger/journal-entry.js';
import { startCommunity, type RunningCommunity } from '../../demo/community.js';
import { ensureSepPki } from '../../ieee2030-5/pki/index.js';
import { DemoSession } from '../../demo/demo-session.js';
import { ControllableClock } from '../../live/controllable-clock.js';
import { parseServerConfig } from '../../live/server-config.js';
import { verifyStoredLedger } from '../../live/stored-ledger-verification.js';
import { OPERATOR_CREDENTIALS_FILE } from '../../server/auth/index.js';
import { simulateWhenNoRuns, type BackgroundSimulation } from '../background-simulation.js';
import { reportErrors } from '../command-output.js';
import { numberOption, parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';
import { loadScenarioInputs } from '../scenario-inputs.js';
import { startOrReport, untilStopSignal } from './serve.js';
import { communityGrid } from '../../demo/community-grid.js';
import type { PlatformGridOptions } from '../../live/grid/platform-grid.js';

const withGrid = (grid: PlatformGridOptions | undefined) => (grid === undefined ? {} : { grid });

const USAGE = `Usage: tenet demo [SCENARIO] [--speed N] [--seed N] [--homes N] [--port N] [--sep-port N]
                 [--sep-export-limit KW|none] [--data-dir DIR] [--runs-dir DIR]
                 [--no-simulation] [--exit-when-done]

Starts the live platform (API on http://127.0.0.1:8825, docs at /docs) and connects the scenario's homes
(default scenarios/default.yaml) to it as live participants: every slot each home bids over the API, the
market clears, the homes follow the result and post their meter readings, and the ledger settles them.
--speed N runs the clock N times real time (default 144: a day in ten minutes; the dashboard pauses,
steps and speeds it); --seed N overrides the scenario's seed (0 to 4294967295); --homes N takes the first
N homes; --sep-port sets the IEEE 2030.5 server's port (default 8826, any free one with --port 0);
--sep-export-limit sets the export limit the 2030.5 server gives every device by default (its
DefaultDERControl; default 3 kW, 'none' for no limit), which curtails the 2030.5 homes' PV. The
demo's data live in DIR/demo (default ./data/demo), wiped at each start. It runs until the scenario ends,
then keeps serving until Ctrl-C, or exits with --exit-when-done. The dashboard's Reports view reads
simulation runs from --runs-dir (default ./out); when it holds none, the demo runs 'tenet simulate' on
the scenario in the background at the lowest priority (about 7 s of CPU), unless --no-simulation.`;

const MARKET_ID = 'community';
/**
 * The 2030.5 server's default export limit in the demo, kW: a static limit as many distribution networks
 * set for rooftop PV, so the 2030.5 homes' curtailment shows in the stats line.
 */
const DEMO_EXPORT_LIMIT_KW = 3;
const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

export async function demoCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    {
      speed: { type: 'string' },
      homes: { type: 'string' },
      port: { type: 'string' },
      'sep-port': { type: 'string' },
      'sep-export-limit': { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      'runs-dir': { type: 'string' },
      'no-simulation': { type: 'boolean' },
      'exit-when-done': { type: 'boolean' },
    },
    USAGE,
    'demo',
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const problems: TeError[] = [];
  const positive = { min: 0, max: 100_000, exclusiveMin: true };
  const speed = numberOption(values.speed, 'speed', positive, problems) ?? 144;
  const homes = numberOption(values.homes, 'homes', positive, problems) ?? Number.POSITIVE_INFINITY;
  const port = numberOption(values.port, 'port', { min: 0, max: 65_535, integer: true }, problems) ?? 8825;
  const sepPort = numberOption(
    values['sep-port'],
    'sep-port',
    { min: 0, max: 65_535, integer: true },
    problems,
  );
  const exportLimitKw =
    values['sep-export-limit'] === 'none'
      ? undefined
      : (numberOption(values['sep-export-limit'], 'sep-export-limit', { min: 0, max: 1e6 }, problems) ??
        DEMO_EXPORT_LIMIT_KW);
  if (positionals.length > 1) {
    problems.push(
      new TeError('TE_ERR_USAGE', 'give at most one scenario file', { hint: 'tenet demo --help' }),
    );
  }
  const seed = numberOption(values.seed, 'seed', { min: 0, max: 4_294_967_295, integer: true }, problems);
  if (problems.length > 0) return reportErrors(io, problems);
  const inputs = await loadScenarioInputs(positionals[0], io, (s) =>
    seed === undefined ? s : { ...s, seed },
  );
  if (!inputs.ok) return reportErrors(io, inputs.error);
  const { scenario } = inputs.value;

  const dataDir = join(resolve(io.cwd, values['data-dir'] ?? 'data'), 'demo');
  const runsDir = resolve(io.cwd, values['runs-dir'] ?? 'out');
  rmSync(dataDir, { recursive: true, force: true });
  const config = parseServerConfig('', '(demo defaults)');
  if (!config.ok) return reportErrors(io, config.error);
  // One clock for everything that waits on simulated time (the market operator, the OCPP and 2030.5
  // services, every kind of home), so pausing or stepping it moves them all together. It stands still
  // until the homes are registered: starting the platform and registering take real seconds, which on a
  // fast clock would be hours of the scenario gone before the first bid.
  const clock = new ControllableClock(scenario.startMs, { speed, paused: true });
  const session = new DemoSession(clock, {
    seed: scenario.seed,
    scenario: scenario.name ?? 'scenario',
    marketPeriodMs: scenario.marketPeriodMs,
    startMs: scenario.startMs,
  });
  const platform = await startOrReport(
    {
      config: {
        ...config.value,
        dataDir,
        dashboard: { ...config.value.dashboard, runsDir },
        server: { ...config.value.server, port },
        ieee2030_5: {
          ...config.value.ieee2030_5,
          ...(sepPort === undefined ? {} : { port: sepPort }),
          ...(exportLimitKw === undefined ? {} : { defaultControl: { exportLimitKw } }),
        },
      },
      dataDir,
      // The demo always runs on its own SQLite file: it must not write a simulated day into a real database.
      databaseUrl: undefined,
      clock,
      demo: session,
      // The live feeder: the scenario's homes where the simulator places them, solved after every slot.
      ...withGrid(
        communityGrid(scenario, inputs.value.feeder, MARKET_ID, Number.isFinite(homes) ? homes : undefined),
      ),
    },
    io,
  );
  if (typeof platform === 'number') return platform;
  const stopRequested = untilStopSignal();
  let community: RunningCommunity | undefined;
  let simulation: BackgroundSimulation | undefined;
  try {
    const scenarioArg = positionals[0];
    if (values['no-simulation'] !== true && scenarioArg !== '-') {
      simulation = await simulateWhenNoRuns({
        runsDir,
        scenarioPath: scenarioArg === undefined ? undefined : resolve(io.cwd, scenarioArg),
        scenarioName: scenario.name ?? 'scenario',
        cwd: io.cwd,
        log: (line) => io.stdout.write(`tenet demo: ${line}\n`),
      });
    }
    const credentials = JSON.parse(readFileSync(join(dataDir, OPERATOR_CREDENTIALS_FILE), 'utf8')) as {
      client_id: string;
      client_secret: string;
    };
    io.stdout.write(
      `tenet demo: ${scenario.name ?? 'scenario'} from ${new Date(scenario.startMs).toISOString()} at ${speed}x real time\n`,
    );
    community = await startCommunity({
      baseUrl: platform.url,
      operatorCredentials: { clientId: credentials.client_id, clientSecret: credentials.client_secret },
      scenario: inputs.value,
      clock,
      ...(Number.isFinite(homes) ? { homes } : {}),
      marketId: MARKET_ID,
      log: (line) => io.stdout.write(`${line}\n`),
      logins: true,
      // Some homes run a 2030.5 inverter client, with device certificates from the development CA the
      // platform made in the demo's data directory.
      ...(platform.sep === undefined
        ? {}
        : {
            sep: {
              sepUrl: platform.sep.url,
              serverCaPem: platform.sep.caCertPem,
              deviceCa: await ensureSepPki(dataDir).then((pki) => ({
                certPem: pki.caCertPem,
                keyPem: pki.caKeyPem,
              })),
            },
          }),
    });
    session.setHomes(community.homes);
    clock.resume();
    void community.logins.then((logins) => session.setLogins(logins));
    io.stdout.write(
      `tenet demo: ${community.homes} homes trading. API docs ${platform.url}/docs, live events ${platform.url}/api/events\n`,
    );
    io.stdout.write(
      `tenet demo: open ${platform.url}/ for the dashboard: sign in there with the demo logins (one per role); pause, step or speed up the clock as the market operator\n`,
    );
    // The sleep to the scenario's end is cancelled on Ctrl-C: its timer would otherwise keep the
    // process alive for the rest of the simulated day after everything else has stopped.
    const dayOver = new AbortController();
    const ended = await Promise.race([
      clock.sleepUntil(scenario.endMs, dayOver.signal).then(() => 'ended' as const),
      stopRequested.then(() => 'stopped' as const),
    ]);
    dayOver.abort();
    await community.stop();
    const stats = community.stats();
    io.stdout.write(`tenet demo: community ${JSON.stringify(stats)}\n`);
    const ledger = await verifyStoredLedger(platform.store.db, sha256);
    io.stdout.write(
      ledger.ok
        ? `tenet demo: ledger verified: ${ledger.entryCount} entries, ${ledger.slotCount} slots, ${ledger.energyBoughtWh} Wh bought = sold\n`
        : `tenet demo: LEDGER DOES NOT VERIFY: ${JSON.stringify(ledger)}\n`,
    );
    if (ended === 'ended' && values['exit-when-done'] !== true) {
      io.stdout.write('tenet demo: the simulated day is over; the API stays up until Ctrl-C\n');
      await stopRequested;
    }
    return ledger.ok ? 0 : 1;
  } finally {
    simulation?.stop();
    await community?.stop();
    await platform.stop();
    io.stdout.write('tenet demo: stopped\n');
  }
}
