/**
 * What the demo homes report of their devices after a slot, read from the agents: one sample per device,
 * each valid for POST /api/device-telemetry, with the kind's own figures and the slot's bid and prices.
 */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { uniformPriceAuction } from '../market/mechanism/uniform-price-mechanism.js';
import { DeviceTelemetrySampleSchema } from '../server/routes/device-telemetry.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';
import { defaultScenario, tucsonWeather } from '../sim/test-scenario.fixture.js';
import { buildCommunityHomes, slotWeather } from './community-homes.js';
import { communityTelemetry, SlotBids } from './home-telemetry.js';

function noon(): Scenario {
  const base = defaultScenario();
  const { feeder: _feeder, ...rest } = base;
  return {
    ...rest,
    population: {
      ...base.population,
      homes: 40,
      battery: { share: 0.5, transactiveShare: 1 },
      ev: { share: 0.5, transactiveShare: 1 },
      waterHeater: { share: 0.5, transactiveShare: 1 },
    },
    startMs: base.startMs + 12 * 3_600_000,
  };
}

describe('the demo homes’ device telemetry', () => {
  it('reports every device once per slot, with its state, figures, bid and prices, in the API’s ranges', () => {
    const scenario = noon();
    const weather = tucsonWeather(scenario);
    const homes = buildCommunityHomes(scenario, {
      unresponsiveBidder: 'engine',
      mechanism: uniformPriceAuction,
    });
    const { cycle } = homes;
    let samples: ReturnType<typeof communityTelemetry> = [];
    let expectedPricePerKwh = Number.NaN;
    let clearingPricePerKwh = Number.NaN;
    for (let k = 0; k < 3; k++) {
      const slot = {
        startMs: scenario.startMs + k * scenario.marketPeriodMs,
        endMs: scenario.startMs + (k + 1) * scenario.marketPeriodMs,
      };
      const { snapshot, during } = slotWeather(weather.source, slot);
      const table = cycle.collectBids(slot, snapshot);
      expectedPricePerKwh = homes.priceStatistics.meanPerKwh;
      const bids = SlotBids.capture(cycle, table, expectedPricePerKwh);
      const cleared = uniformPriceAuction.clear(table, {
        slot,
        priceCap: scenario.market.priceCapPerKwh,
        bidOffset: scenario.market.bidOffsetPerKwh,
      });
      if (!cleared.ok) throw cleared.error;
      clearingPricePerKwh = cleared.value.clearingPrice;
      cycle.applyFills(table, cleared.value.filled, clearingPricePerKwh);
      cycle.dispatchDevices(slot, clearingPricePerKwh, true);
      cycle.stepAndMeter(slot, during);
      samples = communityTelemetry(cycle, slot, bids, clearingPricePerKwh);
      cycle.recordMarketPrice(clearingPricePerKwh, cleared.value.status);
      expect(samples.flat().every((s) => s.timeMs === slot.startMs)).toBe(true);
    }
    expect(samples).toHaveLength(homes.premises.length);
    const all = samples.flat();
    expect(all.map((s) => s.deviceId)).toEqual(
      cycle.devices.map((d) => d.id.replace(/[^A-Za-z0-9._:-]/g, '.')),
    );
    for (const sample of all) {
      expect([...Value.Errors(DeviceTelemetrySampleSchema, sample)], JSON.stringify(sample)).toEqual([]);
    }
    const byKind = (kind: string) => all.filter((_, d) => cycle.devices[d]?.kind === kind);
    for (const hvac of byKind('hvac')) {
      expect(['off', 'cooling', 'heating']).toContain(hvac.state);
      expect(hvac).toHaveProperty('indoorTempF');
      expect(hvac).toHaveProperty('setpointF');
      expect(hvac.comfortLowF).toBeLessThan(hvac.comfortHighF ?? Number.NaN);
    }
    expect(byKind('battery').length).toBeGreaterThan(0);
    for (const battery of byKind('battery')) {
      expect(['charging', 'discharging', 'idle']).toContain(battery.state);
      expect(battery.socPct).toBeGreaterThanOrEqual(0);
    }
    for (const heater of byKind('water-heater')) expect(heater).toHaveProperty('tankTempF');
    expect(byKind('ev').length).toBeGreaterThan(0);
    for (const ev of byKind('ev')) {
      if (ev.state === 'off') expect(ev.socPct).toBeUndefined();
      else expect(ev.socPct).toBeLessThanOrEqual(100);
    }
    expect(byKind('pv').some((pv) => pv.state === 'on' && pv.powerKw < 0)).toBe(true);
    // Devices that bid carry the bid, the price they expected and the clearing price.
    const bidders = all.filter((s) => s.bidPricePerKwh !== undefined);
    expect(bidders.length).toBeGreaterThan(0);
    for (const s of bidders) {
      expect(s.expectedPricePerKwh).toBe(expectedPricePerKwh);
      expect(s.bidQuantityKw).not.toBe(0);
    }
    expect(all.every((s) => s.clearingPricePerKwh === clearingPricePerKwh)).toBe(true);
    // Too late for the gate: no bid is reported, and a slot without a price reports none.
    const unbid = communityTelemetry(cycle, { startMs: 0, endMs: 1 }, null, null).flat();
    expect(unbid.some((s) => 'bidPricePerKwh' in s || 'clearingPricePerKwh' in s)).toBe(false);
  });
});
