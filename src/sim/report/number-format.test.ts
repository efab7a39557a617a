import { describe, expect, it } from 'vitest';
import { decimalsForStep, formatNumber, formatSigned, MISSING } from './number-format.js';

describe('number formatting', () => {
  it('rounds, groups thousands and never prints -0, NaN or Infinity', () => {
    expect(formatNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(-1234.5, 0)).toBe('-1,235');
    expect(formatNumber(-0.0001, 2)).toBe('0.00');
    expect(formatNumber(Number.NaN, 2)).toBe(MISSING);
    expect(formatNumber(Number.NEGATIVE_INFINITY, 2)).toBe(MISSING);
    expect(formatSigned(3.14159, 2)).toBe('+3.14');
    expect(formatSigned(-3, 0)).toBe('-3');
    expect(formatSigned(0.001, 1)).toBe('0.0');
  });

  it('finds the decimals a tick step needs', () => {
    expect(decimalsForStep(50)).toBe(0);
    expect(decimalsForStep(0.25)).toBe(2);
    expect(decimalsForStep(0.02)).toBe(2);
    expect(decimalsForStep(2.5e-5)).toBe(6);
  });
});
