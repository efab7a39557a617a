/**
 * Folds slot reports into the KPIs of one run and the time series of the report. Reads meters (slot
 * reports) and device observations only, so the same accumulator serves the TE and the baseline run.
 */
import { fromMinorUnits, minorUnitsFromMicro, type Currency } from '../core/money.js';
import { slotDurationHours } from '../core/time.js';
import type { DerAgent, DerKind } from '../der/types.js';
import type { SlotReport } from '../engine/transactive-cycle.js';
import type { Premises } from '../engine/ports.js';
import { BUY } from '../market/mechanism/order-table.js';
import { StakeholderAccumulator } from './kpi/stakeholder-accumulator.js';
import { CONTROL_GROUP_CLASS } from './population.js';
import type { StakeholderContext } from './kpi/stakeholder-context.js';
import type { KpiSet, SimulationRun, SimulationRunSeries } from './results.js';

/** What the accumulator adds to a run beyond its KPIs and series. */
export type StakeholderRunFields = Required<Pick<SimulationRun, 'stakeholder' | 'premisesBill'>> &
  Pick<SimulationRun, 'controlPremises'>;

export const REPORTED_KINDS: readonly DerKind[] = [
  'base-load',
  'hvac',
  'water-heater',
  'ev',
  'battery',
  'pv',
];

export class KpiAccumulator {
  private readonly series: {
    substationLoadKw: Float64Array;
    clearingPricePerKwh: Float64Array;
    clearedQuantityKw: Float64Array;
    clearingType: string[];
    indoorTempMeanF: Float64Array;
    indoorTempMinF: Float64Array;
    indoorTempMaxF: Float64Array;
    loadByKindKw: Record<string, Float64Array>;
  };
  private readonly billMicro: Float64Array;
  private readonly pvPremisesGenerationKw: Float64Array;
  private readonly kindOfDevice: DerKind[];
  private energyImportedKwh = 0;
  private energyExportedKwh = 0;
  private comfortViolationDegreeHours = 0;
  private pvGeneratedKwh = 0;
  private pvSelfConsumedKwh = 0;
  private welfare = 0;
  private intermediaryRevenue = 0;
  private localTradedKwh = 0;
  private gridTradedKwh = 0;
  private consumedKwh = 0;
  private evUnmetEnergyKwh = 0;
  private clearingFailures = 0;
  private capacityExceededSlots = 0;
  private slotIndex = 0;
  private readonly stakeholder: StakeholderAccumulator;

  constructor(
    private readonly premises: readonly Premises[],
    private readonly devices: readonly DerAgent[],
    private readonly devicePremises: Int32Array,
    slotCount: number,
    private readonly capacityKw: number,
    private readonly currency: Currency,
    /** Prices, emission factors and the aggregator; without it wholesale cost and emissions are NaN. */
    stakeholderContext?: StakeholderContext,
  ) {
    const column = () => new Float64Array(slotCount).fill(Number.NaN);
    this.series = {
      substationLoadKw: column(),
      clearingPricePerKwh: column(),
      clearedQuantityKw: column(),
      clearingType: [],
      indoorTempMeanF: column(),
      indoorTempMinF: column(),
      indoorTempMaxF: column(),
      loadByKindKw: Object.fromEntries(REPORTED_KINDS.map((kind) => [kind, new Float64Array(slotCount)])),
    };
    this.billMicro = new Float64Array(premises.length);
    this.pvPremisesGenerationKw = new Float64Array(premises.length);
    this.kindOfDevice = devices.map((d) => d.kind);
    this.stakeholder = new StakeholderAccumulator(premises.length, devicePremises, stakeholderContext);
  }

