/** The stakeholder quantities on a small real simulation, checked against what the run's series say. */
import { describe, expect, it } from 'vitest';
import { localHourOfDay } from '../../der/parameter-checks.js';
import { marketMechanism } from '../market-design.js';
import type { SimulationRun } from '../results.js';
import { runSimulation } from '../run-simulation.js';
import type { Scenario } from '../scenario/parse-scenario.js';
import { defaultScenario, tucsonWeather } from '../test-scenario.fixture.js';
import type { EvaluationKpi } from './kpi-definition.js';
import { STAKEHOLDER_KPIS } from './stakeholder-kpis.js';

const SLOT_HOURS = 5 / 60;

function scenario(): Scenario {
  const base = defaultScenario();
  return {
    ...base,
    population: { ...base.population, homes: 40 },
    wholesale: { ...base.wholesale, substationCapacityKw: 200 },
    market: { ...base.market, aggregator: { share: 0.5, marginPerKwh: 0.005 } },
    evaluation: { ...base.evaluation, loadGrowthPercentPerYear: 2 },
    startMs: base.startMs + 12 * 3_600_000,
    endMs: base.startMs + 20 * 3_600_000,
  };
}

/** Σ over slots of the substation energy (imports only when asked) × a factor of its local hour. */
function hourlyWeighted(
  run: SimulationRun,
  slotStartMs: Float64Array,
  utcOffsetMinutes: number,
  byHour: readonly number[],
  importsOnly: boolean,
): number {
  let total = 0;
  run.series.substationLoadKw.forEach((loadKw, s) => {
    const hour = Math.floor(localHourOfDay(slotStartMs[s] ?? 0, utcOffsetMinutes / 60));
    total += (importsOnly ? Math.max(0, loadKw) : loadKw) * SLOT_HOURS * (byHour[hour] ?? Number.NaN);
  });
  return total;
}

describe('stakeholder KPIs on a simulation', () => {
  const input = scenario();
  const weather = tucsonWeather(input);
  const result = runSimulation({
    scenario: input,
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism: marketMechanism(input),
  });
  const te = result.te.stakeholder;
  const baseline = result.baseline.stakeholder;

  it('prices and weighs the substation energy by its local hour in both runs', () => {
    const factors = input.wholesale.marginalEmissionsKgPerKwhByHour ?? [];
    expect(factors).toHaveLength(24);
    for (const run of [result.te, result.baseline]) {
      const prices = input.wholesale.pricePerKwhByHour;
      const offset = input.utcOffsetMinutes;
      expect(run.stakeholder?.wholesaleEnergyCost).toBeCloseTo(
        hourlyWeighted(run, result.slotStartMs, offset, prices, true),
        9,
      );
      expect(run.stakeholder?.emissionsKg).toBeCloseTo(
        hourlyWeighted(run, result.slotStartMs, offset, factors, false),
        9,
      );
      const loads = Array.from(run.series.substationLoadKw);
      const meanKw = loads.reduce((a, b) => a + b, 0) / loads.length;
      expect(run.stakeholder?.loadFactor).toBeCloseTo(meanKw / Math.max(...loads), 12);
    }
  });

  it("gives the aggregator the market's whole budget under uniform pricing", () => {
    // Without the aggregator the budget balances (run-simulation.test): with it, the margin is the budget.
    expect(te?.aggregatorRevenue).toBeGreaterThan(0.1);
    expect(te?.aggregatorRevenue).toBeCloseTo(result.te.kpis.intermediaryRevenue, 6);
    expect(baseline?.aggregatorRevenue).toBeNaN();
  });

  it('delivers at most what it promised, and has market quantities only with a market', () => {
    expect(te?.flexibilityPromisedKwh).toBeGreaterThan(0);
    expect(te?.flexibilityDeliveredKwh).toBeLessThanOrEqual(te?.flexibilityPromisedKwh ?? 0);
    expect(te?.sellerHhi).toBeLessThanOrEqual(10_000);
    expect(te?.sellerHhi).toBeGreaterThanOrEqual(((te?.largestSellerShare ?? 0) * 100) ** 2 - 1e-6);
    expect(te?.priceStdevPerKwh).toBeGreaterThan(0);
    expect(baseline?.sellerHhi).toBeNaN();
    expect(baseline?.priceStdevPerKwh).toBeNaN();
    expect(te?.envelopeLimitedShare).toBeNaN(); // no feeder, no envelopes
  });

  it('reads the load growth from the scenario to turn the peak change into years of deferral', () => {
    expect(result.meta.loadGrowthPercentPerYear).toBe(2);
    const years = (STAKEHOLDER_KPIS.find((k) => k.id === 'deferral-years') as EvaluationKpi).of(result);
    const rating = input.wholesale.substationCapacityKw;
    const yearsToRating = (peakKw: number) =>
      peakKw >= rating ? 0 : Math.log(rating / peakKw) / Math.log(1.02);
    const expected =
      yearsToRating(result.te.kpis.peakSubstationDemandKw) -
      yearsToRating(result.baseline.kpis.peakSubstationDemandKw);
    expect(years?.value).toBeCloseTo(expected, 12);
  });

  it("takes the savings from each home's bills, which add up to the total cost", () => {
    const sum = (bills: Float64Array | undefined) =>
      (bills ?? new Float64Array(0)).reduce((a, b) => a + b, 0);
    expect(result.te.premisesBill).toHaveLength(40);
    expect(sum(result.te.premisesBill)).toBeCloseTo(result.te.kpis.totalCost, 6);
    expect(sum(result.baseline.premisesBill)).toBeCloseTo(result.baseline.kpis.totalCost, 6);
    const median = (STAKEHOLDER_KPIS.find((k) => k.id === 'savings-median') as EvaluationKpi).of(result);
    const p10 = (STAKEHOLDER_KPIS.find((k) => k.id === 'savings-p10') as EvaluationKpi).of(result);
    expect(Number.isFinite(median?.value)).toBe(true);
    expect(p10?.value).toBeLessThanOrEqual(median?.value ?? -Infinity);
  });
});
