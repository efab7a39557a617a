/**
 * A synthetic ComparisonResult for the comparison report tests and for looking at the report by eye:
 * three market designs on the community of test-result.fixture.ts, made by varying its TE run. The
 * uniform-price auction has the best welfare, pay-as-bid the lowest total cost (and a PV class that
 * earns money), P2P the most energy traded between homes and the fewest voltage violations.
 */
import type { ComparisonResult, KpiSet, SimulationResult, SimulationRun } from '../results.js';
import { makeGridTestResult, withoutGrid } from './test-grid-result.fixture.js';
import type { TestResultOptions } from './test-result.fixture.js';

export interface TestComparisonOptions extends TestResultOptions {
  /** Feeder results (IEEE 13-node) in every design and the baseline. */
  readonly grid?: boolean;
  /** Replaces the designs' labels, in order. */
  readonly labels?: readonly string[];
}

interface DesignShape {
  readonly label: string;
  readonly mechanism: string;
  readonly kpis: Partial<KpiSet>;
  /** Scales the TE run's price and load series so the lines differ. */
  readonly priceFactor: number;
  readonly loadFactor: number;
  readonly voltageViolations: number;
}

const SHAPES: readonly DesignShape[] = [
  {
    label: 'Uniform-price auction',
    mechanism: 'double-auction',
    kpis: { socialWelfare: 61.2, totalCost: 141.25, billChangeGini: 0.06 },
    priceFactor: 1,
    loadFactor: 1,
    voltageViolations: 4,
  },
  {
    label: 'Pay-as-bid',
    mechanism: 'pay-as-bid',
    kpis: {
      socialWelfare: 48.7,
      totalCost: 129.8,
      billChangeGini: 0.11,
      peakSubstationDemandKw: 152.4,
      localTradedKwh: 61.3,
      gridTradedKwh: 1102.4,
      costPerClass: {
        all: { homes: 40, meanCostPerHome: 3.25 },
        pv: { homes: 20, meanCostPerHome: -0.85 },
        battery: { homes: 10, meanCostPerHome: 2.6 },
      },
    },
    priceFactor: 1.25,
    loadFactor: 1.03,
    voltageViolations: 9,
  },
  {
    label: 'P2P (bilateral)',
    mechanism: 'p2p',
    kpis: {
      socialWelfare: 39.4,
      totalCost: 146.9,
      billChangeGini: 0.04,
      peakSubstationDemandKw: 139.7,
      localTradedKwh: 188.6,
      gridTradedKwh: 1001.9,
      selfSufficiency: 0.29,
      clearingFailures: 2,
    },
    priceFactor: 0.8,
    loadFactor: 0.94,
    voltageViolations: 1,
  },
];

export function makeTestComparison(options: TestComparisonOptions = {}): ComparisonResult {
  const withFeeder = makeGridTestResult(options);
  const base = options.grid === true ? withFeeder : withoutGrid(withFeeder);
  return {
    designs: SHAPES.map((shape, index) => {
      const label = options.labels?.[index] ?? shape.label;
      return { label, mechanism: shape.mechanism, result: designOf(base, shape) };
    }),
    baseline: base.baseline,
  };
}

function designOf(base: SimulationResult, shape: DesignShape): SimulationResult {
  const te = base.te;
  const scale = (values: Float64Array, factor: number): Float64Array => values.map((value) => value * factor);
  const grid: SimulationRun['grid'] =
    te.grid === undefined
      ? undefined
      : {
          kpis: { ...te.grid.kpis, voltageViolations: shape.voltageViolations },
          series: {
            ...te.grid.series,
            minVoltagePu: te.grid.series.minVoltagePu.map((v) => 1 - (1 - v) * shape.loadFactor),
            maxVoltagePu: te.grid.series.maxVoltagePu.map((v) => 1 + (v - 1) * shape.loadFactor),
          },
        };
  const run: SimulationRun = {
    label: 'te',
    kpis: {
      ...te.kpis,
      averageClearingPricePerKwh: te.kpis.averageClearingPricePerKwh * shape.priceFactor,
      peakClearingPricePerKwh: te.kpis.peakClearingPricePerKwh * shape.priceFactor,
      ...shape.kpis,
    },
    series: {
      ...te.series,
      clearingPricePerKwh: scale(te.series.clearingPricePerKwh, shape.priceFactor),
      substationLoadKw: scale(te.series.substationLoadKw, shape.loadFactor),
    },
    ...(grid === undefined ? {} : { grid }),
  };
  return { ...base, meta: { ...base.meta, mechanism: shape.mechanism }, te: run };
}
