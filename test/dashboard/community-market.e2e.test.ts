/**
 * The Community and Market views against a running demo: the numbers on screen are the API's (price
 * now, traded today, community load, the last decision, each selected slot's clearing point and
 * curve steps), slots picked by the table, the buttons, the keyboard, the chart and the URL, the
 * regulator's aggregate-only picture, the empty states, and both views at tablet width. The demo's
 * clock is paused once a few slots have cleared so the page and the API are compared at one instant.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatEnergyKwh, formatPowerKw, formatPricePerKwh } from '../../web/src/format.js';
import { CHROMIUM, dashboardDemo, SCREENSHOT_DIR } from './dashboard.fixture.js';

// 120x: at 600x on a busy two-core machine the homes miss their gates and nothing trades.
const demo = dashboardDemo({ homes: 30, speed: 120 });

interface Slot {
  startMs: number;
  endMs: number;
  gateClosureMs: number;
  status: string;
  settledAtMs: number | null;
}
interface Curves {
  supply: unknown[];
  demand: unknown[];
  clearing: { pricePerKwh: number; quantityKw: number; type: string };
}

let marketId = '';
let slots: Slot[] = [];
let nowMs = 0;

const clearedSlots = () => slots.filter((s) => s.status === 'cleared');
const curvesOf = (startMs: number, query = '') =>
  demo.api<Curves>('prosumer', `/api/markets/${marketId}/slots/${startMs}/curves${query}`);
const priceOf = async (startMs: number) =>
  (await demo.api<{ price: number }>('prosumer', `/api/markets/${marketId}/slots/${startMs}/result`)).price;
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();
const noPageErrors = () => expect(demo.pageErrors).toEqual([]);

describe.skipIf(!CHROMIUM)('community and market views', () => {
  beforeAll(async () => {
    marketId = (await demo.api<{ id: string }[]>('prosumer', '/api/markets'))[0]?.id ?? '';
    // Enough history to click through, and one settled slot (the grid solves settled slots).
    const deadline = Date.now() + 90_000;
    for (;;) {
      slots = await demo.api<Slot[]>('prosumer', `/api/markets/${marketId}/slots?limit=2000`);
      const [first, last] = [slots[0], slots.at(-1)];
      const kpis =
        first === undefined || last === undefined
          ? { tradedEnergyWh: 0 }
          : await demo.api<{ tradedEnergyWh: number }>(
              'prosumer',
              `/api/kpis?marketId=${marketId}&fromMs=${first.startMs}&toMs=${last.endMs}`,
            );
      const settled = slots.filter((s) => s.settledAtMs !== null).length;
      if (clearedSlots().length >= 8 && settled >= 2 && kpis.tradedEnergyWh > 0) break;
      if (Date.now() > deadline) throw new Error(`too few cleared slots: ${JSON.stringify(slots.slice(-3))}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const paused = await fetch(`${demo.baseUrl()}/api/demo/clock`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await demo.tokenOf('market-operator')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ paused: true }),
    });
    expect(paused.status).toBe(200);
    // Let a slot that was clearing as the clock stopped finish, then read the state the page will show.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    nowMs = (await demo.api<{ nowMs: number }>('prosumer', '/api/demo')).nowMs;
    slots = await demo.api<Slot[]>('prosumer', `/api/markets/${marketId}/slots?limit=2000`);
  }, 120_000);

  it('Community now shows the API’s price, traded energy, load and last decision; the regulator sees aggregates', async () => {
    const page = await demo.page();
    await demo.logInAs(page, 'prosumer');
    await page.locator('[data-testid="decision-story"]').waitFor({ timeout: 20_000 });

    const current = slots.find((s) => s.startMs <= nowMs && nowMs < s.endMs);
    const expectedNow =
      current?.status === 'cleared' ? formatPricePerKwh(await priceOf(current.startMs)) : 'not cleared';
    await expect.poll(() => text(page, '[data-testid="price-now"] .stat-value')).toBe(expectedNow);
    expect(await text(page, '[data-testid="stat-price"] .stat-value')).toBe(
      current?.status === 'cleared' ? expectedNow : '–',
    );

    const midnight = new Date(nowMs);
    midnight.setHours(0, 0, 0, 0);
    const kpis = await demo.api<{ tradedEnergyWh: number }>(
      'prosumer',
      `/api/kpis?marketId=${marketId}&fromMs=${midnight.getTime()}&toMs=${Math.floor(nowMs)}`,
    );
    await expect
      .poll(() => text(page, '[data-testid="stat-traded"] .stat-value'))
      .toBe(formatEnergyKwh(kpis.tradedEnergyWh / 1000));

    const last = clearedSlots().at(-1) as Slot;
    const decision = await curvesOf(last.startMs, '?maxSteps=200');
    const story = await text(page, '[data-testid="decision-story"]');
    if (decision.clearing.quantityKw > 0) {
      expect(story).toContain(formatPricePerKwh(decision.clearing.pricePerKwh));
      expect(story).toContain(formatPowerKw(decision.clearing.quantityKw));
    } else expect(story).toMatch(/^Nothing traded/);

    await page.locator('[data-testid="flow-diagram"]').waitFor();
    expect(await page.locator('[data-testid="flow-grid-substation"]').getAttribute('data-tone')).toMatch(
      /^(import|export|idle)$/,
    );
    await demo.screenshot(page, 'community');

    // The operator sees every device: the load and the device kinds are the API's latest samples summed.
    const operator = await demo.page();
    await demo.logInAs(operator, 'market-operator');
    await operator.locator('[data-testid="flow-diagram"]').waitFor({ timeout: 20_000 });
    const telemetry = await demo.api<{ devices: { kind: string; sample: { powerKw: number } }[] }>(
      'market-operator',
      '/api/device-telemetry/latest?limit=5000',
    );
    if (telemetry.devices.length > 0) {
      const kindKw = new Map<string, number>();
      for (const d of telemetry.devices) kindKw.set(d.kind, (kindKw.get(d.kind) ?? 0) + d.sample.powerKw);
      const expectedLoad = [...kindKw.values()].reduce((sum, kw) => sum + Math.max(0, kw), 0);
      await expect
        .poll(() => text(operator, '[data-testid="stat-load"] .stat-value'))
        .toBe(formatPowerKw(expectedLoad));
      expect(await operator.locator('[data-testid^="flow-homes-"]').count()).toBe(kindKw.size);
      const pvKw = kindKw.get('pv');
      if (pvKw !== undefined)
        expect(await text(operator, '[data-testid="stat-pv"] .stat-value')).toBe(
          formatPowerKw(Math.max(0, -pvKw)),
        );
    } else {
      expect(await text(operator, '[data-testid="flows-panel"]')).toMatch(
        /No device telemetry has arrived yet/,
      );
    }
    await demo.screenshot(operator, 'community-operator');
    await operator.close();

    const regulator = await demo.page();
    await demo.logInAs(regulator, 'regulator');
    await regulator.locator('[data-testid="aggregate-note"]').waitFor({ timeout: 20_000 });
    expect(await text(regulator, '[data-testid="aggregate-note"]')).toMatch(/may not read device telemetry/);
    await regulator.locator('[data-testid="flow-diagram"]').waitFor();
    expect(await text(regulator, '[data-testid="stat-load"] .stat-value')).toBe('–');
    await regulator.locator('[data-testid="decision-story"]').waitFor();
    await demo.screenshot(regulator, 'community-regulator');
    await regulator.close();
    await page.close();
    noPageErrors();
  });

  it('Market: slots by table, buttons, keys, chart and URL, each with the API’s clearing point and steps', async () => {
    const page = await demo.page();
    await demo.logInAs(page, 'prosumer');
    await page.click('nav.views a:has-text("Market")');
    await page.locator('[data-testid="slot-table"] tr.slot-row').first().waitFor({ timeout: 20_000 });
    // Without ?slot= the newest cleared slot is selected.
    const newest = clearedSlots().at(-1) as Slot;
    await page.locator(`tr.slot-row.slot-selected[data-slot="${newest.startMs}"]`).waitFor();

    const expectSlotShown = async (startMs: number) => {
      await expect.poll(() => new URL(page.url()).searchParams.get('slot')).toBe(String(startMs));
      const curves = await curvesOf(startMs);
      // Neighbouring slots often clear at the same price: wait for this slot's chart, then compare.
      await page
        .locator(`[data-testid="supply-demand-chart"][data-slot="${startMs}"]`)
        .waitFor({ timeout: 10_000 });
      await expect
        .poll(() => text(page, '[data-testid="clearing-price"]'), { timeout: 10_000 })
        .toBe(formatPricePerKwh(curves.clearing.pricePerKwh));
      expect(await text(page, '[data-testid="clearing-quantity"]')).toBe(
        formatPowerKw(curves.clearing.quantityKw),
      );
      expect(await page.locator('[data-testid="clearing-type"]').getAttribute('data-type')).toBe(
        curves.clearing.type,
      );
      const chart = page.locator('[data-testid="supply-demand-chart"] svg');
      expect(Number(await chart.getAttribute('data-supply-steps'))).toBe(curves.supply.length);
      expect(Number(await chart.getAttribute('data-demand-steps'))).toBe(curves.demand.length);
      await page.locator(`tr.slot-row.slot-selected[data-slot="${startMs}"]`).waitFor();
      return curves;
    };

    const picks = clearedSlots().slice(-4, -1).reverse();
    expect(picks.length).toBe(3);
    for (const slot of picks) {
      await page.click(`tr.slot-row[data-slot="${slot.startMs}"]`);
      await expectSlotShown(slot.startMs);
    }
    const ordered = [...slots].sort((a, b) => a.startMs - b.startMs);
    const at = (startMs: number) => ordered.findIndex((s) => s.startMs === startMs);
    const last = picks.at(-1) as Slot;
    const previous = ordered[at(last.startMs) - 1] as Slot;
    await page.click('[data-testid="slot-previous"]');
    await expectSlotShown(previous.startMs);
    await page.click('[data-testid="slot-next"]');
    await expectSlotShown(last.startMs);
    await page.locator('[data-testid="slot-detail"]').focus();
    await page.keyboard.press('ArrowRight');
    const afterKey = ordered[at(last.startMs) + 1] as Slot;
    expect(afterKey.status).toBe('cleared');
    const shown = await expectSlotShown(afterKey.startMs);

    // A shared link survives a reload.
    await page.reload();
    await page.locator('[data-testid="clearing-price"]').waitFor({ timeout: 20_000 });
    expect(await text(page, '[data-testid="clearing-price"]')).toBe(
      formatPricePerKwh(shown.clearing.pricePerKwh),
    );

    // Hovering a step names its price and quantity.
    if (shown.supply.length > 0) {
      // The middle of the first supply step (or its part left of the cut axis: the viewBox is 720 wide),
      // from the chart's own coordinates to the page's.
      const point = await page.evaluate<{ x: number; y: number }>(`(() => {
        const svg = document.querySelector('[data-testid="supply-demand-chart"] svg');
        const d = document.querySelector('[data-testid="supply-curve"]').getAttribute('d');
        const [, x1, y, x2] = /^M([\\d.]+),([\\d.]+)V[\\d.]+H([\\d.]+)/.exec(d);
        const p = new DOMPoint((Number(x1) + Math.min(Number(x2), 700)) / 2, Number(y)).matrixTransform(svg.getScreenCTM());
        return { x: p.x, y: p.y };
      })()`);
      await page.mouse.move(point.x, point.y);
      await page.locator('[data-testid="curve-tooltip"]').waitFor();
      const tooltip = await text(page, '[data-testid="curve-tooltip"]');
      const step = shown.supply[0] as { pricePerKwh: number; quantityKw: number };
      expect(tooltip).toContain('Supply step 1');
      expect(tooltip).toContain(formatPricePerKwh(step.pricePerKwh));
      expect(tooltip).toContain(formatPowerKw(step.quantityKw));
    }
    await page
      .locator('[data-testid="curves-panel"]')
      .screenshot({ path: join(SCREENSHOT_DIR, 'market-curves.png') });

    // A click on the price chart opens the slot under it; the range picker keeps the chart.
    const before = new URL(page.url()).searchParams.get('slot');
    const over = page.locator('[data-testid="price-chart"] .u-over');
    const box = await over.boundingBox();
    if (box === null) throw new Error('no price chart');
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height / 2);
    await expect.poll(() => new URL(page.url()).searchParams.get('slot')).not.toBe(before);
    const picked = Number(new URL(page.url()).searchParams.get('slot'));
    expect(slots.some((s) => s.startMs === picked)).toBe(true);
    await page.click('[data-range="6h"]');
    await page.locator('[data-range="6h"][aria-pressed="true"]').waitFor();
    await page.locator('[data-testid="price-chart"] canvas').first().waitFor();
    await demo.screenshot(page, 'market');

    // In a continuous market a slot still trading shows its live book (public depth) instead of curves.
    const market = await demo.api<{ rules: Record<string, unknown> }>(
      'market-operator',
      `/api/markets/${marketId}`,
    );
    const putRules = async (rules: Record<string, unknown>) => {
      const response = await fetch(`${demo.baseUrl()}/api/markets/${marketId}/rules`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await demo.tokenOf('market-operator')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(rules),
      });
      expect(response.status).toBeLessThan(300);
    };
    await putRules({ ...market.rules, mechanism: 'continuous-double-auction' });
    try {
      const open = ordered.find((s) => s.status === 'open') as Slot;
      const book = await demo.api<{ bids: unknown[]; asks: unknown[] }>(
        'prosumer',
        `/api/markets/${marketId}/book?slotStartMs=${open.startMs}`,
      );
      await page.goto(`${demo.baseUrl()}/market?slot=${open.startMs}`);
      await page.locator('[data-testid="order-book"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid="order-book"] tr.book-bid').count()).toBe(book.bids.length);
      expect(await page.locator('[data-testid="order-book"] tr.book-ask').count()).toBe(book.asks.length);
      await demo.screenshot(page, 'market-book');
    } finally {
      await putRules(market.rules);
    }
    await page.close();
    noPageErrors();
  });

  it('fits a tablet and says why a panel is empty when the API has no slots', async () => {
    const tablet = await demo.page({ width: 820, height: 1180 });
    await demo.logInAs(tablet, 'prosumer');
    await tablet.locator('[data-testid="flow-diagram"]').waitFor({ timeout: 20_000 });
    await tablet.locator('[data-testid="decision-story"]').waitFor();
    expect(await tablet.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820);
    await demo.screenshot(tablet, 'community-tablet');
    await tablet.click('nav.views a:has-text("Market")');
    await tablet.locator('[data-testid="supply-demand-chart"]').waitFor({ timeout: 20_000 });
    expect(await tablet.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820);
    await demo.screenshot(tablet, 'market-tablet');
    await tablet.close();

    const empty = await demo.page();
    await empty.route(
      (url) => /^\/api\/markets\/[^/]+\/slots$/.test(url.pathname),
      (route) => route.fulfill({ json: [] }),
    );
    await demo.logInAs(empty, 'prosumer');
    const decision = empty.locator('[data-testid="decision-panel"] [data-testid="empty-state"]');
    await decision.waitFor({ timeout: 20_000 });
    expect(await decision.textContent()).toMatch(/^No slot has cleared yet: the first clears/);
    await empty.click('nav.views a:has-text("Market")');
    const chart = empty.locator('[data-testid="price-chart-panel"] [data-testid="empty-state"]');
    await chart.waitFor({ timeout: 20_000 });
    expect(await chart.textContent()).toMatch(/^No slot has cleared yet/);
    expect(await text(empty, '[data-testid="slots-panel"] [data-testid="empty-state"]')).toMatch(
      /No market slots/,
    );
    await demo.screenshot(empty, 'market-empty');
    await empty.close();
    noPageErrors();
  });
});
