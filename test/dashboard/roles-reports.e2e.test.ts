/**
 * The role views, Reports and the demo clock against a running demo: a prosumer sees its own bill (the
 * statement API's numbers), its own history and saves its comfort slider, and never asks for anyone
 * else's data; a regulator's page holds no participant id; the aggregator's portfolio count is the
 * API's; the operator pauses, steps and resumes the clock; Reports shows its empty state on a fresh runs
 * directory and opens a run once one is there.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM, dashboardDemo } from './dashboard.fixture.js';

const runsDir = mkdtempSync(join(tmpdir(), 'tenet-dashboard-runs-'));
const demo = dashboardDemo({ homes: 30, speed: 600, extraArgs: ['--runs-dir', runsDir, '--no-simulation'] });
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));
/** The demo shares two cores with other work: waits for slots to settle can take a while. */
const TEST_TIMEOUT_MS = 120_000;

interface DemoState {
  paused: boolean;
  speed: number;
  nowMs: number;
  marketPeriodMs: number;
}
interface Participant {
  id: string;
  name: string;
  aggregatorId: string | null;
}
interface Statement {
  openingBalanceMinor: number;
  closingBalanceMinor: number;
  currency: { code: string };
  lines: { kind: string; amountMinor: number }[];
}

async function demoLogin(role: string): Promise<{ participantId?: string }> {
  const response = await fetch(`${demo.baseUrl()}/api/demo/logins`);
  const { logins } = (await response.json()) as { logins: { role: string; participantId?: string }[] };
  const login = logins.find((l) => l.role === role);
  if (login === undefined) throw new Error(`no demo login for ${role}`);
  return login;
}

