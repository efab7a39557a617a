/** The DSO's envelope-usage quantities on a feeder run with operating envelopes, through the whole path. */
import { describe, expect, it } from 'vitest';
import { marketMechanism } from '../market-design.js';
import { runSimulation } from '../run-simulation.js';
import type { Scenario } from '../scenario/parse-scenario.js';
import { defaultScenario, ieee13Feeder, tucsonWeather } from '../test-scenario.fixture.js';

const HOMES = 100;
const SLOTS = 48; // 12 hours of 15-minute slots

function scenario(): Scenario {
  const base = defaultScenario();
  return {
    ...base,
    marketPeriodMinutes: 15,
    marketPeriodMs: 15 * 60_000,
    population: { ...base.population, homes: HOMES },
    startMs: base.startMs + 9 * 3_600_000,
    endMs: base.startMs + 9 * 3_600_000 + SLOTS * 15 * 60_000,
  };
}

describe('envelope usage on the IEEE 13-node feeder', () => {
  const input = scenario();
  const weather = tucsonWeather(input);
  const result = runSimulation({
    scenario: input,
    feeder: ieee13Feeder(),
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism: marketMechanism(input),
  });

  it('counts whole home-slots cut by an envelope in the market run, none in the baseline', () => {
    expect(input.feeder?.operatingEnvelopes).toBe(true);
    const share = result.te.stakeholder?.envelopeLimitedShare ?? Number.NaN;
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1);
    const cutHomeSlots = share * HOMES * SLOTS;
    expect(cutHomeSlots).toBeCloseTo(Math.round(cutHomeSlots), 9);
    expect(result.te.stakeholder?.envelopeHeadroomUsed).toBeGreaterThanOrEqual(0);
    // The baseline has no market and no envelopes.
    expect(result.baseline.stakeholder?.envelopeLimitedShare).toBeNaN();
    expect(result.baseline.stakeholder?.envelopeHeadroomUsed).toBeNaN();
  });
});
