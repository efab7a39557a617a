/** The default scenario, parsed, with overrides: the starting point of the simulation tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Scenario } from './scenario/parse-scenario.js';
import { loadScenarioWeather, type ScenarioWeather } from './scenario-weather.js';

export const DEFAULT_SCENARIO_FILE = fileURLToPath(new URL('../../scenarios/default.yaml', import.meta.url));
export const TUCSON_WEATHER_FILE = fileURLToPath(
  new URL('../../scenarios/weather/AZ-Tucson_International_Ap.tmy3', import.meta.url),
);

export function defaultScenario(): Scenario {
  const parsed = parseScenario(readFileSync(DEFAULT_SCENARIO_FILE, 'utf8'), 'default.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.toLine()).join('\n'));
  return parsed.value;
}

export function tucsonWeather(scenario: Scenario): ScenarioWeather {
  const weather = loadScenarioWeather(TUCSON_WEATHER_FILE, scenario);
  if (!weather.ok) throw weather.error;
  return weather.value;
}
