import { describe, expect, it, vi } from 'vitest';
import type { ComparisonResult } from '../results.js';
import { renderComparisonReport } from './comparison-report.js';
import { renderBarChart } from './svg-bar-chart.js';
import { makeTestComparison } from './test-comparison.fixture.js';

// The goldens below check the layout with the core and feeder KPIs only: the other catalogue members
// (stakeholder, M&V, treatment-control, forecast) have their own tests and would shift every count.
vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: [] }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));

const HOSTILE = '<img src=x onerror=alert(1)>';
const ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';

function svgCount(html: string): number {
  return html.match(/<svg\b/g)?.length ?? 0;
}

function withHostileStrings(comparison: ComparisonResult): ComparisonResult {
  return {
    ...comparison,
    designs: comparison.designs.map((design) => {
      const kpis = design.result.te.kpis;
      return {
        label: design.label === 'Pay-as-bid' ? HOSTILE : design.label,
        mechanism: HOSTILE,
        result: {
          ...design.result,
          meta: {
            ...design.result.meta,
            scenarioName: HOSTILE,
            description: `"><script>alert(2)</script>`,
            weatherSite: HOSTILE,
            currency: '<b>',
            deviceCounts: { [HOSTILE]: 1 },
          },
          te: {
            ...design.result.te,
            kpis: { ...kpis, costPerClass: { [HOSTILE]: { homes: 3, meanCostPerHome: 1.5 } } },
          },
        },
      };
    }),
  };
}

describe('renderComparisonReport', () => {
  const comparison = makeTestComparison();
  const html = renderComparisonReport(comparison);

  it('is one self-contained document that loads nothing', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\((?!#)/);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('shows the community and every design as a table column', () => {
    for (const text of [
      'Tucson summer, 40 homes',
      'Tucson, AZ (TMY3 722740)',
      'water-heater: 30',
      '160 kW',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain('<dt>Feeder</dt>');
    const head = html.match(/<thead>.*<\/thead>/)?.[0] ?? '';
    for (const label of ['Uniform-price auction', 'Pay-as-bid', 'P2P (bilateral)', 'baseline (no market)']) {
      expect(head).toContain(label);
    }
    expect(html).toContain(
      '<tr><td>Social welfare</td><td class="unit">USD</td><td class="num design best" title="best of the designs">61.20</td>',
    );
    expect(html).toContain('earns 0.85');
  });

  it('draws one SVG per chart, and the voltage chart only with feeder results', () => {
    const ids = ['chart-compare-price', 'chart-compare-load', 'chart-compare-bills', 'chart-compare-traded'];
    expect(svgCount(html)).toBe(ids.length);
    for (const id of ids) expect(html).toContain(`<svg id="${id}"`);
    expect(html).toContain('capacity 160 kW');
    const withFeeder = renderComparisonReport(makeTestComparison({ grid: true }));
    expect(svgCount(withFeeder)).toBe(ids.length + 1);
    expect(withFeeder).toContain('<svg id="chart-compare-voltage"');
    expect(withFeeder).toContain('<dt>Feeder</dt><dd>IEEE 13-node test feeder</dd>');
    expect(withFeeder).toContain('<td>Voltage violations</td>');
  });

  it('groups the table by role with the other roles in the last column', () => {
    const bodies = [...html.matchAll(/<tbody id="kpis-([a-z-]+)">/g)].map((match) => match[1]);
    expect(bodies).toEqual(['utility', 'dso', 'customer', 'aggregator', 'regulator']);
    expect(html).toContain('<tr class="group"><th colspan="7">Customers</th></tr>');
    expect(html).toContain(
      '<th class="num baseline">baseline (no market)</th><th>also for</th></tr></thead>',
    );
    expect(html).toMatch(/<td>Total cost<\/td>.*<td class="roles">regulator<\/td><\/tr>/);
  });

  it('escapes every string that comes from the scenario or the command line', () => {
    const page = renderComparisonReport(withHostileStrings(comparison));
    expect(page).not.toMatch(/<img\b/i);
    expect(page).not.toMatch(/<script\b/i);
    expect(page).not.toContain('<b>');
    expect(page).toContain(ESCAPED);
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('renders the same bytes for the same comparison', () => {
    expect(renderComparisonReport(makeTestComparison())).toBe(html);
    expect(renderComparisonReport(comparison, { generatedAtIso: '2024-07-02T08:00:00Z' })).toContain(
      'Generated 2024-07-02T08:00:00Z.',
    );
  });

  it('handles an empty comparison and all-NaN series without printing NaN', () => {
    const empty = renderComparisonReport({ designs: [], baseline: comparison.baseline });
    expect(empty).toContain('No designs to compare.');
    const nans = new Float64Array(12).fill(Number.NaN);
    const blank: ComparisonResult = {
      ...comparison,
      designs: comparison.designs.map((design) => ({
        ...design,
        result: {
          ...design.result,
          te: {
            ...design.result.te,
            series: { ...design.result.te.series, substationLoadKw: nans, clearingPricePerKwh: nans },
          },
        },
      })),
    };
    const page = renderComparisonReport(blank);
    expect(svgCount(page)).toBe(4);
    expect(page).not.toMatch(/NaN|Infinity|undefined/);
  });
});

describe('renderBarChart', () => {
  it('draws one bar per finite value, negative ones below zero, and escapes labels', () => {
    const svg = renderBarChart({
      id: 'bars',
      title: 'bars',
      xTitle: 'x',
      yTitle: 'y',
      groups: ['a', HOSTILE],
      series: [
        { label: HOSTILE, color: '#000', values: [1, -2] },
        { label: 'two', color: '#111', values: [Number.NaN, 3] },
      ],
      valueDecimals: 1,
    });
    expect(svg.match(/<rect [^>]*fill="#(000|111)"/g)).toHaveLength(3);
    expect(svg).toContain('>-2.0</text>');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('NaN');
  });

  it('says so when there is nothing to draw', () => {
    const svg = renderBarChart({
      id: 'none',
      title: 'none',
      xTitle: '',
      yTitle: '',
      groups: ['a'],
      series: [{ label: 's', color: '#000', values: [Number.NaN] }],
      valueDecimals: 0,
    });
    expect(svg).toContain('No data to plot.');
  });
});
