/**
 * docs/kpis.md is generated from the KPI catalogue: this fails when someone changes a KPI without
 * regenerating the page (`npm run generate:kpis`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KPI_CATALOGUE } from '../src/sim/kpi/catalogue.js';
import { KPI_DOC_FILE, kpiMarkdown } from '../tools/generate-kpi-docs.js';

describe('docs/kpis.md', () => {
  it('is the page the catalogue generates', () => {
    const committed = readFileSync(KPI_DOC_FILE, 'utf8');
    const generated = kpiMarkdown();
    expect(generated === committed, 'docs/kpis.md is stale: run `npm run generate:kpis`').toBe(true);
  });

  it('lists every KPI once, with its unit, formula and roles, in a table row of its own', () => {
    const page = kpiMarkdown();
    for (const kpi of KPI_CATALOGUE) {
      const rows = page.split('\n').filter((line) => line.startsWith(`| \`${kpi.id}\` |`));
      expect(rows, kpi.id).toHaveLength(1);
      expect(rows[0], kpi.id).toContain(` ${kpi.roles.join(', ')} |`);
    }
    expect(page).toContain(
      '| `peak-substation-demand` | Peak substation demand | kW | The highest slot-average load at the substation (feeder head) over the horizon. | max over slots t of P_sub(t), P_sub = Σ homes net load | utility, dso | lower |',
    );
    // The per-role sections come in the report order, then the evaluation KPIs.
    const headings = page.split('\n').filter((line) => line.startsWith('## '));
    expect(headings.slice(2)).toEqual([
      '## Utility',
      '## DSO (distribution network)',
      '## Customers',
      '## Aggregator',
      '## Regulator',
      '## Environment',
      '## Evaluation KPIs',
    ]);
  });

  it('escapes pipes and line breaks so a definition cannot break its table', () => {
    const page = kpiMarkdown([
      {
        id: 'odd-kpi',
        label: 'Odd | label',
        unit: '{currency}',
        roles: ['regulator'],
        definition: 'Two\nlines.',
        formula: '|x|',
        direction: 'neutral',
        decimals: 0,
        scope: 'run',
        change: 'absolute-only',
        of: () => 0,
      },
    ]);
    expect(page).toContain('| `odd-kpi` | Odd \\| label | currency | Two lines. | \\|x\\| | regulator | — |');
  });
});
