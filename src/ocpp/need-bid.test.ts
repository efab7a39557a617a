import { describe, expect, it } from 'vitest';
import { createEv, DEFAULT_EV_PARAMS } from '../der/ev.js';
import { DEFAULT_MARKET_RULES, type MarketRules } from '../live/market-rules.js';
import { ordersForNeed } from './charging-bids.js';
import { unmeteredWh } from './charging-fills.js';
import type { ChargingNeed } from './charging-needs.js';
import { bidForNeed, needSignal } from './need-bid.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 18);
const slot = { startMs: T0, endMs: T0 + 300_000 };
const CHEAP_NIGHT: MarketRules = {
  ...DEFAULT_MARKET_RULES,
  supplier: {
    id: 'substation',
    capacityKw: 5000,
    pricePerKwh: 0.08,
    hourlyPricePerKwh: Array.from({ length: 24 }, (_, h) => (h >= 1 && h < 6 ? 0.05 : 0.2)),
  },
};

describe('bidding a charging need with the EV agent', () => {
  it('bids what the EV agent bids for the same EV, at any charger size', () => {
    const signal = needSignal(CHEAP_NIGHT, slot.startMs, T0 + 12 * HOUR);
    const ev = createEv('ev', { ...DEFAULT_EV_PARAMS, chargerKw: 7.2, chargingEfficiency: 1 }, 'transactive');
    ev.setSession({ arrivalMs: T0, departureMs: T0 + 12 * HOUR, energyNeededKwh: 20 });
    const [direct] = (ev.bid as (signal: unknown) => ReturnType<typeof ev.bid>)({ ...signal, slot });
    const viaNeed = bidForNeed(
      { remainingWh: 20_000, departureMs: T0 + 12 * HOUR, maxPowerW: 7_200 },
      slot,
      signal,
    );
    expect(viaNeed?.pricePerKwh).toBeCloseTo(direct?.pricePerKwh ?? Number.NaN, 9);
    expect(viaNeed?.powerKw).toBeCloseTo(direct?.powerKw ?? Number.NaN, 9);
    // Twenty times the charger and the energy: the same urgency, the same price, twenty times the power.
    const big = bidForNeed(
      { remainingWh: 400_000, departureMs: T0 + 12 * HOUR, maxPowerW: 144_000 },
      slot,
      signal,
    );
    expect(big?.pricePerKwh).toBeCloseTo(viaNeed?.pricePerKwh ?? Number.NaN, 9);
    expect(big?.powerKw).toBeCloseTo(144, 6);
  });

  it('pays more as time runs out and the price cap when the slot cannot be skipped', () => {
    const price = (hoursLeft: number) =>
      bidForNeed(
        { remainingWh: 20_000, departureMs: T0 + hoursLeft * HOUR, maxPowerW: 7_200 },
        slot,
        needSignal(CHEAP_NIGHT, slot.startMs, T0 + hoursLeft * HOUR),
      )?.pricePerKwh ?? Number.NaN;
    expect(price(12)).toBeLessThan(0.1); // plenty of time: the cheap night hours are enough
    expect(price(12)).toBeLessThanOrEqual(price(4));
    expect(price(2.5)).toBe(DEFAULT_MARKET_RULES.priceCapPerKwh); // 20 kWh at 7.2 kW needs 2.8 h
  });

  it('bids nothing after departure or once the energy is delivered; without a forecast the price is urgency × cap', () => {
    const signal = needSignal(CHEAP_NIGHT, slot.startMs, T0 + HOUR);
    expect(
      bidForNeed({ remainingWh: 5_000, departureMs: T0, maxPowerW: 7_200 }, slot, signal),
    ).toBeUndefined();
    expect(
      bidForNeed({ remainingWh: 0, departureMs: T0 + HOUR, maxPowerW: 7_200 }, slot, signal),
    ).toBeUndefined();
    const noSupplier: MarketRules = { ...DEFAULT_MARKET_RULES, priceCapPerKwh: 2 };
    delete (noSupplier as { supplier?: unknown }).supplier;
    const flat = needSignal(noSupplier, slot.startMs, T0 + 10 * HOUR);
    expect(flat.forecastPricesPerKwh).toEqual([]);
    // u = 7.2 kWh / (10 h × 7.2 kW) = 0.1
    const bid = bidForNeed({ remainingWh: 7_200, departureMs: T0 + 10 * HOUR, maxPowerW: 7_200 }, slot, flat);
    expect(bid?.pricePerKwh).toBeCloseTo(0.2, 9);
    expect(bid?.powerKw).toBeCloseTo(7.2, 9);
  });
});

