import { describe, expect, it, vi } from 'vitest';
import { bestOf, comparisonRows } from './comparison-rows.js';
import { formatComparisonTable } from './comparison-table.js';
import { makeTestComparison } from './test-comparison.fixture.js';

// The goldens below check the layout with the core and feeder KPIs only: the other catalogue members
// (stakeholder, M&V, treatment-control, forecast) have their own tests and would shift every count.
vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: [] }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`);
const DESIGNS = ['Uniform-price auction', 'Pay-as-bid', 'P2P (bilateral)'];

function lineOf(table: string, label: string): string {
  return (
    table
      .split('\n')
      .map((line) => line.trimStart())
      .find((line) => line.startsWith(label)) ?? ''
  );
}

/** The labels of the designs marked best on a row, by the rows the table and HTML share. */
function bestDesigns(label: string, grid = false): string[] {
  const row = comparisonRows(makeTestComparison({ grid })).find((candidate) => candidate.label === label);
  expect(row, label).toBeDefined();
  return DESIGNS.filter((_, index) => row?.best[index] === true);
}

describe('formatComparisonTable', () => {
  const comparison = makeTestComparison();
  const table = formatComparisonTable(comparison, { color: false });

  it('has one column per design plus the baseline', () => {
    const header = table.split('\n')[0] ?? '';
    expect(header).toMatch(
      /^ {2}KPI\s+unit\s+Uniform-price auction\s+Pay-as-bid\s+P2P \(bilateral\)\s+baseline\s+also for$/,
    );
    const peak = lineOf(table, 'Peak substation demand');
    expect(peak).toMatch(/kW\s+148\.2\s+152\.4\s+139\.7 \*\s+171\.6\s+dso$/);
    expect(lineOf(table, 'Substation capacity')).toMatch(/kW\s+160\s+160\s+160\s+160\s+dso$/);
    // Capacity right under peak demand, so the margin reads at once.
    const lines = table.split('\n');
    expect(lines.findIndex((l) => l.includes('Substation capacity'))).toBe(
      lines.findIndex((l) => l.includes('Peak substation demand')) + 1,
    );
  });

  it('shows the KPIs the brief asks for, and feeder rows only with feeder results', () => {
    for (const label of [
      'Social welfare',
      'Average clearing price',
      'Peak clearing price',
      'Peak substation demand',
      'Substation capacity',
      'Slots over capacity',
      'Total cost',
      'Mean bill per home: all (40 homes)',
      'Mean bill per home: pv (20 homes)',
      'Mean bill per home: battery (10 homes)',
      'Bill change inequality (Gini)',
      'Energy traded between homes',
      'Energy bought from the grid',
      'Self-sufficiency',
      'Comfort violation',
      'Clearing failures',
      'EV unmet energy',
    ]) {
      expect(lineOf(table, label), label).not.toBe('');
    }
    expect(table).not.toContain('Voltage violations');
    const withFeeder = formatComparisonTable(makeTestComparison({ grid: true }), { color: false });
    for (const label of ['Voltage violations', 'Minimum voltage', 'Maximum voltage', 'Losses']) {
      expect(lineOf(withFeeder, label), label).not.toBe('');
    }
  });

  it('marks the best design where the direction of kpi-rows says which is better', () => {
    expect(bestDesigns('Social welfare')).toEqual(['Uniform-price auction']);
    expect(bestDesigns('Total cost')).toEqual(['Pay-as-bid']);
    expect(bestDesigns('Peak substation demand')).toEqual(['P2P (bilateral)']);
    expect(bestDesigns('Bill change inequality (Gini)')).toEqual(['P2P (bilateral)']);
    expect(bestDesigns('Self-sufficiency')).toEqual(['P2P (bilateral)']);
    expect(bestDesigns('Mean bill per home: pv (20 homes)')).toEqual(['Pay-as-bid']);
    // A tie shares the mark; a row where every design shows the same number has none.
    expect(bestDesigns('Clearing failures')).toEqual(['Uniform-price auction', 'Pay-as-bid']);
    expect(bestDesigns('Comfort violation')).toEqual([]);
    // Neutral rows: more trade or a higher price is neither better nor worse by itself.
    expect(bestDesigns('Energy traded between homes')).toEqual([]);
    expect(bestDesigns('Average clearing price')).toEqual([]);
    expect(bestDesigns('Substation capacity')).toEqual([]);
    expect(bestDesigns('Voltage violations', true)).toEqual(['P2P (bilateral)']);
    expect(bestDesigns('Minimum voltage', true)).toEqual([]);
    expect(lineOf(table, 'Social welfare')).toMatch(/61\.20 \*\s+48\.70\s+39\.40\s+0\.00$/);
  });

  it('groups the rows by role, key metrics first', () => {
    const titles = (text: string) => text.split('\n').filter((line) => /^[A-Z]/.test(line));
    expect(titles(table)).toEqual([
      'Utility',
      'DSO (distribution network)',
      'Customers',
      'Aggregator',
      'Regulator',
    ]);
    const keyed = formatComparisonTable(
      {
        ...comparison,
        designs: comparison.designs.map((design) => ({
          ...design,
          result: { ...design.result, meta: { ...design.result.meta, keyMetrics: ['social-welfare'] } },
        })),
      },
      { color: false },
    );
    const lines = keyed.split('\n');
    expect(titles(keyed)[0]).toBe('Key metrics');
    expect(lines[3]).toMatch(/^ {2}Social welfare\s+USD\s+61\.20 \*\s+48\.70\s+39\.40\s+0\.00\s+regulator$/);
    expect(lines.filter((line) => line.includes('Social welfare'))).toHaveLength(1);
  });

  it('shows a negative bill as earnings', () => {
    expect(lineOf(table, 'Mean bill per home: pv')).toMatch(/2\.10\s+earns 0\.85 \*\s+2\.10\s+2\.64$/);
    expect(table).not.toContain('Mean cost per home');
    expect(table).toContain('"earns" is a negative bill');
  });

  it('colours only when asked, and keeps design labels from driving the terminal', () => {
    expect(table).not.toMatch(ANSI);
    const coloured = formatComparisonTable(comparison, { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(new RegExp(ANSI.source, 'g'), '')).toBe(table);
    const hostile = formatComparisonTable(makeTestComparison({ labels: ['evil\u001b[2Jlabel'] }), {
      color: false,
    });
    expect(hostile).not.toMatch(ANSI);
    expect(hostile).toContain('evil?[2Jlabel');
  });

  it('is the same text for the same comparison', () => {
    expect(formatComparisonTable(makeTestComparison(), { color: false })).toBe(table);
  });
});

describe('bestOf', () => {
  it('compares at the shown precision and ignores missing values', () => {
    expect(bestOf([1.04, 1.01, 1.3, Number.NaN], 1, 'lower-is-better')).toEqual([true, true, false, false]);
    expect(bestOf([1.04, 1.01], 1, 'lower-is-better')).toEqual([false, false]);
    expect(bestOf([1.04, 1.2, Number.NaN], 1, 'lower-is-better')).toEqual([true, false, false]);
    expect(bestOf([3, Number.NaN], 0, 'higher-is-better')).toEqual([false, false]);
    expect(bestOf([3, 4], 0, 'neutral')).toEqual([false, false]);
    expect(bestOf([-2, 1], 2, 'lower-is-better')).toEqual([true, false]);
  });
});
