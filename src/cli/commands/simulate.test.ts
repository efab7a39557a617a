import {
  cpSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
  copyFileSync,
  mkdirSync,
  existsSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_FILE, TUCSON_WEATHER_FILE } from '../../sim/test-scenario.fixture.js';
import { runInProcess } from '../run-in-process.fixture.js';

const run = (args: string[], cwd: string) => runInProcess(['simulate', ...args], cwd);

/** A directory with a scenario (the default, edited) and the weather it names. */
function workspace(edit: (yaml: string) => string = (y) => y): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-simulate-'));
  mkdirSync(join(dir, 'weather'));
  copyFileSync(TUCSON_WEATHER_FILE, join(dir, 'weather', 'AZ-Tucson_International_Ap.tmy3'));
  cpSync(join(dirname(DEFAULT_SCENARIO_FILE), 'feeders'), join(dir, 'feeders'), { recursive: true });
  writeFileSync(join(dir, 'scenario.yaml'), edit(readFileSync(DEFAULT_SCENARIO_FILE, 'utf8')));
  return dir;
}

const shortRun = (yaml: string) =>
  yaml
    .replace('end: 2026-07-16T00:00:00-07:00', 'end: 2026-07-15T03:00:00-07:00')
    .replace('homes: 300', 'homes: 20');

