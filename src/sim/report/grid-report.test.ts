import { describe, expect, it, vi } from 'vitest';
import type { GridLayout, SimulationResult, SimulationRun } from '../results.js';
import { renderHtmlReport } from './html-report.js';
import { kpiJson } from './kpi-json.js';
import { formatKpiTable } from './kpi-table.js';
import { makeGridTestResult, withoutGrid } from './test-grid-result.fixture.js';
import { makeTestResult } from './test-result.fixture.js';
import { timeSeriesCsv } from './time-series-csv.js';

// The goldens below check the layout with the core and feeder KPIs only: the other catalogue members
// (stakeholder, M&V, treatment-control, forecast) have their own tests and would shift every count.
vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: [] }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));

const HOSTILE = '<script>alert(1)</script>';
const GRID_CHART_IDS = ['chart-voltage-range', 'chart-voltage-profile', 'chart-feeder-map'];

function svgCount(html: string): number {
  return html.match(/<svg\b/g)?.length ?? 0;
}

function withLayout(result: SimulationResult, patch: (layout: GridLayout) => GridLayout): SimulationResult {
  if (result.gridLayout === undefined) throw new Error('fixture has no layout');
  return { ...result, gridLayout: patch(result.gridLayout) };
}

function withTeGrid(
  result: SimulationResult,
  patch: (grid: NonNullable<SimulationRun['grid']>) => NonNullable<SimulationRun['grid']>,
): SimulationResult {
  const grid = result.te.grid;
  if (grid === undefined) throw new Error('fixture has no grid');
  return { ...result, te: { ...result.te, grid: patch(grid) } };
}

