import { describe, expect, it, vi } from 'vitest';
import { formatKpiTable } from './kpi-table.js';
import { makeTestResult } from './test-result.fixture.js';

// The goldens below check the layout with the core and feeder KPIs only: the other catalogue members
// (stakeholder, M&V, treatment-control, forecast) have their own tests and would shift every count.
vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: [] }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`);

/** The KPI row with this label, without the indent under its group's title. */
function lineOf(table: string, label: string): string {
  return (
    table
      .split('\n')
      .map((line) => line.trimStart())
      .find((line) => line.startsWith(label)) ?? ''
  );
}

describe('formatKpiTable', () => {
  const result = makeTestResult();

  it('has one row per KPI, with both runs and the change', () => {
    const table = formatKpiTable(result, { color: false });
    for (const label of [
      'Peak substation demand',
      'Energy imported',
      'Energy exported',
      'Average clearing price',
      'Peak clearing price',
      'Total cost',
      'Mean cost per home: all (40 homes)',
      'Mean cost per home: pv (20 homes)',
      'Mean cost per home: battery (10 homes)',
      'Comfort violation',
      'PV self-consumption',
      'Social welfare',
      'Clearing failures',
      'EV unmet energy',
      'Slots over capacity',
    ]) {
      expect(table).toContain(label);
    }
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {2}KPI\s+unit\s+TE\s+baseline\s+change\s+also for$/);
    // 20 KPI rows under 5 group titles (no feeder, no evaluation, no environment-first KPI).
    expect(lines).toHaveLength(2 + 20 + 5);
    expect(lines.filter((line) => !line.startsWith(' '))).toEqual([
      'Utility',
      'DSO (distribution network)',
      'Customers',
      'Aggregator',
      'Regulator',
    ]);
    const peak = lineOf(table, 'Peak substation demand');
    expect(peak).toMatch(/kW\s+148\.2\s+171\.6\s+-23\.4 \(-13\.6%\)\s+dso$/);
    expect(lineOf(table, 'Total cost')).toMatch(/USD\s+141\.25\s+156\.35/);
    expect(lineOf(table, 'PV self-consumption')).toMatch(/91\.0\s+78\.0\s+\+13\.0 pp\s+environment$/);
    expect(lineOf(table, 'Average clearing price')).toContain('USD/kWh');
    expect(lineOf(table, 'Energy imported')).toMatch(/-92\.5 \(-7\.1%\)$/);
  });

  it('shows each KPI under its first role, in the role order', () => {
    const lines = formatKpiTable(result, { color: false }).split('\n');
    const groupOf = (label: string): string => {
      const index = lines.findIndex((line) => line.trimStart().startsWith(label));
      return (
        lines
          .slice(0, index)
          .reverse()
          .find((line) => line !== '' && !line.startsWith(' ')) ?? ''
      );
    };
    expect(groupOf('Peak substation demand')).toBe('Utility');
    expect(groupOf('Slots over capacity')).toBe('DSO (distribution network)');
    expect(groupOf('Total cost')).toBe('Customers');
    expect(groupOf('Mean cost per home: pv (20 homes)')).toBe('Customers');
    expect(groupOf('Kept by operator, aggregator and grid')).toBe('Aggregator');
    expect(groupOf('Social welfare')).toBe('Regulator');
  });

  it('puts the key metrics first, in the scenario order, each once, with all their roles', () => {
    const keyed = makeTestResult({ meta: { keyMetrics: ['total-cost', 'peak-substation-demand'] } });
    const lines = formatKpiTable(keyed, { color: false }).trimEnd().split('\n');
    expect(lines[2]).toBe('Key metrics');
    expect(lines[3]).toMatch(
      /^ {2}Total cost\s+USD\s+141\.25\s+156\.35\s+-15\.10 \(-9\.7%\)\s+customer, regulator$/,
    );
    expect(lines[4]).toMatch(/^ {2}Peak substation demand\s.*utility, dso$/);
    expect(lines[5]).toBe('Utility');
    expect(lines.filter((line) => line.trimStart().startsWith('Total cost'))).toHaveLength(1);
    expect(lines).toHaveLength(2 + 20 + 6);
  });

  it('right-aligns the numeric columns', () => {
    const table = formatKpiTable(result, { color: false });
    const header = table.split('\n')[0] ?? '';
    const changeEnd = header.indexOf('change') + 'change'.length;
    const rows = table.split('\n').filter((line) => line.startsWith('  ') && !line.startsWith('  -'));
    expect(rows.length).toBe(21);
    for (const row of rows) expect(row.slice(changeEnd - 1, changeEnd), row).not.toBe(' ');
    for (const row of rows) expect(row.slice(changeEnd, changeEnd + 1), row).toMatch(/^ ?$/);
  });

  it('uses ANSI colour only when asked', () => {
    expect(formatKpiTable(result, { color: false })).not.toMatch(ANSI);
    const coloured = formatKpiTable(result, { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(new RegExp(ANSI.source, 'g'), '')).toBe(formatKpiTable(result, { color: false }));
  });

  it('shows missing values as a dash and no percent change against zero', () => {
    const base = makeTestResult();
    const degenerate = {
      ...base,
      te: { ...base.te, kpis: { ...base.te.kpis, averageClearingPricePerKwh: Number.NaN } },
    };
    const table = formatKpiTable(degenerate, { color: false });
    expect(lineOf(table, 'Average clearing price')).toMatch(/—\s+0\.1200\s+—\s+customer$/);
    expect(lineOf(table, 'EV unmet energy')).toMatch(/\+1\.5\s+aggregator$/);
    expect(table).not.toContain('NaN');
    expect(table).not.toContain('Infinity');
  });
});