async function clock(body: object | undefined, path = '/api/demo/clock'): Promise<DemoState> {
  const response = await fetch(`${demo.baseUrl()}${path}`, {
    method: body === undefined ? 'POST' : 'PUT',
    headers: {
      authorization: `Bearer ${await demo.tokenOf('market-operator')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as DemoState;
}

async function openMe(page: Page): Promise<void> {
  await page.click('nav.views a[href="/me"]');
  await page.waitForURL(/\/me$/);
}

const money = (minor: number, currency: string) =>
  (minor / 100).toLocaleString('en-US', { style: 'currency', currency });
const mentions = (text: string, id: string) =>
  new RegExp(`(^|[^A-Za-z0-9_.:-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_.:-])`).test(
    text,
  );

describe.skipIf(!CHROMIUM)('dashboard role views, reports and demo clock', () => {
  it(
    'shows a prosumer its own bill, history and comfort slider, and nothing of anyone else',
    async () => {
      const { participantId } = await demoLogin('prosumer');
      expect(participantId).toBeDefined();
      const own = participantId as string;
      const page = await demo.page();
      const asked: string[] = [];
      page.on('request', (request) => asked.push(request.url()));
      await demo.logInAs(page, 'prosumer');
      // Wait for a settled slot in the bill's window, then hold the clock so the page and the API read the
      // same settled slots.
      await expect
        .poll(
          async () => {
            const { nowMs } = await demo.api<DemoState>('prosumer', '/api/demo');
            const window = `fromMs=${nowMs - 86_400_000}&toMs=${nowMs + 600_000}`;
            return (await demo.api<Statement>('prosumer', `/api/participants/${own}/statement?${window}`))
              .lines.length;
          },
          { timeout: 90_000, interval: 1_000 },
        )
        .toBeGreaterThan(0);
      // Hold the clock so the page and the API read the same settled slots.
      await clock({ paused: true });
      try {
        await openMe(page);
        const bill = page.locator('[data-testid="bill"]');
        await bill.waitFor({ timeout: 20_000 });
        await page.reload();
        await bill.waitFor({ timeout: 20_000 });
        const fromMs = Number(await bill.getAttribute('data-from-ms'));
        const toMs = Number(await bill.getAttribute('data-to-ms'));
        const statement = await demo.api<Statement>(
          'prosumer',
          `/api/participants/${own}/statement?fromMs=${fromMs}&toMs=${toMs}`,
        );
        const currency = statement.currency.code;
        const net = statement.closingBalanceMinor - statement.openingBalanceMinor;
        const bought = statement.lines
          .filter((l) => l.kind === 'trade' && l.amountMinor < 0)
          .reduce((sum, l) => sum - l.amountMinor, 0);
        const sold = statement.lines
          .filter((l) => l.kind === 'trade' && l.amountMinor > 0)
          .reduce((s, l) => s + l.amountMinor, 0);
        expect(statement.lines.length).toBeGreaterThan(0);
        await expect(page.locator('[data-testid="bill-net"] .stat-value').textContent()).resolves.toBe(
          money(net, currency),
        );
        await expect(page.locator('[data-testid="bill-bought"] .stat-value').textContent()).resolves.toBe(
          money(bought, currency),
        );
        await expect(page.locator('[data-testid="bill-sold"] .stat-value').textContent()).resolves.toBe(
          money(sold, currency),
        );
        await expect(page.locator('[data-testid="bill-balance"] .stat-value').textContent()).resolves.toBe(
          money(statement.closingBalanceMinor, currency),
        );
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.click('[data-testid="statement-csv"]'),
        ]);
        const csv = readFileSync(await download.path(), 'utf8');
        expect(csv.split('\r\n')[0]).toMatch(/^participant_id,entry_id,/);
        expect(csv).toContain(own);
        await page.locator('[data-testid="history-chart"]').waitFor();
        await expect(page.locator('[data-testid="readings-csv"]').getAttribute('href')).resolves.toMatch(
          /^blob:/,
        );

        const before = await demo.api<{ comfortSlider: number }>(
          'prosumer',
          `/api/participants/${own}/preferences`,
        );
        const wanted = before.comfortSlider < 0.5 ? 0.8 : 0.2;
        await page.locator('[data-testid="comfort-slider"]').fill(String(wanted));
        await page.click('[data-testid="comfort-save"]');
        await page.locator('[data-testid="comfort-saved"]').waitFor();
        const after = await demo.api<{ comfortSlider: number }>(
          'prosumer',
          `/api/participants/${own}/preferences`,
        );
        expect(after.comfortSlider).toBeCloseTo(wanted);
        await demo.screenshot(page, 'prosumer');
        await page.setViewportSize({ width: 820, height: 1180 });
        await demo.screenshot(page, 'prosumer-tablet');

        const everyone = await demo.api<Participant[]>('market-operator', '/api/participants?limit=10000');
        const others = everyone.map((p) => p.id).filter((id) => id !== own);
        expect(others.length).toBeGreaterThan(5);
        const text = await page.locator('body').innerText();
        expect(others.filter((id) => mentions(text, id))).toEqual([]);
        for (const url of asked.filter((u) => u.includes('/api/'))) {
          const { pathname, searchParams } = new URL(url);
          const named = /^\/api\/participants\/([^/]+)/.exec(pathname)?.[1];
          if (named !== undefined) expect(decodeURIComponent(named)).toBe(own);
          expect(pathname).not.toBe('/api/participants');
          if (searchParams.has('meterId')) expect(searchParams.get('meterId')).toBe(own);
          if (searchParams.has('participantId')) expect(searchParams.get('participantId')).toBe(own);
        }
      } finally {
        await clock({ paused: false });
      }
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows the regulator aggregates only: no participant id anywhere on the page',
    async () => {
      const page = await demo.page();
      await demo.logInAs(page, 'regulator');
      await openMe(page);
      await page.locator('[data-testid="regulator-kpis"] .stats').waitFor({ timeout: 20_000 });
      // The demo has cleared and metered slots by now, so fairness has priced meters.
      await page.locator('[data-testid="fairness-gini"]').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="fairness-histogram"] rect').first().waitFor();
      await expect(page.locator('[data-testid="regulator-kpis"]').textContent()).resolves.toMatch(
        /aggregates only/,
      );
      const participants = await demo.api<Participant[]>('market-operator', '/api/participants?limit=10000');
      const text = await page.locator('body').innerText();
      expect(
        participants.filter((p) => mentions(text, p.id) || mentions(text, p.name)).map((p) => p.id),
      ).toEqual([]);
      await demo.screenshot(page, 'regulator');
      await page.setViewportSize({ width: 820, height: 1180 });
      await demo.screenshot(page, 'regulator-tablet');
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows the aggregator the API's portfolio",
    async () => {
      const { participantId } = await demoLogin('aggregator');
      const page = await demo.page();
      await demo.logInAs(page, 'aggregator');
      await openMe(page);
      const participants = await demo.api<Participant[]>('aggregator', '/api/participants?limit=10000');
      const members = participants.filter((p) => p.id !== participantId && p.aggregatorId === participantId);
      expect(members.length).toBeGreaterThan(0);
      await expect(
        page.locator('[data-testid="portfolio-count"] .stat-value').textContent({ timeout: 20_000 }),
      ).resolves.toBe(String(members.length));
      await page.locator('[data-testid="aggregator-margin"] .stats').waitFor({ timeout: 20_000 });
      await page.locator('[data-testid="aggregator-bids"] table').waitFor({ timeout: 20_000 });
      await demo.screenshot(page, 'aggregator');
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows the DSO the network summary with the way to the Grid view',
    async () => {
      const page = await demo.page({ width: 820, height: 1180 });
      await demo.logInAs(page, 'dso');
      await openMe(page);
      const summary = page.locator('[data-testid="network-summary"]');
      await summary.locator('.stats, [data-testid="empty-state"]').first().waitFor({ timeout: 30_000 });
      await expect(summary.locator('a[href="/grid"]').count()).resolves.toBe(1);
      // At 600x a slot is open for about a real second: hold the clock while the form is filled in.
      await clock({ paused: true });
      try {
        await page.reload();
        const envelopes = page.locator('[data-testid="network-envelopes"]');
        await envelopes.locator('form').waitFor({ timeout: 30_000 });
        await page.selectOption('[data-testid="envelope-participant"]', 'home-001');
        await page.fill('[data-testid="envelope-import"]', '-1');
        await page.click('[data-testid="envelope-submit"]');
        await expect(envelopes.locator('[role="alert"]').textContent()).resolves.toMatch(
          /import limit must be/,
        );
        await page.fill('[data-testid="envelope-import"]', '4');
        await page.fill('[data-testid="envelope-export"]', '2.5');
        await page.click('[data-testid="envelope-submit"]');
        await expect(
          page.locator('[data-testid="envelope-published"]').textContent({ timeout: 20_000 }),
        ).resolves.toMatch(/^Published 1 OpenADR event for the slot at/);
      } finally {
        await clock({ paused: false });
      }
      await demo.screenshot(page, 'network-tablet');
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'lets the operator pause the clock, step one slot and resume',
    async () => {
      const page = await demo.page();
      await demo.logInAs(page, 'market-operator');
      await openMe(page);
      await page.locator('[data-testid="operator-health"] .stats').waitFor({ timeout: 20_000 });
      const time = page.locator('[data-testid="demo-time"]');
      await time.waitFor();

      await page.click('[data-testid="demo-pause"]');
      await page.locator('[data-testid="demo-state"]', { hasText: 'paused' }).waitFor();
      const pausedMs = Number(await time.getAttribute('data-now-ms'));
      await page.waitForTimeout(1_500);
      expect(Number(await time.getAttribute('data-now-ms'))).toBe(pausedMs);
      const paused = await demo.api<DemoState>('market-operator', '/api/demo');
      expect(paused.paused).toBe(true);
      expect(paused.nowMs).toBe(pausedMs);

      await page.click('[data-testid="demo-step"]');
      // A step runs the clock through one period (up to two real seconds), then it is paused again.
      await expect
        .poll(async () => Number(await time.getAttribute('data-now-ms')), { timeout: 10_000 })
        .toBe(pausedMs + paused.marketPeriodMs);
      await expect(page.locator('[data-testid="demo-step"]').isEnabled()).resolves.toBe(true);
      await demo.screenshot(page, 'operator');

      await page.selectOption('[data-testid="demo-speed"]', '1200');
      await expect
        .poll(async () => (await demo.api<DemoState>('market-operator', '/api/demo')).speed)
        .toBe(1200);
      await page.click('[data-testid="demo-pause"]');
      await page.locator('[data-testid="demo-state"]', { hasText: '1200×' }).waitFor();
      await expect
        .poll(async () => (await demo.api<DemoState>('market-operator', '/api/demo')).paused)
        .toBe(false);
      await expect(page.locator('[data-testid="demo-step"]').isDisabled()).resolves.toBe(true);
      await clock({ speed: 600 });

      // Another role sees the clock but not its controls.
      const viewer = await demo.page();
      await demo.logInAs(viewer, 'regulator');
      await viewer.locator('[data-testid="demo-time"]').waitFor();
      await expect(viewer.locator('[data-testid="demo-pause"]').count()).resolves.toBe(0);
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows how to make a run when there is none, and opens a run once there is one',
    async () => {
      const page = await demo.page();
      await demo.logInAs(page, 'prosumer');
      await page.click('nav.views a[href="/reports"]');
      await expect(
        page
          .locator('[data-testid="reports-runs"] [data-testid="empty-state"]')
          .textContent({ timeout: 20_000 }),
      ).resolves.toMatch(/tenet\.js simulate/);

      writeRun(join(runsDir, 'e2e-run'));
      await page.click('[data-testid="reports-runs"] button:has-text("Refresh")');
      await page.click('[data-testid="reports-open"]');
      await page.waitForURL(/\/reports\/e2e-run$/);
      const kpis = page.locator('[data-testid="run-kpis"]');
      await kpis.waitFor({ timeout: 20_000 });
      await expect(kpis.textContent()).resolves.toMatch(/Peak substation demand/);
      await expect(page.locator('[data-testid="run-chart"]').count()).resolves.toBeGreaterThanOrEqual(3);
      await page.reload();
      await kpis.waitFor({ timeout: 20_000 });
      await demo.screenshot(page, 'reports');

      writeComparison(join(runsDir, 'e2e-compare'));
      await page.click('[data-testid="reports-runs"] button:has-text("Refresh")');
      await page.click('[data-testid="reports-open"]:has-text("e2e: uniform vs pay-as-bid")');
      await page.waitForURL(/\/reports\/e2e-compare$/);
      await kpis.locator('thead', { hasText: 'pay-as-bid (pay-as-bid)' }).waitFor({ timeout: 20_000 });
      await expect(kpis.locator('thead').textContent()).resolves.toMatch(
        /uniform \(uniform-price-double-auction\).*pay-as-bid \(pay-as-bid\).*Baseline/,
      );
      await expect(kpis.textContent()).resolves.toMatch(/Total cost/);
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

/** A KPI set as kpi-json.ts writes it, scaled. */
const kpiSet = (scale: number) => ({
  peakSubstationDemandKw: 410 * scale,
  energyImportedKwh: 5200 * scale,
  energyExportedKwh: 800,
  averageClearingPricePerKwh: 0.11 * scale,
  peakClearingPricePerKwh: 0.42 * scale,
  totalCost: 620 * scale,
  costPerClass: { 'pv-battery': { homes: 10, meanCostPerHome: 1.5 * scale } },
  comfortViolationDegreeHours: 3.2,
  pvSelfConsumption: 0.71,
  socialWelfare: 120,
  clearingFailures: 0,
  evUnmetEnergyKwh: 0,
  capacityExceededSlots: 2,
  localTradedKwh: 640,
  gridTradedKwh: 4560,
  selfSufficiency: 0.18,
  billChangeGini: 0.12,
  intermediaryRevenue: 14,
});

/** A small simulation run as `tenet simulate` writes it: kpis.json and timeseries.csv. */
function writeRun(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'kpis.json'),
    JSON.stringify({
      scenario: {
        scenarioName: 'e2e',
        description: 'A small end-to-end run.',
        seed: 7,
        startIso: '2026-07-15T00:00:00-07:00',
        endIso: '2026-07-16T00:00:00-07:00',
        marketPeriodMinutes: 5,
        mechanism: 'uniform-price-double-auction',
        currency: 'USD',
        homes: 30,
        deviceCounts: { pv: 10 },
        substationCapacityKw: 500,
        weatherSite: 'tucson',
        utcOffsetMinutes: -420,
      },
      te: kpiSet(1),
      baseline: kpiSet(1.1),
      delta: kpiSet(-0.1),
    }),
  );
  const header =
    'time,te_substation_load_kw,baseline_substation_load_kw,te_clearing_price_per_kwh,baseline_clearing_price_per_kwh,' +
    'te_clearing_type,baseline_clearing_type,te_indoor_temp_mean_f,te_indoor_temp_min_f,te_indoor_temp_max_f,' +
    'baseline_indoor_temp_mean_f,te_load_pv_kw';
  const rows = Array.from({ length: 48 }, (_, i) => {
    const time = new Date(Date.UTC(2026, 6, 15, 7) + i * 300_000).toISOString();
    const wave = Math.sin(i / 6);
    return [
      time,
      300 + 80 * wave,
      320 + 90 * wave,
      0.1 + 0.03 * wave,
      0.12,
      'crossing',
      'crossing',
      75 + wave,
      72,
      78,
      76,
      -40 * Math.max(0, wave),
    ].join(',');
  });
  writeFileSync(join(dir, 'timeseries.csv'), [header, ...rows].join('\r\n') + '\r\n');
}

/** A comparison of two designs as `tenet compare` writes it: comparison.json. */
function writeComparison(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'comparison.json'),
    JSON.stringify({
      designs: [
        { label: 'uniform', mechanism: 'uniform-price-double-auction', kpis: kpiSet(1) },
        { label: 'pay-as-bid', mechanism: 'pay-as-bid', kpis: kpiSet(1.05) },
      ],
      baseline: kpiSet(1.2),
      community: { scenarioName: 'e2e', currency: 'USD', homes: 30 },
    }),
  );
}