/** Centre of the circle drawn for a bus on the map, read back from the SVG. */
function mapCircle(html: string, bus: string): { x: number; y: number } {
  const map = html.slice(html.indexOf('<svg id="chart-feeder-map"'));
  const match = new RegExp(`<title>Bus ${bus}\\n[^<]*</title><circle cx="([\\d.]+)" cy="([\\d.]+)"`).exec(
    map,
  );
  if (match === null) throw new Error(`no circle for bus ${bus}`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

describe('report with feeder results', () => {
  const result = makeGridTestResult();
  const html = renderHtmlReport(result);

  it('adds the feeder KPI rows to the table', () => {
    const lines = formatKpiTable(result, { color: false }).trimEnd().split('\n');
    const line = (label: string): string => lines.find((l) => l.trimStart().startsWith(label)) ?? '';
    // 20 run rows + 10 feeder rows under 5 group titles.
    expect(lines).toHaveLength(2 + 20 + 10 + 5);
    expect(line('Voltage violations ')).toMatch(/samples\s+4\s+57\s+-53 \(-93\.0%\)\s+customer$/);
    expect(line('Voltage violation bus-minutes')).toMatch(/min\s+120\s+1,380/);
    expect(line('Minimum voltage')).toMatch(/pu\s+0\.9479\s+0\.9346\s+\+0\.0133$/);
    expect(line('Maximum voltage')).toMatch(/pu\s+1\.\d{4}\s+1\.\d{4}/);
    expect(line('Losses')).toMatch(/kWh\s+23\.9\s+35\.5\s+-11\.6 \(-32\.7%\)\s+dso$/);
    expect(line('Peak losses')).toContain('kW');
    expect(line('Peak transformer loading')).toMatch(/%\s+84\.2\s+97\.5\s+-13\.3 pp$/);
    expect(line('Peak line loading')).toMatch(/61\.3\s+70\.8\s+-9\.5 pp$/);
    expect(line('Power-flow failures')).toMatch(/slots\s+0\s+0\s+0$/);
    expect(line('Inverter loop failures')).toMatch(/slots\s+0\s+0\s+0$/);
    // Losses are the utility's first; the other feeder KPIs the DSO's.
    const dso = lines.indexOf('DSO (distribution network)');
    expect(lines.indexOf(line('Losses'))).toBeLessThan(dso);
    expect(lines.indexOf(line('Voltage violations '))).toBeGreaterThan(dso);
    // Voltage extremes are neutral: neither colour, whichever way they move.
    expect(html).toContain('<td class="num neutral">+0.0133</td>');
    expect(html).toContain('<td>Voltage violation bus-minutes</td>');
  });

  it('writes a grid object in te, baseline and delta of the KPI document', () => {
    const document = kpiJson(result);
    expect(Object.keys(document.te).at(-1)).toBe('grid');
    expect(document.te.grid?.voltageViolations).toBe(4);
    expect(document.baseline.grid?.voltageViolations).toBe(57);
    expect(document.delta.grid?.voltageViolations).toBe(-53);
    expect(document.delta.grid?.minVoltagePu).toBeCloseTo(0.9479 - 0.9346, 3);
    expect(Object.keys(document.delta.grid ?? {})).toEqual([
      'voltageViolations',
      'voltageViolationBusMinutes',
      'minVoltagePu',
      'maxVoltagePu',
      'lossesKwh',
      'peakLossesKw',
      'peakTransformerLoadingPct',
      'peakLineLoadingPct',
      'powerFlowFailures',
      'inverterLoopFailures',
    ]);
  });

  it('adds the voltage and loss columns after the existing CSV columns', () => {
    const lines = timeSeriesCsv(result).trimEnd().split('\r\n');
    const header = (lines[0] ?? '').split(',');
    const before = (timeSeriesCsv(makeTestResult()).split('\r\n')[0] ?? '').split(',');
    expect(header.slice(0, before.length)).toEqual(before);
    expect(header.slice(before.length)).toEqual([
      'te_min_voltage_pu',
      'baseline_min_voltage_pu',
      'te_max_voltage_pu',
      'baseline_max_voltage_pu',
      'te_losses_kw',
      'baseline_losses_kw',
    ]);
    const first = (lines[1] ?? '').split(',');
    expect(Number(first[before.length])).toBeCloseTo(result.te.grid?.series.minVoltagePu[0] ?? 0, 9);
    for (const line of lines) expect(line.split(',')).toHaveLength(header.length);
  });

  it('draws the three feeder charts between the time series and the supply and demand curves', () => {
    expect(svgCount(html)).toBe(8);
    const positions = ['chart-load-by-kind', ...GRID_CHART_IDS, 'chart-peak-curves'].map((id) =>
      html.indexOf(`<svg id="${id}"`),
    );
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('Range A floor 0.95 pu');
    expect(html).toContain('Feeder map: IEEE 13-node test feeder');
    expect(html).toContain('<title>Bus 675\n8 homes\nTE lowest phase voltage: 0.9479 pu</title>');
    expect(html).toMatch(
      /stroke="#8250df"[^>]*stroke-dasharray="7 4"[^>]*><title>transformer 633 – 634<\/title>/,
    );
    expect(html).not.toMatch(/<script\b|https?:\/\/|NaN|undefined/);
  });

  it('draws the map the right way up and with the true aspect ratio', () => {
    const top = mapCircle(html, '650'); // (10, 12)
    const bottom = mapCircle(html, '680'); // (10, 1)
    const right = mapCircle(html, '675'); // (18, 4)
    const left = mapCircle(html, '611'); // (2, 4)
    expect(top.y).toBeLessThan(bottom.y);
    expect(left.x).toBeLessThan(right.x);
    const unitsAcross = (right.x - left.x) / 16;
    const unitsDown = (bottom.y - top.y) / 11;
    expect(unitsAcross).toBeCloseTo(unitsDown, 0);
  });

  it('escapes bus names, branch kinds and the feeder name', () => {
    const hostile = withLayout(result, (layout) => ({
      feederName: HOSTILE,
      buses: layout.buses.map((bus) => (bus.name === '675' ? { ...bus, name: HOSTILE } : bus)),
      branches: layout.branches.map((branch) =>
        branch.to === '675' ? { ...branch, to: HOSTILE, kind: '"><img src=x>' } : branch,
      ),
    }));
    const page = renderHtmlReport(hostile);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).toContain('Bus &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x&gt;');
    expect(svgCount(page)).toBe(8);
  });

  it('shows NaN as a dash, null or a gap, never as text', () => {
    const nanVoltages = new Float64Array(14).fill(Number.NaN);
    const degenerate = withTeGrid(result, (grid) => ({
      kpis: { ...grid.kpis, peakLineLoadingPct: Number.NaN, minVoltagePu: Number.NaN },
      series: {
        ...grid.series,
        minVoltagePu: grid.series.minVoltagePu.map((v, i) => (i === 3 ? Number.NaN : v)),
        peakSlotBusMinVPu: Float64Array.from(grid.series.peakSlotBusMinVPu, (v, i) =>
          i === 4 ? Number.NaN : v,
        ),
        peakSlotStartMs: Number.NaN,
      },
    }));
    const table = formatKpiTable(degenerate, { color: false });
    expect(table.split('\n').find((l) => l.startsWith('  Peak line loading'))).toMatch(/—\s+70\.8\s+—$/);
    const document = kpiJson(degenerate);
    expect(document.te.grid?.peakLineLoadingPct).toBeNull();
    expect(document.delta.grid?.minVoltagePu).toBeNull();
    expect(JSON.stringify(document)).not.toMatch(/NaN|Infinity/);
    expect(timeSeriesCsv(degenerate)).not.toContain('NaN');
    const page = renderHtmlReport(degenerate);
    expect(page).not.toMatch(/NaN|Infinity|undefined/);
    expect(page).toContain('TE lowest phase voltage: not computed');
    expect(page).toContain('no voltage (power flow failed)');

    const allNan = withTeGrid(degenerate, (grid) => ({
      ...grid,
      series: { ...grid.series, peakSlotBusMinVPu: nanVoltages, peakSlotBusMaxVPu: nanVoltages },
    }));
    const blank = renderHtmlReport(allNan);
    expect(blank).not.toMatch(/NaN|Infinity|undefined/);
    expect(svgCount(blank)).toBe(8);
  });

  it('skips the map with a note when most buses have no coordinates', () => {
    const unplaced = withLayout(result, (layout) => ({
      ...layout,
      buses: layout.buses.map((bus, index) => (index < 10 ? { ...bus, x: null, y: null } : bus)),
    }));
    const page = renderHtmlReport(unplaced);
    expect(svgCount(page)).toBe(7);
    expect(page).not.toContain('<svg id="chart-feeder-map"');
    expect(page).toContain('No map: most buses of IEEE 13-node test feeder have no coordinates');
    expect(page).toContain('distance from the substation (branches)');
  });

  it('handles one run without feeder results, and no layout', () => {
    const { grid: _grid, ...baselineRun } = result.baseline;
    const teOnly = { ...result, baseline: baselineRun };
    expect(kpiJson(teOnly).baseline.grid?.voltageViolations).toBeNull();
    expect(kpiJson(teOnly).delta.grid?.voltageViolations).toBeNull();
    expect(formatKpiTable(teOnly, { color: false })).toMatch(/Voltage violations\s+samples\s+4\s+—\s+—/);
    expect(timeSeriesCsv(teOnly).split('\r\n')[1]).toMatch(/,[\d.]+,,[\d.]+,,[\d.]+,$/);
    expect(svgCount(renderHtmlReport(teOnly))).toBe(8);
    const { gridLayout: _layout, ...noLayout } = result;
    const page = renderHtmlReport(noLayout);
    expect(svgCount(page)).toBe(6);
    expect(page).toContain('The result carries no feeder layout to draw.');
  });

  it('renders the same bytes for the same result', () => {
    expect(renderHtmlReport(makeGridTestResult())).toBe(html);
    expect(JSON.stringify(kpiJson(makeGridTestResult()))).toBe(JSON.stringify(kpiJson(result)));
  });

  it('leaves every output byte-identical when the feeder fields are absent', () => {
    const plain = withoutGrid(result);
    const reference = makeTestResult();
    expect(renderHtmlReport(plain)).toBe(renderHtmlReport(reference));
    expect(formatKpiTable(plain, { color: true })).toBe(formatKpiTable(reference, { color: true }));
    expect(JSON.stringify(kpiJson(plain))).toBe(JSON.stringify(kpiJson(reference)));
    expect(timeSeriesCsv(plain)).toBe(timeSeriesCsv(reference));
    expect('grid' in kpiJson(plain).te).toBe(false);
    expect(renderHtmlReport(plain)).not.toContain('Voltage');
  });
});
