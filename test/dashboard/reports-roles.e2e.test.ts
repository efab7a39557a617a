/**
 * The Reports view on files `tenet simulate` and `tenet compare` write today (KPIs grouped by role by
 * src/sim/report): key metrics first, one group per role with the other roles noted, an estimate with
 * its interval across the value columns, and the run's evaluation sections as tables.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparisonJson } from '../../src/sim/report/comparison-json.js';
import { kpiJson } from '../../src/sim/report/kpi-json.js';
import { makeTestComparison } from '../../src/sim/report/test-comparison.fixture.js';
import { makeTestResult } from '../../src/sim/report/test-result.fixture.js';
import { CHROMIUM, dashboardDemo } from './dashboard.fixture.js';

const demo = dashboardDemo({ homes: 8, speed: 600 });
const TEST_TIMEOUT_MS = 120_000;

/** A run's kpis.json as the CLI writes it, plus an estimate and a section as the evaluation adds them. */
function writeRun(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const document = kpiJson(makeTestResult({ meta: { keyMetrics: ['social-welfare', 'total-cost'] } }));
  const withEvaluation = {
    ...document,
    roles: {
      ...document.roles,
      utility: {
        ...document.roles.utility,
        'e2e-peak-effect': {
          label: 'E2E peak effect',
          unit: 'kW',
          decimals: 1,
          direction: 'higher-is-better',
          alsoFor: [],
          scope: 'evaluation',
          estimate: { value: 12.34, low: 8.06, high: 16.44, confidence: 0.95 },
          unavailable: null,
        },
      },
    },
    sections: {
      'treatment-control': {
        groups: [
          { group: 'treatment', homes: 28, meanBill: 3.1 },
          { group: 'control', homes: 12, meanBill: 3.62 },
        ],
      },
    },
  };
  writeFileSync(join(dir, 'kpis.json'), `${JSON.stringify(withEvaluation, null, 2)}\n`);
}

describe.skipIf(!CHROMIUM)('dashboard Reports with role-grouped KPIs', () => {
  it(
    'shows a run and a comparison grouped by role, key metrics first, with the evaluation sections',
    async () => {
      writeRun(join(demo.runsDir(), 'e2e-roles'));
      const compareDir = join(demo.runsDir(), 'e2e-roles-compare');
      mkdirSync(compareDir, { recursive: true });
      writeFileSync(
        join(compareDir, 'comparison.json'),
        JSON.stringify(comparisonJson(makeTestComparison())),
      );

      const page = await demo.page();
      await demo.logInAs(page, 'regulator');
      await page.goto(`${demo.baseUrl()}/reports/e2e-roles`);
      const kpis = page.locator('[data-testid="run-kpis"]');
      await kpis.waitFor({ timeout: 20_000 });
      const groups = await kpis.locator('tr.group-row th').allTextContents();
      expect(groups).toEqual([
        'Key metrics',
        'Utility',
        'DSO (distribution network)',
        'Customers',
        'Aggregator',
        'Regulator',
      ]);
      await expect(kpis.locator('thead').textContent()).resolves.toMatch(/Also for/);
      const rows = await kpis.locator('tbody tr').allInnerTexts();
      expect(rows[1]).toMatch(/^Social welfare\tUSD\t48\.70\t0\.00\t48\.70\tregulator$/);
      expect(rows.filter((row) => row.startsWith('Social welfare'))).toHaveLength(1);
      expect(rows.find((row) => row.startsWith('Peak substation demand'))).toMatch(
        /-23\.4 \(-13\.6%\)\tdso$/,
      );
      expect(rows.find((row) => row.startsWith('E2E peak effect'))).toMatch(
        /\t12\.3 \(95% CI 8\.1 – 16\.4\)\t$/,
      );
      const section = page.locator('[data-testid="run-section"][data-section-id="treatment-control"]');
      await expect(section.locator('h4').textContent()).resolves.toBe('Treatment control');
      await expect(section.locator('table').innerText()).resolves.toMatch(/control\t12\t3\.62/);

      await page.goto(`${demo.baseUrl()}/reports/e2e-roles-compare`);
      await kpis.locator('thead', { hasText: 'P2P (bilateral) (p2p)' }).waitFor({ timeout: 20_000 });
      const compared = await kpis.locator('tbody tr').allInnerTexts();
      expect(compared[0]).toBe('Utility');
      expect(compared.find((row) => row.startsWith('Peak substation demand'))).toMatch(
        /148\.2\t152\.4\t139\.7\t171\.6\tdso$/,
      );
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
