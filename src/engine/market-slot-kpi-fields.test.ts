/**
 * The fields of a market slot's result that the stakeholder KPIs read: which rows were must-run, and the
 * envelopes that cut a premises' bids at gate closure.
 */
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

/** Bids `powerKw` on one side at one price and meters what it was awarded. */
class Bidder implements DerAgent {
  readonly kind = 'battery' as const;
  readonly mode = 'transactive' as const;
  private outcome: SlotOutcome | null = null;
  constructor(
    readonly id: string,
    private readonly bidded: DerBid,
  ) {}
  bid(): readonly DerBid[] {
    return [this.bidded];
  }
  dispatch(outcome: SlotOutcome): void {
    this.outcome = outcome;
  }
  step(): number {
    return this.outcome?.awardedKw ?? 0;
  }
  observe() {
    return { powerKw: 0 };
  }
}

function config(envelopes?: CycleConfig['operatingEnvelopes']): CycleConfig {
  return {
    mode: 'transactive',
    priceCapPerKwh: 1,
    bidOffsetPerKwh: 0.0001,
    mustRunPricePerKwh: 1,
    mustRunValuePerKwh: 0.1,
    mechanism: uniformPriceAuction,
    supplier: { offerForSlot: () => ({ side: 'sell', pricePerKwh: 0.05, powerKw: 100 }) },
    tariff: { kind: 'real-time', distributionChargePerKwh: 0.01 },
    currency: USD,
    priceStatistics: new PriceStatistics(12, 0.05, 0.01),
    forecastPricesPerKwh: () => [0.05],
    ...(envelopes === undefined ? {} : { operatingEnvelopes: envelopes }),
  };
}

const slot = { startMs: 0, endMs: 3_600_000 };

describe('market slot result: must-run rows and envelope cuts', () => {
  const premises = () => [
    { id: 'buyer', classes: [], devices: [new Bidder('b', { side: 'buy', pricePerKwh: 0.3, powerKw: 6 })] },
    { id: 'mustrun', classes: [], devices: [new Bidder('m', { side: 'buy', pricePerKwh: 1, powerKw: 2 })] },
    {
      id: 'seller',
      classes: [],
      devices: [new Bidder('s', { side: 'sell', pricePerKwh: 0.01, powerKw: 5 })],
    },
  ];

  it('flags the rows bid at the cap as must-run and the others as flexible', () => {
    const market = new TransactiveCycle(premises(), config()).runSlot(slot, weather, weather).market;
    const flags = Array.from({ length: market?.table.rows ?? 0 }, (_, r) => market?.rowMustRun[r]);
    // Rows: the supplier's offer first, then one row per device in premises order.
    expect(flags).toEqual([0, 0, 1, 0]);
    expect(market?.envelopeCut).toBeNull();
  });

  it('records the envelope of each premises whose bids it cut, on the side it cut, NaN elsewhere', () => {
    const envelopes = {
      importKw: Float64Array.from([4, 10, 10]),
      exportKw: Float64Array.from([10, 10, 3]),
    };
    const report = new TransactiveCycle(premises(), config(envelopes)).runSlot(slot, weather, weather);
    const cut = report.market?.envelopeCut;
    expect(Array.from(cut?.importKw ?? [])).toEqual([4, Number.NaN, Number.NaN]);
    expect(Array.from(cut?.exportKw ?? [])).toEqual([Number.NaN, Number.NaN, 3]);
    expect(report.premisesLoadKw[0]).toBeCloseTo(4, 9);
    expect(report.premisesLoadKw[2]).toBeCloseTo(-3, 9);
  });
});
