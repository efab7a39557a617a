/**
 * The presets of scenarios/presets/ (docs/presets.md): each parses, names only catalogue KPIs as its key
 * metrics, keeps the promises its page makes (control groups, forecasts, emission factors), and runs end
 * to end through `tenet simulate` on a shortened horizon with fewer homes, giving a finite value for every
 * key metric.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/cli/run-in-process.fixture.js';
import { loadScenarioInputs } from '../../src/cli/scenario-inputs.js';
import { MS_PER_DAY, toIsoWithOffset } from '../../src/core/time.js';
import { KPI_CATALOGUE } from '../../src/sim/kpi/catalogue.js';
import type { KpiJson } from '../../src/sim/report/kpi-json.js';
import type { KpiJsonRoles } from '../../src/sim/report/kpi-json-roles.js';
import type { Scenario } from '../../src/sim/scenario/parse-scenario.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PRESETS_DIR = join(REPO, 'scenarios/presets');
const PRESETS_DOC = join(REPO, 'docs/presets.md');

const PRESET_FILES = [
  'aep-gridsmart.yaml',
  'brooklyn-microgrid.yaml',
  'dynamic-operating-envelopes.yaml',
  'olympic-peninsula.yaml',
  'temix-forward-tenders.yaml',
  'usef-powermatcher.yaml',
];

/** The initiatives that had a control group (docs/presets.md) evaluate against one. */
const WITH_CONTROL_GROUP = new Set(['olympic-peninsula.yaml', 'aep-gridsmart.yaml']);

/** A fifth of the homes (at least 20) for one day keeps each end-to-end run to a few seconds. */
const SHORT_RUN_HOMES_DIVISOR = 5;
const SHORT_RUN_MIN_HOMES = 20;

const io = (cwd: string) =>
  ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd, env: {} }) as never;

async function loadPreset(file: string): Promise<Scenario> {
  const loaded = await loadScenarioInputs(join(PRESETS_DIR, file), io(REPO));
  if (!loaded.ok) throw new Error(loaded.error.map((e) => e.toLine()).join('\n'));
  return loaded.value.scenario;
}

/**
 * A scenario that extends the preset: one day, fewer homes, and the substation capacity scaled with the
 * homes so that a limit that binds in the preset still binds.
 */
function shortenedPresetYaml(file: string, preset: Scenario): string {
  const homes = Math.max(SHORT_RUN_MIN_HOMES, Math.round(preset.population.homes / SHORT_RUN_HOMES_DIVISOR));
  const capacityKw = (preset.wholesale.substationCapacityKw * homes) / preset.population.homes;
  return [
    `extends: ${JSON.stringify(join(PRESETS_DIR, file))}`,
    `end: ${toIsoWithOffset(preset.startMs + MS_PER_DAY, preset.utcOffsetMinutes)}`,
    `population: { homes: ${homes} }`,
    `wholesale: { substationCapacityKw: ${capacityKw} }`,
    '',
  ].join('\n');
}

/** A key metric's value in kpis.json: the market run's value, or the evaluation's estimate. */
function keyMetricValue(roles: KpiJsonRoles, id: string): number | null | undefined {
  for (const kpis of Object.values(roles)) {
    const entry = kpis[id];
    if (entry === undefined) continue;
    return entry.scope === 'run' ? entry.te : (entry.estimate?.value ?? null);
  }
  return undefined;
}

describe('presets', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'tenet-presets-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('are the six files docs/presets.md describes, each linked and with its measured run', () => {
    const files = readdirSync(PRESETS_DIR)
      .filter((name) => name.endsWith('.yaml'))
      .sort();
    expect(files).toEqual(PRESET_FILES);
    const doc = readFileSync(PRESETS_DOC, 'utf8');
    for (const file of files) expect(doc).toContain(`scenarios/presets/${file}`);
    const linked = [...doc.matchAll(/scenarios\/presets\/([a-z0-9-]+\.yaml)/g)].map((m) => m[1]);
    expect(new Set(linked)).toEqual(new Set(files));
    const measuredRuns = doc.slice(doc.indexOf('## What one run of each preset shows'));
    for (const file of files) expect(measuredRuns).toContain(`### ${file}`);
  });

  it.each(PRESET_FILES)('%s parses and names only catalogue KPIs as key metrics', async (file) => {
    const scenario = await loadPreset(file);
    const catalogueIds = new Set(KPI_CATALOGUE.map((kpi) => kpi.id));
    const keyMetrics = scenario.evaluation.keyMetrics;
    expect(keyMetrics.length).toBeGreaterThanOrEqual(5);
    expect(keyMetrics.filter((id) => !catalogueIds.has(id))).toEqual([]);
    expect(new Set(keyMetrics).size).toBe(keyMetrics.length);
    const doc = readFileSync(PRESETS_DOC, 'utf8');
    expect(keyMetrics.filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
    expect(scenario.wholesale.marginalEmissionsKgPerKwhByHour).toHaveLength(24);
    expect(scenario.evaluation.controlShare > 0).toBe(WITH_CONTROL_GROUP.has(file));
  });

  it('the TeMIX preset sizes its day-ahead positions from forecasts and prices their error', async () => {
    const scenario = await loadPreset('temix-forward-tenders.yaml');
    expect(scenario.market.dayAheadPositions).toBe(true);
    expect(scenario.forecast?.usedBy).toEqual(['day-ahead-positions']);
    expect(scenario.forecast?.costOfError).toBe(true);
    expect(scenario.evaluation.historyDays).toBeGreaterThanOrEqual(7);
  });

  it('the Olympic Peninsula preset has the pilot size and a feeder limit below the uncontrolled peak', async () => {
    const scenario = await loadPreset('olympic-peninsula.yaml');
    expect(scenario.population.homes).toBe(112);
    expect(scenario.marketPeriodMinutes).toBe(5);
    expect(scenario.market.mechanism).toBe('uniform-price-double-auction');
    expect(scenario.wholesale.substationCapacityKw).toBe(400);
  });

  it.each(PRESET_FILES)(
    '%s runs end to end on one day with fewer homes and gives every key metric a finite value',
    async (file) => {
      const preset = await loadPreset(file);
      const shortened = join(workDir, file);
      writeFileSync(shortened, shortenedPresetYaml(file, preset));
      const run = await runInProcess(
        ['simulate', shortened, '--json', '--out', join(workDir, `out-${file}`)],
        REPO,
      );
      expect(run.stderr).not.toContain('TE_ERR');
      expect(run.status).toBe(0);
      const kpis = JSON.parse(run.stdout) as Pick<KpiJson, 'keyMetrics' | 'roles'>;
      expect(kpis.keyMetrics).toEqual(preset.evaluation.keyMetrics);
      const values = Object.fromEntries(kpis.keyMetrics.map((id) => [id, keyMetricValue(kpis.roles, id)]));
      const notFinite = Object.entries(values).filter(
        ([, value]) => typeof value !== 'number' || !Number.isFinite(value),
      );
      expect(notFinite).toEqual([]);
    },
    120_000,
  );
});
