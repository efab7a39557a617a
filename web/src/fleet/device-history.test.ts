import { describe, expect, it } from 'vitest';
import { comfortSeries, deviceIdOfPath, hasValues, holdForward, priceSeries } from './device-history';

const samples = [
  {
    deviceId: 'd',
    timeMs: 2_000,
    powerKw: 3,
    indoorTempF: 75,
    comfortLowF: 68,
    comfortHighF: 76,
    bidPricePerKwh: 0.3,
  },
  {
    deviceId: 'd',
    timeMs: 1_000,
    powerKw: 0,
    indoorTempF: 73,
    comfortLowF: 68,
    comfortHighF: 76,
    expectedPricePerKwh: 0.2,
  },
  {
    deviceId: 'd',
    timeMs: 1_000,
    powerKw: 1,
    indoorTempF: 73,
    comfortLowF: 68,
    comfortHighF: 76,
    expectedPricePerKwh: 0.2,
  },
];

describe('device history series', () => {
  it('orders samples in time, one per time, with gaps as null', () => {
    const s = priceSeries(samples);
    expect(s.timesMs).toEqual([1_000, 2_000]);
    expect(s.powerKw).toEqual([1, 3]);
    // A price holds until the next one, and not past the last.
    expect(s.expectedPricePerKwh).toEqual([0.2, null]);
    expect(s.bidPricePerKwh).toEqual([null, 0.3]);
    expect(hasValues(s.clearingPricePerKwh)).toBe(false);
  });

  it('holds a price until the next one, leaving the ends empty', () => {
    expect(holdForward([null, 1, null, null, 2, null])).toEqual([null, 1, 1, 1, 2, null]);
    expect(holdForward([null, null])).toEqual([null, null]);
  });

  it('gives thermal devices a temperature chart with the band, storage a state of charge, others none', () => {
    const thermal = comfortSeries(samples)!;
    expect(thermal.kind).toBe('temperature');
    expect(thermal.value).toEqual([73, 75]);
    expect(thermal.highF).toEqual([76, 76]);
    const tank = comfortSeries([{ deviceId: 'w', timeMs: 1, powerKw: 4, tankTempF: 120 }])!;
    expect(tank.value).toEqual([120]);
    const battery = comfortSeries([{ deviceId: 'b', timeMs: 1, powerKw: -2, socPct: 55 }])!;
    expect(battery).toMatchObject({ kind: 'soc', value: [55] });
    expect(comfortSeries([{ deviceId: 'pv', timeMs: 1, powerKw: -3 }])).toBeUndefined();
  });

  it('reads the device id of a fleet path', () => {
    expect(deviceIdOfPath('/fleet/home-7-hvac')).toBe('home-7-hvac');
    expect(deviceIdOfPath('/fleet/a%20b')).toBe('a b');
    expect(deviceIdOfPath('/fleet')).toBeUndefined();
    expect(deviceIdOfPath('/fleet/')).toBeUndefined();
  });
});
