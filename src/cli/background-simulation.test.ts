import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listRuns } from '../server/runs/run-directory.js';
import { simulateWhenNoRuns } from './background-simulation.js';

/** Stands in for `tenet simulate`: writes a minimal kpis.json into --out. */
const FAKE_SIMULATE = `
const fs = require('node:fs');
const out = process.argv[process.argv.indexOf('--out') + 1];
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(out + '/kpis.json', JSON.stringify({ scenario: { scenarioName: 'fake', mechanism: 'm' }, te: {} }));
`;

describe('background simulation at demo start', () => {
  const root = mkdtempSync(join(tmpdir(), 'tenet-bg-sim-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs the simulation into the runs directory when it holds no run, and logs how long it took', async () => {
    const runsDir = join(root, 'empty');
    const lines: string[] = [];
    const started = await simulateWhenNoRuns({
      runsDir,
      scenarioPath: undefined,
      scenarioName: 'Tucson day / 300 homes',
      cwd: root,
      log: (line) => lines.push(line),
      command: [process.execPath, '-e', FAKE_SIMULATE, '--'],
    });
    expect(started).toBeDefined();
    const done = await started?.done;
    expect(done?.exitCode).toBe(0);
    expect(done?.elapsedMs).toBeGreaterThanOrEqual(0);
    const runs = await listRuns(runsDir);
    expect(runs.map((r) => r.id)).toEqual(['Tucson-day-300-homes']);
    expect(lines.at(-1)).toMatch(/^simulated Tucson day \/ 300 homes in \d+\.\d s/);
  });

  it('does nothing when the runs directory already holds a run', async () => {
    const runsDir = join(root, 'full');
    mkdirSync(join(runsDir, 'old'), { recursive: true });
    writeFileSync(join(runsDir, 'old', 'comparison.json'), JSON.stringify({ designs: [] }));
    const started = await simulateWhenNoRuns({
      runsDir,
      scenarioPath: undefined,
      scenarioName: 'x',
      cwd: root,
      log: () => {},
      command: [process.execPath, '-e', FAKE_SIMULATE, '--'],
    });
    expect(started).toBeUndefined();
  });

  it('stop() ends a simulation still running', async () => {
    const lines: string[] = [];
    const started = await simulateWhenNoRuns({
      runsDir: join(root, 'slow'),
      scenarioPath: undefined,
      scenarioName: 'slow',
      cwd: root,
      log: (line) => lines.push(line),
      command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)', '--'],
    });
    started?.stop();
    const done = await started?.done;
    expect(done?.exitCode).toBeNull();
    expect(lines.at(-1)).toMatch(/ended without a run/);
  });
});
