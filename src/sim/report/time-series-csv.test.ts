import { describe, expect, it } from 'vitest';
import { csvField, timeSeriesCsv, timeSeriesCsvLines } from './time-series-csv.js';
import { makeTestResult } from './test-result.fixture.js';

function rows(csv: string): string[] {
  expect(csv.endsWith('\r\n')).toBe(true);
  return csv.slice(0, -2).split('\r\n');
}

describe('timeSeriesCsv', () => {
  const result = makeTestResult();

  it('writes a header with units and one row per slot', () => {
    const lines = rows(timeSeriesCsv(result));
    expect(lines).toHaveLength(1 + 12);
    const header = (lines[0] ?? '').split(',');
    expect(header.slice(0, 9)).toEqual([
      'time',
      'te_substation_load_kw',
      'baseline_substation_load_kw',
      'te_clearing_price_per_kwh',
      'baseline_clearing_price_per_kwh',
      'te_cleared_quantity_kw',
      'baseline_cleared_quantity_kw',
      'te_clearing_type',
      'baseline_clearing_type',
    ]);
    expect(header).toContain('te_indoor_temp_mean_f');
    expect(header).toContain('baseline_indoor_temp_max_f');
    expect(header).toContain('te_load_water_heater_kw');
    expect(header).toContain('baseline_load_pv_kw');
    for (const line of lines) expect(line.split(',')).toHaveLength(header.length);
  });

  it('writes times in ISO 8601 with the scenario offset', () => {
    const lines = rows(timeSeriesCsv(result));
    expect(lines[1]?.startsWith('2024-07-01T12:00:00-07:00,')).toBe(true);
    expect(lines[12]?.startsWith('2024-07-01T23:00:00-07:00,')).toBe(true);
    const utc = makeTestResult({ meta: { utcOffsetMinutes: 0 } });
    expect(rows(timeSeriesCsv(utc))[1]?.startsWith('2024-07-01T19:00:00Z,')).toBe(true);
  });

  it('writes values, leaving non-finite ones empty', () => {
    const base = makeTestResult({ slots: 2 });
    const load = Float64Array.from([1.25, Number.NaN]);
    const result = { ...base, te: { ...base.te, series: { ...base.te.series, substationLoadKw: load } } };
    const lines = rows(timeSeriesCsv(result));
    expect(lines[1]?.split(',')[1]).toBe('1.25');
    expect(lines[2]?.split(',')[1]).toBe('');
    expect(lines[1]?.split(',')[7]).toBe('marginal-seller');
  });

  it('quotes fields as RFC 4180 says and keeps column names unique', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const base = makeTestResult({ slots: 1 });
    const odd = { 'Heat Pump, "big"': Float64Array.from([1]), 'heat-pump big': Float64Array.from([2]) };
    const result = { ...base, te: { ...base.te, series: { ...base.te.series, loadByKindKw: odd } } };
    const header = (rows(timeSeriesCsv(result))[0] ?? '').split(',');
    expect(header).toContain('te_load_heat_pump_big_1_kw');
    expect(header).toContain('te_load_heat_pump_big_2_kw');
    expect(new Set(header).size).toBe(header.length);
  });

  it('streams line by line and handles an empty result', () => {
    const big = makeTestResult({ slots: 10_000, marketPeriodMinutes: 5 });
    let count = 0;
    for (const line of timeSeriesCsvLines(big)) {
      expect(line.endsWith('\r\n')).toBe(true);
      count++;
    }
    expect(count).toBe(10_001);
    expect(rows(timeSeriesCsv(makeTestResult({ slots: 0 })))).toHaveLength(1);
  });
});
