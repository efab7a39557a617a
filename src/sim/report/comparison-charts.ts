/**
 * The figures of the design comparison report. Each design keeps one colour in every chart (the
 * Okabe–Ito palette of the device kinds), the baseline is grey and dashed as in the single-run report.
 */
import type { ComparisonResult, SimulationResult } from '../results.js';
import { BASELINE_COLOR, CAPACITY_COLOR, kindColor } from './chart-palette.js';
import { emptyFigure, figure, timeAxis } from './html-figure.js';
import { formatNumber } from './number-format.js';
import { renderBarChart, type BarSeries } from './svg-bar-chart.js';
import { renderTimeChart, type TimeLine } from './svg-time-chart.js';
import { RANGE_A_MAX_PU, RANGE_A_MIN_PU } from './voltage-color-scale.js';

export function designColor(index: number): string {
  return kindColor(index);
}

export function comparisonChartFigures(comparison: ComparisonResult): string[] {
  const first = comparison.designs[0]?.result;
  if (first === undefined) return [emptyFigure('Charts', 'The comparison holds no market design.')];
  const hasFeeder = comparison.designs.some((design) => design.result.te.grid !== undefined);
  return [
    priceFigure(comparison, first),
    substationLoadFigure(comparison, first),
    billsFigure(comparison, first),
    tradedEnergyFigure(comparison),
    ...(hasFeeder ? [voltageFigure(comparison, first)] : []),
  ];
}

function priceFigure(comparison: ComparisonResult, first: SimulationResult): string {
  const title = 'Market price per design';
  const chart = renderTimeChart({
    id: 'chart-compare-price',
    title,
    yTitle: `price (${first.meta.currency}/kWh)`,
    ...timeAxis(first),
    shape: 'step',
    includeZero: true,
    lines: comparison.designs.map((design, index): TimeLine => ({
      label: design.label,
      values: design.result.te.series.clearingPricePerKwh,
      color: designColor(index),
    })),
  });
  return figure(
    title,
    'The clearing (or average traded) price of each market slot under each design; it holds for the whole slot.',
    chart,
  );
}

function substationLoadFigure(comparison: ComparisonResult, first: SimulationResult): string {
  const title = 'Substation load per design';
  const capacityKw = first.meta.substationCapacityKw;
  const chart = renderTimeChart({
    id: 'chart-compare-load',
    title,
    yTitle: 'load (kW)',
    ...timeAxis(first),
    shape: 'step',
    includeZero: true,
    lines: [
      ...comparison.designs.map((design, index): TimeLine => ({
        label: design.label,
        values: design.result.te.series.substationLoadKw,
        color: designColor(index),
      })),
      {
        label: 'baseline (no market)',
        values: comparison.baseline.series.substationLoadKw,
        color: BASELINE_COLOR,
        dashed: true,
      },
    ],
    referenceLines: [
      { label: `capacity ${formatNumber(capacityKw, 0)} kW`, value: capacityKw, color: CAPACITY_COLOR },
    ],
  });
  return figure(
    title,
    'Average feeder-head load over each slot; negative values are export to the grid. The dashed red line is the substation capacity.',
    chart,
  );
}

function billsFigure(comparison: ComparisonResult, first: SimulationResult): string {
  const title = 'Mean bill per home by participant class';
  const runs = [
    ...comparison.designs.map((design, index) => ({
      label: design.label,
      color: designColor(index),
      costPerClass: design.result.te.kpis.costPerClass,
    })),
    {
      label: 'baseline (no market)',
      color: BASELINE_COLOR,
      costPerClass: comparison.baseline.kpis.costPerClass,
    },
  ];
  const classes = [...new Set(runs.flatMap((run) => Object.keys(run.costPerClass)))];
  const series = runs.map((run): BarSeries => ({
    label: run.label,
    color: run.color,
    values: classes.map((name) => run.costPerClass[name]?.meanCostPerHome ?? Number.NaN),
  }));
  const chart = renderBarChart({
    id: 'chart-compare-bills',
    title,
    xTitle: 'participant class (a home can be in several)',
    yTitle: `mean bill per home (${first.meta.currency})`,
    groups: classes,
    series,
    valueDecimals: 2,
  });
  return figure(
    title,
    'What an average home of each class paid over the period under each design; a bar below zero is earnings.',
    chart,
  );
}

function tradedEnergyFigure(comparison: ComparisonResult): string {
  const title = 'Energy traded between homes vs bought from the grid';
  const chart = renderBarChart({
    id: 'chart-compare-traded',
    title,
    xTitle: 'where the energy bought in the market came from',
    yTitle: 'energy (kWh)',
    groups: ['traded between homes', 'bought from the grid'],
    series: comparison.designs.map((design, index) => ({
      label: design.label,
      color: designColor(index),
      values: [design.result.te.kpis.localTradedKwh, design.result.te.kpis.gridTradedKwh],
    })),
    valueDecimals: 0,
  });
  return figure(
    title,
    'Energy homes sold to each other in the market, and energy the market bought from the wholesale supplier, over the whole period.',
    chart,
  );
}

function voltageFigure(comparison: ComparisonResult, first: SimulationResult): string {
  const title = 'Voltage range over time per design';
  const lines = comparison.designs.flatMap((design, index): TimeLine[] => {
    const series = design.result.te.grid?.series;
    if (series === undefined) return [];
    const color = designColor(index);
    return [
      { label: `${design.label} highest`, values: series.maxVoltagePu, color },
      { label: `${design.label} lowest`, values: series.minVoltagePu, color, dashed: true },
    ];
  });
  const chart = renderTimeChart({
    id: 'chart-compare-voltage',
    title,
    yTitle: 'voltage (pu)',
    ...timeAxis(first),
    shape: 'step',
    lines,
    referenceLines: [
      { label: 'Range A ceiling 1.05 pu', value: RANGE_A_MAX_PU, color: CAPACITY_COLOR },
      { label: 'Range A floor 0.95 pu', value: RANGE_A_MIN_PU, color: CAPACITY_COLOR },
    ],
  });
  return figure(
    title,
    'The highest (solid) and lowest (dashed) phase voltage of any bus on the feeder in each slot, per design. The red lines bound ANSI C84.1 Range A (0.95–1.05 pu).',
    chart,
  );
}
