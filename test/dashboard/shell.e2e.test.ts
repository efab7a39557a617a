/**
 * The dashboard's shell against a running demo: the login page, a wrong secret answered in plain
 * language, the operator's login by form, the navigation, the live event stream, a reload on a deep
 * link, and logging out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, dashboardDemo } from './dashboard.fixture.js';

const demo = dashboardDemo({ homes: 12, speed: 600 });

describe.skipIf(!CHROMIUM)('dashboard shell', () => {
  it('logs in by form, navigates, goes live, survives a reload on a deep link and logs out', async () => {
    const page = await demo.page();
    await page.goto(demo.baseUrl());
    await expect(page.locator('h1').textContent()).resolves.toBe('tenet');

    await page.fill('input[name="clientId"]', 'operator');
    await page.fill('input[name="clientSecret"]', 'not-the-secret');
    await page.click('form button[type="submit"]');
    await expect(page.locator('[role="alert"]').textContent()).resolves.toMatch(/TE_ERR_INVALID_CLIENT/);

    const credentials = JSON.parse(
      readFileSync(join(demo.dataDir(), 'demo', 'operator-credentials.json'), 'utf8'),
    ) as { client_id: string; client_secret: string };
    await page.fill('input[name="clientId"]', credentials.client_id);
    await page.fill('input[name="clientSecret"]', credentials.client_secret);
    await page.click('form button[type="submit"]');
    await expect(page.locator('[data-testid="session-role"]').textContent()).resolves.toBe('market-operator');
    await page.locator('[data-testid="stream-status"]', { hasText: 'live' }).waitFor({ timeout: 15_000 });

    const labels = await page.locator('nav.views a').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['Community', 'Market', 'Grid', 'DER fleet', 'Reports']));
    await page.click('nav.views a:has-text("Market")');
    expect(new URL(page.url()).pathname).toBe('/market');
    await page.reload();
    await expect(page.locator('nav.views a.active').textContent()).resolves.toBe('Market');

    await page.click('button:has-text("Log out")');
    await page.locator('form.login-form').waitFor();
    // The wrong secret's 401 is expected; nothing else may fail.
    expect(demo.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
