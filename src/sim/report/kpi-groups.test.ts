import { describe, expect, it, vi } from 'vitest';
import type { EvaluationKpi } from '../kpi/kpi-definition.js';
import type { SimulationResult } from '../results.js';
import { comparisonJson } from './comparison-json.js';
import { renderComparisonReport } from './comparison-report.js';
import { formatComparisonTable } from './comparison-table.js';
import { renderHtmlReport } from './html-report.js';
import { formatEstimate } from './kpi-groups.js';
import { kpiJson } from './kpi-json.js';
import { formatKpiTable } from './kpi-table.js';
import type { ReportSection } from './report-section.js';
import { formatReportSections } from './section-text.js';
import { makeTestComparison } from './test-comparison.fixture.js';
import { makeTestResult } from './test-result.fixture.js';

/** Two evaluation KPIs: one with an interval when the result has a control group, one never available. */
const { ESTIMATES } = vi.hoisted(() => {
  const ESTIMATES: readonly EvaluationKpi[] = [
    {
      id: 'test-peak-effect',
      label: 'Test peak effect',
      unit: 'kW',
      roles: ['utility', 'regulator'],
      definition: 'A peak reduction with a confidence interval, for the report tests.',
      formula: 'a − b',
      direction: 'higher-is-better',
      decimals: 1,
      scope: 'evaluation',
      of: (result) =>
        result.evaluation?.treatmentControl === undefined
          ? null
          : { value: 12.34, low: 8.06, high: 16.44, confidence: 0.95 },
      unavailable: 'no control group (set evaluation.controlShare)',
    },
    {
      id: 'test-never',
      label: 'Test never',
      unit: '{currency}',
      roles: ['environment'],
      definition: 'Never available, for the report tests.',
      formula: '—',
      direction: 'neutral',
      decimals: 2,
      scope: 'evaluation',
      of: () => null,
      unavailable: 'no emission factors <in the scenario>',
    },
    {
      id: 'test-always',
      label: 'Test always',
      unit: 'kW',
      roles: ['dso'],
      definition: 'An effect every result can estimate (TE against its own baseline).',
      formula: '—',
      direction: 'higher-is-better',
      decimals: 1,
      scope: 'evaluation',
      of: () => ({ value: 2.25 }),
      unavailable: 'never',
    },
  ];
  return { ESTIMATES };
});

vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: ESTIMATES }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));
vi.mock('./evaluation-sections.js', () => ({
  evaluationSections: (result: SimulationResult): ReportSection[] =>
    result.evaluation === undefined
      ? []
      : [
          {
            id: 'test-section',
            title: 'Test section',
            role: 'utility',
            text: () => ['first line', 'second line'],
            html: () => '<p>fragment &amp; more</p>',
            json: () => ({ rows: [{ a: 1 }] }),
          },
        ],
}));

/** A result that has gone through an evaluation with a control group. */
function evaluated(keyMetrics: readonly string[] = []): SimulationResult {
  const result = makeTestResult({ meta: { keyMetrics } });
  return { ...result, evaluation: { treatmentControl: {} as never } };
}

const rowOf = (table: string, label: string) =>
  table
    .split('\n')
    .map((line) => line.trimStart())
    .find((line) => line.startsWith(label)) ?? '';

