/**
 * The Grid and DER fleet views against a running demo: the DSO's feeder map drawn with every bus and
 * line the API lists, coloured by the state's voltages, with the substation's numbers; a prosumer's
 * fleet holding exactly its own devices; the operator's whole fleet, sorted, filtered, windowed, and a
 * device's history with points to draw. Screenshots grid.png, fleet.png, device-history.png (and the
 * Grid at tablet width).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatPowerKw } from '../../web/src/format.js';
import { busDisplayVPu, voltageColor } from '../../web/src/grid/grid-colors.js';
import { CHROMIUM, dashboardDemo } from './dashboard.fixture.js';

const demo = dashboardDemo({ homes: 30, speed: 600 });

/** The parts of contracts A and B this test reads. */
interface Feeder {
  buses: { id: string }[];
  lines: { id: string }[];
  substation: { bus: string; capacityKw: number };
}
interface GridState {
  slotStartMs: number;
  substationKw: number | null;
  capacityKw: number;
  buses: { id: string; vMinPu: number | null; vMaxPu: number | null }[];
  violations: unknown[];
  envelopes: unknown[];
}
interface LatestDevice {
  deviceId: string;
  participantId: string;
  kind: string;
  sample: { indoorTempF?: number };
}

async function until<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Every device in the role's scope, through every page of the API. */
async function fleetOf(role: string): Promise<LatestDevice[]> {
  const devices: LatestDevice[] = [];
  let after = '';
  for (;;) {
    const page = await demo.api<{ devices: LatestDevice[]; nextAfterId?: string }>(
      role,
      `/api/device-telemetry/latest?limit=5000${after === '' ? '' : `&afterId=${encodeURIComponent(after)}`}`,
    );
    devices.push(...page.devices);
    if (page.nextAfterId === undefined) return devices;
    after = page.nextAfterId;
  }
}

