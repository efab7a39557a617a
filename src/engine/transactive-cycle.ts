/**
 * One market slot of the transactive loop, the same in simulation and live operation (DESIGN.md):
 * frozen snapshot → agents bid → gate closure → clearing → dispatch → devices step → meters → settlement.
 *
 * In baseline mode there is no market: devices run their plain control, the fixed tariff applies and
 * nothing bids. Buffers are owned by the cycle and reused; a SlotReport is valid until the next slot.
 */
import type { Currency } from '../core/money.js';
import { slotDurationHours, type TimeSlot } from '../core/time.js';
import type { DerAgent, MarketSignal, WeatherSnapshot } from '../der/types.js';
import { retailPricePerKwh, slotChargeMinor, type RetailTariff } from '../ledger/retail-charge.js';
import type { ClearingOutcome, ColumnarBook } from '../market/types.js';
import { BidCollector, ENGINE_OWNER } from './bid-collector.js';
import type { ClearBook, Premises, WholesaleSupplier } from './ports.js';
import type { PriceStatistics } from './price-statistics.js';

export interface CycleConfig {
  readonly mode: 'transactive' | 'baseline';
  readonly priceCapPerKwh: number;
  readonly bidOffsetPerKwh: number;
  readonly clear: ClearBook;
  readonly supplier: WholesaleSupplier;
  readonly tariff: RetailTariff;
  readonly currency: Currency;
  readonly priceStatistics: PriceStatistics;
  /** Expected prices of the coming slots, the given slot first. */
  readonly forecastPricesPerKwh: (slot: TimeSlot) => readonly number[];
  /**
   * Dynamic operating envelopes per premises (kW), from the grid: what each connection may import and
   * export in the coming slot. Bids beyond them are cut before clearing. Absent: no limit.
   */
  readonly operatingEnvelopes?: { readonly importKw: Float64Array; readonly exportKw: Float64Array };
}

export interface SlotReport {
  readonly slot: TimeSlot;
  /** Null in baseline mode. */
  readonly clearing: ClearingOutcome | null;
  /** The book as cleared (views into reused buffers), null in baseline mode. */
  readonly book: ColumnarBook | null;
  /** The retail energy price that applied. */
  readonly retailPricePerKwh: number;
  readonly substationLoadKw: number;
  readonly premisesLoadKw: Float64Array;
  readonly deviceLoadKw: Float64Array;
  readonly premisesChargeMinor: Float64Array;
  /** Surplus of the responsive bids that cleared (unresponsive bids at the cap carry no value). */
  readonly welfare: number;
}

export class TransactiveCycle {
  readonly devices: readonly DerAgent[];
  /** Index of the premises of each device. */
  readonly devicePremises: Int32Array;
  private readonly collector = new BidCollector();
  private readonly premisesLoadKw: Float64Array;
  private readonly premisesChargeMinor: Float64Array;
  private readonly deviceLoadKw: Float64Array;
  private readonly awardedKw: Float64Array;
  private readonly marginalShare: Float64Array;

  constructor(
    readonly premises: readonly Premises[],
    private readonly config: CycleConfig,
  ) {
    this.devices = premises.flatMap((p) => p.devices);
    this.devicePremises = new Int32Array(this.devices.length);
    let index = 0;
    premises.forEach((p, premisesIndex) => {
      for (let k = 0; k < p.devices.length; k++) this.devicePremises[index++] = premisesIndex;
    });
    this.premisesLoadKw = new Float64Array(premises.length);
    this.premisesChargeMinor = new Float64Array(premises.length);
    this.deviceLoadKw = new Float64Array(this.devices.length);
    this.awardedKw = new Float64Array(this.devices.length);
    this.marginalShare = new Float64Array(this.devices.length);
  }

