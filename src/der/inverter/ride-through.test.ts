import { describe, expect, it } from 'vitest';
import { DEFAULT_VOLTAGE_TRIP } from './ieee1547-defaults.js';
import {
  frequencyRideThroughRegion,
  isFrequencyTripDue,
  isVoltageTripDue,
  mayEnterService,
  mustCeaseToEnergize,
  voltageRideThroughRegion,
} from './ride-through.js';

describe('enter service', () => {
  it('inside 0.917–1.05 pu and 59.5–60.1 Hz, edges included', () => {
    expect(mayEnterService(1, 60)).toBe(true);
    expect(mayEnterService(0.917, 59.5)).toBe(true);
    expect(mayEnterService(1.05, 60.1)).toBe(true);
    expect(mayEnterService(0.91, 60)).toBe(false);
    expect(mayEnterService(1.06, 60)).toBe(false);
    expect(mayEnterService(1, 60.2)).toBe(false);
    expect(mayEnterService(1, 59.4)).toBe(false);
  });
});

describe('trip settings', () => {
  it('voltage trips after the clearing time of the band', () => {
    expect(isVoltageTripDue(1.15, 1.9)).toBe(false);
    expect(isVoltageTripDue(1.15, 2)).toBe(true); // OV1 2 s
    expect(isVoltageTripDue(1.25, 0.16)).toBe(true); // OV2 0.16 s
    expect(isVoltageTripDue(1.1, 100)).toBe(false); // at the threshold, not above
    expect(isVoltageTripDue(0.6, 9, DEFAULT_VOLTAGE_TRIP.II)).toBe(false);
    expect(isVoltageTripDue(0.6, 10, DEFAULT_VOLTAGE_TRIP.II)).toBe(true); // UV1 10 s (Cat II)
    expect(isVoltageTripDue(0.6, 2, DEFAULT_VOLTAGE_TRIP.I)).toBe(true); // UV1 2 s (Cat I)
    expect(isVoltageTripDue(0.4, 0.16)).toBe(true); // UV2
    expect(isVoltageTripDue(Number.NaN, 0)).toBe(true);
  });
  it('frequency trips after the clearing time', () => {
    expect(isFrequencyTripDue(61.5, 299)).toBe(false);
    expect(isFrequencyTripDue(61.5, 300)).toBe(true);
    expect(isFrequencyTripDue(62.1, 0.16)).toBe(true);
    expect(isFrequencyTripDue(58, 300)).toBe(true);
    expect(isFrequencyTripDue(56, 0.16)).toBe(true);
    expect(isFrequencyTripDue(60, 1e9)).toBe(false);
  });
});

describe('ride-through regions', () => {
  it('voltage bands per category', () => {
    expect(voltageRideThroughRegion(1.0, 'II').operation).toBe('continuous');
    expect(voltageRideThroughRegion(1.21, 'I').operation).toBe('cease-to-energize');
    expect(voltageRideThroughRegion(1.18, 'II')).toEqual({ operation: 'permissive', minTimeS: 0.2 });
    expect(voltageRideThroughRegion(0.8, 'I').minTimeS).toBeCloseTo(0.7 + 4 * 0.1, 12);
    expect(voltageRideThroughRegion(0.8, 'II').minTimeS).toBeCloseTo(3 + 8.7 * 0.15, 12);
    expect(voltageRideThroughRegion(0.35, 'II')).toEqual({ operation: 'permissive', minTimeS: 0.16 });
    expect(voltageRideThroughRegion(0.35, 'I').operation).toBe('cease-to-energize');
    expect(voltageRideThroughRegion(0.6, 'III')).toEqual({ operation: 'mandatory', minTimeS: 10 });
    expect(voltageRideThroughRegion(0.4, 'III').operation).toBe('momentary-cessation');
  });
  it('frequency bands', () => {
    expect(frequencyRideThroughRegion(61.2).operation).toBe('continuous');
    expect(frequencyRideThroughRegion(61.5)).toEqual({ operation: 'mandatory', minTimeS: 299 });
    expect(frequencyRideThroughRegion(57)).toEqual({ operation: 'mandatory', minTimeS: 299 });
    expect(frequencyRideThroughRegion(62.5).operation).toBe('cease-to-energize');
  });
  it('cease to energize outside ride-through', () => {
    expect(mustCeaseToEnergize(1.0, 60, 'II')).toBe(false);
    expect(mustCeaseToEnergize(1.25, 60, 'II')).toBe(true);
    expect(mustCeaseToEnergize(0.2, 60, 'II')).toBe(true);
    expect(mustCeaseToEnergize(1.0, 56, 'II')).toBe(true);
    expect(mustCeaseToEnergize(0.4, 60, 'III')).toBe(true);
  });
});
