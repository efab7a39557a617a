/**
 * Everything a simulation needs from disk for one scenario argument: the scenario (with the files it
 * extends), its weather and its feeder. Shared by `simulate` and `compare`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTeError, type TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { createHighsLpSolver } from '../engine/highs-lp-solver.js';
import type { Network } from '../grid/network.js';
import type { ClearingMechanism } from '../market/mechanism/clearing-mechanism.js';
import { validateKeyMetrics } from '../sim/kpi/catalogue.js';
import { marketMechanism, needsLpSolver } from '../sim/market-design.js';
import { MAX_SCENARIO_BYTES, type Scenario } from '../sim/scenario/parse-scenario.js';
import { loadScenario } from '../sim/scenario/load-scenario.js';
import { loadScenarioWeather, type ScenarioWeather } from '../sim/scenario-weather.js';
import type { CliIo } from './io.js';
import { loadFeeder } from './load-feeder.js';
import { readInputText, STDIN_NAME } from './read-input.js';

export const DEFAULT_SCENARIO_PATH = fileURLToPath(new URL('../../scenarios/default.yaml', import.meta.url));

export interface ScenarioInputs {
  readonly scenario: Scenario;
  readonly weather: ScenarioWeather;
  readonly feeder?: Network;
  /** The scenario's clearing mechanism, with what it needs loaded (the LP solver for grid-aware clearing). */
  readonly mechanism: ClearingMechanism;
}

/** `argument` is a path relative to the working directory, `-` for standard input, or absent for the default. */
export async function loadScenarioInputs(
  argument: string | undefined,
  io: CliIo,
  adjust: (scenario: Scenario) => Scenario = (s) => s,
): Promise<Result<ScenarioInputs, TeError[]>> {
  const path = argument === undefined ? DEFAULT_SCENARIO_PATH : resolve(io.cwd, argument);
  const read = (name: string) =>
    readInputText({ name, cwd: io.cwd, stdin: io.stdin, maxBytes: MAX_SCENARIO_BYTES, what: 'scenario' });
  const text = await read(argument ?? DEFAULT_SCENARIO_PATH);
  if (!text.ok) return err([text.error]);
  const loaded = await loadScenario(
    {
      text: text.value,
      sourceName: argument ?? 'scenarios/default.yaml',
      directory: argument === STDIN_NAME ? io.cwd : dirname(path),
    },
    read,
  );
  if (!loaded.ok) return loaded;
  const scenario = adjust(loaded.value);
  const unknownMetrics = validateKeyMetrics(scenario.evaluation.keyMetrics);
  if (unknownMetrics.length > 0) return err(unknownMetrics);
  const weather = loadScenarioWeather(scenario.weather, scenario);
  if (!weather.ok) return err([weather.error]);
  const mechanism = marketMechanism(
    scenario,
    needsLpSolver(scenario) ? { lpSolver: await createHighsLpSolver() } : {},
  );
  if (scenario.feeder === undefined) return ok({ scenario, weather: weather.value, mechanism });
  try {
    const feeder = await loadFeeder(scenario.feeder.path, io.cwd, (message) =>
      io.stderr.write(`warning: ${message}\n`),
    );
    return ok({ scenario, weather: weather.value, feeder, mechanism });
  } catch (caught) {
    if (!isTeError(caught)) throw caught;
    return err([caught]);
  }
}
