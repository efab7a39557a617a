import { describe, expect, it } from 'vitest';
import { USD } from '../core/money.js';
import type { DerAgent, DerBid, SlotOutcome, WeatherSnapshot } from '../der/types.js';
import { uniformPriceAuction } from '../market/mechanism/uniform-price-mechanism.js';
import { PriceStatistics } from './price-statistics.js';
import { TransactiveCycle, type CycleConfig } from './transactive-cycle.js';

const weather: WeatherSnapshot = {
  timeMs: 0,
  outdoorTempC: 30,
  ghiWm2: 0,
  dniWm2: 0,
  dhiWm2: 0,
  windSpeedMps: 0,
  solarZenithDeg: 120,
  solarAzimuthDeg: 0,
};
const slot = { startMs: 0, endMs: 3_600_000 };

/** A flexible load that bids `powerKw` at `pricePerKwh` and runs only when awarded. */
class FlexibleLoad implements DerAgent {
  readonly kind = 'hvac' as const;
  outcome: SlotOutcome | null = null;
  constructor(
    readonly id: string,
    readonly mode: 'transactive' | 'baseline',
    private readonly powerKw: number,
    private readonly pricePerKwh: number,
  ) {}
  bid(): readonly DerBid[] {
    return [{ side: 'buy', pricePerKwh: this.pricePerKwh, powerKw: this.powerKw }];
  }
  dispatch(outcome: SlotOutcome): void {
    this.outcome = outcome;
  }
  step(): number {
    return this.mode === 'baseline' ? this.powerKw : (this.outcome?.awardedKw ?? 0);
  }
  observe() {
    return { powerKw: 0 };
  }
}

function config(mode: 'transactive' | 'baseline', capacityKw: number): CycleConfig {
  return {
    mode,
    priceCapPerKwh: 1,
    bidOffsetPerKwh: 0.0001,
    mustRunPricePerKwh: 1,
    mustRunValuePerKwh: 0.1,
    mechanism: uniformPriceAuction,
    supplier: { offerForSlot: () => ({ side: 'sell', pricePerKwh: 0.05, powerKw: capacityKw }) },
    tariff:
      mode === 'transactive'
        ? { kind: 'real-time', distributionChargePerKwh: 0.01 }
        : { kind: 'fixed', energyPricePerKwh: 0.1 },
    currency: USD,
    priceStatistics: new PriceStatistics(12, 0.05, 0.01),
    forecastPricesPerKwh: () => [0.05],
  };
}

