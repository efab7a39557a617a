import { describe, expect, it } from 'vitest';
import { solarPosition, sunEphemeris } from './solar-position.js';

const TUCSON = { lat: 32.133, lon: -110.95 };

describe('solar position', () => {
  it('solar noon zenith at Tucson on the June solstice is latitude − 23.44°', () => {
    // Scan the day for the minimum zenith (solar noon is near 19:20 UTC at this longitude).
    let best = 90;
    let bestAzimuth = 0;
    for (let m = 18 * 60; m < 21 * 60; m++) {
      const p = solarPosition(TUCSON.lat, TUCSON.lon, Date.UTC(2023, 5, 21, 0, m));
      if (p.zenithDeg < best) {
        best = p.zenithDeg;
        bestAzimuth = p.azimuthDeg;
      }
    }
    expect(best).toBeGreaterThan(8.7 - 0.1);
    expect(best).toBeLessThan(8.7 + 0.1);
    expect(Math.abs(bestAzimuth - 180)).toBeLessThan(15); // near-overhead sun swings fast through south
  });

  it('winter solstice noon zenith is latitude + 23.44°', () => {
    let best = 90;
    for (let m = 18 * 60; m < 21 * 60; m++) {
      best = Math.min(best, solarPosition(TUCSON.lat, TUCSON.lon, Date.UTC(2023, 11, 22, 0, m)).zenithDeg);
    }
    expect(best).toBeCloseTo(32.133 + 23.44, 0);
  });

  it('equinox sunrise is due east, sunset due west, at the equator', () => {
    // 2024-03-20, equator, Greenwich: sunrise ~06:07 UTC.
    const rise = solarPosition(0, 0, Date.UTC(2024, 2, 20, 6, 7));
    expect(rise.zenithDeg).toBeCloseTo(90, 0);
    expect(rise.azimuthDeg).toBeCloseTo(90, 0);
    const set = solarPosition(0, 0, Date.UTC(2024, 2, 20, 18, 7));
    expect(set.zenithDeg).toBeCloseTo(90, 0);
    expect(set.azimuthDeg).toBeCloseTo(270, 0);
  });

  it('declination and equation of time match the almanac', () => {
    // Astronomical almanac: 2024-11-03 00:00 UT, eq. of time ≈ +16.4 min, declination ≈ −14.9°.
    const nov = sunEphemeris(Date.UTC(2024, 10, 3));
    expect(nov.equationOfTimeMin).toBeCloseTo(16.4, 0);
    expect(nov.declinationDeg).toBeCloseTo(-14.9, 0);
    // 2024-02-11: eq. of time ≈ −14.2 min.
    expect(sunEphemeris(Date.UTC(2024, 1, 11, 12)).equationOfTimeMin).toBeCloseTo(-14.2, 0);
  });

  it('is below the horizon at local midnight', () => {
    expect(solarPosition(TUCSON.lat, TUCSON.lon, Date.UTC(2023, 5, 21, 7)).zenithDeg).toBeGreaterThan(90);
  });
});
