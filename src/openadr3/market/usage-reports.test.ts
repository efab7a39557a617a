import { describe, expect, it } from 'vitest';
import { MAX_REPORT_READINGS, readingsFromReport, usageReportBody } from './usage-reports.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function reportWith(intervals: unknown[], extra: Record<string, unknown> = {}) {
  return {
    payloadDescriptors: [
      { objectType: 'REPORT_PAYLOAD_DESCRIPTOR' as const, payloadType: 'USAGE', units: 'KWH' },
    ],
    resources: [
      { resourceName: 'p1', intervalPeriod: { start: '2026-01-01T00:00:00Z', duration: 'PT5M' }, intervals },
    ],
    ...extra,
  } as Parameters<typeof readingsFromReport>[0];
}

function essentials(result: ReturnType<typeof readingsFromReport>) {
  if (!result.ok) throw result.error;
  return result.value.map(({ meterId, timeMs, energyWh }) => ({ meterId, timeMs, energyWh }));
}

describe('usage reports', () => {
  it('round-trips the builder through the parser', () => {
    const body = usageReportBody({
      eventID: 'e1',
      clientName: 'home',
      meterId: 'p1',
      intervals: [
        { startMs: T0, durationMs: 300_000, energyWh: 125 },
        { startMs: T0 + 300_000, durationMs: 300_000, energyWh: -40 },
      ],
    });
    const readings = readingsFromReport(body);
    expect(essentials(readings)).toEqual([
      { meterId: 'p1', timeMs: T0, energyWh: 125 },
      { meterId: 'p1', timeMs: T0 + 300_000, energyWh: -40 },
    ]);
  });

  it('follows the resource period for intervals without their own, and converts DEMAND', () => {
    const report = reportWith([
      { id: 0, payloads: [{ type: 'USAGE', values: [0.5] }] },
      { id: 1, payloads: [{ type: 'DEMAND', values: [1.2] }] },
      { id: 2, payloads: [{ type: 'STORAGE_CHARGE_LEVEL', values: [50] }] },
    ]);
    expect(essentials(readingsFromReport(report))).toEqual([
      { meterId: 'p1', timeMs: T0, energyWh: 500 },
      { meterId: 'p1', timeMs: T0 + 300_000, energyWh: 100 },
    ]);
  });

  it('refuses bad values, periods and overlaps with a path', () => {
    const cases: [unknown[], string][] = [
      [[{ id: 0, payloads: [{ type: 'USAGE', values: ['NaN'] }] }], 'resources[0].intervals[0].payloads'],
      [[{ id: 0, payloads: [{ type: 'USAGE', values: [1, 2] }] }], 'resources[0].intervals[0].payloads'],
      [[{ id: 0, payloads: [{ type: 'USAGE', values: [1e12] }] }], 'resources[0].intervals[0].payloads'],
      [
        [{ id: 0, intervalPeriod: { duration: '-PT5M' }, payloads: [{ type: 'USAGE', values: [1] }] }],
        'resources[0].intervals[0].intervalPeriod.duration',
      ],
      [
        [
          {
            id: 0,
            intervalPeriod: { start: '2026-01-01T00:01:00Z' },
            payloads: [{ type: 'USAGE', values: [1] }],
          },
        ],
        'resources[0].intervals[0].intervalPeriod.start',
      ],
      [
        [
          { id: 0, payloads: [{ type: 'USAGE', values: [1] }] },
          {
            id: 1,
            intervalPeriod: { start: '2026-01-01T00:00:00Z' },
            payloads: [{ type: 'USAGE', values: [1] }],
          },
        ],
        'resources[0].intervals[1]',
      ],
    ];
    for (const [intervals, path] of cases) {
      const result = readingsFromReport(reportWith(intervals));
      expect(result.ok, JSON.stringify(intervals)).toBe(false);
      if (!result.ok) expect(result.error.path).toBe(path);
    }
  });

  it('refuses unknown units and too many readings', () => {
    const units = readingsFromReport(
      reportWith([{ id: 0, payloads: [{ type: 'USAGE', values: [1] }] }], {
        payloadDescriptors: [{ objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', units: 'BTU' }],
      }),
    );
    expect(units.ok).toBe(false);
    const many = Array.from({ length: MAX_REPORT_READINGS + 1 }, (_, id) => ({
      id,
      payloads: [{ type: 'USAGE', values: [0.1] }],
    }));
    const result = readingsFromReport(reportWith(many));
    expect(result.ok).toBe(false);
  });

  it('gives no readings for a report without USAGE or DEMAND', () => {
    const result = readingsFromReport(reportWith([{ id: 0, payloads: [{ type: 'X', values: ['y'] }] }]));
    expect(result).toEqual({ ok: true, value: [] });
  });

  it('keeps intervals with no start anywhere as report only', () => {
    const report = reportWith([{ id: 0, payloads: [{ type: 'USAGE', values: [1.5] }] }]);
    const untimed = {
      ...report,
      resources: [{ resourceName: 'meter', intervals: report.resources[0]?.intervals ?? [] }],
    };
    expect(readingsFromReport(untimed)).toEqual({ ok: true, value: [] });
  });
});