  record(report: SlotReport): void {
    const s = this.slotIndex++;
    const hours = slotDurationHours(report.slot);
    const { series } = this;
    series.substationLoadKw[s] = report.substationLoadKw;
    if (report.substationLoadKw > 0) this.energyImportedKwh += report.substationLoadKw * hours;
    else this.energyExportedKwh -= report.substationLoadKw * hours;
    if (report.substationLoadKw > this.capacityKw) this.capacityExceededSlots++;
    const market = report.market;
    if (market !== null) {
      let clearedKw = 0;
      for (let r = 0; r < market.table.rows; r++) {
        if (market.table.side[r] === BUY) clearedKw += market.clearing.filled[r] ?? 0;
      }
      series.clearingPricePerKwh[s] = market.marketPricePerKwh;
      series.clearedQuantityKw[s] = clearedKw;
      series.clearingType.push(market.clearing.status);
      if (market.clearing.status === 'failure') this.clearingFailures++;
      this.welfare += market.welfare;
      this.intermediaryRevenue += report.intermediaryRevenue;
      this.localTradedKwh += market.localTradedKw * hours;
      this.gridTradedKwh += market.gridSuppliedKw * hours;
    } else {
      series.clearingType.push('null');
    }
    for (let p = 0; p < this.billMicro.length; p++)
      this.billMicro[p] = (this.billMicro[p] ?? 0) + (report.premisesChargeMicro[p] ?? 0);
    this.recordDevices(report, s, hours);
    this.stakeholder.record(report, hours);
  }

  private recordDevices(report: SlotReport, s: number, hours: number): void {
    const { devices, kindOfDevice, series, pvPremisesGenerationKw } = this;
    pvPremisesGenerationKw.fill(0);
    let tempSum = 0;
    let tempCount = 0;
    let tempMin = Infinity;
    let tempMax = -Infinity;
    for (let d = 0; d < devices.length; d++) {
      const kind = kindOfDevice[d] as DerKind;
      const powerKw = report.deviceLoadKw[d] ?? 0;
      if (powerKw > 0) this.consumedKwh += powerKw * hours;
      const byKind = series.loadByKindKw[kind];
      if (byKind !== undefined) byKind[s] = (byKind[s] ?? 0) + powerKw;
      if (kind === 'pv' && powerKw < 0) {
        const p = this.devicePremises[d] ?? 0;
        pvPremisesGenerationKw[p] = (pvPremisesGenerationKw[p] ?? 0) - powerKw;
      } else if (kind === 'ev') {
        this.evUnmetEnergyKwh += (devices[d] as DerAgent).observe().unmetEnergyKwh ?? 0;
      } else if (kind === 'hvac') {
        const seen = (devices[d] as DerAgent).observe();
        const temp = seen.indoorTempF;
        if (temp === undefined) continue;
        tempSum += temp;
        tempCount++;
        if (temp < tempMin) tempMin = temp;
        if (temp > tempMax) tempMax = temp;
        const above = seen.comfortHighF === undefined ? 0 : Math.max(0, temp - seen.comfortHighF);
        const below = seen.comfortLowF === undefined ? 0 : Math.max(0, seen.comfortLowF - temp);
        this.comfortViolationDegreeHours += (above + below) * hours;
      }
    }
    if (tempCount > 0) {
      series.indoorTempMeanF[s] = tempSum / tempCount;
      series.indoorTempMinF[s] = tempMin;
      series.indoorTempMaxF[s] = tempMax;
    }
    // PV is self-consumed unless the premises exports; what it exports came from the PV first.
    for (let p = 0; p < pvPremisesGenerationKw.length; p++) {
      const generatedKw = pvPremisesGenerationKw[p] ?? 0;
      if (generatedKw <= 0) continue;
      const exportedKw = Math.max(0, -(report.premisesLoadKw[p] ?? 0));
      this.pvGeneratedKwh += generatedKw * hours;
      this.pvSelfConsumedKwh += Math.max(0, generatedKw - exportedKw) * hours;
    }
  }

