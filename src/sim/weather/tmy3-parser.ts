/**
 * TMY3 typical-meteorological-year CSV (NREL/TP-581-43156) into typed arrays. Line 1 holds the site
 * (`id,"name",state,utcOffsetHours,lat,lon,elevation`), line 2 the column names, then 8760 hourly rows in
 * local standard time, each stamped at the end of its hour (01:00 … 24:00). The year in the dates varies
 * by month (each month is picked from a different real year), so only month/day/hour carry meaning.
 *
 * Pure: takes the file's text, returns data or throws TE_ERR_WEATHER_FORMAT with `source:line`.
 */
import { TeError } from '../../core/errors.js';

export interface Tmy3Site {
  readonly stationId: string;
  readonly name: string;
  readonly state: string;
  readonly utcOffsetHours: number;
  readonly latitudeDeg: number;
  readonly longitudeDeg: number;
  readonly elevationM: number;
}

export interface Tmy3Data {
  readonly site: Tmy3Site;
  /** Calendar of each row: month 1–12, day 1–31, hour-ending 1–24 (local standard time). */
  readonly month: Uint8Array;
  readonly day: Uint8Array;
  readonly hourEnding: Uint8Array;
  readonly ghiWm2: Float64Array;
  readonly dniWm2: Float64Array;
  readonly dhiWm2: Float64Array;
  readonly dryBulbC: Float64Array;
  readonly dewPointC: Float64Array;
  readonly relativeHumidityPct: Float64Array;
  readonly pressureMbar: Float64Array;
  readonly windDirectionDeg: Float64Array;
  readonly windSpeedMps: Float64Array;
}

export const TMY3_HOURS = 8760;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const COLUMNS = {
  date: 'Date (MM/DD/YYYY)',
  time: 'Time (HH:MM)',
  ghi: 'GHI (W/m^2)',
  dni: 'DNI (W/m^2)',
  dhi: 'DHI (W/m^2)',
  dryBulb: 'Dry-bulb (C)',
  dewPoint: 'Dew-point (C)',
  humidity: 'RHum (%)',
  pressure: 'Pressure (mbar)',
  windDirection: 'Wdir (degrees)',
  windSpeed: 'Wspd (m/s)',
} as const;
type ColumnKey = keyof typeof COLUMNS;

function formatError(source: string, line: number, message: string, hint: string): TeError {
  return new TeError('TE_ERR_WEATHER_FORMAT', message, { path: `${source}:${line}`, hint });
}

/** Splits one CSV line, honouring double quotes (only the site name uses them). */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}

function parseNumber(text: string | undefined, source: string, line: number, what: string): number {
  const trimmed = (text ?? '').trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) {
    throw formatError(
      source,
      line,
      `${what} is not a number: ${JSON.stringify(text ?? '')}`,
      'each value must be a decimal number; check that the file is an unmodified TMY3 CSV',
    );
  }
  return value;
}

function parseSite(line: string | undefined, source: string): Tmy3Site {
  const fields = splitCsv(line ?? '');
  if (fields.length < 7) {
    throw formatError(
      source,
      1,
      `site line has ${fields.length} fields, expected 7 (id,"name",state,utcOffsetHours,lat,lon,elevation)`,
      'the first line of a TMY3 file describes the station',
    );
  }
  const site: Tmy3Site = {
    stationId: (fields[0] ?? '').trim(),
    name: (fields[1] ?? '').trim(),
    state: (fields[2] ?? '').trim(),
    utcOffsetHours: parseNumber(fields[3], source, 1, 'UTC offset'),
    latitudeDeg: parseNumber(fields[4], source, 1, 'latitude'),
    longitudeDeg: parseNumber(fields[5], source, 1, 'longitude'),
    elevationM: parseNumber(fields[6], source, 1, 'elevation'),
  };
  if (
    Math.abs(site.latitudeDeg) > 90 ||
    Math.abs(site.longitudeDeg) > 180 ||
    Math.abs(site.utcOffsetHours) > 14
  ) {
    throw formatError(
      source,
      1,
      'site latitude, longitude or UTC offset out of range',
      'check the site line',
    );
  }
  return site;
}

