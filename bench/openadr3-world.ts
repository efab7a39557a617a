/**
 * The OpenADR benches' world: starts bench/openadr3-vtn-process.ts as a child process, waits until it
 * listens, and reads the VENs it registered (their ids, targets and tokens). Also the /proc readings the
 * benches report: a process's CPU time and resident memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Homes are spread over this many feeders (`feeder-0` …). */
export const FEEDERS = 100;

export interface VenOfWorld {
  readonly participantId: string;
  readonly clientId: string;
  readonly feeder: string;
  readonly venId: string;
  readonly token: string;
}

export interface World {
  readonly url: string;
  readonly mqttUrl: string | undefined;
  readonly businessLogicToken: string;
  readonly priceProgramId: string;
  readonly flexProgramId: string;
  readonly vens: readonly VenOfWorld[];
}

export interface RunningVtn {
  readonly world: World;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const VTN_PROCESS = fileURLToPath(new URL('./openadr3-vtn-process.ts', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

export async function startVtn(options: {
  vens: number;
  /** `embedded`, an `mqtt://` URL, or undefined for no MQTT notifier. */
  mqtt?: string;
  /** Prepended to every MQTT topic (keeps a run apart on a shared broker). */
  topicPrefix?: string;
  seedEvents: boolean;
  /** Extra Node flags for the server, e.g. `--cpu-prof`. */
  nodeFlags?: readonly string[];
  timeoutMs?: number;
}): Promise<RunningVtn> {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-openadr3-bench-'));
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', VTN_PROCESS], {
    cwd: REPO,
    env: {
      ...process.env,
      DATABASE_URL: '',
      BENCH_VTN_DIR: dir,
      BENCH_VENS: String(options.vens),
      BENCH_MQTT: options.mqtt ?? '',
      BENCH_MQTT_PREFIX: options.topicPrefix ?? '',
      BENCH_VTN_EVENTS: options.seedEvents ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the VTN did not start in time; output:\n${output}`)),
        options.timeoutMs ?? 300_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('READY ')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the VTN exited before listening; output:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const world = JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8')) as World;
  return { world, child, output: () => output, stop };
}

const CLOCK_TICKS_PER_S = 100;

/** User + system CPU time of a process so far, ms (Linux /proc; NaN elsewhere). */
export function cpuTimeMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process, MiB (Linux /proc; NaN elsewhere). */
export function residentMiB(pid: number | undefined): number {
  try {
    const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(line?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The 1-minute load average, for the tables: a busy machine explains a slow figure. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
  } catch {
    return '?';
  }
}