describe('tenet simulate', () => {
  it('writes the report, KPIs and time series, and prints the KPI table', async () => {
    const dir = workspace(shortRun);
    const { status, stdout, stderr } = await run(['scenario.yaml', '--out', 'results'], dir);
    expect(stderr).toContain('100%');
    expect(status).toBe(0);
    expect(stdout).toContain('Peak substation demand');
    expect(stdout).toContain('baseline');
    const kpis = JSON.parse(readFileSync(join(dir, 'results', 'kpis.json'), 'utf8')) as {
      te: { peakSubstationDemandKw: number };
    };
    expect(kpis.te.peakSubstationDemandKw).toBeGreaterThan(0);
    const csvLines = readFileSync(join(dir, 'results', 'timeseries.csv'), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csvLines).toHaveLength(1 + 36);
    expect(readFileSync(join(dir, 'results', 'report.html'), 'utf8')).toContain('<svg');
  });

  it('runs without a feeder, and reports feeder KPIs with one', async () => {
    const withFeeder = workspace(shortRun);
    const without = workspace((y) => shortRun(y).replace(/\nfeeder:[\s\S]*$/, '\n'));
    const a = await run(['scenario.yaml', '--json', '--out', 'a'], withFeeder);
    const b = await run(['scenario.yaml', '--json', '--out', 'b'], without);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    const withGrid = JSON.parse(a.stdout) as { te: { grid?: { minVoltagePu: number } } };
    expect(withGrid.te.grid?.minVoltagePu).toBeGreaterThan(0.9);
    expect((JSON.parse(b.stdout) as { te: { grid?: unknown } }).te.grid).toBeUndefined();
    const missingFeeder = workspace((y) => y.replace('path: feeders/ieee-13', 'path: feeders/nowhere'));
    const failed = await run(['scenario.yaml'], missingFeeder);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/^TE_ERR_FILE_NOT_FOUND at \S*feeders\/nowhere/);
  });

  it('builds on another scenario with extends: keys override, paths stay relative to their own file', async () => {
    const dir = workspace(shortRun);
    mkdirSync(join(dir, 'designs'));
    writeFileSync(
      join(dir, 'designs', 'cheap.yaml'),
      'extends: ../scenario.yaml\nname: cheap-tariff\nretail:\n  fixedTariffPerKwh: 0.05\n',
    );
    const derived = await run(['designs/cheap.yaml', '--json', '--out', 'd'], dir);
    expect(derived.stderr).not.toMatch(/TE_ERR/);
    const document = JSON.parse(derived.stdout) as {
      scenario: { scenarioName: string };
      baseline: { totalCost: number };
    };
    expect(document.scenario.scenarioName).toBe('cheap-tariff');
    const base = JSON.parse((await run(['scenario.yaml', '--json', '--out', 'b'], dir)).stdout) as {
      baseline: { totalCost: number };
    };
    expect(document.baseline.totalCost).toBeCloseTo(base.baseline.totalCost * (0.05 / 0.12), 0);
    writeFileSync(join(dir, 'loop-a.yaml'), 'extends: loop-b.yaml\n');
    writeFileSync(join(dir, 'loop-b.yaml'), 'extends: loop-a.yaml\n');
    expect((await run(['loop-a.yaml'], dir)).stderr).toMatch(/^TE_ERR_SCENARIO .*extends/);
    writeFileSync(join(dir, 'orphan.yaml'), 'extends: nowhere.yaml\n');
    expect((await run(['orphan.yaml'], dir)).stderr).toMatch(/^TE_ERR_FILE_NOT_FOUND at nowhere\.yaml/);
    writeFileSync(join(dir, 'typo.yaml'), 'extends: scenario.yaml\nmarket:\n  mechanizm: pay-as-bid\n');
    expect((await run(['typo.yaml'], dir)).stderr).toMatch(
      /TE_ERR_UNKNOWN_KEY at typo\.yaml:3 market\.mechanizm.*did you mean 'mechanism'/,
    );
  });

  it('--json prints only the KPI JSON; --seed overrides the scenario seed', async () => {
    const dir = workspace(shortRun);
    const a = await run(['scenario.yaml', '--json', '--seed', '5', '--out', 'a'], dir);
    const b = await run(['scenario.yaml', '--json', '--seed', '6', '--out', 'b'], dir);
    expect(a.status).toBe(0);
    const parsed = JSON.parse(a.stdout) as { scenario: { seed: number } };
    expect(parsed.scenario.seed).toBe(5);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('reports every scenario problem with file, line and key path, exit 2, no stack', async () => {
    const dir = workspace((y) => y.replace('homes: 300', 'homes: -3').replace('seed: 42', 'sede: 42'));
    const { status, stderr, stdout } = await run(['scenario.yaml'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/TE_ERR_VALIDATION at scenario\.yaml:\d+ population\.homes/);
    expect(stderr).toMatch(
      /TE_ERR_UNKNOWN_KEY at scenario\.yaml:\d+ sede: unknown key 'sede' \(did you mean 'seed'\?\)/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('rejects a missing scenario, missing weather, a weather year that does not cover the horizon, and bad options', async () => {
    const dir = workspace((y) => y.replace('weather/AZ', 'weather/missing-AZ'));
    expect((await run(['nope.yaml'], dir)).stderr).toMatch(/^TE_ERR_FILE_NOT_FOUND/);
    const missingWeather = await run(['scenario.yaml'], dir);
    expect(missingWeather.status).toBe(2);
    expect(missingWeather.stderr).toMatch(/^TE_ERR_FILE_NOT_FOUND/);
    const acrossYears = workspace((y) =>
      y.replace('end: 2026-07-16T00:00:00-07:00', 'end: 2027-01-02T00:00:00-07:00'),
    );
    expect((await run(['scenario.yaml'], acrossYears)).stderr).toMatch(/^TE_ERR_WEATHER_RANGE/);
    expect((await run(['scenario.yaml', '--seed', 'x'], dir)).stderr).toMatch(/^TE_ERR_USAGE/);
    expect((await run(['scenario.yaml', '--bogus'], dir)).stderr).toMatch(/^TE_ERR_USAGE/);
    expect((await run(['a.yaml', 'b.yaml'], dir)).status).toBe(2);
  });

  it('runs the embedded default scenario when none is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenet-default-'));
    const { status, stdout } = await run(['--json'], dir);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as { scenario: { scenarioName: string } }).scenario.scenarioName).toBe(
      'tucson-summer-day',
    );
    expect(existsSync(join(dir, 'out', 'tucson-summer-day', 'report.html'))).toBe(true);
  });
});
