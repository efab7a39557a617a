import { describe, expect, it } from 'vitest';
import { makeTestResult } from '../report/test-result.fixture.js';
import { makeGridTestResult } from '../report/test-grid-result.fixture.js';
import { kpiJson } from '../report/kpi-json.js';
import { formatKpiTable } from '../report/kpi-table.js';
import { renderHtmlReport } from '../report/html-report.js';
import { closestIds, editDistance, KPI_CATALOGUE, kpiById, validateKeyMetrics } from './catalogue.js';
import { STAKEHOLDER_ROLES } from './kpi-definition.js';

/** The core and feeder ids every helper agreed on (issue 9); the catalogue may add, never rename. */
const AGREED_RUN_IDS = [
  'peak-substation-demand',
  'energy-imported',
  'energy-exported',
  'average-clearing-price',
  'peak-clearing-price',
  'total-cost',
  'comfort-violation',
  'pv-self-consumption',
  'social-welfare',
  'clearing-failures',
  'ev-unmet-energy',
  'capacity-exceeded-slots',
  'local-traded-energy',
  'grid-traded-energy',
  'self-sufficiency',
  'intermediary-revenue',
  'bill-change-gini',
  'voltage-violations',
  'voltage-violation-bus-minutes',
  'min-voltage',
  'max-voltage',
  'losses',
  'peak-losses',
  'peak-transformer-loading',
  'peak-line-loading',
  'power-flow-failures',
  'mean-cost-per-home',
];

describe('KPI catalogue', () => {
  it('has unique kebab-case ids and a definition, formula, unit and roles for every entry', () => {
    const ids = KPI_CATALOGUE.map((kpi) => kpi.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const kpi of KPI_CATALOGUE) {
      expect(kpi.id, kpi.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(kpi.label.trim(), kpi.id).not.toBe('');
      expect(kpi.definition.trim().length, kpi.id).toBeGreaterThan(10);
      expect(kpi.formula.trim(), kpi.id).not.toBe('');
      expect(typeof kpi.unit, kpi.id).toBe('string');
      expect(kpi.roles.length, kpi.id).toBeGreaterThan(0);
      for (const role of kpi.roles) expect(STAKEHOLDER_ROLES, kpi.id).toContain(role);
      expect(new Set(kpi.roles).size, kpi.id).toBe(kpi.roles.length);
      expect(Number.isInteger(kpi.decimals) && kpi.decimals >= 0, kpi.id).toBe(true);
      if (kpi.scope === 'evaluation') expect(kpi.unavailable.trim(), kpi.id).not.toBe('');
    }
  });

  it('holds every agreed core and feeder id as a run KPI', () => {
    for (const id of AGREED_RUN_IDS) expect(kpiById(id)?.scope, id).toBe('run');
    expect(kpiById('no-such-kpi')).toBeUndefined();
  });

  it('computes the core KPIs from the run they are given', () => {
    const result = makeTestResult();
    const value = (id: string, run = result.te): number => {
      const kpi = kpiById(id);
      if (kpi?.scope !== 'run') throw new Error(`${id} is not a run KPI`);
      return kpi.of(run, result);
    };
    expect(value('peak-substation-demand')).toBe(148.2);
    expect(value('peak-substation-demand', result.baseline)).toBe(171.6);
    expect(value('pv-self-consumption')).toBeCloseTo(91, 9);
    expect(value('self-sufficiency')).toBeCloseTo(21, 9);
    expect(value('mean-cost-per-home')).toBe(3.53);
    const bills = kpiById('mean-cost-per-home');
    expect(bills?.scope === 'run' ? bills.perClass?.(result.te).pv : undefined).toEqual({
      homes: 20,
      value: 2.1,
    });
  });

  it('applies the feeder KPIs only to results with feeder results, NaN for a run without', () => {
    const losses = kpiById('losses');
    if (losses?.scope !== 'run') throw new Error('losses is a run KPI');
    const plain = makeTestResult();
    const grid = makeGridTestResult();
    expect(losses.appliesTo?.(plain)).toBe(false);
    expect(losses.appliesTo?.(grid)).toBe(true);
    expect(losses.of(grid.te, grid)).toBe(grid.te.grid?.kpis.lossesKwh);
    expect(losses.of(plain.te, plain)).toBeNaN();
  });
});

describe('the whole catalogue in the reports', () => {
  it('files every reported KPI under exactly one role and prints no NaN or undefined', () => {
    for (const result of [makeTestResult(), makeGridTestResult()]) {
      const document = kpiJson(result);
      const filed = Object.values(document.roles).flatMap((entries) => Object.keys(entries));
      expect(new Set(filed).size).toBe(filed.length);
      for (const id of filed)
        expect(document.roles[kpiById(id)?.roles[0] ?? 'utility'][id], id).toBeDefined();
      expect(JSON.stringify(document)).not.toMatch(/NaN|Infinity/);
      expect(formatKpiTable(result, { color: false })).not.toMatch(/NaN|undefined/);
      expect(renderHtmlReport(result)).not.toMatch(/NaN|undefined/);
    }
  });
});

describe('validateKeyMetrics', () => {
  it('accepts catalogue ids', () => {
    expect(validateKeyMetrics(['peak-substation-demand', 'losses', 'total-cost'])).toEqual([]);
    expect(validateKeyMetrics([])).toEqual([]);
  });

  it('rejects an unknown id with its path and the closest ids, and a repeated one', () => {
    const errors = validateKeyMetrics(['total-cost', 'peak-substation-demnad', 'total-cost']);
    expect(errors.map((error) => [error.code, error.path])).toEqual([
      ['TE_ERR_SCENARIO', 'evaluation.keyMetrics[1]'],
      ['TE_ERR_SCENARIO', 'evaluation.keyMetrics[2]'],
    ]);
    expect(errors[0]?.message).toBe("'peak-substation-demnad' is not a KPI of the catalogue");
    expect(errors[0]?.hint).toMatch(/^closest ids: peak-substation-demand, /);
    expect(errors[0]?.hint).toContain('docs/kpis.md');
    expect(errors[1]?.message).toBe("'total-cost' is named twice");
  });

  it('measures edit distance and ranks suggestions by it, ties in catalogue order', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('losses', 'losses')).toBe(0);
    expect(closestIds('loss', ['peak-losses', 'losses', 'lost'], 2)).toEqual(['lost', 'losses']);
    expect(closestIds('x', ['ab', 'cd'], 2)).toEqual(['ab', 'cd']);
  });
});
