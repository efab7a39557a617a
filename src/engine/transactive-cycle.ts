/**
 * One market slot of the transactive loop, the same in simulation and live operation (DESIGN.md):
 * frozen snapshot → agents bid → gate closure → clearing → dispatch → devices step → meters → settlement.
 *
 * In baseline mode there is no market: devices run their plain control, the fixed tariff applies and
 * nothing bids. Buffers are owned by the cycle and reused; a SlotReport is valid until the next slot.
 *
 * `runSlot` runs the whole slot with the market in-process (the simulator). A live participant whose
 * market clears elsewhere drives the same phases one by one: `collectBids`, then `applyFills` with what
 * the market filled, `dispatchDevices`, `stepAndMeter` and `recordMarketPrice`.
 */
import { TeError } from '../core/errors.js';
import type { Currency } from '../core/money.js';
import { slotDurationHours, type TimeSlot } from '../core/time.js';
import type { DerAgent, DerKind, MarketSignal, PremisesForecast, WeatherSnapshot } from '../der/types.js';
import type { RetailTariff } from '../ledger/retail-charge.js';
import type { AreaTree } from '../market/mechanism/area-tree.js';
import type { ClearingMechanism, MarketClearing } from '../market/mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../market/mechanism/order-table.js';
import { awardDevices } from './device-awards.js';
import type { Premises, WholesaleSupplier } from './ports.js';
import type { PriceStatistics } from './price-statistics.js';
import { settlePremises } from './premises-settlement.js';
import { ENGINE_OWNER, SlotOrders } from './slot-orders.js';

export interface CycleConfig {
  readonly mode: 'transactive' | 'baseline';
  readonly priceCapPerKwh: number;
  readonly bidOffsetPerKwh: number;
  /**
   * The price must-run demand is bid at: bids at the cap and the unresponsive load. The cap in the
   * auction of the Olympic Peninsula pilot; a reservation price (e.g. the retail tariff) in designs where
   * a buyer pays its own bid, so must-run load is not charged the administrative cap.
   */
  readonly mustRunPricePerKwh: number;
  /**
   * What must-run energy is worth to its consumers, for welfare: one reference value (the retail tariff
   * they would pay without the market) so designs that bid must-run load differently compare fairly.
   */
  readonly mustRunValuePerKwh: number;
  readonly mechanism: ClearingMechanism;
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
  /**
   * Positions bought day ahead (two-settlement): for a slot, each premises' forward position (kW) and the
   * price it paid. Settlement counts the position as traded; the real-time market settles the rest.
   */
  readonly forwardPositions?: (
    slot: TimeSlot,
  ) => { readonly positionKw: ArrayLike<number>; readonly pricePerKwh: number } | null;
  /** Who bids for devices that do not bid (see SlotOrderSources); the engine when absent. */
  readonly unresponsiveBidder?: 'engine' | 'premises';
  /** Grid areas for fees and limits, the area of each premises, and the supplier's area. */
  readonly areas?: {
    readonly tree: AreaTree;
    readonly premisesArea: Int32Array;
    readonly supplierArea: number;
  };
  /**
   * A control group inside a market run (pilot evaluation): premises p with `premises[p]` 1 stay on the
   * fixed tariff of the no-market baseline (their devices run plain control and do not bid); the others
   * pay real-time prices.
   */
  readonly controlGroup?: { readonly premises: Uint8Array; readonly fixedTariffPerKwh: number };
  /**
   * Each premises' hourly forecast at a slot as a device of a kind sees it, for the strategies that bid
   * on forecasts (null: that kind bids without). Absent: none.
   */
  readonly premisesForecast?: (slot: TimeSlot, premises: number, kind: DerKind) => PremisesForecast | null;
}

