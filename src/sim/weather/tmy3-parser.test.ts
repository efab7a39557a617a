import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TeError } from '../../core/errors.js';
import { loadTmy3File } from './load-weather-file.js';
import { parseTmy3, TMY3_HOURS } from './tmy3-parser.js';

const TUCSON_PATH = new URL('../../../scenarios/weather/AZ-Tucson_International_Ap.tmy3', import.meta.url);
const tucsonText = readFileSync(TUCSON_PATH, 'utf8');

function formatErrorOf(text: string): TeError {
  try {
    parseTmy3(text, 'test.tmy3');
  } catch (error) {
    if (error instanceof TeError) return error;
    throw error;
  }
  throw new Error('expected a TE_ERR_WEATHER_FORMAT error');
}

function withLine(lineNumber: number, edit: (line: string) => string): string {
  const lines = tucsonText.split('\n');
  lines[lineNumber - 1] = edit(lines[lineNumber - 1] ?? '');
  return lines.join('\n');
}

describe('TMY3 parser on the Tucson file', () => {
  const data = parseTmy3(tucsonText);
  it('reads the site', () => {
    expect(data.site).toEqual({
      stationId: '722740',
      name: 'TUCSON INTERNATIONAL AP',
      state: 'AZ',
      utcOffsetHours: -7,
      latitudeDeg: 32.133,
      longitudeDeg: -110.95,
      elevationM: 777,
    });
  });
  it('reads 8760 hours with the right first and last values', () => {
    expect(data.dryBulbC).toHaveLength(TMY3_HOURS);
    expect(data.dryBulbC[0]).toBe(7.2);
    expect(data.windSpeedMps[0]).toBe(2.1);
    expect(data.month[TMY3_HOURS - 1]).toBe(12);
    expect(data.hourEnding[TMY3_HOURS - 1]).toBe(24);
    expect(data.dryBulbC[TMY3_HOURS - 1]).toBe(9.0);
  });
  it('has a desert climate: hot summers, bright sun, no irradiance at night', () => {
    expect(Math.max(...data.dryBulbC)).toBeGreaterThan(40);
    expect(Math.max(...data.dniWm2)).toBeGreaterThan(900);
    expect(data.ghiWm2[0]).toBe(0);
    const annualGhiKwhPerM2 = data.ghiWm2.reduce((a, b) => a + b, 0) / 1000;
    expect(annualGhiKwhPerM2).toBeGreaterThan(1900);
    expect(annualGhiKwhPerM2).toBeLessThan(2300);
  });
  it('loads the same data from disk', () => {
    expect(loadTmy3File(TUCSON_PATH.pathname).dryBulbC).toEqual(data.dryBulbC);
  });
});

describe('TMY3 malformed input', () => {
  it('wrong column count names the line', () => {
    const error = formatErrorOf(withLine(10, (l) => l.split(',').slice(0, 30).join(',')));
    expect(error.code).toBe('TE_ERR_WEATHER_FORMAT');
    expect(error.path).toBe('test.tmy3:10');
    expect(error.message).toContain('30 columns');
  });
  it('a non-numeric value names the line and the column', () => {
    const error = formatErrorOf(withLine(100, (l) => l.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, '$1abc')));
    expect(error.code).toBe('TE_ERR_WEATHER_FORMAT');
    expect(error.path).toBe('test.tmy3:100');
    expect(error.message).toContain('GHI');
  });
  it('a truncated file says how many rows it has', () => {
    const text = tucsonText.split('\n').slice(0, 5000).join('\n');
    const error = formatErrorOf(text);
    expect(error.code).toBe('TE_ERR_WEATHER_FORMAT');
    expect(error.message).toContain('4998 hourly rows');
    expect(error.path).toBe('test.tmy3:5001');
  });
  it('rows out of order are rejected', () => {
    const error = formatErrorOf(withLine(30, (l) => l.replace(/^01\/02\/2002,04:00/, '01/02/2002,05:00')));
    expect(error.path).toBe('test.tmy3:30');
  });
  it('a broken site line and missing columns are reported', () => {
    expect(formatErrorOf(withLine(1, () => '722740,"TUCSON",AZ,x,32,-110,777')).path).toBe('test.tmy3:1');
    expect(formatErrorOf(withLine(2, (l) => l.replace('Dry-bulb (C)', 'Temp'))).message).toContain(
      'Dry-bulb',
    );
    expect(formatErrorOf('').path).toBe('test.tmy3:1');
  });
  it('a missing file is a coded error', () => {
    expect(() => loadTmy3File('/nonexistent/file.tmy3')).toThrowError(
      expect.objectContaining({ code: 'TE_ERR_FILE_NOT_FOUND' }) as Error,
    );
  });
});
