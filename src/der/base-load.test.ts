import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import {
  createBaseLoad,
  DEFAULT_BASE_LOAD_PARAMS,
  RESIDENTIAL_BASE_LOAD_SHAPE_KW,
  sampleBaseLoadParams,
  validateBaseLoadParams,
} from './base-load.js';
import {
  createSubstationSupplier,
  DEFAULT_SUBSTATION_SUPPLIER_PARAMS,
  validateSubstationSupplierParams,
} from './substation-supplier.js';
import type { MarketSignal, WeatherSnapshot } from './types.js';

const HOUR = 3_600_000;

describe('base load', () => {
  it('follows the documented shape, ~18 kWh a day, evening peak', () => {
    const load = createBaseLoad('b', { ...DEFAULT_BASE_LOAD_PARAMS, noiseFraction: 0 }, 'baseline');
    let energy = 0;
    for (let t = 0; t < 24 * HOUR; t += 300_000)
      energy += load.step({} as WeatherSnapshot, t, 300) * (300 / 3600);
    expect(energy).toBeCloseTo(
      RESIDENTIAL_BASE_LOAD_SHAPE_KW.reduce((a, b) => a + b, 0),
      1,
    );
    expect(energy).toBeGreaterThan(14);
    expect(energy).toBeLessThan(22);
    expect(load.powerAtKw(19.5 * HOUR)).toBeCloseTo(1.2, 9);
  });
  it('bids as an unresponsive buyer at the price cap', () => {
    const load = createBaseLoad('b', DEFAULT_BASE_LOAD_PARAMS, 'transactive');
    const signal = { slot: { startMs: 0, endMs: 300_000 }, priceCapPerKwh: 5 } as MarketSignal;
    const [bid] = load.bid(signal, {} as WeatherSnapshot);
    expect(bid?.side).toBe('buy');
    expect(bid?.pricePerKwh).toBe(5);
    expect(bid?.powerKw).toBeCloseTo(load.powerAtKw(150_000), 12);
  });
  it('noise is deterministic in the seed', () => {
    const a = createBaseLoad('a', { ...DEFAULT_BASE_LOAD_PARAMS, noiseSeed: 3 }, 'baseline');
    const b = createBaseLoad('b', { ...DEFAULT_BASE_LOAD_PARAMS, noiseSeed: 3 }, 'baseline');
    expect(a.powerAtKw(5 * HOUR + 123)).toBe(b.powerAtKw(5 * HOUR + 123));
    expect(sampleBaseLoadParams(new SeededRandom(2))).toEqual(sampleBaseLoadParams(new SeededRandom(2)));
    expect(validateBaseLoadParams({ ...DEFAULT_BASE_LOAD_PARAMS, scaleFactor: -1 })[0]?.code).toBe(
      'TE_ERR_DER_PARAMETER',
    );
  });
});

describe('substation supplier', () => {
  it('offers the feeder capacity at the hour’s wholesale price', () => {
    const supplier = createSubstationSupplier({ ...DEFAULT_SUBSTATION_SUPPLIER_PARAMS, utcOffsetHours: -7 });
    const slot = { startMs: (18 + 7) * HOUR, endMs: (18 + 7) * HOUR + 300_000 }; // 18:00 local
    expect(supplier.offerForSlot(slot)).toEqual({ side: 'sell', pricePerKwh: 0.1, powerKw: 20000 });
  });
  it('rejects a price profile without 24 hours', () => {
    const errors = validateSubstationSupplierParams({
      ...DEFAULT_SUBSTATION_SUPPLIER_PARAMS,
      wholesalePricePerKwhByHour: [0.1],
    });
    expect(errors[0]?.path).toBe('substation-supplier.wholesalePricePerKwhByHour');
    expect(() =>
      createSubstationSupplier({ ...DEFAULT_SUBSTATION_SUPPLIER_PARAMS, feederCapacityKw: -1 }),
    ).toThrow();
  });
});