describe('evaluation KPIs and sections in the reports', () => {
  it('formats an estimate with its interval, without one, and the reason it is missing', () => {
    const row = { id: 'x', label: 'x', unit: 'kW', decimals: 1, unavailable: 'no history' };
    expect(
      formatEstimate({ ...row, estimate: { value: 12.34, low: 8.06, high: 16.44, confidence: 0.95 } }),
    ).toBe('12.3 (95% CI 8.1 – 16.4)');
    expect(formatEstimate({ ...row, estimate: { value: 1, low: 0, high: 2, confidence: 0.995 } })).toBe(
      '1.0 (99.5% CI 0.0 – 2.0)',
    );
    expect(formatEstimate({ ...row, estimate: { value: -3.25 } })).toBe('-3.3');
    expect(formatEstimate({ ...row, estimate: null })).toBe('unavailable: no history');
  });

  it('leaves out of a plain run the evaluation KPIs it cannot estimate, unless named as key metrics', () => {
    const plain = formatKpiTable(makeTestResult(), { color: false });
    expect(plain).not.toContain('Test peak effect');
    expect(plain).not.toContain('Not available in this run');
    expect(rowOf(plain, 'Test always')).toMatch(/^Test always\s+kW\s+2\.3$/);
    const keyed = formatKpiTable(makeTestResult({ meta: { keyMetrics: ['test-peak-effect'] } }), {
      color: false,
    });
    expect(keyed.split('\n')[2]).toBe('Key metrics');
    expect(rowOf(keyed, 'Test peak effect')).toMatch(
      /^Test peak effect\s+kW\s+unavailable: no control group \(set evaluation\.controlShare\)\s+utility, regulator$/,
    );
  });

  it('shows the estimate across the value columns in the table, under its first role', () => {
    const table = formatKpiTable(evaluated(), { color: false });
    expect(rowOf(table, 'Test peak effect')).toMatch(
      /^Test peak effect\s+kW\s+12\.3 \(95% CI 8\.1 – 16\.4\)\s+regulator$/,
    );
    const lines = table.split('\n');
    const titles = lines.filter((line) => /^[A-Z]/.test(line));
    // What the result cannot estimate goes last, with all its roles, so the role groups read clean.
    expect(titles.at(-1)).toBe('Not available in this run');
    expect(titles).not.toContain('Environment');
    expect(lines.at(-2)).toMatch(
      /^ {2}Test never\s+USD\s+unavailable: no emission factors <in the scenario>\s+environment$/,
    );
  });

  it('writes the estimate, its reason and the sections into kpis.json', () => {
    const document = kpiJson(evaluated(['test-peak-effect']));
    expect(document.keyMetrics).toEqual(['test-peak-effect']);
    expect(document.roles.utility['test-peak-effect']).toEqual({
      label: 'Test peak effect',
      unit: 'kW',
      decimals: 1,
      direction: 'higher-is-better',
      alsoFor: ['regulator'],
      scope: 'evaluation',
      estimate: { value: 12.34, low: 8.06, high: 16.44, confidence: 0.95 },
      unavailable: null,
    });
    expect(document.roles.environment['test-never']).toMatchObject({
      unit: 'USD',
      estimate: null,
      unavailable: 'no emission factors <in the scenario>',
    });
    expect(document.sections).toEqual({ 'test-section': { rows: [{ a: 1 }] } });
  });

  it('puts the sections after the KPI table in the terminal and the HTML report, escaped where ours', () => {
    expect(formatReportSections(makeTestResult())).toBe('');
    expect(formatReportSections(evaluated())).toBe('Test section\n============\nfirst line\nsecond line\n');
    const html = renderHtmlReport(evaluated());
    expect(html).toContain(
      '<h2>Evaluation</h2>\n<section class="evaluation" id="section-test-section">\n<h3>Test section</h3>\n<p>fragment &amp; more</p>\n</section>',
    );
    expect(html.indexOf('<h2>Evaluation</h2>')).toBeGreaterThan(html.indexOf('</table>'));
    expect(html.indexOf('<h2>Evaluation</h2>')).toBeLessThan(html.indexOf('<h2>Time series</h2>'));
    expect(html).toContain(
      '<td class="estimate neutral" colspan="3">12.3 (95% CI 8.1 – 16.4)</td><td class="roles">regulator</td>',
    );
    expect(html).toContain('unavailable: no emission factors &lt;in the scenario&gt;');
    expect(html.indexOf('<tbody id="kpis-unavailable">')).toBeGreaterThan(
      html.indexOf('<tbody id="kpis-regulator">'),
    );
  });

  it('shows each design’s estimate side by side in a comparison, and its sections', () => {
    const base = makeTestComparison();
    const comparison = {
      ...base,
      designs: base.designs.map((design, index) => ({
        ...design,
        result:
          index === 1 ? design.result : { ...design.result, evaluation: { treatmentControl: {} as never } },
      })),
    };
    const table = formatComparisonTable(comparison, { color: false });
    // A design without the estimate says so in a word; the reason would widen every row.
    expect(rowOf(table, 'Test peak effect')).toMatch(
      /^Test peak effect\s+kW\s+12\.3 \(95% CI 8\.1 – 16\.4\)\s+unavailable\s+12\.3 \(95% CI 8\.1 – 16\.4\)\s+regulator$/,
    );
    // No design has it: the reason once, across the value columns.
    expect(rowOf(table, 'Test never')).toMatch(
      /^Test never\s+USD\s+unavailable: no emission factors <in the scenario>\s+environment$/,
    );
    const document = comparisonJson(comparison);
    const entry = document.roles.utility['test-peak-effect'];
    expect(entry?.scope === 'evaluation' ? entry.estimates.map((e) => e?.value ?? null) : []).toEqual([
      12.34,
      null,
      12.34,
    ]);
    expect(document.designs.map((design) => Object.keys(design.sections))).toEqual([
      ['test-section'],
      [],
      ['test-section'],
    ]);
    const html = renderComparisonReport(comparison);
    expect(html).toContain(
      '<h2>Evaluation</h2>\n<h3>Uniform-price auction</h3>\n<section class="evaluation"',
    );
    expect(html).toContain('<h4>Test section</h4>');
    expect(html).toMatch(
      /<td>Test never<\/td><td class="unit">USD<\/td><td class="estimate unknown" colspan="4">unavailable: no emission factors &lt;in the scenario&gt;<\/td>/,
    );
    expect(html).not.toMatch(/<h3>Pay-as-bid<\/h3>/);
    // An estimate no design has goes last; one that some designs have stays under its role.
    const lines = table.split('\n');
    expect(lines.indexOf('Not available in this run')).toBeGreaterThan(lines.indexOf('Regulator'));
    expect(lines.findIndex((line) => line.includes('Test peak effect'))).toBeLessThan(
      lines.indexOf('Regulator'),
    );
    expect(lines.findIndex((line) => line.includes('Test never'))).toBeGreaterThan(
      lines.indexOf('Not available in this run'),
    );
  });
});
