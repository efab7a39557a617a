/**
 * tenet simulate [SCENARIO] [--out DIR] [--seed N] [--json]
 * Runs a scenario (default: the embedded scenarios/default.yaml) with the market and without it, prints
 * the KPI table, and writes the time series (CSV), the KPIs (JSON) and an HTML report.
 */
import { join, resolve } from 'node:path';
import { TeError } from '../../core/errors.js';
import {
  formatKpiTable,
  formatReportSections,
  kpiJson,
  renderHtmlReport,
  timeSeriesCsv,
} from '../../sim/report/index.js';
import { runSimulation } from '../../sim/run-simulation.js';
import { parseCommandArgs } from '../command-args.js';
import { reportErrors, writeOutputFiles } from '../command-output.js';
import type { CliCommand } from '../io.js';
import { createProgressReporter } from '../progress.js';
import { loadScenarioInputs } from '../scenario-inputs.js';

const USAGE = `Usage: tenet simulate [SCENARIO] [--out DIR] [--seed N] [--json]

Runs SCENARIO (a YAML file, or - for standard input; default: the embedded scenarios/default.yaml)
with the transactive market and as a no-market baseline on the same homes, then prints KPIs for both.
A scenario may build on another with 'extends: base.yaml'.

Options:
  --out DIR   where to write timeseries.csv, kpis.json and report.html (default: out/<scenario name>)
  --seed N    override the scenario's seed (a whole number from 0 to 4294967295)
  --json      print only the KPI JSON on standard output
  --help      show this help`;

export const simulateCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    { out: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
    'simulate',
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    return reportErrors(io, [
      new TeError('TE_ERR_USAGE', 'give at most one scenario file', { hint: 'tenet simulate --help' }),
    ]);
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed) || seed > 4294967295) {
      return reportErrors(io, [
        new TeError(
          'TE_ERR_USAGE',
          `--seed must be a whole number from 0 to 4294967295, got '${values.seed}'`,
        ),
      ]);
    }
  }
  const inputs = await loadScenarioInputs(positionals[0], io, (s) =>
    seed === undefined ? s : { ...s, seed },
  );
  if (!inputs.ok) return reportErrors(io, inputs.error);
  const { scenario, weather, feeder, mechanism } = inputs.value;

  const progress = createProgressReporter(io.stderr, `simulating ${scenario.name}`);
  const result = runSimulation({
    scenario,
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism,
    onProgress: progress.update,
    ...(feeder === undefined ? {} : { feeder }),
  });
  progress.finish();

  const outDir = resolve(io.cwd, values.out ?? join('out', safeDirectoryName(scenario.name)));
  const kpis = kpiJson(result);
  const written = await writeOutputFiles(outDir, {
    'kpis.json': `${JSON.stringify(kpis, null, 2)}\n`,
    'timeseries.csv': timeSeriesCsv(result),
    'report.html': renderHtmlReport(result),
  });
  if (written !== undefined) return reportErrors(io, [written]);
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(kpis, null, 2)}\n`);
  } else {
    io.stdout.write(`${formatKpiTable(result, { color: io.stdout.isTTY === true })}\n`);
    const sections = formatReportSections(result);
    if (sections !== '') io.stdout.write(`${sections}\n`);
    io.stdout.write(`\nWrote ${join(outDir, 'report.html')}, kpis.json and timeseries.csv\n`);
  }
  return 0;
};

/** Scenario names become directory names: keep them to a safe alphabet. */
export function safeDirectoryName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+/, '')
      .slice(0, 80) || 'scenario'
  );
}
