/**
 * A small synthetic SimulationResult for the report tests and for looking at the report by eye: a
 * summer afternoon and evening in a community of homes, TE shaving the baseline's peak.
 */
import { MS_PER_MINUTE, toIsoWithOffset } from '../../core/time.js';
import type { ClearingType } from '../../market/types.js';
import type {
  KpiSet,
  SimulationMeta,
  SimulationResult,
  SimulationRunSeries,
  SupplyDemandCurves,
} from '../results.js';

export interface TestResultOptions {
  readonly slots?: number;
  readonly marketPeriodMinutes?: number;
  readonly meta?: Partial<SimulationMeta>;
  readonly peakCurves?: SupplyDemandCurves | null;
}

const START_MS = Date.UTC(2024, 6, 1, 19, 0); // 12:00 at UTC-07:00 (Tucson)

export function makeTestResult(options: TestResultOptions = {}): SimulationResult {
  const slots = options.slots ?? 12;
  const periodMinutes = options.marketPeriodMinutes ?? 60;
  const slotStartMs = Float64Array.from(
    { length: slots },
    (_, i) => START_MS + i * periodMinutes * MS_PER_MINUTE,
  );
  const meta: SimulationMeta = {
    scenarioName: 'Tucson summer, 40 homes',
    description: 'Double auction with HVAC, batteries, EVs and rooftop PV, compared with a flat tariff.',
    seed: 42,
    startIso: '2024-07-01T12:00:00-07:00',
    endIso: toIsoWithOffset(START_MS + slots * periodMinutes * MS_PER_MINUTE, -420),
    marketPeriodMinutes: periodMinutes,
    mechanism: 'double-auction',
    currency: 'USD',
    homes: 40,
    deviceCounts: { hvac: 40, 'water-heater': 30, battery: 10, ev: 8, pv: 20 },
    substationCapacityKw: 160,
    weatherSite: 'Tucson, AZ (TMY3 722740)',
    utcOffsetMinutes: -420,
    ...options.meta,
  };
  return {
    meta,
    slotStartMs,
    te: { label: 'te', kpis: kpis(true), series: series(slots, periodMinutes, true) },
    baseline: { label: 'baseline', kpis: kpis(false), series: series(slots, periodMinutes, false) },
    peakCurves:
      options.peakCurves === undefined
        ? peakCurves(slotStartMs[Math.floor(slots / 2)] ?? START_MS)
        : options.peakCurves,
    agentSteps: slots * 2 * 108,
  };
}

function kpis(te: boolean): KpiSet {
  return {
    peakSubstationDemandKw: te ? 148.2 : 171.6,
    energyImportedKwh: te ? 1210.4 : 1302.9,
    energyExportedKwh: te ? 35.2 : 61.8,
    averageClearingPricePerKwh: te ? 0.1134 : 0.12,
    peakClearingPricePerKwh: te ? 0.2875 : 0.12,
    totalCost: te ? 141.25 : 156.35,
    costPerClass: {
      all: { homes: 40, meanCostPerHome: te ? 3.53 : 3.91 },
      pv: { homes: 20, meanCostPerHome: te ? 2.1 : 2.64 },
      battery: { homes: 10, meanCostPerHome: te ? 2.85 : 3.4 },
    },
    comfortViolationDegreeHours: te ? 6.4 : 2.1,
    pvSelfConsumption: te ? 0.91 : 0.78,
    socialWelfare: te ? 48.7 : 0,
    clearingFailures: te ? 0 : 0,
    evUnmetEnergyKwh: te ? 1.5 : 0,
    capacityExceededSlots: te ? 0 : 3,
    localTradedKwh: te ? 42.5 : 0,
    gridTradedKwh: te ? 1168.1 : 0,
    selfSufficiency: te ? 0.21 : 0.18,
    billChangeGini: te ? 0.06 : Number.NaN,
    intermediaryRevenue: te ? 1.25 : 0,
  };
}

function series(slots: number, periodMinutes: number, te: boolean): SimulationRunSeries {
  const hourOf = (slot: number): number => 12 + (slot * periodMinutes) / 60;
  const wave = (slot: number): number => Math.sin(((hourOf(slot) - 12) / 12) * Math.PI);
  const fill = (value: (slot: number) => number): Float64Array =>
    Float64Array.from({ length: slots }, (_, i) => value(i));
  const sunny = (slot: number): number => Math.max(0, Math.cos(((hourOf(slot) - 13) / 7) * (Math.PI / 2)));
  const hvac = fill((i) => 60 + 55 * wave(i) * (te ? 0.82 : 1));
  const waterHeater = fill((i) => 12 + 6 * Math.cos(i) * (te ? 0.7 : 1));
  const battery = fill((i) => (te ? -14 * wave(i) + 4 * sunny(i) : 0));
  const ev = fill((i) => (hourOf(i) % 24 >= 18 ? (te ? 16 : 28) : 0));
  const pv = fill((i) => -55 * sunny(i));
  const substation = fill(
    (i) => (hvac[i] ?? 0) + (waterHeater[i] ?? 0) + (battery[i] ?? 0) + (ev[i] ?? 0) + (pv[i] ?? 0) + 20,
  );
  const mean = fill((i) => (te ? 76.5 + 1.2 * wave(i) : 75.6 + 0.4 * wave(i)));
  const types: ClearingType[] = ['marginal-seller', 'marginal-buyer', 'marginal-price', 'exact'];
  return {
    substationLoadKw: substation,
    clearingPricePerKwh: fill((i) => (te ? 0.08 + 0.2 * Math.max(0, wave(i)) ** 3 : 0.12)),
    clearedQuantityKw: fill((i) => (te ? (substation[i] ?? 0) * 0.9 : 0)),
    clearingType: Array.from({ length: slots }, (_, i): ClearingType =>
      te ? (types[i % types.length] ?? 'null') : 'null',
    ),
    indoorTempMeanF: mean,
    indoorTempMinF: fill((i) => (mean[i] ?? 0) - 1.8),
    indoorTempMaxF: fill((i) => (mean[i] ?? 0) + 2.1),
    loadByKindKw: { hvac, 'water-heater': waterHeater, battery, ev, pv },
  };
}

function peakCurves(slotStartMs: number): SupplyDemandCurves {
  return {
    slotStartMs,
    buys: [
      { pricePerKwh: 1000, quantityKw: 38 },
      { pricePerKwh: 0.34, quantityKw: 12 },
      { pricePerKwh: 0.3, quantityKw: 20 },
      { pricePerKwh: 0.26, quantityKw: 25 },
      { pricePerKwh: 0.21, quantityKw: 30 },
      { pricePerKwh: 0.15, quantityKw: 18 },
      { pricePerKwh: 0.1, quantityKw: 15 },
    ],
    sells: [
      { pricePerKwh: 0.05, quantityKw: 20 },
      { pricePerKwh: 0.12, quantityKw: 35 },
      { pricePerKwh: 0.18, quantityKw: 30 },
      { pricePerKwh: 0.24, quantityKw: 40 },
      { pricePerKwh: 0.32, quantityKw: 60 },
    ],
    clearingPricePerKwh: 0.24,
    clearedQuantityKw: 95,
  };
}
