import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { createPv, DEFAULT_PV_PARAMS, pvAcOutputKw, samplePvParams, validatePvParams } from './pv.js';
import { solarPosition } from './solar-position.js';
import type { MarketSignal, WeatherSnapshot } from './types.js';

function clearSky(timeMs: number, outdoorTempC = 25): WeatherSnapshot {
  const sun = solarPosition(32.133, -110.95, timeMs);
  const cosZ = Math.max(0, Math.cos((sun.zenithDeg * Math.PI) / 180));
  const dni = cosZ > 0 ? 900 : 0;
  const dhi = cosZ > 0 ? 100 : 0;
  return {
    timeMs,
    outdoorTempC,
    ghiWm2: dni * cosZ + dhi,
    dniWm2: dni,
    dhiWm2: dhi,
    windSpeedMps: 1,
    solarZenithDeg: sun.zenithDeg,
    solarAzimuthDeg: sun.azimuthDeg,
  };
}
const NOON_MARCH = Date.UTC(2023, 2, 21, 19, 20);
const MIDNIGHT = Date.UTC(2023, 2, 21, 7, 0);

describe('PV', () => {
  it('produces nothing at night', () => {
    const pv = createPv('pv', DEFAULT_PV_PARAMS, 'transactive');
    expect(pv.step(clearSky(MIDNIGHT), MIDNIGHT, 300)).toBe(-0);
    expect(pv.bid({} as MarketSignal, clearSky(MIDNIGHT))).toEqual([]);
  });
  it('at clear-sky noon produces near its rating, as generation (negative)', () => {
    const params = { ...DEFAULT_PV_PARAMS, inverterKva: 100 }; // no clipping
    const kw = createPv('pv', params, 'baseline').step(clearSky(NOON_MARCH, 20), NOON_MARCH, 300);
    expect(kw).toBeLessThan(0);
    expect(-kw / params.ratedDcKw).toBeGreaterThan(0.75);
    expect(-kw / params.ratedDcKw).toBeLessThan(1.0);
  });
  it('clips at the inverter kVA limit', () => {
    const params = { ...DEFAULT_PV_PARAMS, ratedDcKw: 10, inverterKva: 4 };
    expect(pvAcOutputKw(params, clearSky(NOON_MARCH))).toBe(4);
  });
  it('loses power as the cells heat', () => {
    const cool = pvAcOutputKw({ ...DEFAULT_PV_PARAMS, inverterKva: 100 }, clearSky(NOON_MARCH, 0));
    const hot = pvAcOutputKw({ ...DEFAULT_PV_PARAMS, inverterKva: 100 }, clearSky(NOON_MARCH, 40));
    // 40 °C hotter air → 40 °C hotter cells → about 0.4 %/°C × 40 = 16 % less (relative to the cool case).
    expect(hot / cool).toBeGreaterThan(0.82);
    expect(hot / cool).toBeLessThan(0.85);
  });
  it('offers its expected output at price 0', () => {
    const [bid] = createPv('pv', DEFAULT_PV_PARAMS, 'transactive').bid(
      {} as MarketSignal,
      clearSky(NOON_MARCH),
    );
    expect(bid).toEqual({
      side: 'sell',
      pricePerKwh: 0,
      powerKw: pvAcOutputKw(DEFAULT_PV_PARAMS, clearSky(NOON_MARCH)),
    });
  });
  it('curtails to an external limit, says how much, and produces it all again once the limit is lifted', () => {
    const params = { ...DEFAULT_PV_PARAMS, ratedDcKw: 10, inverterKva: 5 };
    const noon = clearSky(NOON_MARCH);
    const pv = createPv('pv', params, 'transactive');
    expect(pv.step(noon, NOON_MARCH, 300)).toBe(-5);
    expect(pv.observe()).toEqual({ powerKw: -5, availablePvKw: 5 });
    pv.limitActivePower({ maxGenerationKw: 3 });
    expect(pv.step(noon, NOON_MARCH, 300)).toBe(-3);
    expect(pv.observe()).toEqual({ powerKw: -3, availablePvKw: 5, curtailedKw: 2 });
    // A disconnect (and a negative limit, read as none allowed) gives nothing.
    pv.limitActivePower({ maxGenerationKw: -1 });
    expect(pv.step(noon, NOON_MARCH, 300) + 0).toBe(0);
    expect(pv.observe().curtailedKw).toBe(5);
    // A limit above the output curtails nothing; lifted, the observation is as without one.
    pv.limitActivePower({ maxGenerationKw: 8 });
    expect(pv.step(noon, NOON_MARCH, 300)).toBe(-5);
    expect(pv.observe().curtailedKw).toBe(0);
    pv.limitActivePower(undefined);
    expect(pv.step(noon, NOON_MARCH, 300)).toBe(-5);
    expect(pv.observe()).toEqual({ powerKw: -5, availablePvKw: 5 });
  });
  it('validates and samples deterministically', () => {
    expect(validatePvParams({ ...DEFAULT_PV_PARAMS, tiltDeg: 120 })[0]?.code).toBe('TE_ERR_DER_PARAMETER');
    const rng = new SeededRandom(3);
    for (let i = 0; i < 50; i++) expect(validatePvParams(samplePvParams(rng))).toEqual([]);
    expect(samplePvParams(new SeededRandom(8))).toEqual(samplePvParams(new SeededRandom(8)));
  });
});
