/**
 * What a simulation produces, independent of how it is written out (CSV, JSON, HTML report, terminal
 * table). Time series are columnar: one array per quantity, one entry per market slot.
 */
import type { ClearingType } from '../market/types.js';

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
  /** Consumers' plus producers' surplus from the cleared bids, in currency. */
  readonly socialWelfare: number;
  /** Slots whose clearing failed (unresponsive demand above supply). */
  readonly clearingFailures: number;
  /** Energy the EVs still lacked at departure. */
  readonly evUnmetEnergyKwh: number;
  /** Slots where the substation load exceeded its capacity. */
  readonly capacityExceededSlots: number;
}

export interface SimulationRunSeries {
  /** Substation (feeder head) load, kW, average over each slot. */
  readonly substationLoadKw: Float64Array;
  readonly clearingPricePerKwh: Float64Array;
  readonly clearedQuantityKw: Float64Array;
  readonly clearingType: readonly ClearingType[];
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

export interface SimulationRun {
  readonly label: 'te' | 'baseline';
  readonly kpis: KpiSet;
  readonly series: SimulationRunSeries;
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
}

export interface SimulationResult {
  readonly meta: SimulationMeta;
  /** Start of every slot, epoch ms. */
  readonly slotStartMs: Float64Array;
  readonly te: SimulationRun;
  readonly baseline: SimulationRun;
  /** The supply and demand curves of the TE market at the slot of peak substation demand. */
  readonly peakCurves: SupplyDemandCurves | null;
  /** Simulated wall time of the two runs, for the progress summary. */
  readonly agentSteps: number;
}