  /**
   * Each premises' PV generation in the last recorded slot, kW (0 or positive; a PV inverter's night draw
   * is load, not generation). Valid until the next `record`.
   */
  get pvGenerationByPremisesKw(): Float64Array {
    return this.pvPremisesGenerationKw;
  }

  /** Each premises' bill over the run so far, minor units. */
  get premisesBillMinor(): Float64Array {
    return Float64Array.from(this.billMicro, (micro) => minorUnitsFromMicro(micro, this.currency));
  }

  /** Each premises' bill over the run so far, currency (whole minor units, in major units). */
  get premisesBill(): Float64Array {
    return Float64Array.from(this.billMicro, (micro) =>
      fromMinorUnits(minorUnitsFromMicro(micro, this.currency), this.currency),
    );
  }

  finish(): { kpis: KpiSet; series: SimulationRunSeries; runFields: StakeholderRunFields } {
    const { series, premises, billMicro } = this;
    let peak = -Infinity;
    for (const load of series.substationLoadKw) if (load > peak) peak = load;
    let priceSum = 0;
    let priceCount = 0;
    let pricePeak = Number.NaN;
    for (const price of series.clearingPricePerKwh) {
      if (!Number.isFinite(price)) continue;
      priceSum += price;
      priceCount++;
      if (!(price <= pricePeak)) pricePeak = price;
    }
    const classes = new Map<string, { homes: number; minor: number }>();
    let totalMinor = 0;
    premises.forEach((p, index) => {
      const bill = minorUnitsFromMicro(billMicro[index] ?? 0, this.currency);
      totalMinor += bill;
      for (const label of ['all', ...p.classes]) {
        const entry = classes.get(label) ?? { homes: 0, minor: 0 };
        entry.homes++;
        entry.minor += bill;
        classes.set(label, entry);
      }
    });
    const costPerClass = Object.fromEntries(
      [...classes.entries()]
        .sort(([a], [b]) => (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)))
        .map(([label, entry]) => [
          label,
          { homes: entry.homes, meanCostPerHome: fromMinorUnits(entry.minor, this.currency) / entry.homes },
        ]),
    );
    const kpis: KpiSet = {
      peakSubstationDemandKw: peak,
      energyImportedKwh: this.energyImportedKwh,
      energyExportedKwh: this.energyExportedKwh,
      averageClearingPricePerKwh: priceCount === 0 ? Number.NaN : priceSum / priceCount,
      peakClearingPricePerKwh: pricePeak,
      totalCost: fromMinorUnits(totalMinor, this.currency),
      costPerClass,
      comfortViolationDegreeHours: this.comfortViolationDegreeHours,
      pvSelfConsumption: this.pvGeneratedKwh > 0 ? this.pvSelfConsumedKwh / this.pvGeneratedKwh : Number.NaN,
      socialWelfare: priceCount === 0 ? Number.NaN : this.welfare,
      clearingFailures: this.clearingFailures,
      evUnmetEnergyKwh: this.evUnmetEnergyKwh,
      capacityExceededSlots: this.capacityExceededSlots,
      localTradedKwh: this.localTradedKwh,
      gridTradedKwh: this.gridTradedKwh,
      selfSufficiency:
        this.consumedKwh > 0 ? Math.max(0, 1 - this.energyImportedKwh / this.consumedKwh) : Number.NaN,
      billChangeGini: Number.NaN,
      intermediaryRevenue: this.intermediaryRevenue,
    };
    const runFields: StakeholderRunFields = {
      stakeholder: this.stakeholder.finish(series.substationLoadKw, series.clearingPricePerKwh),
      premisesBill: this.premisesBill,
      ...(premises.some((p) => p.classes.includes(CONTROL_GROUP_CLASS))
        ? {
            controlPremises: Uint8Array.from(premises, (p) =>
              p.classes.includes(CONTROL_GROUP_CLASS) ? 1 : 0,
            ),
          }
        : {}),
    };
    return { kpis, series, runFields };
  }
}
