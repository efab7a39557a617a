/**
 * `evaluation.keyMetrics` end to end: a scenario's key metrics come first in the printed table and in
 * kpis.json, and an id the KPI catalogue does not know stops the run with a coded, located error.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_FILE, TUCSON_WEATHER_FILE } from '../../sim/test-scenario.fixture.js';
import { runInProcess } from '../run-in-process.fixture.js';

/** The default scenario cut to 20 homes over three hours, without its feeder, naming key metrics. */
function workspace(keyMetrics: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-key-metrics-'));
  mkdirSync(join(dir, 'weather'));
  copyFileSync(TUCSON_WEATHER_FILE, join(dir, 'weather', 'AZ-Tucson_International_Ap.tmy3'));
  const yaml = readFileSync(DEFAULT_SCENARIO_FILE, 'utf8')
    .replace('end: 2026-07-16T00:00:00-07:00', 'end: 2026-07-15T03:00:00-07:00')
    .replace('homes: 300', 'homes: 20')
    .replace(/\nfeeder:[\s\S]*$/, '\n');
  const list = keyMetrics.map((id) => `    - ${id}`).join('\n');
  writeFileSync(join(dir, 'scenario.yaml'), `${yaml}evaluation:\n  keyMetrics:\n${list}\n`);
  return dir;
}

describe('tenet simulate with evaluation.keyMetrics', () => {
  it('prints the key metrics first and lists them in kpis.json; same bytes when run again', async () => {
    const dir = workspace(['social-welfare', 'peak-substation-demand']);
    const first = await runInProcess(['simulate', 'scenario.yaml', '--out', 'a'], dir);
    expect(first.stderr).not.toMatch(/TE_ERR/);
    expect(first.status).toBe(0);
    const lines = first.stdout.split('\n');
    expect(lines[2]).toBe('Key metrics');
    expect(lines[3]).toMatch(/^ {2}Social welfare\s+USD\s/);
    expect(lines[4]).toMatch(/^ {2}Peak substation demand\s+kW\s.*utility, dso$/);
    expect(lines[5]).toBe('Utility');
    expect(lines.filter((line) => line.trimStart().startsWith('Social welfare'))).toHaveLength(1);
    const kpis = JSON.parse(readFileSync(join(dir, 'a', 'kpis.json'), 'utf8')) as {
      te: { peakSubstationDemandKw: number };
      keyMetrics: string[];
      roles: { utility: Record<string, { te: number }> };
    };
    expect(kpis.keyMetrics).toEqual(['social-welfare', 'peak-substation-demand']);
    expect(kpis.roles.utility['peak-substation-demand']?.te).toBe(kpis.te.peakSubstationDemandKw);

    const again = await runInProcess(['simulate', 'scenario.yaml', '--out', 'b'], dir);
    expect(again.status).toBe(0);
    for (const file of ['kpis.json', 'report.html']) {
      expect(readFileSync(join(dir, 'b', file), 'utf8'), file).toBe(
        readFileSync(join(dir, 'a', file), 'utf8'),
      );
    }
  });

  it('refuses an id the catalogue does not know, naming the closest ids, exit 2', async () => {
    const dir = workspace(['total-cost', 'peak-substation-demnad']);
    const { status, stdout, stderr } = await runInProcess(['simulate', 'scenario.yaml', '--out', 'x'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^TE_ERR_SCENARIO at evaluation\.keyMetrics\[1\]: 'peak-substation-demnad' is not a KPI of the catalogue \(closest ids: peak-substation-demand, /m,
    );
  });
});
