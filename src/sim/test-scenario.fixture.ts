/** The default scenario, parsed, with overrides: the starting point of the simulation tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { parseKerstingCsv } from '../grid/formats/kersting-csv.js';
import type { Network } from '../grid/network.js';
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

export function ieee13Feeder(): Network {
  const dir = fileURLToPath(new URL('../../scenarios/feeders/ieee-13', import.meta.url));
  const files = new Map(readdirSync(dir).map((file) => [file, readFileSync(`${dir}/${file}`, 'utf8')]));
  return parseKerstingCsv(files, { name: 'ieee-13' });
}
