/**
 * So that a fresh `npm start` has a run for the dashboard's Reports view: when the runs directory holds
 * no run, the demo runs `tenet simulate` on its scenario in a child process at the lowest CPU priority
 * (nice 19), writing into the runs directory. A child process rather than a worker thread: the
 * simulation allocates a lot, and its own heap and priority keep it off the live platform's event loop
 * and out of its garbage collections. Measured on a 2-core machine: the default scenario (300 homes, 576
 * slots, IEEE 13-node feeder) takes about 7 s of CPU and 170 MB; beside a 60-home demo it took 47 s of
 * wall time and slowed the homes' order round trips for that while (docs/operations.md has the figures).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRuns } from '../server/runs/run-directory.js';
import { safeDirectoryName } from './commands/simulate.js';

const TENET_BIN = fileURLToPath(new URL('../../bin/tenet.js', import.meta.url));
const LOWEST_PRIORITY = 19;

export interface BackgroundSimulationOptions {
  readonly runsDir: string;
  /** The scenario file as given to the demo (absolute), or undefined for the embedded default. */
  readonly scenarioPath: string | undefined;
  readonly scenarioName: string;
  readonly cwd: string;
  readonly log: (line: string) => void;
  /** The command and its leading arguments (default: this Node running bin/tenet.js); tests replace it. */
  readonly command?: readonly [string, ...string[]];
  /** The wall clock for the elapsed time (default Date.now). */
  readonly nowMs?: () => number;
}

export interface BackgroundSimulation {
  /** Resolves when the child ends: its exit code (null when stopped by a signal) and how long it ran. */
  readonly done: Promise<{ readonly exitCode: number | null; readonly elapsedMs: number }>;
  /** Ends the child if it still runs. */
  stop(): void;
}

/** Starts the simulation when the runs directory holds no run; undefined when it holds one. */
export async function simulateWhenNoRuns(
  options: BackgroundSimulationOptions,
): Promise<BackgroundSimulation | undefined> {
  if ((await listRuns(options.runsDir)).length > 0) return undefined;
  const nowMs = options.nowMs ?? Date.now;
  const [command, ...leading] = options.command ?? [process.execPath, TENET_BIN];
  const outDir = join(options.runsDir, safeDirectoryName(options.scenarioName));
  const args = [
    ...leading,
    'simulate',
    ...(options.scenarioPath === undefined ? [] : [options.scenarioPath]),
    '--out',
    outDir,
  ];
  const startedMs = nowMs();
  const child: ChildProcess = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, LOWEST_PRIORITY);
    } catch {
      // Not permitted on this system: it runs at normal priority.
    }
  }
  let lastError = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    lastError = (lastError + chunk).slice(-400);
  });
  options.log(
    `simulating ${options.scenarioName} in the background (nice ${LOWEST_PRIORITY}) into ${outDir}`,
  );
  const done = new Promise<{ exitCode: number | null; elapsedMs: number }>((resolveDone) => {
    let finished = false;
    const finish = (exitCode: number | null) => {
      if (finished) return;
      finished = true;
      const elapsedMs = nowMs() - startedMs;
      options.log(
        exitCode === 0
          ? `simulated ${options.scenarioName} in ${(elapsedMs / 1000).toFixed(1)} s: the dashboard's Reports view has a run`
          : `the background simulation ended without a run (exit ${String(exitCode)}): ${lastError.trim().split('\n').pop() ?? ''}`,
      );
      resolveDone({ exitCode, elapsedMs });
    };
    child.once('error', () => finish(null));
    child.once('exit', (code) => finish(code));
  });
  return {
    done,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
