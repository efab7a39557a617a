import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonJson } from '../../sim/report/comparison-json.js';
import { kpiJson } from '../../sim/report/kpi-json.js';
import { makeTestComparison } from '../../sim/report/test-comparison.fixture.js';
import { makeTestResult } from '../../sim/report/test-result.fixture.js';
import { timeSeriesCsv } from '../../sim/report/time-series-csv.js';
import { parseServerConfig } from '../../live/server-config.js';
import { ROLES } from '../auth/roles.js';
import { apiHarness, type ApiHarness } from '../api-test.fixture.js';
import { MAX_RUN_FILE_BYTES, MAX_SERIES_POINTS } from '../runs/run-directory.js';

describe('runs API', () => {
  let h: ApiHarness;
  let root: string;
  let runsDir: string;
  const get = (url: string, role: (typeof ROLES)[number] = 'prosumer') =>
    h.call(role, { method: 'GET', url });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tenet-runs-'));
    runsDir = join(root, 'out');
    const write = (dir: string, files: Record<string, string>) => {
      mkdirSync(join(runsDir, dir), { recursive: true });
      for (const [name, text] of Object.entries(files)) writeFileSync(join(runsDir, dir, name), text);
    };
    const result = makeTestResult({ slots: 12 });
    write('tucson', {
      'kpis.json': JSON.stringify(kpiJson(result), null, 2),
      'timeseries.csv': timeSeriesCsv(result),
      'report.html': '<html></html>',
    });
    const long = makeTestResult({ slots: 5000, marketPeriodMinutes: 5 });
    write('long-run', { 'kpis.json': JSON.stringify(kpiJson(long)), 'timeseries.csv': timeSeriesCsv(long) });
    write('compare', { 'comparison.json': JSON.stringify(comparisonJson(makeTestComparison())) });
    write('broken', { 'kpis.json': '{"scenario": ' });
    write('wrong-shape', { 'kpis.json': '{"hello": 1}' });
    write('bad-csv', { 'kpis.json': JSON.stringify(kpiJson(result)), 'timeseries.csv': 'when,x\r\n1,2\r\n' });
    write('not-a-run', { 'notes.txt': 'hello' });
    // Links out of the runs directory: a run directory and a run's file.
    const outside = join(root, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, 'kpis.json'), JSON.stringify(kpiJson(result)));
    symlinkSync(outside, join(runsDir, 'escape'));
    mkdirSync(join(runsDir, 'linked-file'));
    symlinkSync(join(outside, 'kpis.json'), join(runsDir, 'linked-file', 'kpis.json'));
    write('huge', { 'kpis.json': JSON.stringify(kpiJson(result)), 'timeseries.csv': '' });
    truncateSync(join(runsDir, 'huge', 'timeseries.csv'), MAX_RUN_FILE_BYTES + 1);
    utimesSync(
      join(runsDir, 'tucson', 'kpis.json'),
      new Date(2_000_000_000_000),
      new Date(2_000_000_000_000),
    );
    h = await apiHarness('sqlite', { runsDir });
  });
  afterAll(async () => {
    await h.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists every directory holding kpis.json or comparison.json to every role, newest first', async () => {
    for (const role of ROLES) {
      const response = await get('/api/runs', role);
      expect(response.statusCode, role).toBe(200);
      const { runs } = response.json() as { runs: { id: string; problem?: string }[] };
      expect(runs.map((r) => r.id).sort()).toEqual(
        ['bad-csv', 'broken', 'compare', 'huge', 'linked-file', 'long-run', 'tucson', 'wrong-shape'].sort(),
      );
      expect(runs[0]).toEqual({
        id: 'tucson',
        kind: 'simulation',
        name: 'Tucson summer, 40 homes',
        createdMs: 2_000_000_000_000,
        scenario: 'Tucson summer, 40 homes',
        designs: ['double-auction'],
      });
      expect(runs.find((r) => r.id === 'broken')?.problem).toBe('TE_ERR_RUN_MALFORMED');
      expect(runs.find((r) => r.id === 'linked-file')?.problem).toBe('TE_ERR_RUN_MALFORMED');
    }
  });

  it('reads a simulation run: its KPI document and its time series by column', async () => {
    const response = await get('/api/runs/tucson', 'regulator');
    expect(response.statusCode).toBe(200);
    const run = response.json();
    expect(run).toMatchObject({ id: 'tucson', kind: 'simulation', seriesRows: 12, seriesStride: 1 });
    expect(run.kpis.scenario.scenarioName).toBe('Tucson summer, 40 homes');
    expect(run.kpis.te.peakSubstationDemandKw).toEqual(expect.any(Number));
    expect(run.series.timeMs).toHaveLength(12);
    expect(run.series.timeMs[0]).toBe(Date.UTC(2024, 6, 1, 19, 0));
    expect(run.series.te_substation_load_kw).toHaveLength(12);
    expect(run.series.te_substation_load_kw.every((v: unknown) => typeof v === 'number')).toBe(true);
    expect(run.series.time).toBeUndefined();
  });

  it(`thins a long series to at most ${MAX_SERIES_POINTS} points by striding`, async () => {
    const run = (await get('/api/runs/long-run')).json();
    expect(run.seriesRows).toBe(5000);
    expect(run.seriesStride).toBe(3);
    expect(run.series.timeMs).toHaveLength(1667);
    expect(run.series.timeMs[1] - run.series.timeMs[0]).toBe(15 * 60_000);
  });

  it('reads a comparison run with its designs', async () => {
    const response = await get('/api/runs/compare');
    expect(response.statusCode).toBe(200);
    const run = response.json();
    expect(run.kind).toBe('comparison');
    expect(run.designs.length).toBeGreaterThan(0);
    expect(run.comparison.designs).toHaveLength(run.designs.length);
    expect(run.series).toEqual({ timeMs: [] });
  });

  it('a malformed run is a coded 422, never a 500', async () => {
    for (const id of ['broken', 'wrong-shape', 'bad-csv', 'linked-file']) {
      const response = await get(`/api/runs/${id}`);
      expect(response.statusCode, id).toBe(422);
      expect(response.json().code, id).toBe('TE_ERR_RUN_MALFORMED');
    }
    const huge = await get('/api/runs/huge');
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('TE_ERR_INPUT_TOO_LARGE');
  });

  it('refuses ids that could leave the runs directory, and 404s what is not a run', async () => {
    for (const url of [
      '/api/runs/..',
      '/api/runs/.hidden',
      '/api/runs/a..b',
      '/api/runs/%2e%2e',
      '/api/runs/a%2Fb',
    ]) {
      const response = await get(url);
      expect([400, 404], url).toContain(response.statusCode);
      expect(response.json().code, url).toMatch(/^TE_ERR_(VALIDATION|NOT_FOUND)$/);
    }
    expect((await get('/api/runs/..%2F..%2Fetc')).statusCode).toBe(400);
    expect((await get(`/api/runs/${'x'.repeat(129)}`)).statusCode).toBe(400);
    for (const id of ['escape', 'not-a-run', 'missing']) {
      const response = await get(`/api/runs/${id}`);
      expect(response.statusCode, id).toBe(404);
      expect(response.json().code, id).toBe('TE_ERR_NOT_FOUND');
    }
    expect((await h.call(undefined, { method: 'GET', url: '/api/runs' })).statusCode).toBe(401);
  });
});

