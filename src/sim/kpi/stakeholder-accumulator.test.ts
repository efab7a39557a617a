import { describe, expect, it } from 'vitest';
import { ENGINE_OWNER } from '../../engine/slot-orders.js';
import type { MarketSlotResult, SlotReport } from '../../engine/transactive-cycle.js';
import { OrderTableBuilder } from '../../market/mechanism/order-table.js';
import { loadFactor, StakeholderAccumulator } from './stakeholder-accumulator.js';
import type { StakeholderContext } from './stakeholder-context.js';

const HOUR_MS = 3_600_000;

interface Row {
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly quantity: number;
  readonly filled: number;
  readonly participant: number;
  /** Device index, ENGINE_OWNER for the engine's rows. */
  readonly device: number;
  readonly mustRun?: boolean;
}

function market(rows: readonly Row[], envelopeCut: MarketSlotResult['envelopeCut']): MarketSlotResult {
  const builder = new OrderTableBuilder();
  for (const row of rows) builder.add(row);
  const filled = Float64Array.from(rows, (r) => r.filled);
  return {
    table: builder.build(),
    clearing: {
      mechanism: 'test',
      filled,
      price: Float64Array.from(rows, () => 0.05),
      feePerKwh: new Float64Array(rows.length),
      clearingPrice: 0.05,
      status: 'test',
    },
    rowDevice: Int32Array.from(rows, (r) => r.device),
    supplierRow: 0,
    marketPricePerKwh: 0.05,
    imbalancePricePerKwh: 0.05,
    localTradedKw: 0,
    gridSuppliedKw: rows[0]?.filled ?? 0,
    supplierPaidPerH: 0,
    welfare: 0,
    rowMustRun: Uint8Array.from(rows, (r) => (r.mustRun === true ? 1 : 0)),
    envelopeCut,
  };
}

function report(
  hour: number,
  substationLoadKw: number,
  premisesLoadKw: number[],
  deviceLoadKw: number[],
  slotMarket: MarketSlotResult | null,
): SlotReport {
  return {
    slot: { startMs: hour * HOUR_MS, endMs: (hour + 1) * HOUR_MS },
    market: slotMarket,
    substationLoadKw,
    premisesLoadKw: Float64Array.from(premisesLoadKw),
    deviceLoadKw: Float64Array.from(deviceLoadKw),
    premisesChargeMicro: new Float64Array(premisesLoadKw.length),
    intermediaryRevenue: 0,
  };
}

// Three homes with one device each (device d in home d); homes 0 and 1 bid through the aggregator.
const context: StakeholderContext = {
  utcOffsetMinutes: 0,
  wholesalePricePerKwhByHour: Array.from({ length: 24 }, (_, h) => 0.01 * (h + 1)),
  marginalEmissionsKgPerKwhByHour: Array.from({ length: 24 }, (_, h) => 0.1 * (h + 1)),
  aggregator: { memberPremises: [0, 1], marginPerKwh: 0.01 },
};
const devicePremises = Int32Array.from([0, 1, 2]);
const supplier = (filled: number): Row => ({
  side: 'sell',
  price: 0.05,
  quantity: 100,
  filled,
  participant: 3,
  device: ENGINE_OWNER,
});

function twoSlots(): SlotReport[] {
  const slot0 = market(
    [
      supplier(4),
      { side: 'sell', price: 0.02, quantity: 3, filled: 3, participant: 0, device: 0 },
      { side: 'buy', price: 0.3, quantity: 5, filled: 5, participant: 1, device: 1 },
      { side: 'buy', price: 1, quantity: 2, filled: 2, participant: 1, device: 1, mustRun: true },
      { side: 'buy', price: 1, quantity: 1, filled: 1, participant: 4, device: ENGINE_OWNER, mustRun: true },
      { side: 'sell', price: 0, quantity: 1, filled: 1, participant: 2, device: 2 },
    ],
    {
      importKw: Float64Array.from([Number.NaN, 10, Number.NaN]),
      exportKw: Float64Array.from([Number.NaN, Number.NaN, 2]),
    },
  );
  const slot1 = market(
    [supplier(6), { side: 'buy', price: 0.01, quantity: 2, filled: 2, participant: 0, device: 0 }],
    { importKw: new Float64Array(3).fill(Number.NaN), exportKw: new Float64Array(3).fill(Number.NaN) },
  );
  return [
    // The battery delivers 2 of the 3 kW it sold; the HVAC runs 7.5 kW on 5 flexible + 2 must-run.
    report(0, 4.5, [-2, 7.5, -1], [-2, 7.5, -1], slot0),
    report(1, -1, [2, 0, -3], [2, 0, -3], slot1),
  ];
}

