/** The chart figures of the HTML report, each built from the result with the chart modules. */
import { toIsoWithOffset } from '../../core/time.js';
import type { SimulationResult } from '../results.js';
import {
  BASELINE_COLOR,
  CAPACITY_COLOR,
  CLEARING_COLOR,
  DEMAND_COLOR,
  kindColor,
  SUPPLY_COLOR,
  TE_COLOR,
} from './chart-palette.js';
import { emptyFigure, figure, timeAxis } from './html-figure.js';
import { gridChartFigures } from './html-report-grid-charts.js';
import { formatNumber } from './number-format.js';
import { renderSupplyDemandChart } from './svg-supply-demand-chart.js';
import { renderTimeChart } from './svg-time-chart.js';
import { deviceKinds } from './time-series-csv.js';

export function renderChartFigures(result: SimulationResult): string {
  return [
    clearingPriceFigure(result),
    substationLoadFigure(result),
    indoorTemperatureFigure(result),
    loadByKindFigure(result),
    ...gridChartFigures(result),
    peakCurvesFigure(result),
  ].join('\n');
}

function clearingPriceFigure(result: SimulationResult): string {
  const title = 'Clearing price (TE market)';
  const chart = renderTimeChart({
    id: 'chart-clearing-price',
    title,
    yTitle: `price (${result.meta.currency}/kWh)`,
    ...timeAxis(result),
    shape: 'step',
    includeZero: true,
    lines: [{ label: 'TE clearing price', values: result.te.series.clearingPricePerKwh, color: TE_COLOR }],
  });
  return figure(title, 'The price at which each market slot cleared; it holds for the whole slot.', chart);
}

function substationLoadFigure(result: SimulationResult): string {
  const title = 'Substation load: TE vs baseline';
  const capacityKw = result.meta.substationCapacityKw;
  const chart = renderTimeChart({
    id: 'chart-substation-load',
    title,
    yTitle: 'load (kW)',
    ...timeAxis(result),
    shape: 'step',
    includeZero: true,
    lines: [
      { label: 'TE', values: result.te.series.substationLoadKw, color: TE_COLOR },
      {
        label: 'baseline (no market)',
        values: result.baseline.series.substationLoadKw,
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
    'Average feeder-head load over each slot; negative values are export to the grid.',
    chart,
  );
}

function indoorTemperatureFigure(result: SimulationResult): string {
  const title = 'Indoor temperature across HVAC homes';
  const te = result.te.series;
  const baseline = result.baseline.series;
  const chart = renderTimeChart({
    id: 'chart-indoor-temperature',
    title,
    yTitle: 'indoor temperature (°F)',
    ...timeAxis(result),
    shape: 'slot-end',
    lines: [
      { label: 'TE mean', values: te.indoorTempMeanF, color: TE_COLOR },
      { label: 'baseline mean', values: baseline.indoorTempMeanF, color: BASELINE_COLOR, dashed: true },
    ],
    bands: [
      { label: 'TE min–max', lower: te.indoorTempMinF, upper: te.indoorTempMaxF, color: TE_COLOR },
      {
        label: 'baseline min–max',
        lower: baseline.indoorTempMinF,
        upper: baseline.indoorTempMaxF,
        color: BASELINE_COLOR,
      },
    ],
  });
  return figure(
    title,
    'Mean over homes at the end of each slot; the shaded band spans the coolest to the warmest home.',
    chart,
  );
}

function loadByKindFigure(result: SimulationResult): string {
  const title = 'Load by device kind (TE)';
  const kinds = deviceKinds(result).filter((kind) => result.te.series.loadByKindKw[kind] !== undefined);
  const chart = renderTimeChart({
    id: 'chart-load-by-kind',
    title,
    yTitle: 'load (kW)',
    ...timeAxis(result),
    shape: 'step',
    includeZero: true,
    lines: kinds.map((kind, index) => ({
      label: kind,
      values: result.te.series.loadByKindKw[kind] ?? [],
      color: kindColor(index),
    })),
  });
  return figure(
    title,
    'Summed over homes; PV and discharging batteries are negative (load reference).',
    chart,
  );
}

function peakCurvesFigure(result: SimulationResult): string {
  const title = 'Supply and demand at the peak slot (TE market)';
  const curves = result.peakCurves;
  if (curves === null) {
    return emptyFigure(title, 'No supply and demand curves were recorded for this run.');
  }
  const slotIso = Number.isFinite(curves.slotStartMs)
    ? toIsoWithOffset(curves.slotStartMs, result.meta.utcOffsetMinutes)
    : 'unknown time';
  const chart = renderSupplyDemandChart({
    id: 'chart-peak-curves',
    title,
    curves,
    currency: result.meta.currency,
    demandColor: DEMAND_COLOR,
    supplyColor: SUPPLY_COLOR,
    clearingColor: CLEARING_COLOR,
  });
  return figure(
    title,
    `The bid curves of the slot starting ${slotIso}, when the substation demand peaked: buys sorted by price descending, sells ascending.`,
    chart,
  );
}
