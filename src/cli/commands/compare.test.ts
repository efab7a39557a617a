import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_FILE } from '../../sim/test-scenario.fixture.js';
import { runInProcess } from '../run-in-process.fixture.js';

const run = (args: string[], cwd: string) => runInProcess(['compare', ...args], cwd);

/** The shipped scenarios, with a short community so the designs run in a second. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-compare-'));
  cpSync(dirname(DEFAULT_SCENARIO_FILE), dir, { recursive: true });
  const community = readFileSync(join(dir, 'default.yaml'), 'utf8')
    .replace('end: 2026-07-16T00:00:00-07:00', 'end: 2026-07-15T02:00:00-07:00')
    .replace('homes: 300', 'homes: 24');
  writeFileSync(join(dir, 'default.yaml'), community);
  return dir;
}

describe('tenet compare', () => {
  it('runs each design on the same community and writes one side-by-side comparison', async () => {
    const dir = workspace();
    const { status, stdout, stderr } = await run(
      ['designs/uniform-price.yaml', 'designs/aggregator.yaml', '--out', 'cmp'],
      dir,
    );
    expect(stderr).not.toMatch(/TE_ERR/);
    expect(status).toBe(0);
    expect(stdout).toMatch(/uniform-price-auction\s+aggregator-vpp\s+baseline/);
    const document = JSON.parse(readFileSync(join(dir, 'cmp', 'comparison.json'), 'utf8')) as {
      designs: { label: string; mechanism: string }[];
    };
    expect(document.designs.map((d) => d.label)).toEqual(['uniform-price-auction', 'aggregator-vpp']);
    expect(existsSync(join(dir, 'cmp', 'comparison.html'))).toBe(true);
  });

  it('refuses designs on different communities, naming the key', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'designs', 'bigger.yaml'),
      'extends: ../default.yaml\nname: bigger\npopulation:\n  homes: 30\n',
    );
    const { status, stderr } = await run(['designs/uniform-price.yaml', 'designs/bigger.yaml'], dir);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^TE_ERR_SCENARIO at designs\/bigger\.yaml population: 'population' differs/);
  });

  it('needs two scenarios and reports bad ones with their coded errors', async () => {
    const dir = workspace();
    expect((await run(['designs/uniform-price.yaml'], dir)).stderr).toMatch(/^TE_ERR_USAGE/);
    writeFileSync(
      join(dir, 'designs', 'broken.yaml'),
      'extends: ../default.yaml\nmarket:\n  mechanism: barter\n',
    );
    const broken = await run(['designs/uniform-price.yaml', 'designs/broken.yaml'], dir);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/TE_ERR_VALIDATION at designs\/broken\.yaml:3 market\.mechanism/);
  });
});
