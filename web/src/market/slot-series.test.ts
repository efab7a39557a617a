import { describe, expect, it } from 'vitest';
import {
  lastClearedSlot,
  nearestSlot,
  neighbourSlot,
  rangeStartMs,
  slotFromQuery,
  slotSeries,
  supplierPriceAt,
} from './slot-series';

const SLOT_MS = 300_000;
const slot = (i: number, status = 'cleared') => ({ startMs: i * SLOT_MS, endMs: (i + 1) * SLOT_MS, status });
const SLOTS = [slot(2), slot(0), slot(1), slot(3, 'open')];

describe('market slot series', () => {
  it('starts the range 6 h or 24 h back, or not at all', () => {
    expect(rangeStartMs('6h', 10 * 3_600_000)).toBe(4 * 3_600_000);
    expect(rangeStartMs('24h', 30 * 3_600_000)).toBe(6 * 3_600_000);
    expect(rangeStartMs('all', 1)).toBeUndefined();
  });

  it('builds price and traded kWh per slot in time order, null where not cleared', () => {
    const outcomes = new Map([
      [0, { pricePerKwh: 0.1, tradedEnergyWh: 2500, mechanism: 'm' }],
      [SLOT_MS * 2, { pricePerKwh: 0.2, tradedEnergyWh: 0, mechanism: 'm' }],
    ]);
    expect(slotSeries(SLOTS, outcomes)).toEqual({
      timesMs: [0, SLOT_MS, 2 * SLOT_MS, 3 * SLOT_MS],
      pricePerKwh: [0.1, null, 0.2, null],
      tradedKwh: [2.5, null, 0, null],
    });
  });

  it('steps to the previous and next slot', () => {
    expect(neighbourSlot(SLOTS, SLOT_MS, 1)?.startMs).toBe(2 * SLOT_MS);
    expect(neighbourSlot(SLOTS, SLOT_MS, -1)?.startMs).toBe(0);
    expect(neighbourSlot(SLOTS, 0, -1)).toBeUndefined();
    expect(neighbourSlot(SLOTS, undefined, -1)?.startMs).toBe(3 * SLOT_MS);
    expect(neighbourSlot(SLOTS, SLOT_MS + 5, 1)?.startMs).toBe(SLOT_MS);
  });

  it('finds the slot holding a time, else the nearest', () => {
    expect(nearestSlot(SLOTS, SLOT_MS + 10)?.startMs).toBe(SLOT_MS);
    expect(nearestSlot(SLOTS, 100 * SLOT_MS)?.startMs).toBe(3 * SLOT_MS);
    expect(nearestSlot([], 0)).toBeUndefined();
  });

  it('reads ?slot= only as epoch ms', () => {
    expect(slotFromQuery(new URLSearchParams('slot=1700000000000'))).toBe(1_700_000_000_000);
    expect(slotFromQuery(new URLSearchParams('slot=abc'))).toBeUndefined();
    expect(slotFromQuery(new URLSearchParams('slot=-5'))).toBeUndefined();
    expect(slotFromQuery(new URLSearchParams(''))).toBeUndefined();
  });

  it('picks the newest cleared slot', () => {
    expect(lastClearedSlot(SLOTS)?.startMs).toBe(2 * SLOT_MS);
    expect(lastClearedSlot([slot(0, 'open')])).toBeUndefined();
  });

  it('prices the supplier by UTC hour when it has hourly prices', () => {
    expect(supplierPriceAt({ pricePerKwh: 0.1 }, 0)).toBe(0.1);
    const hourly = Array.from({ length: 24 }, (_, h) => h / 100);
    expect(supplierPriceAt({ pricePerKwh: 0.1, hourlyPricePerKwh: hourly }, 13.5 * 3_600_000)).toBe(0.13);
    expect(supplierPriceAt({ pricePerKwh: 0.1, hourlyPricePerKwh: hourly }, -0.5 * 3_600_000)).toBe(0.23);
  });
});
