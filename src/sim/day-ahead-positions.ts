/**
 * Forward transactive tenders in the simulation (TeMIX / Energy Interoperation): the day before, every
 * home tenders to buy its expected consumption hour by hour and the supplier tenders the substation
 * capacity at the hourly wholesale price; the forward market clears each hour into transactions. In real
 * time each home then trades only its difference: the position is settled at the day-ahead price and the
 * deviation at the real-time market price (two-settlement).
 *
 * Homes tender at the fixed tariff they would otherwise pay (bidding the cap would let a scarce hour
 * clear at the administrative cap). The expectation is, by default, the home's consumption in the
 * no-market baseline run, hour by hour: a perfect forecast of what it would use without the market, so
 * the hedge is as good as a forecast can be and the design's result shows what two-settlement does, not
 * what a forecaster gets wrong. With `forecast.usedBy: [day-ahead-positions]` it is the configured
 * model's day-ahead forecast instead (src/sim/forecast/), issued at local midnight from the meters so far.
 */
import { MS_PER_HOUR, type TimeSlot } from '../core/time.js';
import type { SubstationSupplier } from '../der/substation-supplier.js';
import { clearForwardMarket } from '../market/forward/forward-market.js';
import type { Tender } from '../market/forward/tender.js';

export interface DayAheadPositions {
  /** Position of each premises in each hour of the horizon, kW (hour-major: hour h is [h·n, (h+1)·n)). */
  readonly positionKw: Float64Array;
  readonly premises: number;
  /** Day-ahead price of each hour. */
  readonly pricePerKwh: Float64Array;
  readonly hours: number;
  readonly startMs: number;
}

/** Average load of each premises in each hour, from a run's slot reports. */
export class HourlyLoadRecorder {
  readonly energyKwh: Float64Array;

  constructor(
    private readonly premises: number,
    private readonly hours: number,
    private readonly startMs: number,
  ) {
    this.energyKwh = new Float64Array(premises * hours);
  }

  record(slot: TimeSlot, premisesLoadKw: Float64Array): void {
    const hour = Math.floor((slot.startMs - this.startMs) / MS_PER_HOUR);
    if (hour < 0 || hour >= this.hours) return;
    const slotHours = (slot.endMs - slot.startMs) / MS_PER_HOUR;
    for (let p = 0; p < this.premises; p++) {
      this.energyKwh[p * this.hours + hour] =
        (this.energyKwh[p * this.hours + hour] ?? 0) + (premisesLoadKw[p] ?? 0) * slotHours;
    }
  }
}

export function clearDayAheadPositions(
  /** Each premises' expected net energy per hour, kWh, premises-major ([p * hours + h]). */
  expected: { readonly energyKwh: ArrayLike<number> },
  premises: number,
  hours: number,
  startMs: number,
  supplier: SubstationSupplier,
  priceCapPerKwh: number,
  /** What a home will pay for its hedge: the fixed tariff it would pay without the market. */
  tenderPricePerKwh: number,
): DayAheadPositions {
  const tenders: Tender[] = [];
  const gateClosureMs = startMs - 12 * MS_PER_HOUR;
  for (let h = 0; h < hours; h++) {
    const interval = { startMs: startMs + h * MS_PER_HOUR, endMs: startMs + (h + 1) * MS_PER_HOUR };
    for (let p = 0; p < premises; p++) {
      const powerKw = expected.energyKwh[p * hours + h] ?? 0;
      if (!(powerKw > 0)) continue;
      tenders.push({
        tenderId: `p${p}h${h}`,
        party: `p${p}`,
        interval,
        side: 'buy',
        powerKw,
        pricePerKwh: tenderPricePerKwh,
        expiresMs: startMs,
      });
    }
    const offer = supplier.offerForSlot(interval);
    tenders.push({
      tenderId: `s${h}`,
      party: 'supplier',
      interval,
      side: 'sell',
      powerKw: offer.powerKw,
      pricePerKwh: offer.pricePerKwh,
      expiresMs: startMs,
    });
  }
  const positionKw = new Float64Array(premises * hours);
  const pricePerKwh = new Float64Array(hours).fill(Number.NaN);
  const cleared = clearForwardMarket(tenders, {
    intervalMs: MS_PER_HOUR,
    originMs: startMs,
    gateClosureMs,
    priceCap: priceCapPerKwh,
    bidOffset: 0.0001,
  });
  // The tenders are built here from finite, validated quantities: a refusal would be a bug.
  if (!cleared.ok) throw cleared.error;
  for (const t of cleared.value.transactions) {
    const h = Math.round((t.interval.startMs - startMs) / MS_PER_HOUR);
    pricePerKwh[h] = t.pricePerKwh;
    if (!t.buyer.startsWith('p')) continue;
    const p = Number(t.buyer.slice(1));
    positionKw[h * premises + p] = (positionKw[h * premises + p] ?? 0) + t.powerKw;
  }
  return { positionKw, premises, pricePerKwh, hours, startMs };
}

/** The positions and day-ahead price of the hour containing `slot`, in the engine's form. */
export function forwardPositionsAt(positions: DayAheadPositions, slot: TimeSlot) {
  const h = Math.floor((slot.startMs - positions.startMs) / MS_PER_HOUR);
  if (h < 0 || h >= positions.hours) return null;
  return {
    positionKw: positions.positionKw.subarray(h * positions.premises, (h + 1) * positions.premises),
    pricePerKwh: positions.pricePerKwh[h] ?? Number.NaN,
  };
}
