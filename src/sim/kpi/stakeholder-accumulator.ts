/**
 * Folds slot reports into the per-run quantities behind the stakeholder KPIs (StakeholderRunKpis): the
 * wholesale cost and emissions of the energy through the substation, how concentrated the energy sold
 * is, the aggregator's margin and delivered flexibility, and how the operating envelopes bound the bids.
 * Buffers are allocated once; a slot allocates nothing.
 */
import { localHourOfDay } from '../../der/parameter-checks.js';
import type { MarketSlotResult, SlotReport } from '../../engine/transactive-cycle.js';
import { SELL } from '../../market/mechanism/order-table.js';
import type { StakeholderRunKpis } from '../results.js';
import { FlexibilityDelivery } from './flexibility-delivery.js';
import { priceVolatility } from './price-volatility.js';
import { sellerConcentration } from './seller-shares.js';
import type { StakeholderContext } from './stakeholder-context.js';

export class StakeholderAccumulator {
  private readonly premisesSoldKwh: Float64Array;
  private supplierSoldKwh = 0;
  /** Sold by the engine's offer of unresponsive net generation, one seller. */
  private otherSoldKwh = 0;
  private readonly memberPremises: Uint8Array;
  private readonly flexibility: FlexibilityDelivery | null;
  private memberTradedKwh = 0;
  private marketSlots = 0;
  private wholesaleEnergyCost = 0;
  private emissionsKg = 0;
  private envelopeHomeSlots = 0;
  private envelopeLimitedHomeSlots = 0;
  private headroomUsedSum = 0;
  private headroomSamples = 0;

  constructor(
    premisesCount: number,
    devicePremises: Int32Array,
    private readonly context: StakeholderContext | undefined,
  ) {
    this.premisesSoldKwh = new Float64Array(premisesCount);
    this.memberPremises = new Uint8Array(premisesCount);
    const aggregator = context?.aggregator;
    for (const p of aggregator?.memberPremises ?? [])
      if (p >= 0 && p < premisesCount) this.memberPremises[p] = 1;
    this.flexibility =
      aggregator === undefined
        ? null
        : new FlexibilityDelivery(devicePremises.length, devicePremises, this.memberPremises);
  }

  record(report: SlotReport, hours: number): void {
    const { context } = this;
    const netKwh = report.substationLoadKw * hours;
    if (context !== undefined) {
      const hour = Math.floor(localHourOfDay(report.slot.startMs, context.utcOffsetMinutes / 60));
      this.wholesaleEnergyCost +=
        Math.max(0, netKwh) * (context.wholesalePricePerKwhByHour[hour] ?? Number.NaN);
      const factors = context.marginalEmissionsKgPerKwhByHour;
      // Exports displace the marginal generator of the hour: they avoid emissions at the same factor.
      if (factors !== undefined) this.emissionsKg += netKwh * (factors[hour] ?? Number.NaN);
    }
    const market = report.market;
    if (market === null) return;
    this.marketSlots++;
    this.recordTrades(market, hours);
    this.flexibility?.record(market, report.deviceLoadKw, hours);
    this.recordEnvelopes(market, report.premisesLoadKw);
  }

  private recordTrades(market: MarketSlotResult, hours: number): void {
    const { table, clearing } = market;
    const { premisesSoldKwh, memberPremises } = this;
    const premisesCount = premisesSoldKwh.length;
    for (let r = 0; r < table.rows; r++) {
      const filledKw = clearing.filled[r] ?? 0;
      if (!(filledKw > 0)) continue;
      const participant = table.participant[r] ?? -1;
      const isPremises = participant >= 0 && participant < premisesCount;
      if (isPremises && memberPremises[participant] === 1) this.memberTradedKwh += filledKw * hours;
      if (table.side[r] !== SELL) continue;
      if (isPremises) premisesSoldKwh[participant] = (premisesSoldKwh[participant] ?? 0) + filledKw * hours;
      else if (r === market.supplierRow) this.supplierSoldKwh += filledKw * hours;
      else this.otherSoldKwh += filledKw * hours;
    }
  }

  /** Home-slots whose bids an envelope cut, and how much of the envelope the meter then used. */
  private recordEnvelopes(market: MarketSlotResult, premisesLoadKw: ArrayLike<number>): void {
    const cut = market.envelopeCut;
    if (cut === null) return;
    this.envelopeHomeSlots += cut.importKw.length;
    for (let p = 0; p < cut.importKw.length; p++) {
      const importKw = cut.importKw[p] ?? Number.NaN;
      const exportKw = cut.exportKw[p] ?? Number.NaN;
      if (Number.isNaN(importKw) && Number.isNaN(exportKw)) continue;
      this.envelopeLimitedHomeSlots++;
      const loadKw = premisesLoadKw[p] ?? 0;
      // An envelope of 0 has no share to use: it says nothing about headroom.
      if (importKw > 0) {
        this.headroomUsedSum += Math.max(0, loadKw) / importKw;
        this.headroomSamples++;
      }
      if (exportKw > 0) {
        this.headroomUsedSum += Math.max(0, -loadKw) / exportKw;
        this.headroomSamples++;
      }
    }
  }

  finish(substationLoadKw: ArrayLike<number>, clearingPricePerKwh: ArrayLike<number>): StakeholderRunKpis {
    const { context, marketSlots, flexibility } = this;
    const withMarket = (value: number) => (marketSlots > 0 ? value : Number.NaN);
    const sellers = sellerConcentration(this.premisesSoldKwh, [this.supplierSoldKwh, this.otherSoldKwh]);
    const volatility = priceVolatility(clearingPricePerKwh);
    const aggregator = context?.aggregator;
    return {
      loadFactor: loadFactor(substationLoadKw),
      wholesaleEnergyCost: context === undefined ? Number.NaN : this.wholesaleEnergyCost,
      emissionsKg: context?.marginalEmissionsKgPerKwhByHour === undefined ? Number.NaN : this.emissionsKg,
      largestSellerShare: withMarket(sellers.largestSellerShare),
      largestLocalSellerShare: withMarket(sellers.largestLocalSellerShare),
      sellerHhi: withMarket(sellers.hhi),
      priceStdevPerKwh: volatility.stdevPerKwh,
      priceMeanAbsChangePerKwh: volatility.meanAbsChangePerKwh,
      aggregatorRevenue:
        aggregator === undefined ? Number.NaN : withMarket(this.memberTradedKwh * aggregator.marginPerKwh),
      flexibilityPromisedKwh: flexibility === null ? Number.NaN : withMarket(flexibility.promisedKwh),
      flexibilityDeliveredKwh: flexibility === null ? Number.NaN : withMarket(flexibility.deliveredKwh),
      envelopeLimitedShare:
        this.envelopeHomeSlots === 0 ? Number.NaN : this.envelopeLimitedHomeSlots / this.envelopeHomeSlots,
      envelopeHeadroomUsed:
        this.headroomSamples === 0 ? Number.NaN : this.headroomUsedSum / this.headroomSamples,
    };
  }
}

/** Mean over peak of the substation load; NaN when the peak is not positive (a net-exporting feeder). */
export function loadFactor(substationLoadKw: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  let peak = -Infinity;
  for (let s = 0; s < substationLoadKw.length; s++) {
    const loadKw = substationLoadKw[s] ?? Number.NaN;
    if (!Number.isFinite(loadKw)) continue;
    sum += loadKw;
    count++;
    if (loadKw > peak) peak = loadKw;
  }
  return count === 0 || !(peak > 0) ? Number.NaN : sum / count / peak;
}
