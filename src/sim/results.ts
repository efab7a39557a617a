import type { ForecastEvaluation } from './forecast/forecast-evaluation.js';
import type { MeasurementAndVerification } from './evaluation/measurement.js';
import type { TreatmentControlComparison } from './evaluation/treatment-control.js';

/**
 * What a simulation produces, independent of how it is written out (CSV, JSON, HTML report, terminal
 * table). Time series are columnar: one array per quantity, one entry per market slot.
 */

export interface KpiSet {
  readonly peakSubstationDemandKw: number;
  readonly energyImportedKwh: number;
  readonly energyExportedKwh: number;
  readonly averageClearingPricePerKwh: number;
  readonly peakClearingPricePerKwh: number;
  readonly totalCost: number;
  /** Mean bill per home of each participant class (a home can belong to several classes). */
  readonly costPerClass: Readonly<
    Record<string, { readonly homes: number; readonly meanCostPerHome: number }>
  >;
  /** Degree-hours (°F·h) of indoor temperature outside each home's comfort band, summed over homes. */
  readonly comfortViolationDegreeHours: number;
  /** Share of PV energy consumed behind the meter of the home that produced it (0..1). */
  readonly pvSelfConsumption: number;
  /**
   * Gains from trade, currency: value of the energy bought (bids; must-run demand at the fixed retail
   * tariff) minus the cost of the energy sold (offers). Prices are transfers and do not enter.
   */
  readonly socialWelfare: number;
  /** Slots whose clearing failed (unresponsive demand above supply). */
  readonly clearingFailures: number;
  /** Energy the EVs still lacked at departure. */
  readonly evUnmetEnergyKwh: number;
  /** Slots where the substation load exceeded its capacity. */
  readonly capacityExceededSlots: number;
  /** Energy premises sold to each other in the market, and energy bought from the wholesale supplier. */
  readonly localTradedKwh: number;
  readonly gridTradedKwh: number;
  /** Share of the community's consumption not imported through the substation (0..1). */
  readonly selfSufficiency: number;
  /**
   * Fairness: the Gini coefficient of each home's bill relative to its baseline bill (0 = every home's
   * bill changed in the same proportion). NaN in the baseline run.
   */
  readonly billChangeGini: number;
  /**
   * The market's budget, currency: what homes paid for energy minus what the supplier is paid for what
   * it delivered — kept by the market operator, an aggregator and the grid areas (margins, spreads, fees).
   * Negative when the operator pays more for the energy it buys on behalf of unresponsive load and
   * deviations than the imbalance price it charges (possible in P2P and continuous designs).
   */
  readonly intermediaryRevenue: number;
}

/**
 * The per-run quantities behind the stakeholder KPIs (src/sim/kpi/stakeholder-kpis.ts), kept apart from
 * KpiSet so the existing KPI documents keep their shape. NaN where the run cannot say (no market, no
 * aggregator, no envelopes, no emission factors).
 */
export interface StakeholderRunKpis {
  /** Mean substation load over its peak (0..1). */
  readonly loadFactor: number;
  /** Σ over slots of the energy imported through the substation × the wholesale price of its local hour. */
  readonly wholesaleEnergyCost: number;
  /** Σ over slots of net imported kWh × the marginal emission factor of its local hour, kg CO2. */
  readonly emissionsKg: number;
  /** Energy sold in the market by the largest seller (a premises or the wholesale supplier), share 0..1. */
  readonly largestSellerShare: number;
  /** Energy sold in the market by the largest premises, share of all energy sold (0..1). */
  readonly largestLocalSellerShare: number;
  /** Herfindahl–Hirschman index of the sellers' shares of energy sold, 0..10 000. */
  readonly sellerHhi: number;
  /** Population standard deviation of the slot market prices, currency per kWh. */
  readonly priceStdevPerKwh: number;
  /** Mean absolute change of the market price from one slot to the next, currency per kWh. */
  readonly priceMeanAbsChangePerKwh: number;
  /** What the aggregator kept: member kWh traded × its margin, currency. */
  readonly aggregatorRevenue: number;
  /** Flexible (not must-run) energy the market awarded the aggregator's members' devices, kWh. */
  readonly flexibilityPromisedKwh: number;
  /** The part of the promised flexible energy the members' devices metered, kWh (≤ promised). */
  readonly flexibilityDeliveredKwh: number;
  /** Share of home-slots whose bids an operating envelope cut (0..1). */
  readonly envelopeLimitedShare: number;
  /** Mean metered flow over the envelope in the direction it cut, at the cut home-slots (may exceed 1). */
  readonly envelopeHeadroomUsed: number;
}

export interface SimulationRunSeries {
  /** Substation (feeder head) load, kW, average over each slot. */
  readonly substationLoadKw: Float64Array;
  readonly clearingPricePerKwh: Float64Array;
  readonly clearedQuantityKw: Float64Array;
  /** The mechanism's status per slot (the auction's clearing type, 'matched', ...). */
  readonly clearingType: readonly string[];
  /** Mean, min and max indoor temperature across HVAC homes at the end of each slot. */
  readonly indoorTempMeanF: Float64Array;
  readonly indoorTempMinF: Float64Array;
  readonly indoorTempMaxF: Float64Array;
  /** Load by device kind, kW (load reference: PV and discharging batteries are negative). */
  readonly loadByKindKw: Readonly<Record<string, Float64Array>>;
}

export interface SupplyDemandCurves {
  readonly slotStartMs: number;
  /** Steps sorted as the auction sorts them: buys by price descending, sells ascending. */
  readonly buys: readonly { readonly pricePerKwh: number; readonly quantityKw: number }[];
  readonly sells: readonly { readonly pricePerKwh: number; readonly quantityKw: number }[];
  readonly clearingPricePerKwh: number;
  readonly clearedQuantityKw: number;
}

