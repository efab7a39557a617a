import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../run-in-process.fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tenet-demo-'));
const defaultScenario = fileURLToPath(new URL('../../../scenarios/default.yaml', import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tenet demo', () => {
  it('runs a community over the API until the scenario ends, and its ledger verifies', async () => {
    // Four hours of the default day, six homes, at 1,500x: about ten real seconds.
    const scenario = join(dir, 'short.yaml');
    writeFileSync(scenario, `extends: ${defaultScenario}\nend: 2026-07-15T04:00:00-07:00\n`);
    const run = await runInProcess(
      [
        'demo',
        scenario,
        '--speed',
        '1500',
        '--homes',
        '6',
        '--port',
        '0',
        '--data-dir',
        dir,
        // The background simulation for the Reports view has tests of its own (background-simulation.test.ts).
        '--no-simulation',
        '--exit-when-done',
      ],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/tenet demo: 6 homes trading\. API docs http:\/\/127\.0\.0\.1:\d+\/docs/);
    const verified = /ledger verified: (\d+) entries, (\d+) slots, (\d+) Wh bought = sold/.exec(run.stdout);
    expect(verified).not.toBeNull();
    expect(Number(verified?.[1])).toBeGreaterThan(100);
    expect(Number(verified?.[2])).toBeGreaterThan(30);
    expect(Number(verified?.[3])).toBeGreaterThan(0);
    // The 2030.5 homes' curtailment under the demo's default export limit joins the stats line (at
    // night there is no sun to curtail, so only its presence is certain).
    expect(run.stdout).toMatch(/tenet demo: community \{.*"sepCurtailedKwh":\d/);
  }, 60_000);

  it('refuses bad options with coded usage errors before starting anything', async () => {
    const run = await runInProcess(
      ['demo', '--speed', 'fast', '--homes', '0', '--sep-export-limit', 'lots'],
      dir,
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--sep-export-limit must be a number from 0 to 1000000, got 'lots'");
    expect(run.stderr).toContain("--speed must be a number above 0 and at most 100000, got 'fast'");
    expect(run.stderr).toContain('--homes must be');
  });
});
