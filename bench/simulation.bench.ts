/**
 * Simulation throughput: the default scenario scaled to 1,000 and 10,000 homes, one day of 5-minute
 * markets, TE run and baseline run together (what `tenet simulate` does). Each size runs in a fresh
 * process so its peak memory is its own. Target: 10,000 homes in under 60 s, under 2 GiB.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marketMechanism } from '../src/sim/market-design.js';
import { runSimulation } from '../src/sim/run-simulation.js';
import { parseScenario } from '../src/sim/scenario/parse-scenario.js';
import { loadScenarioWeather } from '../src/sim/scenario-weather.js';

const SIZES = [1_000, 10_000];
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function measure(homes: number): Promise<void> {
  const text = readFileSync(join(root, 'scenarios/default.yaml'), 'utf8');
  const parsed = parseScenario(text, 'default.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.toLine()).join('\n'));
  // Scale the substation with the community so the capacity binds as it does in the default scenario.
  const scale = homes / parsed.value.population.homes;
  const scenario = {
    ...parsed.value,
    population: { ...parsed.value.population, homes },
    wholesale: {
      ...parsed.value.wholesale,
      substationCapacityKw: parsed.value.wholesale.substationCapacityKw * scale,
    },
  };
  const weather = loadScenarioWeather(join(root, 'scenarios', scenario.weather), scenario);
  if (!weather.ok) throw weather.error;
  const started = performance.now();
  const result = runSimulation({
    scenario,
    weather: weather.value.source,
    weatherSite: weather.value.siteName,
    mechanism: marketMechanism(scenario),
  });
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      homes,
      slots: result.slotStartMs.length,
      devices: Object.values(result.meta.deviceCounts).reduce((a, b) => a + b, 0),
      seconds,
      agentStepsPerSecond: result.agentSteps / seconds,
      peakRssMiB,
    }),
  );
}

const requested = process.env.BENCH_HOMES;
if (requested !== undefined) {
  await measure(Number(requested));
} else {
  console.log('| homes | devices | slots × runs | wall time (s) | agent-steps/s | peak RSS (MiB) | target |');
  console.log('|---:|---:|---:|---:|---:|---:|---|');
  for (const homes of SIZES) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_HOMES: String(homes) },
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      console.log(`| ${homes} | failed: ${child.stderr.split('\n')[0]} |`);
      process.exitCode = 1;
      continue;
    }
    const row = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    const target =
      homes === 10_000
        ? (row.seconds ?? Infinity) < 60 && (row.peakRssMiB ?? Infinity) < 2048
          ? 'met (< 60 s, < 2 GiB)'
          : 'MISSED (< 60 s, < 2 GiB)'
        : '';
    console.log(
      `| ${homes} | ${row.devices} | ${row.slots} × 2 | ${row.seconds?.toFixed(2)} | ${Math.round(row.agentStepsPerSecond ?? 0).toLocaleString('en-US')} | ${row.peakRssMiB?.toFixed(0)} | ${target} |`,
    );
  }
}
