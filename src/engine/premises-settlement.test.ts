import { describe, expect, it } from 'vitest';
import { settlePremises, type PremisesSettlementInputs } from './premises-settlement.js';
import type { MarketSlotResult } from './transactive-cycle.js';

// A uniform-price slot: clearing and imbalance price 0.10/kWh; the supplier sold 6 kW for the whole
// community (4 kW bid by home 0's devices, 2 kW the engine's must-run bid for home 1).
const market = {
  imbalancePricePerKwh: 0.1,
  gridSuppliedKw: 6,
  supplierPaidPerH: 0.6,
} as unknown as MarketSlotResult;

function inputs(controlGroup?: PremisesSettlementInputs['controlGroup']): PremisesSettlementInputs {
  return {
    hours: 0.25,
    premisesLoadKw: Float64Array.from([4, 2]),
    netTradedKw: Float64Array.from([4, 0]),
    tradedCostPerH: Float64Array.from([0.4, 0]),
    tariff: { kind: 'real-time', distributionChargePerKwh: 0.02 },
    market,
    forward: null,
    chargeMicro: new Float64Array(2),
    ...(controlGroup === undefined ? {} : { controlGroup }),
  };
}

describe('settlePremises with a control group', () => {
  it('charges control homes the fixed tariff and keeps the market budget balanced', () => {
    const settled = inputs({ premises: Uint8Array.from([0, 1]), fixedTariffPerKwh: 0.13 });
    const budget = settlePremises(settled);
    // Home 0: trades 0.1 + no deviation + distribution 1 kWh × 0.02 = 0.12.
    expect(settled.chargeMicro[0]).toBe(120_000);
    // Home 1: 0.5 kWh × 0.13 = 0.065, no distribution charge on top of the fixed tariff.
    expect(settled.chargeMicro[1]).toBe(65_000);
    // Paid for energy: 0.1 (home 0) + 0.5 kWh × 0.10 bought for home 1 = 0.15; the supplier gets 1.5 kWh
    // × 0.10 = 0.15: the budget is 0, as in a uniform-price market without the control group.
    expect(budget).toBeCloseTo(0, 12);
  });

  it('without a control group every home pays real-time prices', () => {
    const settled = inputs();
    const budget = settlePremises(settled);
    // Home 1 deviates by its whole 0.5 kWh at 0.10 plus 0.5 × 0.02 distribution.
    expect(settled.chargeMicro[1]).toBe(60_000);
    expect(budget).toBeCloseTo(0, 12);
  });

  it('charges control homes the fixed tariff without a market too', () => {
    const settled = {
      ...inputs({ premises: Uint8Array.from([0, 1]), fixedTariffPerKwh: 0.13 }),
      tariff: { kind: 'fixed', energyPricePerKwh: 0.11 } as const,
      market: null,
    };
    expect(Number.isNaN(settlePremises(settled))).toBe(true);
    expect(Array.from(settled.chargeMicro)).toEqual([110_000, 65_000]);
  });
});