export interface MarketSlotResult {
  readonly table: OrderTable;
  readonly clearing: MarketClearing;
  /** Device index of each row, ENGINE_OWNER for the engine's rows. */
  readonly rowDevice: Int32Array;
  readonly supplierRow: number;
  /** The price the slot's energy traded at: the clearing price, or the volume-weighted average. */
  readonly marketPricePerKwh: number;
  /**
   * What a premises' deviation from its trades is settled at: the clearing price under a uniform price;
   * otherwise what the market charged the engine's bid for unresponsive load (price plus fee), so the
   * operator recovers exactly what it paid to cover deviations; the market price when that bid did not fill.
   */
  readonly imbalancePricePerKwh: number;
  /** Energy traded between premises, and bought from the supplier, kW over the slot. */
  readonly localTradedKw: number;
  readonly gridSuppliedKw: number;
  /** What the wholesale supplier is paid for the slot's energy, currency per hour of slot. */
  readonly supplierPaidPerH: number;
  /**
   * Gains from trade, currency: the value of the energy bought (its bid; must-run demand at
   * `mustRunValuePerKwh`) minus the cost of the energy sold (its offer). Prices only move money between
   * participants, the operator and the grid areas, so they do not enter.
   */
  readonly welfare: number;
  /** 1 for rows of must-run demand (bids at the cap, unresponsive load), 0 for flexible rows. */
  readonly rowMustRun: Uint8Array;
  /**
   * The operating envelope (kW) of each premises whose import (buy) or export (sell) bids it cut at
   * gate closure, NaN where it cut nothing; null when the grid gives no envelopes.
   */
  readonly envelopeCut: { readonly importKw: Float64Array; readonly exportKw: Float64Array } | null;
}

export interface SlotReport {
  readonly slot: TimeSlot;
  /** Null in baseline mode. */
  readonly market: MarketSlotResult | null;
  readonly substationLoadKw: number;
  readonly premisesLoadKw: Float64Array;
  readonly deviceLoadKw: Float64Array;
  readonly premisesChargeMicro: Float64Array;
  /**
   * The market's budget for the slot, currency: what homes paid for energy (trades and imbalance, not
   * the distribution charge) minus what the wholesale supplier is paid. It is what the market operator,
   * an aggregator and the grid areas keep (margins, spreads, fees); NaN without a market.
   */
  readonly intermediaryRevenue: number;
}

