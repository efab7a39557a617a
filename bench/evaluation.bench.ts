/**
 * What pilot evaluation costs on top of a plain simulation: the default scenario (300 homes, one day of
 * 5-minute markets, the IEEE 13-node feeder) with each evaluation feature switched on alone, and all of
 * them together. Each variant runs in a fresh process so its peak memory is its own. There is no target
 * in the issue; the baseline is the plain run on the same machine, measured side by side.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marketMechanism } from '../src/sim/market-design.js';
import { runSimulation } from '../src/sim/run-simulation.js';
import { parseScenario, type Scenario } from '../src/sim/scenario/parse-scenario.js';
import { loadScenarioWeather } from '../src/sim/scenario-weather.js';
import { loadFeeder } from '../src/cli/load-feeder.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const VARIANTS: Readonly<Record<string, (s: Scenario) => Scenario>> = {
  plain: (s) => s,
  'pre-period 10 days (M&V baselines)': (s) => ({ ...s, evaluation: { ...s.evaluation, historyDays: 10 } }),
  'control group 50 %': (s) => ({ ...s, evaluation: { ...s.evaluation, controlShare: 0.5 } }),
  'forecasts (regression, 10-day pre-period, battery)': (s) => ({
    ...s,
    evaluation: { ...s.evaluation, historyDays: 10 },
    forecast: { model: 'seasonal-regression', usedBy: ['battery'], costOfError: false },
  }),
  '+ cost of forecast error (one more market run)': (s) => ({
    ...s,
    evaluation: { ...s.evaluation, historyDays: 10 },
    forecast: { model: 'seasonal-regression', usedBy: ['battery'], costOfError: true },
  }),
  'envelopes over IEEE 2030.5 CSIP-AUS': (s) =>
    s.feeder === undefined ? s : { ...s, feeder: { ...s.feeder, envelopeDelivery: 'ieee2030.5-csip-aus' } },
};

async function measure(variant: string): Promise<void> {
  const text = readFileSync(join(root, 'scenarios/default.yaml'), 'utf8');
  const parsed = parseScenario(text, 'default.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.toLine()).join('\n'));
  const change = VARIANTS[variant];
  if (change === undefined) throw new Error(`unknown variant ${variant}`);
  const scenario = change(parsed.value);
  const weather = loadScenarioWeather(join(root, 'scenarios', scenario.weather), scenario);
  if (!weather.ok) throw weather.error;
  if (scenario.feeder === undefined) throw new Error('the default scenario names a feeder');
  const feeder = await loadFeeder(scenario.feeder.path, join(root, 'scenarios'));
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  runSimulation({
    scenario,
    feeder,
    weather: weather.value.source,
    weatherSite: weather.value.siteName,
    mechanism: marketMechanism(scenario),
  });
  const cpu = process.cpuUsage(cpuStarted);
  console.log(
    JSON.stringify({
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

const requested = process.env.BENCH_VARIANT;
if (requested !== undefined) {
  await measure(requested);
} else {
  console.log(
    '| default scenario (300 homes, 1 day, feeder) | wall (s) | CPU (s) | × plain | peak RSS (MiB) |',
  );
  console.log('|---|---:|---:|---:|---:|');
  let plainSeconds = Number.NaN;
  for (const variant of Object.keys(VARIANTS)) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_VARIANT: variant },
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      console.log(`| ${variant} | failed: ${child.stderr.split('\n')[0]} | | | |`);
      process.exitCode = 1;
      continue;
    }
    const row = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    const seconds = row.seconds ?? Number.NaN;
    if (variant === 'plain') plainSeconds = seconds;
    console.log(
      `| ${variant} | ${seconds.toFixed(2)} | ${row.cpuSeconds?.toFixed(2)} | ${(seconds / plainSeconds).toFixed(2)} | ${row.peakRssMiB?.toFixed(0)} |`,
    );
  }
}
