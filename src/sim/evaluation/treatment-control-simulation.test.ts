import { describe, expect, it } from 'vitest';
import { USD } from '../../core/money.js';
import { slotsBetween } from '../../core/time.js';
import { createSubstationSupplier } from '../../der/substation-supplier.js';
import type { ClearingMechanism } from '../../market/mechanism/clearing-mechanism.js';
import { marketMechanism } from '../market-design.js';
import { runOnce, runSimulation, type RunContext } from '../run-simulation.js';
import type { Scenario } from '../scenario/parse-scenario.js';
import { defaultScenario, tucsonWeather } from '../test-scenario.fixture.js';
import { treatmentControlSection } from './treatment-control-report.js';
import { controlGroupRuns } from './treatment-control-run.js';

const HOMES = 40;

/** 40 homes, half in control, one day at 15-minute slots, no feeder (fast). */
function pilot(controlShare: number): Scenario {
  const base = defaultScenario();
  return {
    ...base,
    marketPeriodMinutes: 15,
    marketPeriodMs: 15 * 60_000,
    population: { ...base.population, homes: HOMES },
    wholesale: { ...base.wholesale, substationCapacityKw: 200 },
    evaluation: { ...base.evaluation, controlShare },
  };
}

/** The scenario's mechanism, recording which premises had a device bid in any slot. */
function recordingMechanism(scenario: Scenario, bidders: Set<number>): ClearingMechanism {
  const inner = marketMechanism(scenario);
  return {
    name: inner.name,
    guarantees: inner.guarantees,
    clear(table, context) {
      // Device rows carry their premises as participant; the engine's own rows use indices past them.
      for (let r = 0; r < table.rows; r++) {
        const participant = table.participant[r] ?? -1;
        if (participant >= 0 && participant < HOMES) bidders.add(participant);
      }
      return inner.clear(table, context);
    },
  };
}

function simulate(scenario: Scenario, bidders = new Set<number>()) {
  const weather = tucsonWeather(scenario);
  return runSimulation({
    scenario,
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism: recordingMechanism(scenario, bidders),
  });
}

/** The market and no-market runs of the pilot through runOnce, as runSimulation wires them. */
function runBoth(scenario: Scenario, bidders: Set<number>) {
  const weather = tucsonWeather(scenario);
  const inputs = {
    scenario,
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism: recordingMechanism(scenario, bidders),
  };
  const context: RunContext = {
    inputs,
    wholesale: createSubstationSupplier({
      feederCapacityKw: scenario.wholesale.substationCapacityKw,
      wholesalePricePerKwhByHour: scenario.wholesale.pricePerKwhByHour,
      utcOffsetHours: scenario.utcOffsetMinutes / 60,
    }),
    currency: USD,
    connections: null,
    progress: () => undefined,
  };
  const slots = slotsBetween(scenario.startMs, scenario.endMs, scenario.marketPeriodMs);
  const group = controlGroupRuns(scenario);
  if (group === null) throw new Error('no control group');
  const { population, marketCycle } = group;
  return {
    control: group.control,
    market: runOnce({ label: 'te', slots, context, population, cycle: marketCycle }),
    baseline: runOnce({ label: 'baseline', slots, context, population }),
  };
}

describe('treatment vs control in a simulation', () => {
  it('keeps half the homes in control: they never bid and pay exactly the fixed tariff', () => {
    const bidders = new Set<number>();
    const { control, market, baseline } = runBoth(pilot(0.5), bidders);
    const controlHomes = [...control.keys()].filter((p) => control[p] === 1);
    expect(controlHomes).toHaveLength(20);
    expect(bidders.size).toBeGreaterThan(0);
    for (const p of controlHomes) expect(bidders.has(p)).toBe(false);
    const meters = market.run.meters;
    if (meters === undefined) throw new Error('no meters');
    for (const p of controlHomes) {
      // Same devices on plain control, same weather: the same load as without the market, billed at the
      // same fixed tariff (the no-market run's bill is the fixed tariff × energy by construction).
      expect(market.billsMinor[p]).toBe(baseline.billsMinor[p]);
      let energyKwh = 0;
      for (let h = 0; h < meters.hours; h++) energyKwh += meters.netLoadKwh[p * meters.hours + h] ?? 0;
      // Hourly meters are float32: the bill matches 0.12 × energy to the cent.
      expect((market.billsMinor[p] ?? 0) / 100).toBeCloseTo(0.12 * energyKwh, 2);
    }
    // Treated homes pay real-time prices: their bills differ from the fixed-tariff ones.
    const treated = [...control.keys()].filter((p) => control[p] === 0);
    expect(treated.some((p) => market.billsMinor[p] !== baseline.billsMinor[p])).toBe(true);
    expect(treated.some((p) => bidders.has(p))).toBe(true);
  });

  const result = simulate(pilot(0.5));

  it('reports the comparison with finite intervals and the simulated truth inside the field estimate', () => {
    const comparison = result.evaluation?.treatmentControl;
    expect(comparison?.status).toBe('compared');
    if (comparison?.status !== 'compared' || 'unavailable' in comparison.peakDemand)
      throw new Error('no peak');
    expect(comparison).toMatchObject({ controlHomes: 20, treatmentHomes: 20, confidence: 0.95 });
    expect(comparison.peakWindow.hours).toBe(5);
    const { headline, estimates } = comparison.peakDemand;
    expect(headline.method).toBe('difference-in-means');
    for (const estimate of [...estimates, ...comparison.bill.estimates]) {
      expect(Number.isFinite(estimate.low) && Number.isFinite(estimate.high)).toBe(true);
      expect(estimate.low).toBeLessThanOrEqual(estimate.effect);
      expect(estimate.high).toBeGreaterThanOrEqual(estimate.effect);
    }
    // Control homes do not change between the runs, so the counterfactual estimate is the treated homes'
    // mean change against their own no-market selves.
    const counterfactual = estimates.find((e) => e.method === 'difference-in-differences-counterfactual');
    expect(counterfactual?.standardError).toBeLessThan(headline.standardError);
    const text = treatmentControlSection(result)?.text().join('\n') ?? '';
    expect(text).toContain('20 on the market, 20 kept on the fixed tariff');
    expect(text).not.toContain('NaN');
  });

  it('has no comparison, and runs every home on the market, without a control group', () => {
    const plain = simulate(pilot(0));
    expect(plain.evaluation?.treatmentControl).toBeUndefined();
    expect(treatmentControlSection(plain)).toBeNull();
  });
});
