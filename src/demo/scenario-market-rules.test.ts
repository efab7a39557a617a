import { describe, expect, it } from 'vitest';
import { createSubstationSupplier } from '../der/substation-supplier.js';
import { supplierPriceAt } from '../live/market-rules.js';
import { Value } from '@sinclair/typebox/value';
import { MarketRulesSchema } from '../live/market-rules.js';
import { defaultScenario } from '../sim/test-scenario.fixture.js';
import { scenarioMarketRules, supplierRulesForSlot } from './scenario-market-rules.js';

describe('scenarioMarketRules', () => {
  it('gives valid rules whose supplier offers the scenario wholesale price in every slot of the day', () => {
    const scenario = defaultScenario();
    const { rules, hourlyByUtc } = scenarioMarketRules(scenario);
    expect(Value.Check(MarketRulesSchema, rules)).toBe(true);
    expect(hourlyByUtc).toBe(true);
    expect(rules).toMatchObject({
      mechanism: 'uniform-price-double-auction',
      slotDurationMs: 300_000,
      priceCapPerKwh: 1,
      distributionChargePerKwh: 0.04,
      supplier: { capacityKw: 1500 },
    });
    const simulated = createSubstationSupplier({
      feederCapacityKw: 1500,
      wholesalePricePerKwhByHour: scenario.wholesale.pricePerKwhByHour,
      utcOffsetHours: scenario.utcOffsetMinutes / 60,
    });
    for (let t = scenario.startMs; t < scenario.endMs; t += 300_000) {
      expect(supplierPriceAt(rules.supplier!, t)).toBe(
        simulated.priceForSlot({ startMs: t, endMs: t + 300_000 }),
      );
    }
  });

  it('sets the supplier price slot by slot where the offset is not whole hours', () => {
    const base = defaultScenario();
    const scenario = { ...base, utcOffsetMinutes: 330 };
    const { rules, hourlyByUtc } = scenarioMarketRules(scenario);
    expect(hourlyByUtc).toBe(false);
    expect(rules.supplier?.hourlyPricePerKwh).toBeUndefined();
    const simulated = createSubstationSupplier({
      feederCapacityKw: 1500,
      wholesalePricePerKwhByHour: scenario.wholesale.pricePerKwhByHour,
      utcOffsetHours: 5.5,
    });
    for (let t = scenario.startMs; t < scenario.endMs; t += 1_800_000) {
      const slotRules = supplierRulesForSlot(rules, scenario, t);
      expect(supplierPriceAt(slotRules.supplier!, t)).toBe(
        simulated.priceForSlot({ startMs: t, endMs: t + 300_000 }),
      );
    }
  });

  it('says what the live market leaves out of the scenario', () => {
    const { notes } = scenarioMarketRules(defaultScenario());
    expect(notes.join('\n')).toMatch(/feeder/);
  });
});
