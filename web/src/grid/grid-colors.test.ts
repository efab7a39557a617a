import { describe, expect, it } from 'vitest';
import {
  NO_VALUE_COLOR,
  busDisplayVPu,
  isInRangeA,
  loadingColor,
  loadingWidth,
  voltageColor,
} from './grid-colors';

describe('voltage colours', () => {
  it('diverges around 1.0 pu: red at the Range A floor, green at 1.0, blue at the ceiling', () => {
    expect(voltageColor(0.95)).toBe('#d7191c');
    expect(voltageColor(0.9)).toBe('#d7191c');
    expect(voltageColor(1.0)).toBe('#1a9641');
    expect(voltageColor(1.05)).toBe('#2b54c4');
    expect(voltageColor(1.2)).toBe('#2b54c4');
    expect(voltageColor(0.99)).not.toBe(voltageColor(1.01));
    expect(voltageColor(null)).toBe(NO_VALUE_COLOR);
    expect(voltageColor(Number.NaN)).toBe(NO_VALUE_COLOR);
  });

  it('shows a bus by the phase further from 1.0', () => {
    expect(busDisplayVPu(0.96, 1.01)).toBe(0.96);
    expect(busDisplayVPu(0.99, 1.04)).toBe(1.04);
    expect(busDisplayVPu(null, 1.02)).toBe(1.02);
    expect(busDisplayVPu(0.97, null)).toBe(0.97);
    expect(busDisplayVPu(null, undefined)).toBeUndefined();
  });

  it('knows ANSI C84.1 Range A', () => {
    expect(isInRangeA(0.95)).toBe(true);
    expect(isInRangeA(1.05)).toBe(true);
    expect(isInRangeA(0.949)).toBe(false);
    expect(isInRangeA(1.051)).toBe(false);
  });
});

describe('line loading', () => {
  it('is grey when light, red at the rating, and wider as it loads', () => {
    expect(loadingColor(10)).toBe(loadingColor(50));
    expect(loadingColor(100)).toBe('#c0392b');
    expect(loadingColor(140)).toBe('#c0392b');
    expect(loadingColor(undefined)).toBe(NO_VALUE_COLOR);
    expect(loadingWidth(0)).toBe(2);
    expect(loadingWidth(75)).toBeCloseTo(5);
    expect(loadingWidth(300)).toBe(8);
    expect(loadingWidth(null)).toBe(2);
  });
});