describe('runs API without a runs directory', () => {
  it('lists nothing when the directory is missing or not configured; a run is 404', async () => {
    for (const runsDir of [join(tmpdir(), 'tenet-no-such-runs-dir'), undefined]) {
      const h = await apiHarness('sqlite', runsDir === undefined ? {} : { runsDir });
      try {
        const list = await h.call('prosumer', { method: 'GET', url: '/api/runs' });
        expect(list.statusCode).toBe(200);
        expect(list.json()).toEqual({ runs: [] });
        expect((await h.call('prosumer', { method: 'GET', url: '/api/runs/tucson' })).statusCode).toBe(404);
      } finally {
        await h.dispose();
      }
    }
  });
});

describe('dashboard.runsDir in the server configuration', () => {
  it('defaults to out, takes a path, and refuses an unknown key with its path', () => {
    const defaults = parseServerConfig('', '(defaults)');
    expect(defaults.ok && defaults.value.dashboard.runsDir).toBe('out');
    const set = parseServerConfig('dashboard:\n  runsDir: /srv/tenet/runs\n', 'server.yaml');
    expect(set.ok && set.value.dashboard.runsDir).toBe('/srv/tenet/runs');
    const wrong = parseServerConfig('dashboard:\n  runDir: x\n', 'server.yaml');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error[0]?.path).toMatch(/dashboard\.runDir/);
  });
});
