/**
 * tenet compare A.yaml B.yaml ... [--out DIR] [--json]
 * Runs market designs on the same community (same homes, weather, seed) and writes one side-by-side
 * KPI table and HTML report, with the shared no-market baseline.
 */
import { join, resolve } from 'node:path';
import { TeError } from '../../core/errors.js';
import { checkSameCommunity } from '../../sim/compare-designs.js';
import {
  comparisonJson,
  formatComparisonSections,
  formatComparisonTable,
  renderComparisonReport,
} from '../../sim/report/index.js';
import type { ComparisonResult } from '../../sim/results.js';
import { runSimulation } from '../../sim/run-simulation.js';
import { parseCommandArgs } from '../command-args.js';
import { reportErrors, writeOutputFiles } from '../command-output.js';
import type { CliCommand } from '../io.js';
import { createProgressReporter } from '../progress.js';
import { loadScenarioInputs, type ScenarioInputs } from '../scenario-inputs.js';

const USAGE = `Usage: tenet compare SCENARIO SCENARIO... [--out DIR] [--json]

Runs each market design scenario on the same community and writes a side-by-side comparison:
comparison.json and comparison.html in DIR (default: out/compare), and the KPI table on standard output.
The scenarios must describe the same homes, weather, horizon, seed, feeder and wholesale side; let them
extend one community scenario and change only 'market' and 'retail' (see scenarios/designs/).

Options:
  --out DIR   where to write comparison.json and comparison.html
  --json      print only the comparison JSON
  --help      show this help`;

export const compareCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    { out: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
    'compare',
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length < 2 || positionals.includes('-')) {
    return reportErrors(io, [
      new TeError('TE_ERR_USAGE', 'give two or more scenario files', {
        hint: 'tenet compare scenarios/designs/*.yaml',
      }),
    ]);
  }
  const loaded: { inputs: ScenarioInputs; sourceName: string }[] = [];
  for (const argument of positionals) {
    const inputs = await loadScenarioInputs(argument, io);
    if (!inputs.ok) return reportErrors(io, inputs.error);
    loaded.push({ inputs: inputs.value, sourceName: argument });
  }
  const same = checkSameCommunity(
    loaded.map((l) => ({ scenario: l.inputs.scenario, sourceName: l.sourceName })),
  );
  if (!same.ok) return reportErrors(io, same.error);

  const designs: ComparisonResult['designs'][number][] = [];
  for (const [index, { inputs }] of loaded.entries()) {
    const { scenario, weather, feeder, mechanism } = inputs;
    const progress = createProgressReporter(
      io.stderr,
      `design ${index + 1}/${loaded.length}: ${scenario.name}`,
    );
    const result = runSimulation({
      scenario,
      weather: weather.source,
      weatherSite: weather.siteName,
      mechanism,
      onProgress: progress.update,
      ...(feeder === undefined ? {} : { feeder }),
    });
    progress.finish();
    designs.push({ label: scenario.name, mechanism: scenario.market.mechanism, result });
  }
  const first = designs[0];
  if (first === undefined) return 2;
  const comparison: ComparisonResult = { designs, baseline: first.result.baseline };
  const outDir = resolve(io.cwd, values.out ?? join('out', 'compare'));
  const document = comparisonJson(comparison);
  const written = await writeOutputFiles(outDir, {
    'comparison.json': `${JSON.stringify(document, null, 2)}\n`,
    'comparison.html': renderComparisonReport(comparison),
  });
  if (written !== undefined) return reportErrors(io, [written]);
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(`${formatComparisonTable(comparison, { color: io.stdout.isTTY === true })}\n`);
    const sections = formatComparisonSections(comparison);
    if (sections !== '') io.stdout.write(`\n${sections}`);
    io.stdout.write(`\nWrote ${join(outDir, 'comparison.html')} and comparison.json\n`);
  }
  return 0;
};
