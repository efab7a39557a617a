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

function servesYear(source: WeatherSource, timeMs: number): boolean {
  try {
    source.snapshotAt(timeMs);
    return true;
  } catch (caught) {
    if (isTeError(caught) && caught.code === 'TE_ERR_WEATHER_RANGE') return false;
    throw caught;
  }
}

export function loadScenarioWeather(
  path: string,
  scenario: Pick<Scenario, 'startMs' | 'endMs'> & { readonly evaluation?: { readonly historyDays: number } },
): Result<ScenarioWeather, TeError> {
  try {
    const data = loadTmy3File(path);
    const startYear = new Date(scenario.startMs + data.site.utcOffsetHours * 3_600_000).getUTCFullYear();
    const source = createWeatherSource(data, { year: startYear });
    // Fail before the run, not in its last slot, when the horizon leaves the weather's year.
    source.snapshotAt(scenario.startMs);
    source.snapshotAt(scenario.endMs - 1);
    const historyDays = scenario.evaluation?.historyDays ?? 0;
    const historyStartMs = scenario.startMs - historyDays * 86_400_000;
    if (historyDays > 0 && !servesYear(source, historyStartMs)) {
      return err(
        new TeError(
          'TE_ERR_WEATHER_RANGE',
          `the pre-period (evaluation.historyDays = ${historyDays}) starts before ${startYear}, the year the weather serves`,
          { path, hint: 'lower evaluation.historyDays or start the horizon later in the year' },
        ),
      );
    }
    return ok({ source, siteName: `${data.site.name}, ${data.site.state}` });
  } catch (caught) {
    if (isTeError(caught)) return err(caught);
    return err(new TeError('TE_ERR_WEATHER_FORMAT', String(caught), { path }));
  }
}
