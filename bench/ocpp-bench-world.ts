/**
 * What the OCPP bench's two processes share: the stations' password, starting the CSMS process and
 * talking to it over IPC, and percentiles.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_STATION_PASSWORD = 'bench-station-password-01';
const CSMS_PROCESS = fileURLToPath(new URL('./ocpp-csms-process.ts', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface RunningCsms {
  readonly port: number;
  readonly pid: number;
  /** Sends a request and resolves with the first reply of the given kind. */
  ask<T>(request: { kind: string }, replyKind: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startCsms(stations: number): Promise<RunningCsms> {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-ocpp-bench-'));
  const child: ChildProcess = fork(CSMS_PROCESS, [], {
    cwd: REPO,
    // BENCH_CPU_PROF=<dir>: the CSMS writes its CPU profile there on exit.
    execArgv: [
      ...(process.env.BENCH_CPU_PROF === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]),
      '--import',
      'tsx',
    ],
    env: { ...process.env, DATABASE_URL: '', BENCH_OCPP_DIR: dir, BENCH_OCPP_STATIONS: String(stations) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /READY (\{.*\})/.exec(output);
      if (line?.[1] !== undefined) resolve(JSON.parse(line[1]) as { port: number; pid: number });
    });
    void exited.then(() => reject(new Error(`the CSMS exited before listening:\n${output}`)));
  });
  return {
    ...ready,
    ask: <T>(request: { kind: string }, replyKind: string) =>
      new Promise<T>((resolve) => {
        const onMessage = (message: { kind: string }) => {
          if (message.kind !== replyKind) return;
          child.off('message', onMessage);
          resolve(message as T);
        };
        child.on('message', onMessage);
        child.send(request);
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The q-quantile (0..1) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Runs `jobs` with at most `limit` in flight. */
export async function inParallel(
  count: number,
  limit: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
