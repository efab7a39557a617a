import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTmy3 } from './tmy3-parser.js';
import { createWeatherSource, typicalYearHour } from './weather-source.js';

const data = parseTmy3(
  readFileSync(
    new URL('../../../scenarios/weather/AZ-Tucson_International_Ap.tmy3', import.meta.url),
    'utf8',
  ),
);
const HOUR = 3_600_000;
/** Tucson local standard time (UTC−7) to epoch ms. */
const local = (year: number, month: number, day: number, hour: number, minute = 0) =>
  Date.UTC(year, month - 1, day, hour, minute) + 7 * HOUR;

describe('TMY weather source', () => {
  const source = createWeatherSource(data, { year: 2023 });
  it('returns the stamped hour values at the stamps', () => {
    // Row 1 is 01/01 01:00 (7.2 °C), row 2 is 02:00 (7.2), row 3 is 03:00 (6.7).
    expect(source.snapshotAt(local(2023, 1, 1, 1)).outdoorTempC).toBeCloseTo(7.2, 12);
    expect(source.snapshotAt(local(2023, 1, 1, 3)).outdoorTempC).toBeCloseTo(6.7, 12);
    // Row 8760 (12/31 24:00) is 9.0 °C; it is also the value at 01/01 00:00 of the same typical year.
    expect(source.snapshotAt(local(2023, 1, 1, 0)).outdoorTempC).toBeCloseTo(9.0, 12);
  });
  it('interpolates linearly between hours', () => {
    expect(source.snapshotAt(local(2023, 1, 1, 2, 30)).outdoorTempC).toBeCloseTo((7.2 + 6.7) / 2, 12);
  });
  it('maps the typical year onto the calendar by month/day/hour', () => {
    const row = (m: number, d: number, h: number) => typicalYearHour(Date.UTC(2023, m - 1, d, h)).hourOfYear;
    expect(row(3, 1, 0)).toBe(59 * 24);
    // A leap year: 29 February reuses 28 February, 1 March is day 59 again.
    expect(typicalYearHour(Date.UTC(2024, 1, 29, 5)).hourOfYear).toBe(58 * 24 + 5);
    expect(typicalYearHour(Date.UTC(2024, 2, 1, 0)).hourOfYear).toBe(59 * 24);
  });
  it('gives a summer afternoon with a high sun and strong irradiance, and dark nights', () => {
    const noon = source.snapshotAt(local(2023, 6, 21, 12, 40));
    expect(noon.solarZenithDeg).toBeLessThan(12);
    expect(noon.outdoorTempC).toBeGreaterThan(30);
    expect(noon.ghiWm2).toBeGreaterThan(600);
    const night = source.snapshotAt(local(2023, 6, 21, 23));
    expect(night.solarZenithDeg).toBeGreaterThan(90);
    expect(night.ghiWm2).toBe(0);
  });
  it('rejects times outside the chosen year', () => {
    expect(() => source.snapshotAt(local(2024, 1, 1, 1))).toThrowError(
      expect.objectContaining({ code: 'TE_ERR_WEATHER_RANGE' }) as Error,
    );
    expect(() => createWeatherSource(data).snapshotAt(local(2030, 7, 1, 12))).not.toThrow();
  });
});