  /**
   * Run one slot. `snapshotWeather` is what agents see when they bid (conditions at gate closure);
   * `stepWeather` drives the physics during the slot.
   */
  runSlot(slot: TimeSlot, snapshotWeather: WeatherSnapshot, stepWeather: WeatherSnapshot): SlotReport {
    const { config } = this;
    const market = config.mode === 'transactive' ? this.clearMarket(slot, snapshotWeather) : null;
    const clearingPrice = market === null ? Number.NaN : market.clearing.price;
    const pricePerKwh = retailPricePerKwh(config.tariff, clearingPrice);
    this.dispatch(slot, market === null ? pricePerKwh : clearingPrice, market !== null);
    const substationLoadKw = this.stepAndMeter(slot, stepWeather, pricePerKwh);
    // A failed clearing's price is the administrative cap, not a market signal: it would inflate the
    // statistics that every ramp bid is scaled by and feed back into the next slots' bids.
    if (market !== null && market.clearing.clearingType !== 'failure')
      config.priceStatistics.record(clearingPrice);
    return {
      slot,
      clearing: market?.clearing ?? null,
      book: market?.book ?? null,
      retailPricePerKwh: pricePerKwh,
      substationLoadKw,
      premisesLoadKw: this.premisesLoadKw,
      deviceLoadKw: this.deviceLoadKw,
      premisesChargeMinor: this.premisesChargeMinor,
      welfare: market?.welfare ?? Number.NaN,
    };
  }

  private clearMarket(slot: TimeSlot, weather: WeatherSnapshot) {
    const { config, collector, devices } = this;
    const stats = config.priceStatistics;
    const signal: MarketSignal = {
      slot,
      priceCapPerKwh: config.priceCapPerKwh,
      meanPricePerKwh: stats.meanPerKwh,
      stdevPricePerKwh: stats.stdevPerKwh,
      forecastPricesPerKwh: config.forecastPricesPerKwh(slot),
    };
    collector.reset();
    // Devices that do not bid are still load: the feeder's unresponsive demand is estimated from their
    // last metered power, as GridLAB-D's auction does from the feeder measurement.
    let unresponsiveKw = 0;
    const headroom = this.envelopeHeadroom();
    for (let d = 0; d < devices.length; d++) {
      const device = devices[d] as DerAgent;
      if (device.mode === 'baseline') {
        unresponsiveKw += this.deviceLoadKw[d] ?? 0;
        continue;
      }
      for (const bid of device.bid(signal, weather)) {
        collector.add(bid.side, bid.pricePerKwh, this.withinEnvelope(headroom, d, bid.side, bid.powerKw), d);
      }
    }
    if (unresponsiveKw > 0) collector.add('buy', config.priceCapPerKwh, unresponsiveKw, ENGINE_OWNER);
    else if (unresponsiveKw < 0) collector.add('sell', 0, -unresponsiveKw, ENGINE_OWNER);
    const offer = config.supplier.offerForSlot(slot);
    collector.add(offer.side, offer.pricePerKwh, offer.powerKw, ENGINE_OWNER);

    const book = collector.book(config.priceCapPerKwh, config.bidOffsetPerKwh);
    const clearing = config.clear(book);
    const welfare = this.awardAndValue(book, clearing, slotDurationHours(slot));
    return { book, clearing, welfare };
  }

  /**
   * What each premises may still bid, by side, once its unresponsive load (last metered) is counted
   * against its import envelope. Null when the grid gives no envelopes.
   */
  private envelopeHeadroom(): { importKw: Float64Array; exportKw: Float64Array } | null {
    const envelopes = this.config.operatingEnvelopes;
    if (envelopes === undefined) return null;
    const importKw = Float64Array.from(envelopes.importKw);
    const exportKw = Float64Array.from(envelopes.exportKw);
    for (let d = 0; d < this.devices.length; d++) {
      if ((this.devices[d] as DerAgent).mode !== 'baseline') continue;
      const p = this.devicePremises[d] ?? 0;
      const loadKw = this.deviceLoadKw[d] ?? 0;
      importKw[p] = (importKw[p] ?? 0) - loadKw;
      exportKw[p] = (exportKw[p] ?? 0) + loadKw;
    }
    return { importKw, exportKw };
  }

