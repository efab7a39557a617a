/**
 * The feeder figures of the HTML report (voltage range over time, voltage profile and map at the peak
 * slot), present only when the scenario names a feeder: without one this returns no figures and the
 * report is exactly what it was before feeders existed.
 */
import { toIsoWithOffset } from '../../core/time.js';
import type { GridLayout, SimulationResult } from '../results.js';
import { BASELINE_COLOR, CAPACITY_COLOR, TE_COLOR } from './chart-palette.js';
import { emptyFigure, figure, timeAxis } from './html-figure.js';
import { hasGridResults } from './grid-kpi-rows.js';
import { hasMapCoordinates, renderFeederMap } from './svg-feeder-map.js';
import { renderTimeChart, type TimeLine } from './svg-time-chart.js';
import { renderVoltageProfileChart, type VoltageProfileRun } from './svg-voltage-profile-chart.js';
import { RANGE_A_MAX_PU, RANGE_A_MIN_PU } from './voltage-color-scale.js';

export function gridChartFigures(result: SimulationResult): string[] {
  if (!hasGridResults(result)) return [];
  const layout = result.gridLayout;
  return [
    voltageRangeFigure(result),
    layout === undefined ? emptyFigure(PROFILE_TITLE, NO_LAYOUT) : voltageProfileFigure(result, layout),
    layout === undefined ? emptyFigure(MAP_TITLE, NO_LAYOUT) : feederMapFigure(result, layout),
  ];
}

const PROFILE_TITLE = 'Voltage profile at the peak slot';
const MAP_TITLE = 'Feeder map';
const NO_LAYOUT = 'The result carries no feeder layout to draw.';

function voltageRangeFigure(result: SimulationResult): string {
  const title = 'Voltage range over time';
  const te = result.te.grid?.series;
  const baseline = result.baseline.grid?.series;
  const lines: TimeLine[] = [];
  if (te !== undefined) {
    lines.push(
      { label: 'TE highest', values: te.maxVoltagePu, color: TE_COLOR },
      { label: 'TE lowest', values: te.minVoltagePu, color: TE_COLOR },
    );
  }
  if (baseline !== undefined) {
    lines.push(
      { label: 'baseline highest', values: baseline.maxVoltagePu, color: BASELINE_COLOR, dashed: true },
      { label: 'baseline lowest', values: baseline.minVoltagePu, color: BASELINE_COLOR, dashed: true },
    );
  }
  const chart = renderTimeChart({
    id: 'chart-voltage-range',
    title,
    yTitle: 'voltage (pu)',
    ...timeAxis(result),
    shape: 'step',
    lines,
    referenceLines: [
      { label: 'Range A ceiling 1.05 pu', value: RANGE_A_MAX_PU, color: CAPACITY_COLOR },
      { label: 'Range A floor 0.95 pu', value: RANGE_A_MIN_PU, color: CAPACITY_COLOR },
    ],
  });
  return figure(
    title,
    'The lowest and highest phase voltage of any bus on the feeder in each slot. The dashed red lines bound ANSI C84.1 Range A (0.95–1.05 pu), the band service voltage should stay in.',
    chart,
  );
}

function voltageProfileFigure(result: SimulationResult, layout: GridLayout): string {
  const runs: VoltageProfileRun[] = [];
  const times: string[] = [];
  for (const [label, run, color] of [
    ['TE', result.te, TE_COLOR],
    ['baseline', result.baseline, BASELINE_COLOR],
  ] as const) {
    const series = run.grid?.series;
    if (series === undefined) continue;
    runs.push({
      label,
      color,
      dashed: label === 'baseline',
      minVPu: series.peakSlotBusMinVPu,
      maxVPu: series.peakSlotBusMaxVPu,
    });
    times.push(`${label} at ${slotTime(result, series.peakSlotStartMs)}`);
  }
  const placed = hasMapCoordinates(layout);
  const chart = renderVoltageProfileChart({
    id: 'chart-voltage-profile',
    title: PROFILE_TITLE,
    xTitle: placed
      ? 'distance from the substation along the feeder (layout units)'
      : 'distance from the substation (branches)',
    layout,
    runs,
    limitColor: CAPACITY_COLOR,
  });
  return figure(
    PROFILE_TITLE,
    `Each bus of ${layout.feederName} at its distance from the substation, at the slot of each run's peak substation demand (${times.join('; ')}). A filled marker is the bus's lowest phase voltage, an open one its highest; the faint lines follow the branches. Hover a marker for the bus name.`,
    chart,
  );
}

function feederMapFigure(result: SimulationResult, layout: GridLayout): string {
  const series = result.te.grid?.series;
  if (!hasMapCoordinates(layout)) {
    return emptyFigure(
      MAP_TITLE,
      `No map: most buses of ${layout.feederName} have no coordinates in the feeder data.`,
    );
  }
  if (series === undefined) {
    return emptyFigure(MAP_TITLE, 'No map: the TE run carries no feeder voltages.');
  }
  const busVPu = series.peakSlotBusMinVPu;
  const chart = renderFeederMap({
    id: 'chart-feeder-map',
    title: `${MAP_TITLE}: ${layout.feederName}`,
    layout,
    busVPu,
    voltageLabel: 'TE lowest phase voltage',
  });
  return figure(
    `${MAP_TITLE}: ${layout.feederName}`,
    `Buses at their coordinates, coloured by the lowest phase voltage of the TE run at its peak slot (${slotTime(result, series.peakSlotStartMs)}): red at or below 0.95 pu, green at 1.00 pu, blue at or above 1.05 pu. Larger circles serve more homes. Hover a bus or branch for its name.`,
    chart,
  );
}

function slotTime(result: SimulationResult, startMs: number): string {
  return Number.isFinite(startMs) ? toIsoWithOffset(startMs, result.meta.utcOffsetMinutes) : 'unknown time';
}
