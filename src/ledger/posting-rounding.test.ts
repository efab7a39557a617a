import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorUnitsFromMicro, USD } from '../core/money.js';
import { microToMinorHalfEven, roundPostings } from './posting-rounding.js';
import { allocateWattHours } from './watt-hour-allocation.js';

describe('posting rounding', () => {
  it('rounds micro-units to minor units half to even, exactly like core/money.ts', () => {
    expect([5000, 15000, 25000, -5000, -15000, 5001, -5001].map((m) => microToMinorHalfEven(m, USD))).toEqual(
      [0, 2, 2, 0, -2, 1, -1],
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (micro) => {
        expect(microToMinorHalfEven(micro, USD)).toBe(minorUnitsFromMicro(micro, USD));
      }),
    );
    // Beyond where the float path is exact, the integer path still decides ties correctly.
    expect(microToMinorHalfEven(9_007_199_254_735_000, USD)).toBe(900_719_925_474);
  });

  it('merges an account, drops zeros, and puts the residual on market:rounding', () => {
    const postings = roundPostings(
      [
        { account: 'a', amountMicro: -13_000 },
        { account: 'b', amountMicro: 5_000 },
        { account: 'b', amountMicro: 3_000 },
        { account: 'c', amountMicro: 5_000 },
      ],
      USD,
    );
    // a −1.3 c → −1; b 0.8 c → 1; c 0.5 c → 0 (kept, so the entry shows it); residual 0.
    expect(postings).toEqual([
      { account: 'a', amountMinor: -1, currency: 'USD' },
      { account: 'b', amountMinor: 1, currency: 'USD' },
      { account: 'c', amountMinor: 0, currency: 'USD' },
    ]);
    // Residual: a pays 2.0 c, five fees of 0.4 c each round to 0: the rounding account takes 2 c.
    const fees = Array.from({ length: 5 }, (_, i) => ({ account: `f${i}`, amountMicro: 4_000 }));
    expect(roundPostings([{ account: 'a', amountMicro: -20_000 }, ...fees], USD).at(-1)).toEqual({
      account: 'market:rounding',
      amountMinor: 2,
      currency: 'USD',
    });
  });
});

describe('watt-hour allocation', () => {
  it('gives both sides the same integer total, each fill within 1 Wh of exact', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 5 }),
        (kwh, split) => {
          const total = kwh.reduce((a, b) => a + b, 0);
          const sells = Array.from({ length: split }, () => total / split);
          const fills = [
            ...kwh.map((energyKwh) => ({ side: 'buy' as const, energyKwh })),
            ...sells.map((energyKwh) => ({ side: 'sell' as const, energyKwh })),
          ];
          const result = allocateWattHours(fills);
          if (!result.ok) throw result.error;
          const bought = result.value.slice(0, kwh.length);
          const sold = result.value.slice(kwh.length);
          expect(bought.reduce((a, b) => a + b, 0)).toBe(sold.reduce((a, b) => a + b, 0));
          result.value.forEach((wh, i) =>
            expect(Math.abs(wh - (fills[i]?.energyKwh ?? 0) * 1000)).toBeLessThan(1 + 1e-6),
          );
        },
      ),
    );
  });

  it('refuses one-sided fills and sides more than 1 Wh apart', () => {
    const oneSided = allocateWattHours([{ side: 'buy', energyKwh: 2 }]);
    expect(oneSided.ok ? undefined : oneSided.error.code).toBe('TE_ERR_LEDGER_ENERGY');
    const apart = allocateWattHours([
      { side: 'buy', energyKwh: 1.002 },
      { side: 'sell', energyKwh: 1 },
    ]);
    expect(apart.ok ? undefined : apart.error.code).toBe('TE_ERR_LEDGER_ENERGY');
    const negative = allocateWattHours([{ side: 'sell', energyKwh: -1 }]);
    expect(negative.ok).toBe(false);
  });
});
