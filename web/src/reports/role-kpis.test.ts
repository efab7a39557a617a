import { describe, expect, it } from 'vitest';
import { jsonView } from './json-view';
import { estimateText, roleKpiTable, sectionsOf, sectionTitle } from './role-kpis';

/** The role part of a kpis.json as the CLI writes it (src/sim/report/kpi-json-roles.ts). */
const simulation = {
  keyMetrics: ['total-cost', 'rct-peak-reduction'],
  roles: {
    utility: {
      'peak-substation-demand': {
        label: 'Peak substation demand',
        unit: 'kW',
        decimals: 1,
        direction: 'lower-is-better',
        alsoFor: ['dso'],
        scope: 'run',
        te: 148.2,
        baseline: 171.6,
        change: -23.4,
        changePercent: -13.636,
      },
      'rct-peak-reduction': {
        label: 'Peak-window demand reduction',
        unit: 'kW per home',
        decimals: 2,
        direction: 'higher-is-better',
        alsoFor: ['regulator'],
        scope: 'evaluation',
        estimate: { value: 0.4321, low: 0.1, high: 0.7654, confidence: 0.95 },
        unavailable: null,
      },
    },
    dso: {},
    customer: {
      'total-cost': {
        label: 'Total cost',
        unit: 'USD',
        decimals: 2,
        direction: 'lower-is-better',
        alsoFor: ['regulator'],
        scope: 'run',
        te: 141.25,
        baseline: 156.35,
        change: -15.1,
        changePercent: -9.66,
      },
      'mean-cost-per-home': {
        label: 'Mean cost per home',
        unit: 'USD',
        decimals: 2,
        direction: 'lower-is-better',
        alsoFor: [],
        scope: 'run',
        te: 3.53,
        baseline: 3.91,
        change: -0.38,
        changePercent: null,
        classes: { pv: { homes: 20, te: 2.1, baseline: 2.64, change: -0.54 } },
      },
    },
    aggregator: {},
    regulator: {},
    environment: {
      emissions: {
        label: 'CO2 emissions',
        unit: 'kg CO2',
        decimals: 0,
        direction: 'lower-is-better',
        alsoFor: [],
        scope: 'evaluation',
        estimate: null,
        unavailable: 'no marginal emission factors',
      },
    },
  },
};

describe('role-grouped KPIs', () => {
  it('shows the key metrics first with all their roles, then each role without them', () => {
    const groups = roleKpiTable(simulation, 3, false);
    expect(groups?.map((g) => [g.title, g.rows.map((r) => r.label)])).toEqual([
      ['Key metrics', ['Total cost', 'Peak-window demand reduction']],
      ['Utility', ['Peak substation demand']],
      ['Customers', ['Mean cost per home', 'Mean cost per home: pv (20 homes)']],
      ['Not available in this run', ['CO2 emissions']],
    ]);
    const [key, utility, customers, unavailable] = groups ?? [];
    expect(key?.rows[0]).toMatchObject({
      unit: 'USD',
      values: [141.25, 156.35, -15.1],
      texts: [null, null, '-15.10 (-9.7%)'],
      alsoFor: 'customer, regulator',
    });
    expect(key?.rows[1]).toMatchObject({
      values: [null, null, null],
      spanText: '0.43 (95% CI 0.10 – 0.77)',
      alsoFor: 'utility, regulator',
    });
    expect(utility?.rows[0]).toMatchObject({ texts: [null, null, '-23.4 (-13.6%)'], alsoFor: 'dso' });
    expect(customers?.rows[1]).toMatchObject({ values: [2.1, 2.64, -0.54], decimals: 2 });
    expect(unavailable?.rows[0]).toMatchObject({
      spanText: 'unavailable: no marginal emission factors',
      alsoFor: 'environment',
    });
  });

  it('puts designs side by side in a comparison, estimates as text', () => {
    const comparison = {
      keyMetrics: [],
      roles: {
        utility: {
          'peak-substation-demand': {
            label: 'Peak substation demand',
            unit: 'kW',
            decimals: 1,
            alsoFor: ['dso'],
            scope: 'run',
            values: [148.2, null],
            baseline: 171.6,
          },
          'peak-reduction': {
            label: 'Peak reduction',
            unit: 'kW',
            decimals: 1,
            alsoFor: [],
            scope: 'evaluation',
            estimates: [{ value: 23.4 }, null],
            unavailable: 'no baseline',
          },
        },
      },
    };
    const groups = roleKpiTable(comparison, 3, true);
    expect(groups?.[0]?.rows[0]).toMatchObject({ values: [148.2, null, 171.6], alsoFor: 'dso' });
    expect(groups?.[0]?.rows[1]?.texts).toEqual(['23.4', 'unavailable: no baseline', '']);
  });

  it('says undefined for files written before the roles, so the caller falls back', () => {
    expect(roleKpiTable({ te: {} } as object, 3, false)).toBeUndefined();
    expect(roleKpiTable({ roles: null }, 3, false)).toBeUndefined();
  });

  it('formats estimates like the CLI', () => {
    expect(estimateText({ value: 12.34, low: 8.06, high: 16.44, confidence: 0.95 }, 1)).toBe(
      '12.3 (95% CI 8.1 – 16.4)',
    );
    expect(estimateText({ value: 1, low: 0, high: 2, confidence: 0.995 }, 1)).toBe(
      '1.0 (99.5% CI 0.0 – 2.0)',
    );
    expect(estimateText(null, 1, 'no history')).toBe('unavailable: no history');
    expect(estimateText({ value: null }, 1)).toBe('unavailable');
  });
});

describe('report sections', () => {
  it('lists the sections in file order with a readable title', () => {
    expect(
      sectionsOf({ measurement: { a: 1 }, 'treatment-control': [] }).map(([id]) => sectionTitle(id)),
    ).toEqual(['Measurement', 'Treatment control']);
    expect(sectionsOf(undefined)).toEqual([]);
    expect(sectionsOf([1, 2])).toEqual([]);
  });

  it('turns lists of records into tables and records into fields, rounding numbers', () => {
    const view = jsonView({
      method: 'CAISO 10-in-10',
      events: [
        { startIso: '2026-07-15T16:00', deliveredKwh: 12.3456, adjusted: true },
        { startIso: '2026-07-16T16:00', deliveredKwh: 1234.5, extra: null },
      ],
      factors: [0.5, 1, 1.25],
    });
    expect(view).toEqual({
      kind: 'fields',
      fields: [
        { key: 'method', view: { kind: 'text', text: 'CAISO 10-in-10' } },
        {
          key: 'events',
          view: {
            kind: 'table',
            columns: ['start iso', 'delivered kWh', 'adjusted', 'extra'],
            rows: [
              ['2026-07-15T16:00', '12.35', 'yes', '–'],
              ['2026-07-16T16:00', '1,234.5', '–', '–'],
            ],
          },
        },
        { key: 'factors', view: { kind: 'text', text: '0.5000, 1, 1.25' } },
      ],
    });
  });
});