  /** A bid's quantity cut to what its premises' envelope still allows, in device order. */
  private withinEnvelope(
    headroom: { importKw: Float64Array; exportKw: Float64Array } | null,
    device: number,
    side: 'buy' | 'sell',
    powerKw: number,
  ): number {
    if (headroom === null) return powerKw;
    const p = this.devicePremises[device] ?? 0;
    const room = side === 'buy' ? headroom.importKw : headroom.exportKw;
    const allowedKw = Math.max(0, Math.min(powerKw, room[p] ?? 0));
    room[p] = (room[p] ?? 0) - allowedKw;
    return allowedKw;
  }

  /** Hand each device its award; return the surplus of responsive cleared bids (currency). */
  private awardAndValue(book: ColumnarBook, clearing: ClearingOutcome, hours: number): number {
    const { awardedKw, marginalShare, collector, config } = this;
    awardedKw.fill(0);
    marginalShare.fill(1);
    const price = clearing.price;
    let surplus = 0;
    const sides = [
      {
        owners: collector.buys.owners,
        prices: book.buyPrices,
        quantities: book.buyQuantities,
        served: clearing.buyServed,
        sign: 1,
      },
      {
        owners: collector.sells.owners,
        prices: book.sellPrices,
        quantities: book.sellQuantities,
        served: clearing.sellServed,
        sign: -1,
      },
    ];
    for (const side of sides) {
      for (let i = 0; i < side.prices.length; i++) {
        const served = side.served[i] ?? 0;
        const bidPrice = side.prices[i] ?? 0;
        const owner = side.owners[i] ?? ENGINE_OWNER;
        const responsive =
          side.sign > 0 ? bidPrice < config.priceCapPerKwh : bidPrice > -config.priceCapPerKwh;
        if (responsive) surplus += side.sign * (bidPrice - price) * served * hours;
        if (owner === ENGINE_OWNER) continue;
        awardedKw[owner] = (awardedKw[owner] ?? 0) + side.sign * served;
        if (bidPrice === price) marginalShare[owner] = served / (side.quantities[i] ?? 1);
      }
    }
    return surplus;
  }

  private dispatch(slot: TimeSlot, pricePerKwh: number, marketCleared: boolean): void {
    const { devices, awardedKw, marginalShare } = this;
    for (let d = 0; d < devices.length; d++) {
      const device = devices[d] as DerAgent;
      const fromMarket = marketCleared && device.mode === 'transactive';
      device.dispatch({
        slot,
        clearingPricePerKwh: pricePerKwh,
        awardedKw: fromMarket ? (awardedKw[d] ?? 0) : 0,
        marginalShare: fromMarket ? (marginalShare[d] ?? 1) : 1,
      });
    }
  }

  private stepAndMeter(slot: TimeSlot, weather: WeatherSnapshot, retailPrice: number): number {
    const { devices, devicePremises, premisesLoadKw, deviceLoadKw, premisesChargeMinor, config } = this;
    const durationS = (slot.endMs - slot.startMs) / 1000;
    const hours = durationS / 3600;
    premisesLoadKw.fill(0);
    for (let d = 0; d < devices.length; d++) {
      const powerKw = (devices[d] as DerAgent).step(weather, slot.startMs, durationS);
      deviceLoadKw[d] = powerKw;
      const p = devicePremises[d] ?? 0;
      premisesLoadKw[p] = (premisesLoadKw[p] ?? 0) + powerKw;
    }
    let substationLoadKw = 0;
    for (let p = 0; p < premisesLoadKw.length; p++) {
      const loadKw = premisesLoadKw[p] ?? 0;
      substationLoadKw += loadKw;
      premisesChargeMinor[p] = slotChargeMinor(loadKw * hours, retailPrice, config.currency);
    }
    return substationLoadKw;
  }
}