/** Parses TMY3 text. `source` names the file in error paths (`source:line`). */
export function parseTmy3(text: string, source = 'weather'): Tmy3Data {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  const site = parseSite(lines[0], source);
  if (lines.length < 2)
    throw formatError(source, 2, 'the column-name line is missing', 'the file is truncated');
  const header = splitCsv(lines[1] ?? '').map((h) => h.trim());
  const index = {} as Record<ColumnKey, number>;
  for (const key of Object.keys(COLUMNS) as ColumnKey[]) {
    const at = header.indexOf(COLUMNS[key]);
    if (at < 0) {
      throw formatError(
        source,
        2,
        `column "${COLUMNS[key]}" is missing`,
        'use a TMY3 file with the standard column names',
      );
    }
    index[key] = at;
  }
  const dataRows = lines.length - 2;
  if (dataRows > TMY3_HOURS) {
    throw formatError(
      source,
      2 + TMY3_HOURS + 1,
      `${dataRows} hourly rows, expected ${TMY3_HOURS}`,
      'remove the extra rows',
    );
  }
  const floats = (): Float64Array => new Float64Array(TMY3_HOURS);
  const data = {
    site,
    month: new Uint8Array(TMY3_HOURS),
    day: new Uint8Array(TMY3_HOURS),
    hourEnding: new Uint8Array(TMY3_HOURS),
    ghiWm2: floats(),
    dniWm2: floats(),
    dhiWm2: floats(),
    dryBulbC: floats(),
    dewPointC: floats(),
    relativeHumidityPct: floats(),
    pressureMbar: floats(),
    windDirectionDeg: floats(),
    windSpeedMps: floats(),
  };
  let expectedMonth = 1;
  let expectedDay = 1;
  let expectedHour = 1;
  for (let row = 0; row < dataRows; row++) {
    const lineNumber = row + 3;
    const fields = (lines[row + 2] ?? '').split(',');
    if (fields.length !== header.length) {
      throw formatError(
        source,
        lineNumber,
        `row has ${fields.length} columns, expected ${header.length} as in the column-name line`,
        'the row is damaged or cut short',
      );
    }
    const date = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((fields[index.date] ?? '').trim());
    const time = /^(\d{1,2}):00$/.exec((fields[index.time] ?? '').trim());
    if (date === null || time === null) {
      throw formatError(
        source,
        lineNumber,
        'date or time is not MM/DD/YYYY and HH:00',
        'check the first two columns',
      );
    }
    const month = Number(date[1]);
    const day = Number(date[2]);
    const hour = Number(time[1]);
    if (month !== expectedMonth || day !== expectedDay || hour !== expectedHour) {
      throw formatError(
        source,
        lineNumber,
        `row is ${month}/${day} ${hour}:00, expected ${expectedMonth}/${expectedDay} ${expectedHour}:00 (hourly rows of a non-leap year in order)`,
        'TMY3 rows must run hour by hour from 01/01 01:00 to 12/31 24:00',
      );
    }
    data.month[row] = month;
    data.day[row] = day;
    data.hourEnding[row] = hour;
    data.ghiWm2[row] = parseNumber(fields[index.ghi], source, lineNumber, COLUMNS.ghi);
    data.dniWm2[row] = parseNumber(fields[index.dni], source, lineNumber, COLUMNS.dni);
    data.dhiWm2[row] = parseNumber(fields[index.dhi], source, lineNumber, COLUMNS.dhi);
    data.dryBulbC[row] = parseNumber(fields[index.dryBulb], source, lineNumber, COLUMNS.dryBulb);
    data.dewPointC[row] = parseNumber(fields[index.dewPoint], source, lineNumber, COLUMNS.dewPoint);
    data.relativeHumidityPct[row] = parseNumber(fields[index.humidity], source, lineNumber, COLUMNS.humidity);
    data.pressureMbar[row] = parseNumber(fields[index.pressure], source, lineNumber, COLUMNS.pressure);
    data.windDirectionDeg[row] = parseNumber(
      fields[index.windDirection],
      source,
      lineNumber,
      COLUMNS.windDirection,
    );
    data.windSpeedMps[row] = parseNumber(fields[index.windSpeed], source, lineNumber, COLUMNS.windSpeed);
    expectedHour++;
    if (expectedHour > 24) {
      expectedHour = 1;
      expectedDay++;
      if (expectedDay > (DAYS_IN_MONTH[expectedMonth - 1] ?? 31)) {
        expectedDay = 1;
        expectedMonth++;
      }
    }
  }
  if (dataRows < TMY3_HOURS) {
    throw formatError(
      source,
      lines.length + 1,
      `file ends after ${dataRows} hourly rows, expected ${TMY3_HOURS}`,
      'the file is truncated; download it again',
    );
  }
  return data;
}
