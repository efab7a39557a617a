/**
 * tenet serve [--config FILE] [--port N] [--sep-port N] [--data-dir DIR] [--host H] [--clock-speed N]
 * The live platform on the wall clock: API on port 8825, markets clearing each period, settlement into the
 * ledger. SIGTERM or SIGINT stops it gracefully (the slot in progress finishes, requests drain, the store
 * closes); exit status 0 then.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TeError } from '../../core/errors.js';
import { anchoredClock } from '../../live/clock-anchor.js';
import { WallClock, type Clock } from '../../live/clock.js';
import { loadConfiguredGrid, type PlatformGridOptions } from '../../live/grid/platform-grid.js';
import { startPlatform, type RunningPlatform } from '../../live/platform.js';
import { parseServerConfig, type ServerConfig } from '../../live/server-config.js';
import type { DemoController } from '../../server/routes/demo.js';
import { numberOption, parseCommandArgs } from '../command-args.js';
import { loadFeeder } from '../load-feeder.js';
import { reportErrors } from '../command-output.js';
import type { CliIo } from '../io.js';

const USAGE = `Usage: tenet serve [--config FILE] [--port N] [--sep-port N] [--data-dir DIR] [--host H] [--clock-speed N]

Runs the live platform: the HTTP API (default http://127.0.0.1:8825, docs at /docs), the markets clearing
every period on the clock, and settlement into the ledger. PostgreSQL when DATABASE_URL is set, otherwise
SQLite in DIR (default ./data). --clock-speed runs simulated time N times faster than real time (tests,
rehearsals); the timeline is kept in DIR so a restart continues it. --sep-port sets the IEEE 2030.5
server's port (default 8826, mutual TLS). SIGTERM or Ctrl-C stops gracefully.`;

export interface ServeOptions {
  readonly config: ServerConfig;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly clock: Clock;
  /** The feeder the grid monitor solves; by default the configuration's `grid` section, read here. */
  readonly grid?: PlatformGridOptions;
  /** The running demo (`tenet demo` only): served under /api/demo. */
  readonly demo?: DemoController;
}

export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const options = resolveServeOptions(args, io, 'serve', USAGE);
  if (typeof options === 'number') return options;
  const platform = await startOrReport(options, io);
  if (typeof platform === 'number') return platform;
  await untilStopSignal();
  io.stdout.write('tenet serve: stopping (finishing the slot in progress)\n');
  await platform.stop();
  io.stdout.write('tenet serve: stopped\n');
  return 0;
}

/** The options `serve` and `demo` share, from the arguments, the configuration file and the environment. */
export function resolveServeOptions(
  args: readonly string[],
  io: CliIo,
  command: string,
  usage: string,
  extra: Record<string, { type: 'string' | 'boolean' }> = {},
): (ServeOptions & { readonly values: Record<string, string | boolean | undefined> }) | number {
  const parsed = parseCommandArgs(
    args,
    {
      config: { type: 'string' },
      port: { type: 'string' },
      'sep-port': { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'clock-speed': { type: 'string' },
      ...extra,
    },
    usage,
    command,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (parsed.positionals.length > 0) {
    return reportErrors(io, [
      new TeError('TE_ERR_USAGE', `unexpected argument '${parsed.positionals[0]}'`, {
        hint: `tenet ${command} --help`,
      }),
    ]);
  }
  const configPath = typeof values.config === 'string' ? resolve(io.cwd, values.config) : undefined;
  if (configPath !== undefined && !existsSync(configPath)) {
    return reportErrors(io, [
      new TeError('TE_ERR_FILE_NOT_FOUND', `no configuration file at '${configPath}'`, { path: configPath }),
    ]);
  }
  const text = configPath === undefined ? '' : readFileSync(configPath, 'utf8');
  const config = parseServerConfig(text, configPath ?? '(defaults)');
  if (!config.ok) return reportErrors(io, config.error);
  const problems: TeError[] = [];
  const port = numberOption(values.port, 'port', { min: 0, max: 65535, integer: true }, problems);
  const sepPort = numberOption(
    values['sep-port'],
    'sep-port',
    { min: 0, max: 65535, integer: true },
    problems,
  );
  const speed = numberOption(
    values['clock-speed'],
    'clock-speed',
    { min: 0, max: 100_000, exclusiveMin: true },
    problems,
  );
  if (problems.length > 0) return reportErrors(io, problems);
  const server = {
    ...config.value.server,
    ...(port === undefined ? {} : { port }),
    ...(typeof values.host === 'string' ? { host: values.host } : {}),
  };
  const dataDir = resolve(
    io.cwd,
    typeof values['data-dir'] === 'string' ? values['data-dir'] : config.value.dataDir,
  );
  const databaseUrl = io.env.DATABASE_URL?.trim() === '' ? undefined : io.env.DATABASE_URL;
  return {
    config: {
      ...config.value,
      server,
      dataDir,
      ieee2030_5: { ...config.value.ieee2030_5, ...(sepPort === undefined ? {} : { port: sepPort }) },
    },
    dataDir,
    databaseUrl,
    clock: speed === undefined || speed === 1 ? new WallClock() : anchoredClock(dataDir, speed),
    values,
  };
}

export async function startOrReport(options: ServeOptions, io: CliIo): Promise<RunningPlatform | number> {
  try {
    const configuredGrid = options.config.grid;
    const grid =
      options.grid ??
      (configuredGrid === undefined
        ? undefined
        : await loadConfiguredGrid(configuredGrid, io.cwd, (path) => loadFeeder(path, io.cwd)));
    const platform = await startPlatform({
      ...(grid === undefined ? {} : { grid }),
      config: options.config,
      dataDir: options.dataDir,
      clock: options.clock,
      log: (line) => io.stdout.write(`${line}\n`),
      ...(options.demo === undefined ? {} : { demo: options.demo }),
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    });
    const store =
      options.databaseUrl === undefined ? `SQLite in ${options.dataDir}` : 'PostgreSQL (DATABASE_URL)';
    io.stdout.write(`tenet serve: listening on ${platform.url} (${store})\n`);
    io.stdout.write(`API docs: ${platform.url}/docs  OpenAPI: ${platform.url}/openapi.json\n`);
    io.stdout.write(
      `OpenADR 3 VTN: ${platform.url}/openadr3${platform.mqttBrokerUrl === undefined ? '' : `  MQTT notifier: ${platform.mqttBrokerUrl}`}\n`,
    );
    if (platform.operatorCredentialsFile !== undefined) {
      io.stdout.write(`market operator credentials: ${platform.operatorCredentialsFile}\n`);
    }
    return platform;
  } catch (caught) {
    if (caught instanceof TeError) return reportErrors(io, [caught]);
    const code = (caught as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      return reportErrors(io, [
        new TeError('TE_ERR_CONFIG', `port ${options.config.server.port} is already in use`, {
          path: 'server.port',
          hint: 'stop the other server or choose another port with --port',
        }),
      ]);
    }
    throw caught;
  }
}

function untilStopSignal(): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolveStop();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export { untilStopSignal };
