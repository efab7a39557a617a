/**
 * The Standards view against a running demo: every platform segment with the standards the API lists in
 * it, the segment filter (in the URL, surviving a reload), the status filter, and an implemented
 * standard opened to show the modules and tests that back it, exactly as the API gives them.
 */
import { describe, expect, it } from 'vitest';
import { CHROMIUM, dashboardDemo } from './dashboard.fixture.js';

const demo = dashboardDemo({ homes: 8, speed: 600 });
const TEST_TIMEOUT_MS = 120_000;

interface Inventory {
  segments: { id: string; label: string }[];
  standards: {
    id: string;
    name: string;
    status: string;
    segments: string[];
    modules?: string[];
    tests?: string[];
  }[];
}

describe.skipIf(!CHROMIUM)('dashboard standards view', () => {
  it(
    'lists every segment, filters by segment and status, and shows an implemented standard’s evidence',
    async () => {
      const inventory = await demo.api<Inventory>('regulator', '/api/standards');
      const page = await demo.page();
      await demo.logInAs(page, 'regulator');
      await page.click('nav.views a[href="/standards"]');
      await page.waitForURL(/\/standards$/);

      const sections = page.locator('[data-testid="standards-segment"]');
      await sections.first().waitFor({ timeout: 20_000 });
      await expect(
        sections.evaluateAll((all) => all.map((s) => s.getAttribute('data-segment'))),
      ).resolves.toEqual(inventory.segments.map((s) => s.id));
      for (const segment of inventory.segments) {
        const expected = inventory.standards.filter((s) => s.segments.includes(segment.id)).map((s) => s.id);
        const shown = await page
          .locator(`[data-segment="${segment.id}"] [data-testid="standard"]`)
          .evaluateAll((all) => all.map((s) => s.getAttribute('data-id')));
        expect(shown, segment.id).toEqual(expected);
      }
      const implemented = inventory.standards.filter((s) => s.status === 'implemented');
      await expect(
        page.locator('[data-testid="standards-count-implemented"] .stat-value').textContent(),
      ).resolves.toBe(String(implemented.length));

      // One segment, by the filter; the URL carries it through a reload.
      await page.selectOption('[data-testid="standards-segment-filter"]', 'service-provider');
      await page.waitForURL(/\/standards\?segment=service-provider$/);
      await page.reload();
      await page.locator('[data-testid="standards-segment"]').first().waitFor({ timeout: 20_000 });
      await expect(
        sections.evaluateAll((all) => all.map((s) => s.getAttribute('data-segment'))),
      ).resolves.toEqual(['service-provider']);

      // Implemented only, then open one and read its modules and tests.
      await page.selectOption('[data-testid="standards-status-filter"]', 'implemented');
      const statuses = await page.locator('[data-testid="standard-status"]').allTextContents();
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(['implemented']));
      const openapi = inventory.standards.find((s) => s.id === 'openapi');
      expect(openapi?.status).toBe('implemented');
      const entry = page.locator('[data-testid="standard"][data-id="openapi"]');
      await entry.locator('summary').click();
      await expect(entry.locator('[data-testid="standard-modules"] li').allTextContents()).resolves.toEqual(
        openapi?.modules,
      );
      await expect(entry.locator('[data-testid="standard-tests"] li').allTextContents()).resolves.toEqual(
        openapi?.tests,
      );
      await demo.screenshot(page, 'standards');
      expect(demo.pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