describe('TransactiveCycle', () => {
  it('in baseline, runs plain control at the fixed tariff without a market', () => {
    const premises = [{ id: 'h1', classes: [], devices: [new FlexibleLoad('a', 'baseline', 3, 0.2)] }];
    const cycle = new TransactiveCycle(premises, config('baseline', 100));
    const report = cycle.runSlot(slot, weather, weather);
    expect(report.market).toBeNull();
    expect(report.substationLoadKw).toBe(3);
    expect(report.premisesChargeMicro[0]).toBe(300_000); // 3 kWh at 0.10
  });

  it('clears at the wholesale price when capacity does not bind and hands out awards', () => {
    const loads = [
      new FlexibleLoad('a', 'transactive', 4, 0.2),
      new FlexibleLoad('b', 'transactive', 2, 0.08),
    ];
    const cycle = new TransactiveCycle(
      [{ id: 'h1', classes: [], devices: loads }],
      config('transactive', 100),
    );
    const report = cycle.runSlot(slot, weather, weather);
    expect(report.market?.marketPricePerKwh).toBeCloseTo(0.05, 9);
    expect(loads.map((l) => l.outcome?.awardedKw)).toEqual([4, 2]);
    expect(report.substationLoadKw).toBe(6);
    expect(report.premisesChargeMicro[0]).toBe(360_000); // 6 kWh at 0.05 + 0.01
    // surplus: (0.2 − 0.05)·4 + (0.08 − 0.05)·2 buyers, (0.05 − 0.05)·6 seller
    expect(report.market?.welfare).toBeCloseTo(0.66, 9);
  });

  it('lets the price rise to ration flexible load when capacity binds, counting unresponsive load first', () => {
    const plain = new FlexibleLoad('plain', 'baseline', 5, 0);
    const eager = new FlexibleLoad('eager', 'transactive', 4, 0.3);
    const thrifty = new FlexibleLoad('thrifty', 'transactive', 4, 0.1);
    const premises = [
      { id: 'h1', classes: [], devices: [plain] },
      { id: 'h2', classes: [], devices: [eager, thrifty] },
    ];
    const cycle = new TransactiveCycle(premises, config('transactive', 10));
    cycle.runSlot(slot, weather, weather); // first slot meters the plain load
    const report = cycle.runSlot({ startMs: 3_600_000, endMs: 7_200_000 }, weather, weather);
    // 5 kW unresponsive + 4 kW eager fit in 10 kW; thrifty's 4 kW does not: it is the marginal buyer.
    expect(report.market?.marketPricePerKwh).toBeCloseTo(0.1, 9);
    expect(eager.outcome?.awardedKw).toBe(4);
    expect(thrifty.outcome?.awardedKw).toBeCloseTo(1, 9);
    expect(thrifty.outcome?.marginalShare).toBeCloseTo(0.25, 9);
    expect(report.substationLoadKw).toBeCloseTo(10, 9);
  });

  it('cuts bids to each premises operating envelope, counting its unresponsive load first', () => {
    const plain = new FlexibleLoad('plain', 'baseline', 3, 0);
    const first = new FlexibleLoad('first', 'transactive', 4, 0.3);
    const second = new FlexibleLoad('second', 'transactive', 4, 0.2);
    const other = new FlexibleLoad('other', 'transactive', 4, 0.2);
    const premises = [
      { id: 'h1', classes: [], devices: [plain, first, second] },
      { id: 'h2', classes: [], devices: [other] },
    ];
    const envelopes = { importKw: Float64Array.from([9, Infinity]), exportKw: Float64Array.from([0, 0]) };
    const cycle = new TransactiveCycle(premises, {
      ...config('transactive', 100),
      operatingEnvelopes: envelopes,
    });
    cycle.runSlot(slot, weather, weather); // meters the plain load: 3 kW of h1's 9 kW envelope
    const report = cycle.runSlot({ startMs: 3_600_000, endMs: 7_200_000 }, weather, weather);
    expect(first.outcome?.awardedKw).toBe(4);
    expect(second.outcome?.awardedKw).toBeCloseTo(2, 9); // 9 − 3 − 4 left for it
    expect(other.outcome?.awardedKw).toBe(4);
    expect(report.premisesLoadKw[0]).toBeCloseTo(9, 9);
  });

  it('settles a day-ahead position at its price and only the deviation at the real-time price', () => {
    const load = new FlexibleLoad('a', 'transactive', 4, 0.2);
    const premises = [{ id: 'h1', classes: [], devices: [load] }];
    const forwardPositions = () => ({ positionKw: Float64Array.from([3]), pricePerKwh: 0.03 });
    const withPosition = new TransactiveCycle(premises, { ...config('transactive', 100), forwardPositions });
    const report = withPosition.runSlot(slot, weather, weather);
    // 3 kWh at 0.03 day ahead; 4 kWh traded in real time at 0.05 and 3 kWh sold back at 0.05: net 1 kWh
    // at 0.05; the distribution charge of 0.01 on the 4 kWh metered.
    expect(report.premisesChargeMicro[0]).toBe(Math.round((3 * 0.03 + 1 * 0.05 + 4 * 0.01) * 1e6));
  });

  it('run phase by phase with the clearing done outside, gives what runSlot gives', () => {
    const build = () => [
      { id: 'h1', classes: [], devices: [new FlexibleLoad('plain', 'baseline', 5, 0)] },
      {
        id: 'h2',
        classes: [],
        devices: [
          new FlexibleLoad('eager', 'transactive', 4, 0.3),
          new FlexibleLoad('thrifty', 'transactive', 4, 0.1),
        ],
      },
    ];
    const whole = new TransactiveCycle(build(), config('transactive', 10));
    const phased = new TransactiveCycle(build(), config('transactive', 10));
    for (const s of [slot, { startMs: 3_600_000, endMs: 7_200_000 }]) {
      const report = whole.runSlot(s, weather, weather);
      const table = phased.collectBids(s, weather);
      const cleared = uniformPriceAuction.clear(table, { slot: s, priceCap: 1, bidOffset: 0.0001 });
      if (!cleared.ok) throw cleared.error;
      phased.applyFills(table, cleared.value.filled, cleared.value.clearingPrice);
      phased.dispatchDevices(s, cleared.value.clearingPrice, true);
      expect(phased.stepAndMeter(s, weather)).toBe(report.substationLoadKw);
      expect(Array.from(phased.premisesMeteredKw)).toEqual(Array.from(report.premisesLoadKw));
      phased.recordMarketPrice(cleared.value.clearingPrice, cleared.value.status);
    }
    const awards = (cycle: TransactiveCycle) =>
      cycle.devices.map((d) => (d as FlexibleLoad).outcome?.awardedKw ?? null);
    expect(awards(phased)).toEqual(awards(whole));
  });

  it('lets each premises bid its own must-run load in its own name', () => {
    const premises = [
      { id: 'h1', classes: [], devices: [new FlexibleLoad('plain', 'baseline', 5, 0)] },
      {
        id: 'h2',
        classes: [],
        devices: [new FlexibleLoad('base', 'baseline', 2, 0), new FlexibleLoad('ac', 'transactive', 3, 0.2)],
      },
    ];
    const cycle = new TransactiveCycle(premises, {
      ...config('transactive', 100),
      unresponsiveBidder: 'premises',
    });
    cycle.runSlot(slot, weather, weather); // meters the plain loads
    const table = cycle.collectBids({ startMs: 3_600_000, endMs: 7_200_000 }, weather);
    const rows = Array.from({ length: table.rows }, (_, r) => ({
      participant: table.participant[r],
      price: table.price[r],
      quantity: table.quantity[r],
      device: cycle.bidRowDevice[r],
    }));
    // The supplier's offer (participant 2), h2's flexible bid, then each home's must-run load at the cap.
    expect(rows).toEqual([
      { participant: 2, price: 0.05, quantity: 100, device: -1 },
      { participant: 1, price: 0.2, quantity: 3, device: 2 },
      { participant: 0, price: 1, quantity: 5, device: -1 },
      { participant: 1, price: 1, quantity: 2, device: -1 },
    ]);
  });
});
