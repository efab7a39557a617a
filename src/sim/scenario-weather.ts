/** The weather a scenario names, loaded and checked to cover the scenario's whole horizon up front. */
import { isTeError, TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { WeatherSource } from './weather/weather-source.js';
import { createWeatherSource } from './weather/weather-source.js';
import { loadTmy3File } from './weather/load-weather-file.js';
import type { Scenario } from './scenario/parse-scenario.js';

export interface ScenarioWeather {
  readonly source: WeatherSource;
  readonly siteName: string;
}

export function loadScenarioWeather(
  path: string,
  scenario: Pick<Scenario, 'startMs' | 'endMs'>,
): Result<ScenarioWeather, TeError> {
  try {
    const data = loadTmy3File(path);
    const startYear = new Date(scenario.startMs + data.site.utcOffsetHours * 3_600_000).getUTCFullYear();
    const source = createWeatherSource(data, { year: startYear });
    // Fail before the run, not in its last slot, when the horizon leaves the weather's year.
    source.snapshotAt(scenario.startMs);
    source.snapshotAt(scenario.endMs - 1);
    return ok({ source, siteName: `${data.site.name}, ${data.site.state}` });
  } catch (caught) {
    if (isTeError(caught)) return err(caught);
    return err(new TeError('TE_ERR_WEATHER_FORMAT', String(caught), { path }));
  }
}
