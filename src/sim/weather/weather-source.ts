/**
 * Weather for any instant from a TMY3 year: the typical year's month/day/hour is mapped onto the requested
 * calendar (29 February reuses 28 February), values are interpolated linearly between hours, and the
 * sun's position is computed for the site at the exact instant.
 *
 * Placement in time: TMY3 temperature, humidity and wind are instantaneous readings at the stamped hour
 * end; irradiance is the energy of the hour ending at the stamp, so it is placed at the middle of that
 * hour. Irradiance is zero while the sun is below the horizon.
 */
import { TeError } from '../../core/errors.js';
import { solarPosition } from '../../der/solar-position.js';
import type { WeatherSnapshot } from '../../der/types.js';
import { TMY3_HOURS, type Tmy3Data, type Tmy3Site } from './tmy3-parser.js';

export interface WeatherSource {
  readonly site: Tmy3Site;
  snapshotAt(timeMs: number): WeatherSnapshot;
}

export interface WeatherSourceOptions {
  /** Calendar year (local standard time) the source serves; other times are TE_ERR_WEATHER_RANGE. */
  readonly year?: number;
}

const MS_PER_HOUR = 3_600_000;
const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;

/** Hours since 1 January 00:00 local standard time of a non-leap year, in [0, 8760). */
export function typicalYearHour(localStandardMs: number): {
  readonly year: number;
  readonly hourOfYear: number;
} {
  const date = new Date(localStandardMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = Math.min(date.getUTCDate(), month === 1 ? 28 : 31);
  const msOfDay = localStandardMs - Date.UTC(year, month, date.getUTCDate());
  const dayOfYear = (CUMULATIVE_DAYS[month] ?? 0) + day - 1;
  return { year, hourOfYear: dayOfYear * 24 + msOfDay / MS_PER_HOUR };
}

function interpolate(values: Float64Array, position: number): number {
  const wrapped = ((position % TMY3_HOURS) + TMY3_HOURS) % TMY3_HOURS;
  const lower = Math.floor(wrapped);
  const fraction = wrapped - lower;
  const a = values[lower] ?? 0;
  const b = values[(lower + 1) % TMY3_HOURS] ?? 0;
  return a + (b - a) * fraction;
}

export function createWeatherSource(data: Tmy3Data, options: WeatherSourceOptions = {}): WeatherSource {
  const offsetMs = data.site.utcOffsetHours * MS_PER_HOUR;
  return {
    site: data.site,
    snapshotAt(timeMs: number): WeatherSnapshot {
      if (!Number.isFinite(timeMs)) {
        throw new TeError('TE_ERR_WEATHER_RANGE', `time ${String(timeMs)} is not a finite epoch millisecond`);
      }
      const { year, hourOfYear } = typicalYearHour(timeMs + offsetMs);
      if (options.year !== undefined && year !== options.year) {
        throw new TeError(
          'TE_ERR_WEATHER_RANGE',
          `time ${new Date(timeMs).toISOString()} falls in ${year} (local standard time at ${data.site.name}), but the weather serves ${options.year}`,
          { hint: `keep the simulated horizon within ${options.year}` },
        );
      }
      // Row k is stamped at hour k + 1 (hour ending); irradiance belongs to the middle of its hour.
      const instantPosition = hourOfYear - 1;
      const irradiancePosition = hourOfYear - 0.5;
      const sun = solarPosition(data.site.latitudeDeg, data.site.longitudeDeg, timeMs);
      const daylight = sun.zenithDeg < 90;
      return {
        timeMs,
        outdoorTempC: interpolate(data.dryBulbC, instantPosition),
        ghiWm2: daylight ? interpolate(data.ghiWm2, irradiancePosition) : 0,
        dniWm2: daylight ? interpolate(data.dniWm2, irradiancePosition) : 0,
        dhiWm2: daylight ? interpolate(data.dhiWm2, irradiancePosition) : 0,
        windSpeedMps: interpolate(data.windSpeedMps, instantPosition),
        solarZenithDeg: sun.zenithDeg,
        solarAzimuthDeg: sun.azimuthDeg,
      };
    },
  };
}