/** Feeder KPIs of one run, present when the scenario names a feeder. */
export interface GridKpiSet {
  /** (bus, phase, slot) samples outside ANSI C84.1 Range A (0.95–1.05 pu). */
  readonly voltageViolations: number;
  /** Minutes a bus had any phase outside Range A, summed over buses. */
  readonly voltageViolationBusMinutes: number;
  readonly minVoltagePu: number;
  readonly maxVoltagePu: number;
  readonly lossesKwh: number;
  readonly peakLossesKw: number;
  /** Highest loading of any transformer (current over rating), percent. */
  readonly peakTransformerLoadingPct: number;
  /** Highest loading of any line with a known rating, percent (NaN when no line has a rating). */
  readonly peakLineLoadingPct: number;
  /** Slots whose power flow did not converge. */
  readonly powerFlowFailures: number;
  /** Slots whose PV inverter / power flow outer loop did not converge (its last iterate was used). */
  readonly inverterLoopFailures: number;
}

export interface GridRunSeries {
  readonly minVoltagePu: Float64Array;
  readonly maxVoltagePu: Float64Array;
  readonly lossesKw: Float64Array;
  /** Per-bus lowest and highest phase voltage at the slot of peak substation demand (order of GridLayout.buses). */
  readonly peakSlotBusMinVPu: Float64Array;
  readonly peakSlotBusMaxVPu: Float64Array;
  readonly peakSlotStartMs: number;
}

/** How to draw the feeder: bus positions and the lines between them. */
export interface GridLayout {
  readonly feederName: string;
  readonly buses: readonly {
    readonly name: string;
    readonly x: number | null;
    readonly y: number | null;
    /** Distance from the substation along the feeder (same units as x/y; hops when there are no coordinates). */
    readonly distance: number;
    readonly homes: number;
  }[];
  readonly branches: readonly { readonly from: string; readonly to: string; readonly kind: string }[];
}

/**
 * Hourly interval data of every premises' meter, what a utility's M&V and forecasting work from. Columns
 * are premises-major: premises p, hour h at [p * hours + h].
 */
export interface PremisesMeters {
  /** Start of the first hour, epoch ms. */
  readonly startMs: number;
  readonly hours: number;
  readonly premises: number;
  /** Net energy through each meter in each hour, kWh: import positive, export negative. */
  readonly netLoadKwh: Float32Array;
  /** Energy generated by the PV behind each meter in each hour, kWh (0 or positive). */
  readonly pvKwh: Float32Array;
  /** Outdoor dry-bulb temperature, mean over each hour, °F. */
  readonly outdoorTempF: Float64Array;
}

export interface SimulationRun {
  readonly label: 'te' | 'baseline';
  readonly kpis: KpiSet;
  readonly series: SimulationRunSeries;
  /** Each premises' hourly meter data over the horizon. */
  readonly meters?: PremisesMeters;
  readonly grid?: { readonly kpis: GridKpiSet; readonly series: GridRunSeries };
  /** The quantities behind the stakeholder KPIs. */
  readonly stakeholder?: StakeholderRunKpis;
  /** Each premises' bill over the run, currency (rounded to whole minor units), in premises order. */
  readonly premisesBill?: Float64Array;
  /**
   * 1 for premises in the evaluation's control group (class 'control': kept on the fixed tariff and plain
   * control in the market run), 0 for the others; absent when there is no control group.
   */
  readonly controlPremises?: Uint8Array;
}

export interface SimulationMeta {
  readonly scenarioName: string;
  readonly description: string;
  readonly seed: number;
  readonly startIso: string;
  readonly endIso: string;
  readonly marketPeriodMinutes: number;
  readonly mechanism: string;
  readonly currency: string;
  readonly homes: number;
  readonly deviceCounts: Readonly<Record<string, number>>;
  readonly substationCapacityKw: number;
  readonly weatherSite: string;
  readonly utcOffsetMinutes: number;
  /** The scenario's `evaluation.keyMetrics`: catalogue ids the reports show first. */
  readonly keyMetrics?: readonly string[];
  /** The scenario's `evaluation.loadGrowthPercentPerYear`, when given (the deferral KPI's growth rate). */
  readonly loadGrowthPercentPerYear?: number;
}

export interface SimulationResult {
  readonly meta: SimulationMeta;
  /** Start of every slot, epoch ms. */
  readonly slotStartMs: Float64Array;
  readonly te: SimulationRun;
  readonly baseline: SimulationRun;
  /** The supply and demand curves of the TE market at the slot of peak substation demand. */
  readonly peakCurves: SupplyDemandCurves | null;
  /** The feeder, when the scenario names one. */
  readonly gridLayout?: GridLayout;
  /** Simulated wall time of the two runs, for the progress summary. */
  readonly agentSteps: number;
  /** The pre-period (`evaluation.historyDays` before start, no market): the M&V and forecasting history. */
  readonly history?: PremisesMeters;
  /** Measurement and verification, the treatment-control comparison and the forecasts' scores. */
  readonly evaluation?: PilotEvaluation;
}

export interface PilotEvaluation {
  readonly measurement?: MeasurementAndVerification;
  readonly treatmentControl?: TreatmentControlComparison;
  readonly forecast?: ForecastEvaluation;
}

/** Several market designs run on the same community (`tenet compare`). */
export interface ComparisonResult {
  /** The designs in the order given; each carries its full result (its `te` run is the design). */
  readonly designs: readonly {
    readonly label: string;
    readonly mechanism: string;
    readonly result: SimulationResult;
  }[];
  /** The no-market baseline of the community, the same for every design. */
  readonly baseline: SimulationRun;
}