describe('the orders of a need', () => {
  const need: ChargingNeed = {
    stationId: 'CS-1',
    evseId: 2,
    transferMode: 'AC_single_phase',
    energyWh: 1_000,
    departureMs: T0 + 600_000,
    maxPowerW: 7_200,
    minPowerW: 0,
    maxCurrentA: 32,
    minCurrentA: 6,
    phases: 1,
    receivedMs: T0,
    registerWhAtReceipt: 10_000,
  };
  const slots = [0, 1, 2].map((k) => ({ start_ms: T0 + k * 300_000, end_ms: T0 + (k + 1) * 300_000 }));

  it('asks in each open slot for what the earlier ones leave, and for nothing after departure', () => {
    const orders = ordersForNeed(need, 10_000, CHEAP_NIGHT, slots, 'community', 'home-1');
    expect(orders.map((o) => [o.slotStartMs - T0, o.clientOrderId, o.steps[0]?.quantity])).toEqual([
      [0, 'ocpp-evse-2', 7.2], // 600 Wh in five minutes
      [300_000, 'ocpp-evse-2', 4.8], // the 400 Wh left
      [600_000, 'ocpp-evse-2', 0], // after departure: withdrawn
    ]);
    expect(orders.every((o) => o.side === 'buy' && o.participantId === 'home-1')).toBe(true);
  });

  it("buys the last bit at the EV's minimum power, not slower", () => {
    const slow = { ...need, minPowerW: 6 * 230 };
    // 150 Wh left: 1.8 kW would do in five minutes, but the EV charges at 6 A × 230 V = 1.38 kW or more.
    const orders = ordersForNeed(slow, 10_850, CHEAP_NIGHT, slots, 'community', 'home-1');
    expect(orders[0]?.steps[0]?.quantity).toBeCloseTo(1.8, 9);
    const last = ordersForNeed(slow, 10_950, CHEAP_NIGHT, slots, 'community', 'home-1');
    expect(last[0]?.steps[0]?.quantity).toBeCloseTo(1.38, 9); // 50 Wh left: 0.6 kW is below the minimum
    expect(last[1]?.steps[0]?.quantity).toBe(0);
  });

  it('asks for nothing once the register shows the energy delivered', () => {
    const orders = ordersForNeed(need, 11_000, CHEAP_NIGHT, slots, 'community', 'home-1');
    expect(orders.map((o) => o.steps)).toEqual([
      [{ price: 0, quantity: 0 }],
      [{ price: 0, quantity: 0 }],
      [{ price: 0, quantity: 0 }],
    ]);
  });
});

describe('energy bought but not metered yet', () => {
  it('counts the part of each bought slot after the register, and bids less for it', () => {
    const bought = new Map([
      [T0, 6],
      [T0 + 300_000, 12],
    ]);
    expect(unmeteredWh(bought, 300_000, T0)).toBeCloseTo(500 + 1_000, 9);
    expect(unmeteredWh(bought, 300_000, T0 + 150_000)).toBeCloseTo(250 + 1_000, 9);
    expect(unmeteredWh(bought, 300_000, T0 + 600_000)).toBe(0);
    expect(unmeteredWh(undefined, 300_000, T0)).toBe(0);
    const need: ChargingNeed = {
      stationId: 'CS-1',
      evseId: 1,
      transferMode: 'DC',
      energyWh: 2_000,
      departureMs: T0 + 4 * HOUR,
      maxPowerW: 50_000,
      minPowerW: 0,
      maxCurrentA: undefined,
      minCurrentA: undefined,
      phases: 1,
      receivedMs: T0,
      registerWhAtReceipt: undefined,
    };
    const slots = [{ start_ms: T0 + 600_000, end_ms: T0 + 900_000 }];
    const quantity = (notMeteredWh: number) =>
      ordersForNeed(need, undefined, CHEAP_NIGHT, slots, 'community', 'home-1', notMeteredWh)[0]?.steps[0]
        ?.quantity;
    expect(quantity(0)).toBeCloseTo(24, 9); // 2 kWh in five minutes
    expect(quantity(1_500)).toBeCloseTo(6, 9); // 0.5 kWh left
    expect(quantity(2_500)).toBe(0);
  });
});