const rowsShown = (page: Page) =>
  page.locator('[data-testid="fleet-row"]').evaluateAll((rows) =>
    rows.map((row) => ({
      deviceId: row.getAttribute('data-device') ?? '',
      participantId: row.getAttribute('data-participant') ?? '',
      cells: [...row.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );

/** "5.7 kW" or "1.20 MW" in kW. */
const kwOf = (text: string) => {
  const number = Number(text.replace(/[^0-9.-]/g, ''));
  return text.includes('MW') ? number * 1000 : number;
};

describe.skipIf(!CHROMIUM)('Grid and DER fleet views', () => {
  it('draws the DSO its feeder from the API: every bus and line, voltages as colours, the substation numbers', async () => {
    const feeder = await demo.api<Feeder>('dso', '/api/grid/feeder');
    const latest = await until(() => demo.api<GridState>('dso', '/api/grid/state'), 'a solved grid state');
    const page = await demo.page();
    await demo.logInAs(page, 'dso');
    await page.click('nav.views a:has-text("Grid")');
    await page.locator('[data-testid="feeder-map"]').waitFor();

    expect(await page.locator('[data-testid="feeder-bus"]').count()).toBe(feeder.buses.length);
    expect(await page.locator('[data-testid="feeder-line"]').count()).toBe(feeder.lines.length);
    await expect(page.locator('.feeder-bus.substation .bus-label').textContent()).resolves.toContain(
      `Substation ${feeder.substation.bus}`,
    );

    // Pin the slot so the live stream cannot change the state under the comparison.
    const slot = String(latest.slotStartMs);
    await until(
      async () =>
        (await page.locator(`[data-testid="grid-slot"] option[value="${slot}"]`).count()) > 0
          ? true
          : undefined,
      'the solved slot in the slot picker',
    );
    await page.selectOption('[data-testid="grid-slot"]', slot);
    const state = await demo.api<GridState>('dso', `/api/grid/state?slotStartMs=${slot}`);
    await page.locator('[data-testid="grid-summary"] .panel-subtitle', { hasText: 'Slot' }).waitFor();
    await until(
      async () =>
        ((await page.locator('[data-testid="stat-substation"] .stat-value').textContent()) ?? '') ===
        formatPowerKw(state.substationKw)
          ? true
          : undefined,
      'the pinned slot on the page',
      15_000,
    );

    const fills = await page
      .locator('[data-testid="feeder-bus"]')
      .evaluateAll((buses) =>
        Object.fromEntries(
          buses.map((bus) => [
            bus.getAttribute('data-bus'),
            bus.querySelector('.bus-mark')?.getAttribute('fill'),
          ]),
        ),
      );
    const solved = state.buses.filter((b) => b.vMinPu !== null);
    expect(solved.length).toBeGreaterThanOrEqual(2);
    const distinct = new Set<string>();
    for (const bus of solved) {
      const expected = voltageColor(busDisplayVPu(bus.vMinPu, bus.vMaxPu));
      expect(fills[bus.id], `bus ${bus.id}`).toBe(expected);
      distinct.add(expected);
    }
    // The substation holds 1.0 pu; the feeder's far end does not: at least two colours on the map.
    expect(distinct.size).toBeGreaterThanOrEqual(2);

    const substationText = await page.locator('[data-testid="stat-substation"]').textContent();
    expect(substationText).toContain(formatPowerKw(state.substationKw));
    expect(substationText).toContain(formatPowerKw(state.capacityKw));
    await expect(page.locator('[data-testid="stat-violations"] .stat-value').textContent()).resolves.toBe(
      String(state.violations.length),
    );
    expect(await page.locator('[data-testid="violation-row"]').count()).toBe(state.violations.length);
    const first = state.violations[0];
    if (first !== undefined) {
      await page.locator('[data-testid="violation-row"]').first().click();
      expect(await page.locator('.feeder-bus.highlighted, .feeder-line.highlighted').count()).toBe(1);
    }
    // The substation chart has the day's solved slots.
    const states = await demo.api<{ states: unknown[] }>('dso', '/api/grid/states');
    expect(states.states.length).toBeGreaterThan(0);
    await page.locator('[data-testid="substation-chart"] canvas').first().waitFor();
    if (state.envelopes.length > 0)
      expect(await page.locator('[data-testid="envelope-table"] tbody tr').count()).toBe(
        state.envelopes.length,
      );
    await page.evaluate('window.scrollTo(0, 0)');
    await demo.screenshot(page, 'grid');

    const tablet = await demo.page({ width: 820, height: 1180 });
    await demo.logInAs(tablet, 'dso');
    await tablet.click('nav.views a:has-text("Grid")');
    await tablet.locator('[data-testid="feeder-map"]').waitFor();
    await tablet.locator('[data-testid="stat-substation"]').waitFor();
    await tablet.locator('[data-testid="substation-chart"] canvas').first().waitFor();
    const overflow = await tablet.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await demo.screenshot(tablet, 'grid-tablet');
    expect(demo.pageErrors).toEqual([]);
  });

  it("shows a prosumer exactly its own devices and never another's", async () => {
    const own = await until(async () => {
      const devices = await fleetOf('prosumer');
      return devices.length > 0 ? devices : undefined;
    }, "the prosumer's telemetry");
    const participants = new Set(own.map((d) => d.participantId));
    expect(participants.size).toBe(1);
    const page = await demo.page();
    await demo.logInAs(page, 'prosumer');
    await page.goto(`${demo.baseUrl()}/fleet`);
    await page.locator('[data-testid="fleet-row"]').first().waitFor();
    const shown = await rowsShown(page);
    expect(shown.map((r) => r.deviceId).sort()).toEqual(own.map((d) => d.deviceId).sort());
    expect(new Set(shown.map((r) => r.participantId))).toEqual(participants);
    expect(demo.pageErrors).toEqual([]);
  });

  it('shows the operator the whole fleet, sorted, filtered and windowed, and a device history', async () => {
    const all = await until(async () => {
      const devices = await fleetOf('market-operator');
      return devices.length >= 60 ? devices : undefined;
    }, 'the fleet reporting');
    const page = await demo.page();
    await demo.logInAs(page, 'market-operator');
    await page.goto(`${demo.baseUrl()}/fleet`);
    await page.locator('[data-testid="fleet-row"]').first().waitFor();
    // New devices may report between the API read and the page's: compare with a fresh read.
    await until(
      async () => {
        const count = (await page.locator('[data-testid="fleet-count"] .stat-value').textContent()) ?? '';
        return count === String((await fleetOf('market-operator')).length) ? true : undefined;
      },
      'the page to list the whole fleet',
      20_000,
    );
    expect(new Set(all.map((d) => d.participantId)).size).toBeGreaterThan(1);
    // Windowed: far fewer rows in the DOM than devices.
    const rendered = await page.locator('[data-testid="fleet-row"]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(all.length);

    await page.click('[data-testid="fleet-table"] button[data-column="powerKw"]');
    await page.click('[data-testid="fleet-table"] button[data-column="powerKw"]');
    await page.locator('th[aria-sort="descending"] button[data-column="powerKw"]').waitFor();
    const powers = (await rowsShown(page)).map((r) => kwOf(r.cells[4] ?? ''));
    expect(powers.length).toBeGreaterThan(5);
    for (let i = 1; i < powers.length; i++) expect(powers[i]).toBeLessThanOrEqual(powers[i - 1]!);

    await page.selectOption('[data-testid="fleet-kind"]', 'hvac');
    const hvac = await rowsShown(page);
    expect(hvac.length).toBeGreaterThan(0);
    expect(hvac.every((r) => r.cells[2] === 'hvac')).toBe(true);
    await expect(page.locator('[data-testid="fleet-count"] .stat-value').textContent()).resolves.toMatch(
      /^\d+ of \d+$/,
    );
    await page.selectOption('[data-testid="fleet-kind"]', '');
    const someone = all[0]!.participantId;
    await page.fill('[data-testid="fleet-search"]', someone);
    await until(
      async () => {
        const rows = await rowsShown(page);
        return rows.length > 0 &&
          rows.every((r) => r.deviceId.includes(someone) || r.participantId.includes(someone))
          ? rows
          : undefined;
      },
      'the search to filter',
      10_000,
    );
    await page.fill('[data-testid="fleet-search"]', '');
    await page.click('[data-testid="fleet-table"] button[data-column="deviceId"]');
    await demo.screenshot(page, 'fleet');

    const thermal = all.find((d) => d.sample.indoorTempF !== undefined) ?? all[0]!;
    await page.fill('[data-testid="fleet-search"]', thermal.deviceId);
    await page.locator(`[data-testid="fleet-row"][data-device="${thermal.deviceId}"] a.device-link`).click();
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/fleet/${thermal.deviceId}`);
    await page.locator('[data-testid="device-price-chart"] canvas').first().waitFor();
    const points = Number(
      await page.locator('[data-testid="device-price-points"]').getAttribute('data-points'),
    );
    expect(points).toBeGreaterThan(0);
    if (thermal.sample.indoorTempF !== undefined)
      await page.locator('[data-testid="device-comfort-chart"] canvas').first().waitFor();
    await expect(page.locator('[data-testid="device-legend"]').textContent()).resolves.toContain(
      'near the top of its comfort band',
    );
    await page.reload();
    await page.locator('[data-testid="device-price-chart"] canvas').first().waitFor();
    await demo.screenshot(page, 'device-history');
    expect(demo.pageErrors).toEqual([]);
  });
});
