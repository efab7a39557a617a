import { describe, expect, it } from 'vitest';
import { createHighsLpSolver } from '../engine/highs-lp-solver.js';
import { MARKET_DESIGN_NAMES, marketMechanism } from './market-design.js';
import { kpiJson, renderHtmlReport, timeSeriesCsv } from './report/index.js';
import { runSimulation } from './run-simulation.js';
import type { Scenario } from './scenario/parse-scenario.js';
import { defaultScenario, ieee13Feeder, tucsonWeather } from './test-scenario.fixture.js';
import type { Network } from '../grid/network.js';

function simulate(scenario: Scenario, feeder?: Network) {
  const weather = tucsonWeather(scenario);
  return runSimulation({
    scenario,
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism: marketMechanism(scenario),
    ...(feeder === undefined ? {} : { feeder }),
  });
}

const small = (): Scenario => {
  const base = defaultScenario();
  return {
    ...base,
    population: { ...base.population, homes: 40 },
    wholesale: { ...base.wholesale, substationCapacityKw: 200 },
    startMs: base.startMs + 12 * 3_600_000,
    endMs: base.startMs + 20 * 3_600_000,
  };
};

describe('runSimulation', () => {
  it('is deterministic: same scenario and seed give byte-identical outputs', () => {
    const a = simulate(small());
    const b = simulate(small());
    expect(JSON.stringify(kpiJson(a))).toBe(JSON.stringify(kpiJson(b)));
    expect(timeSeriesCsv(a)).toBe(timeSeriesCsv(b));
    expect(renderHtmlReport(a)).toBe(renderHtmlReport(b));
  });

  it('gives a different community for a different seed', () => {
    const a = simulate(small());
    const b = simulate({ ...small(), seed: 7 });
    expect(timeSeriesCsv(a)).not.toBe(timeSeriesCsv(b));
  });

  it('keeps the energy books: imported energy is the integral of the substation load', () => {
    const result = simulate(small());
    for (const run of [result.te, result.baseline]) {
      let importedKwh = 0;
      for (const loadKw of run.series.substationLoadKw) importedKwh += Math.max(0, loadKw) * (5 / 60);
      expect(run.kpis.energyImportedKwh).toBeCloseTo(importedKwh, 6);
      let byKindKw = 0;
      let totalKw = 0;
      for (let s = 0; s < run.series.substationLoadKw.length; s++) {
        totalKw += run.series.substationLoadKw[s] ?? 0;
        for (const series of Object.values(run.series.loadByKindKw)) byKindKw += series[s] ?? 0;
      }
      expect(byKindKw).toBeCloseTo(totalKw, 6);
    }
  });

  it('never leaves the market with a deficit, whatever the design: homes pay at least what the supplier is owed', async () => {
    const lpSolver = await createHighsLpSolver();
    for (const mechanism of MARKET_DESIGN_NAMES) {
      const base = small();
      const scenario: Scenario = {
        ...base,
        market: {
          ...base.market,
          mechanism,
          mustRunPricePerKwh: 0.12,
          gridFees: { gridPerKwh: 0.01, substationPerKwh: 0.005, localPerKwh: 0.002 },
        },
      };
      const weather = tucsonWeather(scenario);
      const result = runSimulation({
        scenario,
        weather: weather.source,
        weatherSite: weather.siteName,
        mechanism: marketMechanism(scenario, { lpSolver }),
      });
      expect(result.te.kpis.intermediaryRevenue, mechanism).toBeGreaterThanOrEqual(-0.01);
      expect(Number.isFinite(result.te.kpis.totalCost), mechanism).toBe(true);
    }
  });

  describe('on a feeder', () => {
    const midday = (): Scenario => {
      const base = small();
      return { ...base, startMs: base.startMs - 3 * 3_600_000, endMs: base.startMs + 1 * 3_600_000 };
    };
    const withMode = (pvInverters: 'volt-var' | 'unity-power-factor'): Scenario => {
      const scenario = midday();
      const feeder = scenario.feeder;
      if (feeder === undefined) throw new Error('the default scenario names a feeder');
      return {
        ...scenario,
        population: { ...scenario.population, pv: { share: 1, transactiveShare: 1 } },
        feeder: { ...feeder, pvInverters },
      };
    };

    it('solves the feeder every slot, in both runs, on the same homes', () => {
      const result = simulate(midday(), ieee13Feeder());
      const homes = result.gridLayout?.buses.reduce((sum, bus) => sum + bus.homes, 0);
      expect(homes).toBe(40);
      for (const run of [result.te, result.baseline]) {
        expect(run.grid?.kpis.powerFlowFailures).toBe(0);
        expect(run.grid?.series.minVoltagePu.every((v) => v > 0.9 && v < 1.1)).toBe(true);
        expect(run.grid?.kpis.lossesKwh).toBeGreaterThan(0);
      }
    });

    it('lets volt-var PV inverters hold the midday voltage rise down, their loop converging', () => {
      const voltVar = simulate(withMode('volt-var'), ieee13Feeder());
      const unity = simulate(withMode('unity-power-factor'), ieee13Feeder());
      expect(voltVar.te.grid?.kpis.inverterLoopFailures).toBe(0);
      expect(voltVar.te.grid?.kpis.maxVoltagePu).toBeLessThan((unity.te.grid?.kpis.maxVoltagePu ?? 0) - 1e-4);
    });
  });

  describe('the default scenario (300 homes, a summer day in Tucson)', () => {
    const result = simulate(defaultScenario());
    const { te, baseline } = result;

    it('has a baseline that overloads the substation at the afternoon peak', () => {
      expect(baseline.kpis.peakSubstationDemandKw).toBeGreaterThan(result.meta.substationCapacityKw);
      expect(baseline.kpis.capacityExceededSlots).toBeGreaterThan(5);
    });

    it('clears every slot, and the market keeps the load under the capacity almost always', () => {
      expect(te.kpis.clearingFailures).toBe(0);
      expect(te.kpis.capacityExceededSlots).toBeLessThan(baseline.kpis.capacityExceededSlots / 2);
      expect(te.kpis.peakSubstationDemandKw).toBeLessThan(baseline.kpis.peakSubstationDemandKw);
    });

    it('raises the price above wholesale only when the capacity binds', () => {
      const prices = te.series.clearingPricePerKwh;
      const quantities = te.series.clearedQuantityKw;
      let congested = 0;
      for (let s = 0; s < prices.length; s++) {
        const hour = Math.floor((s * 5) / 60);
        const wholesale = defaultScenario().wholesale.pricePerKwhByHour[hour] ?? 0;
        if ((prices[s] ?? 0) > wholesale + 1e-9) {
          congested++;
          // the supplier's full capacity was sold: the limit is what set the price
          expect(quantities[s]).toBeGreaterThan(result.meta.substationCapacityKw - 1e-6);
        }
      }
      expect(congested).toBeGreaterThan(0);
    });

    it('trades comfort for cost within reason: some discomfort, a lower total bill', () => {
      expect(te.kpis.comfortViolationDegreeHours).toBeGreaterThan(0);
      expect(te.kpis.comfortViolationDegreeHours / 150).toBeLessThan(8); // °F·h per transactive home
      expect(te.kpis.totalCost).toBeLessThan(baseline.kpis.totalCost);
      expect(te.kpis.socialWelfare).toBeGreaterThan(0);
    });

    it('balances the market budget under uniform pricing, and leaves an aggregator its margin', () => {
      expect(Math.abs(te.kpis.intermediaryRevenue)).toBeLessThan(0.01);
      const scenario = defaultScenario();
      const aggregated = simulate({
        ...scenario,
        market: { ...scenario.market, aggregator: { share: 0.5, marginPerKwh: 0.005 } },
      });
      expect(aggregated.te.kpis.intermediaryRevenue).toBeGreaterThan(1);
    });

    it('captures the supply and demand curves of the peak slot', () => {
      const curves = result.peakCurves;
      expect(curves).not.toBeNull();
      const bought = curves?.buys.reduce((a, b) => a + b.quantityKw, 0) ?? 0;
      expect(bought).toBeGreaterThan(curves?.clearedQuantityKw ?? Infinity);
    });
  });
});
