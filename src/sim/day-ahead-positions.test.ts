import { describe, expect, it } from 'vitest';
import { createSubstationSupplier } from '../der/substation-supplier.js';
import { clearDayAheadPositions, forwardPositionsAt, HourlyLoadRecorder } from './day-ahead-positions.js';

const startMs = Date.UTC(2026, 6, 15, 7);
const prices = Array.from({ length: 24 }, (_, h) => 0.02 + h / 1000);

function recorded(loadKw: number[]): HourlyLoadRecorder {
  const recorder = new HourlyLoadRecorder(loadKw.length, 2, startMs);
  for (let slot = 0; slot < 24; slot++) {
    recorder.record(
      { startMs: startMs + slot * 300_000, endMs: startMs + (slot + 1) * 300_000 },
      Float64Array.from(loadKw),
    );
  }
  return recorder;
}

describe('day-ahead positions', () => {
  it('buys each home its expected hourly consumption at the hourly wholesale price when supply is ample', () => {
    const supplier = createSubstationSupplier({
      feederCapacityKw: 100,
      wholesalePricePerKwhByHour: prices,
      utcOffsetHours: 0,
    });
    const positions = clearDayAheadPositions(recorded([1.5, 2, -1]), 3, 2, startMs, supplier, 1, 0.12);
    expect(Array.from(positions.positionKw)).toEqual([1.5, 2, 0, 1.5, 2, 0]); // an exporting home buys nothing
    expect(positions.pricePerKwh[0]).toBeCloseTo(prices[7] ?? 0, 12); // 07:00 UTC
    const second = forwardPositionsAt(positions, {
      startMs: startMs + 3_600_000,
      endMs: startMs + 3_900_000,
    });
    expect(Array.from(second?.positionKw ?? [])).toEqual([1.5, 2, 0]);
    expect(
      forwardPositionsAt(positions, { startMs: startMs + 7_200_000, endMs: startMs + 7_500_000 }),
    ).toBeNull();
  });

  it('in a scarce hour, clears at the homes’ tender price and hedges only what the supplier can deliver', () => {
    const supplier = createSubstationSupplier({
      feederCapacityKw: 3,
      wholesalePricePerKwhByHour: prices,
      utcOffsetHours: 0,
    });
    const positions = clearDayAheadPositions(recorded([2, 2]), 2, 2, startMs, supplier, 1, 0.12);
    expect(positions.pricePerKwh[0]).toBeCloseTo(0.12, 9);
    expect((positions.positionKw[0] ?? 0) + (positions.positionKw[1] ?? 0)).toBeCloseTo(3, 9);
  });
});
