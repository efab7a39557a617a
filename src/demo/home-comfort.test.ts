/**
 * The comfort slider a prosumer sets on the platform reaches its home: heard as a preferences-changed
 * event, applied at the next slot's start to that home's transactive HVAC and water heater, and nowhere
 * else. Two identical communities bid for the same slot, one with the change.
 */
import { describe, expect, it } from 'vitest';
import type { HvacAgent } from '../der/hvac-agent.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';
import { defaultScenario, tucsonWeather } from '../sim/test-scenario.fixture.js';
import { buildCommunityHomes, slotWeather } from './community-homes.js';
import { HomeComfort } from './home-comfort.js';
import { apiIdFor, type RegisteredHome } from './home-registration.js';

function afternoon(): Scenario {
  const base = defaultScenario();
  const { feeder: _feeder, ...rest } = base;
  return { ...rest, population: { ...base.population, homes: 12 }, startMs: base.startMs + 14 * 3_600_000 };
}

/** Each device's bid rows of the slot as [device index, side, price, quantity]. */
function bidRows(
  homes: ReturnType<typeof buildCommunityHomes>,
  scenario: Scenario,
  weather: ReturnType<typeof tucsonWeather>,
) {
  const slot = { startMs: scenario.startMs, endMs: scenario.startMs + scenario.marketPeriodMs };
  const table = homes.cycle.collectBids(slot, slotWeather(weather.source, slot).snapshot);
  const rows: [number, number, number, number][] = [];
  for (let r = 0; r < table.rows; r++) {
    rows.push([
      homes.cycle.bidRowDevice[r] ?? -1,
      table.side[r] ?? 0,
      table.price[r] ?? 0,
      table.quantity[r] ?? 0,
    ]);
  }
  return rows;
}

describe('the comfort slider in the demo homes', () => {
  it("a change moves that home's HVAC bid from the next slot, and no other device's", () => {
    const scenario = afternoon();
    const weather = tucsonWeather(scenario);
    const plain = buildCommunityHomes(scenario);
    const changed = buildCommunityHomes(scenario);
    const registered: RegisteredHome[] = changed.premises.map((p, homeIndex) => ({
      homeIndex,
      participantId: apiIdFor(p.id),
      credentials: { clientId: `c${homeIndex}`, clientSecret: 's' },
    }));
    const before = bidRows(plain, scenario, weather);
    // A home whose transactive HVAC bids this afternoon slot at a ramp price (below the cap).
    const cap = scenario.market.priceCapPerKwh;
    const hvacRow = before.find(
      ([d, , price]) => d >= 0 && plain.cycle.devices[d]?.kind === 'hvac' && price < cap,
    );
    expect(hvacRow, 'some HVAC bids below the cap').toBeDefined();
    const hvacIndex = hvacRow?.[0] ?? -1;
    const homeIndex = plain.cycle.devicePremises[hvacIndex] ?? -1;
    const hvac = changed.cycle.devices[hvacIndex] as HvacAgent;
    expect(hvac.comfortSlider).not.toBe(0.05);

    const comfort = new HomeComfort();
    comfort.onEvent({
      type: 'preferences-changed',
      participantId: registered[homeIndex]?.participantId ?? '',
      comfortSlider: 0.05,
    });
    // Heard, not applied: the slot in progress keeps its slider.
    expect(hvac.comfortSlider).not.toBe(0.05);
    comfort.applyPending(changed.premises, registered);
    expect(hvac.comfortSlider).toBe(0.05);
    expect(comfort.applied).toBe(1);

    const after = bidRows(changed, scenario, weather);
    expect(after).toHaveLength(before.length);
    for (const [k, row] of after.entries()) {
      if (row[0] === hvacIndex) {
        // More comfort: a steeper ramp over a narrower range, so the same air temperature bids higher.
        expect(row[2], 'HVAC bid price').toBeGreaterThan(before[k]?.[2] ?? Number.POSITIVE_INFINITY);
      } else {
        expect(row, `row ${k}`).toEqual(before[k]);
      }
    }
  });

  it('ignores events of other kinds and non-finite sliders, and clamps to 0..1', () => {
    const scenario = afternoon();
    const homes = buildCommunityHomes(scenario);
    const registered: RegisteredHome[] = homes.premises.map((p, homeIndex) => ({
      homeIndex,
      participantId: apiIdFor(p.id),
      credentials: { clientId: `c${homeIndex}`, clientSecret: 's' },
    }));
    const homeIndex = homes.premises.findIndex((p) =>
      p.devices.some((d) => d.kind === 'hvac' && d.mode === 'transactive'),
    );
    expect(homeIndex).toBeGreaterThanOrEqual(0);
    const comfort = new HomeComfort();
    const participantId = registered[homeIndex]?.participantId ?? '';
    comfort.onEvent({ type: 'slot-closed', marketId: 'm', slotStartMs: 0, orderCount: 0 });
    comfort.onEvent({ type: 'preferences-changed', participantId, comfortSlider: Number.NaN });
    comfort.applyPending(homes.premises, registered);
    expect(comfort.applied).toBe(0);
    comfort.onEvent({ type: 'preferences-changed', participantId, comfortSlider: 3 });
    comfort.applyPending(homes.premises, registered);
    expect(comfort.applied).toBe(1);
    const sliders = (homes.premises[homeIndex]?.devices ?? [])
      .filter((d) => d.kind === 'hvac' && d.mode === 'transactive')
      .map((d) => (d as HvacAgent).comfortSlider);
    expect(sliders).toEqual([1]);
  });
});
