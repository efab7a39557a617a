import { describe, expect, it } from 'vitest';
import { formatKpiTable } from './kpi-table.js';
import { makeTestResult } from './test-result.fixture.js';

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`);

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
    expect(lines[0]).toMatch(/^KPI\s+unit\s+TE\s+baseline\s+change$/);
    expect(lines).toHaveLength(2 + 20);
    const peak = lines.find((line) => line.startsWith('Peak substation demand')) ?? '';
    expect(peak).toMatch(/kW\s+148\.2\s+171\.6\s+-23\.4 \(-13\.6%\)$/);
    expect(lines.find((line) => line.startsWith('Total cost'))).toMatch(/USD\s+141\.25\s+156\.35/);
    expect(lines.find((line) => line.startsWith('PV self-consumption'))).toMatch(
      /91\.0\s+78\.0\s+\+13\.0 pp$/,
    );
    expect(lines.find((line) => line.startsWith('Average clearing price'))).toContain('USD/kWh');
  });

  it('right-aligns the numeric columns', () => {
    const lines = formatKpiTable(result, { color: false }).trimEnd().split('\n').slice(2);
    const ends = new Set(lines.map((line) => line.length));
    expect(ends.size).toBe(1);
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
    expect(table.split('\n').find((l) => l.startsWith('Average clearing price'))).toMatch(/—\s+0\.1200\s+—$/);
    expect(table.split('\n').find((l) => l.startsWith('EV unmet energy'))).toMatch(/\+1\.5$/);
    expect(table).not.toContain('NaN');
    expect(table).not.toContain('Infinity');
  });
});
