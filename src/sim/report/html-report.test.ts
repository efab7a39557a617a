import { describe, expect, it, vi } from 'vitest';
import type { SimulationResult } from '../results.js';
import { renderHtmlReport } from './html-report.js';
import { makeTestResult } from './test-result.fixture.js';

// The goldens below check the layout with the core and feeder KPIs only: the other catalogue members
// (stakeholder, M&V, treatment-control, forecast) have their own tests and would shift every count.
vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: [] }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));

const HOSTILE = '<script>alert(1)</script>';

function svgCount(html: string): number {
  return html.match(/<svg\b/g)?.length ?? 0;
}

function withTeSeries(
  base: SimulationResult,
  patch: Partial<SimulationResult['te']['series']>,
): SimulationResult {
  return { ...base, te: { ...base.te, series: { ...base.te.series, ...patch } } };
}

describe('renderHtmlReport', () => {
  const result = makeTestResult();
  const html = renderHtmlReport(result);

  it('is one self-contained document that loads nothing from the network', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\((?!#)/);
    expect(html).not.toMatch(/<img\b/i);
  });

  it('draws one SVG per chart, each with a title', () => {
    expect(svgCount(html)).toBe(5);
    for (const id of [
      'chart-clearing-price',
      'chart-substation-load',
      'chart-indoor-temperature',
      'chart-load-by-kind',
      'chart-peak-curves',
    ]) {
      expect(html).toContain(`<svg id="${id}"`);
    }
    expect(html).toContain('capacity 160 kW');
    expect(html).toContain('local time (UTC-07:00)');
    expect(html).toContain('price (USD/kWh)');
    expect(html).toContain('clearing: 95.0 kW at 0.2400 USD/kWh');
  });

  it('shows the scenario facts and the KPI table', () => {
    for (const text of [
      'Tucson summer, 40 homes',
      'double-auction',
      'Tucson, AZ (TMY3 722740)',
      'water-heater: 30',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('<td>Peak substation demand</td>');
    expect(html).toContain('<td class="num">148.2</td><td class="num">171.6</td>');
    expect(html).toContain('Mean cost per home: battery (10 homes)');
  });

  it('groups the KPI table by role, key metrics first, other roles in the last column', () => {
    const bodies = [...html.matchAll(/<tbody id="kpis-([a-z-]+)">/g)].map((match) => match[1]);
    expect(bodies).toEqual(['utility', 'dso', 'customer', 'aggregator', 'regulator']);
    expect(html).toContain(
      '<tr><td>Peak substation demand</td><td class="unit">kW</td><td class="num">148.2</td>' +
        '<td class="num">171.6</td><td class="num better">-23.4 (-13.6%)</td><td class="roles">dso</td></tr>',
    );
    const keyed = renderHtmlReport(makeTestResult({ meta: { keyMetrics: ['social-welfare'] } }));
    expect(keyed.indexOf('<tbody id="kpis-key-metrics">')).toBeLessThan(
      keyed.indexOf('<tbody id="kpis-utility">'),
    );
    expect(keyed).toContain('<tr class="group"><th colspan="6">Key metrics</th></tr>');
    expect(keyed.match(/<td>Social welfare<\/td>/g)).toHaveLength(1);
    expect(keyed).toContain('<td class="roles">regulator</td>');
    // No evaluation in this result: no evaluation heading.
    expect(html).not.toContain('<h2>Evaluation</h2>');
  });

  it('escapes every string that comes from the scenario', () => {
    const hostile = makeTestResult({
      meta: {
        scenarioName: HOSTILE,
        description: `"><img src=x onerror=alert(2)>`,
        weatherSite: HOSTILE,
        mechanism: HOSTILE,
        currency: '<b>',
        deviceCounts: { [HOSTILE]: 1 },
      },
    });
    const series = hostile.te.series;
    const hostileKinds = withTeSeries(hostile, { loadByKindKw: { [HOSTILE]: series.substationLoadKw } });
    const page = renderHtmlReport(hostileKinds);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('renders the same bytes for the same result', () => {
    expect(renderHtmlReport(makeTestResult())).toBe(html);
    expect(renderHtmlReport(result, { generatedAtIso: '2024-07-02T08:00:00Z' })).toContain(
      'Generated 2024-07-02T08:00:00Z.',
    );
  });

  it('handles null peak curves without a chart', () => {
    const page = renderHtmlReport(makeTestResult({ peakCurves: null }));
    expect(svgCount(page)).toBe(4);
    expect(page).toContain('No supply and demand curves were recorded');
  });

  it('handles degenerate series without throwing or printing NaN', () => {
    const zeros = new Float64Array(12);
    const nans = new Float64Array(12).fill(Number.NaN);
    const cases: [string, SimulationResult][] = [
      ['no slots', makeTestResult({ slots: 0 })],
      ['one slot', makeTestResult({ slots: 1 })],
      [
        'all zeros',
        withTeSeries(makeTestResult(), {
          substationLoadKw: zeros,
          clearingPricePerKwh: zeros,
          loadByKindKw: { hvac: zeros },
        }),
      ],
      [
        'all NaN',
        withTeSeries(makeTestResult(), {
          substationLoadKw: nans,
          clearingPricePerKwh: nans,
          indoorTempMeanF: nans,
          indoorTempMinF: nans,
          indoorTempMaxF: nans,
          loadByKindKw: {},
        }),
      ],
      [
        'some NaN and infinities',
        withTeSeries(makeTestResult(), {
          clearingPricePerKwh: Float64Array.from({ length: 12 }, (_, i) =>
            i === 3 ? Number.NaN : i === 5 ? Number.POSITIVE_INFINITY : i / 10,
          ),
        }),
      ],
      [
        'empty curves',
        makeTestResult({
          peakCurves: {
            slotStartMs: 0,
            buys: [],
            sells: [],
            clearingPricePerKwh: Number.NaN,
            clearedQuantityKw: 0,
          },
        }),
      ],
      [
        'one-step curves',
        makeTestResult({
          peakCurves: {
            slotStartMs: Number.NaN,
            buys: [{ pricePerKwh: 0.1, quantityKw: 0 }],
            sells: [],
            clearingPricePerKwh: 0.1,
            clearedQuantityKw: 0,
          },
        }),
      ],
      ['no capacity', makeTestResult({ meta: { substationCapacityKw: Number.NaN, deviceCounts: {} } })],
    ];
    for (const [name, degenerate] of cases) {
      const page = renderHtmlReport(degenerate);
      expect(svgCount(page), name).toBeGreaterThanOrEqual(5);
      expect(page, name).not.toMatch(/NaN|Infinity|undefined/);
    }
  });

  it('keeps a 10,000-slot report small by thinning lines per pixel', () => {
    const page = renderHtmlReport(makeTestResult({ slots: 10_000, marketPeriodMinutes: 5 }));
    expect(page.length).toBeLessThan(600_000);
    expect(svgCount(page)).toBe(5);
  });
});
