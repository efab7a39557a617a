import { describe, expect, it } from 'vitest';
import { energyTotals, readingSeries, readingsCsv } from './meter-history';

const readings = [
  { meterId: 'home-1', timeMs: Date.UTC(2026, 6, 15, 0, 5), energyWh: -300 },
  { meterId: 'home-1', timeMs: Date.UTC(2026, 6, 15, 0, 0), energyWh: 1200 },
];

describe('meter history', () => {
  it('totals imports and exports in kWh (import positive)', () => {
    expect(energyTotals(readings)).toEqual({ importedKwh: 1.2, exportedKwh: 0.3, netKwh: 0.9, readings: 2 });
  });

  it('orders the chart series by time', () => {
    expect(readingSeries(readings)).toEqual({
      timesMs: [Date.UTC(2026, 6, 15, 0, 0), Date.UTC(2026, 6, 15, 0, 5)],
      energyKwh: [1.2, -0.3],
    });
  });

  it('writes RFC 4180 CSV with CRLF and quotes a meter id that needs it', () => {
    expect(readingsCsv(readings)).toBe(
      'meter_id,interval_start,energy_wh\r\n' +
        'home-1,2026-07-15T00:00:00.000Z,1200\r\n' +
        'home-1,2026-07-15T00:05:00.000Z,-300\r\n',
    );
    expect(readingsCsv([{ meterId: 'a,"b', timeMs: 0, energyWh: 1 }])).toContain('"a,""b",');
  });
});
