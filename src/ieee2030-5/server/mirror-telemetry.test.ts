import { describe, expect, it } from 'vitest';
import { refusal } from '../refusal.fixture.js';
import type { MirrorMeterReading, Reading, ReadingType } from '../metering-mirror.js';
import { MAX_READINGS_PER_REQUEST, telemetryFromMirror } from './mirror-telemetry.js';

const WH_IMPORT: ReadingType = { flowDirection: 1, uom: 72 };
const reading = (start: number, value: number, duration = 300): Reading => ({
  timePeriod: { start, duration },
  value,
});
const mmr = (r: Partial<MirrorMeterReading>): { reading: MirrorMeterReading; path: string } => ({
  reading: { mRID: '01', ...r },
  path: '/MirrorMeterReading',
});
const none = () => undefined;

describe('telemetryFromMirror', () => {
  it('converts Wh and W interval readings with the multiplier, import positive and export negative', () => {
    const out = telemetryFromMirror(
      'AA',
      [
        mmr({ ReadingType: { ...WH_IMPORT, powerOfTenMultiplier: 3 }, Reading: reading(1000, 2) }),
        mmr({
          mRID: '02',
          ReadingType: { flowDirection: 19, uom: 38, powerOfTenMultiplier: -1 },
          MirrorReadingSet: [
            {
              mRID: '03',
              timePeriod: { start: 0, duration: 3600 },
              Reading: [reading(0, 12_000, 1800), reading(1800, 0, 1800)],
            },
          ],
        }),
      ],
      none,
    );
    expect(out).toEqual([
      { mirrorUsagePointMRID: 'AA', startS: 1000, durationS: 300, energyWh: 2000 },
      // 1,200 W on average for half an hour, exported.
      { mirrorUsagePointMRID: 'AA', startS: 0, durationS: 1800, energyWh: -600 },
      { mirrorUsagePointMRID: 'AA', startS: 1800, durationS: 1800, energyWh: 0 },
    ]);
    expect(Object.is(out[2]!.energyWh, 0)).toBe(true);
  });

  it('uses the stored ReadingType when the reading carries none, and skips descriptions without readings', () => {
    const known = (mRID: string) => (mRID === '01' ? WH_IMPORT : undefined);
    expect(telemetryFromMirror('AA', [mmr({ Reading: reading(0, 5) })], known)[0]!.energyWh).toBe(5);
    expect(telemetryFromMirror('AA', [mmr({ mRID: '09' })], known)).toEqual([]);
    expect(
      refusal(() => telemetryFromMirror('AA', [mmr({ mRID: '09', Reading: reading(0, 5) })], known)),
    ).toEqual(['TE_ERR_SEP_MIRROR', '/MirrorMeterReading/ReadingType']);
  });

  it('refuses what it cannot convert, naming the element', () => {
    const one = (type: ReadingType, r: Reading) => () =>
      telemetryFromMirror('AA', [mmr({ ReadingType: type, Reading: r })], none);
    const cases: [() => unknown, string][] = [
      [one({ ...WH_IMPORT, uom: 33 }, reading(0, 1)), '/MirrorMeterReading/ReadingType/uom'],
      [one({ uom: 72 }, reading(0, 1)), '/MirrorMeterReading/ReadingType/flowDirection'],
      [
        one({ ...WH_IMPORT, flowDirection: 2 }, reading(0, 1)),
        '/MirrorMeterReading/ReadingType/flowDirection',
      ],
      [one(WH_IMPORT, { value: 10 }), '/MirrorMeterReading/Reading/timePeriod'],
      [one(WH_IMPORT, reading(0, 1, 0)), '/MirrorMeterReading/Reading/timePeriod/duration'],
      [one(WH_IMPORT, { timePeriod: { start: 0, duration: 60 } }), '/MirrorMeterReading/Reading/value'],
      [one(WH_IMPORT, reading(0, -1)), '/MirrorMeterReading/Reading/value'],
      [one({ ...WH_IMPORT, powerOfTenMultiplier: 9 }, reading(0, 1001)), '/MirrorMeterReading/Reading/value'],
      [one({ ...WH_IMPORT, powerOfTenMultiplier: 127 }, reading(0, 1)), '/MirrorMeterReading/Reading/value'],
      [one(WH_IMPORT, reading(Number.MAX_SAFE_INTEGER - 10, 1)), '/MirrorMeterReading/Reading/timePeriod'],
    ];
    for (const [f, path] of cases) expect(refusal(f), path).toEqual(['TE_ERR_SEP_MIRROR', path]);
    // 1e12 Wh exactly is the largest accepted.
    expect(one({ ...WH_IMPORT, powerOfTenMultiplier: 9 }, reading(0, 1000))()[0]!.energyWh).toBe(1e12);
  });

  it(`takes ${MAX_READINGS_PER_REQUEST} readings in one request and refuses one more`, () => {
    const readings = (n: number) => Array.from({ length: n }, (_, i) => reading(i * 300, 1));
    const post = (n: number) => () =>
      telemetryFromMirror(
        'AA',
        [
          mmr({
            ReadingType: WH_IMPORT,
            Reading: reading(0, 1),
            MirrorReadingSet: [
              { mRID: '03', timePeriod: { start: 0, duration: 1 }, Reading: readings(n - 1) },
            ],
          }),
        ],
        none,
      );
    expect(post(MAX_READINGS_PER_REQUEST)()).toHaveLength(MAX_READINGS_PER_REQUEST);
    expect(refusal(post(MAX_READINGS_PER_REQUEST + 1))).toEqual(['TE_ERR_SEP_MIRROR', '/MirrorMeterReading']);
  });
});