describe('StakeholderAccumulator', () => {
  it('adds up wholesale cost, emissions, seller shares, aggregator margin, flexibility and envelopes', () => {
    const accumulator = new StakeholderAccumulator(3, devicePremises, context);
    for (const slot of twoSlots()) accumulator.record(slot, 1);
    const kpis = accumulator.finish([4.5, -1], [0.05, 0.04]);
    expect(kpis.wholesaleEnergyCost).toBeCloseTo(4.5 * 0.01, 12); // the export hour costs nothing
    expect(kpis.emissionsKg).toBeCloseTo(4.5 * 0.1 - 1 * 0.2, 12); // the export avoids 0.2 kg
    expect(kpis.loadFactor).toBeCloseTo(1.75 / 4.5, 12);
    // Sold: supplier 4 + 6 = 10, home 0 3, home 2 1 → 14 kWh.
    expect(kpis.largestSellerShare).toBeCloseTo(10 / 14, 12);
    expect(kpis.largestLocalSellerShare).toBeCloseTo(3 / 14, 12);
    expect(kpis.sellerHhi).toBeCloseTo(((100 + 9 + 1) / 196) * 10_000, 9);
    // Member kWh traded: 3 + 5 + 2 + 2 = 12 at 0.01.
    expect(kpis.aggregatorRevenue).toBeCloseTo(0.12, 12);
    // Promised 3 + 5 + 2; delivered 2 + min(5, 7.5 − 2) + 2.
    expect(kpis.flexibilityPromisedKwh).toBeCloseTo(10, 12);
    expect(kpis.flexibilityDeliveredKwh).toBeCloseTo(9, 12);
    // 2 of 6 home-slots cut; home 1 used 7.5 of 10 kW import, home 2 1 of 2 kW export.
    expect(kpis.envelopeLimitedShare).toBeCloseTo(2 / 6, 12);
    expect(kpis.envelopeHeadroomUsed).toBeCloseTo((0.75 + 0.5) / 2, 12);
    expect(kpis.priceStdevPerKwh).toBeCloseTo(0.005, 12);
    expect(kpis.priceMeanAbsChangePerKwh).toBeCloseTo(0.01, 12);
  });

  it('reads the wholesale price and emission factor of the local hour', () => {
    // UTC hour 0 is local hour 17 at UTC−7.
    const local = new StakeholderAccumulator(3, devicePremises, { ...context, utcOffsetMinutes: -420 });
    local.record(report(0, 2, [2, 0, 0], [2, 0, 0], null), 0.5);
    const kpis = local.finish([2], [Number.NaN]);
    expect(kpis.wholesaleEnergyCost).toBeCloseTo(2 * 0.5 * 0.18, 12);
    expect(kpis.emissionsKg).toBeCloseTo(2 * 0.5 * 1.8, 12);
  });

  it('leaves market, aggregator, envelope and emission quantities NaN where the run cannot say', () => {
    const baseline = new StakeholderAccumulator(3, devicePremises, {
      utcOffsetMinutes: 0,
      wholesalePricePerKwhByHour: context.wholesalePricePerKwhByHour,
    });
    baseline.record(report(0, 3, [1, 1, 1], [1, 1, 1], null), 1);
    const kpis = baseline.finish([3], [Number.NaN]);
    expect(kpis.wholesaleEnergyCost).toBeCloseTo(0.03, 12);
    expect(kpis.loadFactor).toBe(1);
    for (const value of [
      kpis.emissionsKg,
      kpis.largestSellerShare,
      kpis.sellerHhi,
      kpis.priceStdevPerKwh,
      kpis.aggregatorRevenue,
      kpis.flexibilityPromisedKwh,
      kpis.envelopeLimitedShare,
      kpis.envelopeHeadroomUsed,
    ]) {
      expect(value).toBeNaN();
    }
  });
});

describe('loadFactor', () => {
  it('is mean over peak, and NaN when the peak is not positive', () => {
    expect(loadFactor([1, 2, 3, 6])).toBeCloseTo(3 / 6, 12);
    expect(loadFactor([-1, -2])).toBeNaN();
    expect(loadFactor([])).toBeNaN();
  });
});
