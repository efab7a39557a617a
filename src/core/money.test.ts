import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, fromMinorUnits, toMinorUnits, USD } from './money.js';

describe('money', () => {
  it('rounds half to even, immune to float noise', () => {
    expect(toMinorUnits(0.125)).toBe(12);
    expect(toMinorUnits(0.135)).toBe(14);
    expect(toMinorUnits(0.145)).toBe(14); // 0.145 * 100 = 14.499999… in binary
    expect(toMinorUnits(-0.125)).toBe(-12);
    expect(toMinorUnits(1.005)).toBe(100);
    expect(formatMoney(-1234)).toBe('-12.34 USD');
  });

  it('never moves an amount by more than half a minor unit, and returns integers', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (amount) => {
        const minor = toMinorUnits(amount, USD);
        expect(Number.isSafeInteger(minor)).toBe(true);
        expect(Math.abs(fromMinorUnits(minor) - amount)).toBeLessThanOrEqual(0.005 + 1e-9);
      }),
    );
  });

  it('refuses amounts beyond safe integers', () => {
    expect(() => toMinorUnits(1e300)).toThrow(RangeError);
  });
});