export class TransactiveCycle {
  readonly devices: readonly DerAgent[];
  /** Index of the premises of each device. */
  readonly devicePremises: Int32Array;
  private readonly orders: SlotOrders;
  /** Built at the first slot with premises forecasts. */
  private premisesOfDeviceId: Map<string, { readonly premises: number; readonly kind: DerKind }> | null =
    null;
  private readonly premisesLoadKw: Float64Array;
  private readonly premisesChargeMicro: Float64Array;
  private readonly premisesNetTradedKw: Float64Array;
  private readonly premisesTradedCostPerH: Float64Array;
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
    this.orders = new SlotOrders(premises.length);
    this.premisesLoadKw = new Float64Array(premises.length);
    this.premisesChargeMicro = new Float64Array(premises.length);
    this.premisesNetTradedKw = new Float64Array(premises.length);
    this.premisesTradedCostPerH = new Float64Array(premises.length);
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
    const signalPrice =
      market === null
        ? config.tariff.kind === 'fixed'
          ? config.tariff.energyPricePerKwh
          : Number.NaN
        : market.marketPricePerKwh;
    this.dispatchDevices(slot, signalPrice, market !== null);
    const substationLoadKw = this.stepAndMeter(slot, stepWeather);
    const intermediaryRevenue = this.settle(slot, market);
    if (market !== null) this.recordMarketPrice(market.marketPricePerKwh, market.clearing.status);
    return {
      slot,
      market,
      substationLoadKw,
      premisesLoadKw: this.premisesLoadKw,
      deviceLoadKw: this.deviceLoadKw,
      premisesChargeMicro: this.premisesChargeMicro,
      intermediaryRevenue,
    };
  }

  /**
   * Gate closure: every transactive device bids for the slot from the frozen snapshot; the rows of the
   * returned table (valid until the next call) belong to the devices in `bidRowDevice`.
   */
  collectBids(slot: TimeSlot, weather: WeatherSnapshot): OrderTable {
    const { config, orders } = this;
    const stats = config.priceStatistics;
    const signal: MarketSignal = {
      slot,
      priceCapPerKwh: config.priceCapPerKwh,
      meanPricePerKwh: stats.meanPerKwh,
      stdevPricePerKwh: stats.stdevPerKwh,
      forecastPricesPerKwh: config.forecastPricesPerKwh(slot),
      ...(config.premisesForecast === undefined ? {} : { premisesForecast: this.forecastOfDevice(slot) }),
    };
    return orders.collect(
      {
        devices: this.devices,
        devicePremises: this.devicePremises,
        deviceLoadKw: this.deviceLoadKw,
        supplier: config.supplier,
        priceCapPerKwh: config.priceCapPerKwh,
        mustRunPricePerKwh: config.mustRunPricePerKwh,
        ...(config.operatingEnvelopes === undefined ? {} : { envelopes: config.operatingEnvelopes }),
        ...(config.areas === undefined
          ? {}
          : { premisesArea: config.areas.premisesArea, supplierArea: config.areas.supplierArea }),
        ...(config.unresponsiveBidder === undefined ? {} : { unresponsiveBidder: config.unresponsiveBidder }),
      },
      signal,
      weather,
    );
  }

  /** The premises forecast a device sees at a slot, found by its id. */
  private forecastOfDevice(slot: TimeSlot): (deviceId: string) => PremisesForecast | null {
    const forecast = this.config.premisesForecast;
    if (this.premisesOfDeviceId === null) {
      this.premisesOfDeviceId = new Map(
        this.devices.map((device, d) => [
          device.id,
          { premises: this.devicePremises[d] ?? 0, kind: device.kind },
        ]),
      );
    }
    const premisesOf = this.premisesOfDeviceId;
    return (deviceId) => {
      const device = premisesOf.get(deviceId);
      return device === undefined || forecast === undefined
        ? null
        : forecast(slot, device.premises, device.kind);
    };
  }

  /** Device index of each row of the last `collectBids` table (ENGINE_OWNER for rows not a device's). */
  get bidRowDevice(): Int32Array {
    return this.orders.rowDevice;
  }

  /**
   * For a clearing made elsewhere (the live market): each device's award from the kW filled on each row
   * of the last `collectBids` table. Rows that did not reach the market have 0.
   */
  applyFills(table: OrderTable, filledKw: ArrayLike<number>, clearingPricePerKwh: number): void {
    awardDevices(table, filledKw, clearingPricePerKwh, this.orders.rowDevice, {
      awardedKw: this.awardedKw,
      marginalShare: this.marginalShare,
    });
  }

  /** Hand every device its outcome; `fromMarket` false: no device was awarded anything. */
  dispatchDevices(slot: TimeSlot, pricePerKwh: number, fromMarket: boolean): void {
    const { devices, awardedKw, marginalShare } = this;
    for (let d = 0; d < devices.length; d++) {
      const device = devices[d] as DerAgent;
      const awarded = fromMarket && device.mode === 'transactive';
      device.dispatch({
        slot,
        clearingPricePerKwh: pricePerKwh,
        awardedKw: awarded ? (awardedKw[d] ?? 0) : 0,
        marginalShare: awarded ? (marginalShare[d] ?? 1) : 1,
      });
    }
  }

  /** Devices step through the slot; each premises' meter reads their sum. Returns the substation load. */
  stepAndMeter(slot: TimeSlot, weather: WeatherSnapshot): number {
    const { devices, devicePremises, premisesLoadKw, deviceLoadKw } = this;
    const durationS = (slot.endMs - slot.startMs) / 1000;
    premisesLoadKw.fill(0);
    for (let d = 0; d < devices.length; d++) {
      const powerKw = (devices[d] as DerAgent).step(weather, slot.startMs, durationS);
      deviceLoadKw[d] = powerKw;
      const p = devicePremises[d] ?? 0;
      premisesLoadKw[p] = (premisesLoadKw[p] ?? 0) + powerKw;
    }
    let substationLoadKw = 0;
    for (const loadKw of premisesLoadKw) substationLoadKw += loadKw;
    return substationLoadKw;
  }

  /** Average power of each premises over the last stepped slot (valid until the next step). */
  get premisesMeteredKw(): Float64Array {
    return this.premisesLoadKw;
  }

  /** A cleared slot's price enters the statistics the next bids are scaled by. */
  recordMarketPrice(pricePerKwh: number, clearingStatus: string): void {
    // A failed clearing's price is the administrative cap, not a market signal: it would inflate the
    // statistics that every ramp bid is scaled by and feed back into the next slots' bids.
    if (clearingStatus !== 'failure' && Number.isFinite(pricePerKwh)) {
      this.config.priceStatistics.record(pricePerKwh);
    }
  }

  private clearMarket(slot: TimeSlot, weather: WeatherSnapshot): MarketSlotResult {
    const { config } = this;
    const table = this.collectBids(slot, weather);
    const result = config.mechanism.clear(table, {
      slot,
      priceCap: config.priceCapPerKwh,
      bidOffset: config.bidOffsetPerKwh,
      ...(config.areas === undefined ? {} : { areas: config.areas.tree }),
      ...(config.operatingEnvelopes === undefined ? {} : { envelopes: config.operatingEnvelopes }),
    });
    // The engine builds its own tables from validated device bids: a refusal here is a bug, not input.
    if (!result.ok)
      throw new TeError(
        'TE_ERR_INTERNAL',
        `the market refused the engine's own book: ${result.error.toLine()}`,
      );
    return this.award(slot, table, result.value);
  }

  /** Hand each device its award and add up what the slot's trading means per premises. */
  private award(slot: TimeSlot, table: OrderTable, clearing: MarketClearing): MarketSlotResult {
    const hours = slotDurationHours(slot);
    const { config, premisesNetTradedKw, premisesTradedCostPerH } = this;
    const rowDevice = this.orders.rowDevice;
    const mustRun = this.orders.rowMustRun;
    this.applyFills(table, clearing.filled, clearing.clearingPrice);
    premisesNetTradedKw.fill(0);
    premisesTradedCostPerH.fill(0);
    let welfare = 0;
    let tradedKw = 0;
    let tradedValue = 0;
    let localTradedKw = 0;
    const supplierRow = this.orders.supplierRow;
    for (let i = 0; i < table.rows; i++) {
      const filled = clearing.filled[i] ?? 0;
      if (!(filled > 0)) continue;
      const sign = table.side[i] === BUY ? 1 : -1;
      const limit = table.price[i] ?? 0;
      const price = clearing.price[i] ?? 0;
      const fee = clearing.feePerKwh[i] ?? 0;
      // Gains from trade: what buyers value minus what sellers' energy costs them; prices are transfers
      // and cancel. Must-run demand is valued at one reference value in every design (see CycleConfig).
      const valueOrCost = sign > 0 && mustRun[i] === 1 ? config.mustRunValuePerKwh : limit;
      welfare += sign * valueOrCost * filled * hours;
      if (sign < 0) {
        tradedKw += filled;
        tradedValue += filled * price;
      }
      const device = rowDevice[i] ?? ENGINE_OWNER;
      if (device === ENGINE_OWNER) continue;
      if (sign < 0) localTradedKw += filled;
      const p = this.devicePremises[device] ?? 0;
      premisesNetTradedKw[p] = (premisesNetTradedKw[p] ?? 0) + sign * filled;
      premisesTradedCostPerH[p] =
        (premisesTradedCostPerH[p] ?? 0) + sign * filled * (price + (sign > 0 ? fee : 0));
    }
    const marketPricePerKwh = Number.isFinite(clearing.clearingPrice)
      ? clearing.clearingPrice
      : tradedKw > 0
        ? tradedValue / tradedKw
        : config.supplier.offerForSlot(slot).pricePerKwh;
    const unresponsiveRow = this.orders.unresponsiveRow;
    const unresponsiveFilled = unresponsiveRow >= 0 ? (clearing.filled[unresponsiveRow] ?? 0) : 0;
    const imbalancePricePerKwh = Number.isFinite(clearing.clearingPrice)
      ? clearing.clearingPrice
      : unresponsiveFilled > 0
        ? (clearing.price[unresponsiveRow] ?? 0) + (clearing.feePerKwh[unresponsiveRow] ?? 0)
        : marketPricePerKwh;
    return {
      table,
      clearing,
      rowDevice,
      supplierRow,
      marketPricePerKwh,
      imbalancePricePerKwh,
      localTradedKw,
      gridSuppliedKw: supplierRow >= 0 ? (clearing.filled[supplierRow] ?? 0) : 0,
      welfare,
      rowMustRun: mustRun,
      envelopeCut: config.operatingEnvelopes === undefined ? null : this.orders.envelopeCut,
      // An unfilled row has no price (NaN): it earns nothing.
      supplierPaidPerH:
        supplierRow >= 0 && (clearing.filled[supplierRow] ?? 0) > 0
          ? (clearing.filled[supplierRow] ?? 0) * (clearing.price[supplierRow] ?? 0)
          : 0,
    };
  }

  /** Charge every premises for the slot: the fixed tariff, or its trades plus imbalance (ledger/). */
  private settle(slot: TimeSlot, market: MarketSlotResult | null): number {
    const { config } = this;
    return settlePremises({
      hours: slotDurationHours(slot),
      premisesLoadKw: this.premisesLoadKw,
      netTradedKw: this.premisesNetTradedKw,
      tradedCostPerH: this.premisesTradedCostPerH,
      tariff: config.tariff,
      market,
      forward: market === null ? null : (config.forwardPositions?.(slot) ?? null),
      chargeMicro: this.premisesChargeMicro,
      ...(config.controlGroup === undefined ? {} : { controlGroup: config.controlGroup }),
    });
  }
}
