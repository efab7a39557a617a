/**
 * The dashboard in Debian's Chromium against a real `tenet serve` process (issue 8's targets):
 * - bundle size of dist/web, raw and gzipped;
 * - first load on localhost, cold cache: navigation timing and first contentful paint of the login
 *   page, and of the fleet view logged in until its table shows rows (target: under 1 s);
 * - live updates with 1,000 devices: every device posts telemetry every second while the fleet table
 *   and the community flow view are open; frames measured in the page with requestAnimationFrame and
 *   long tasks with a PerformanceObserver (target: no dropped frames).
 * BENCH_DASHBOARD_DEVICES (default 1000) and BENCH_DASHBOARD_SECONDS (default 20) change the load.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../test/dashboard/dashboard.fixture.js';
import { apiCall, fetchToken, operatorCredentials, startServe } from '../test/live/serve-process.fixture.js';

const DEVICES = Number(process.env.BENCH_DASHBOARD_DEVICES ?? 1000);
const SECONDS = Number(process.env.BENCH_DASHBOARD_SECONDS ?? 20);
const LOADS = 5;
const KINDS = ['hvac', 'water-heater', 'battery', 'pv'] as const;
const DEVICES_PER_HOME = KINDS.length;
const FRAME_MS = 1000 / 60;
const WEB_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));
const CHROMIUM_PATH = process.env.TENET_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The browser globals the in-page probes use; this file is typed for Node, and the probes run in the
 * page, so they reach them through globalThis under this shape.
 */
interface PageGlobals {
  readonly sessionStorage: { setItem(key: string, value: string): void };
  readonly performance: {
    now(): number;
    getEntriesByType(type: string): {
      name: string;
      startTime: number;
      responseStart: number;
      domContentLoadedEventEnd: number;
      loadEventEnd: number;
    }[];
  };
  readonly PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => {
    observe(options: { type: string; buffered: boolean }): void;
    disconnect(): void;
  };
  requestAnimationFrame(callback: (nowMs: number) => void): number;
}

interface FrameStats {
  readonly frames: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Frames the page missed: each interval over 1.5 vsyncs counts the vsyncs it skipped. */
  readonly droppedFrames: number;
  readonly longTasks: number;
  readonly longTaskMs: number;
}

function bundleTable(): void {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error('no dist/web: run `npm run build` first');
  const rows: string[] = [];
  let raw = 0;
  let gzipped = 0;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  for (const path of walk(WEB_DIR).sort()) {
    const body = readFileSync(path);
    const gz = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzipped += gz;
    rows.push(`| ${relative(WEB_DIR, path)} | ${kib(body.length)} | ${kib(gz)} |`);
  }
  console.log('| file | raw KiB | gzip KiB |\n| --- | ---: | ---: |');
  console.log(rows.join('\n'));
  console.log(`| **total** | **${kib(raw)}** | **${kib(gzipped)}** |\n`);
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function registerFleet(url: string, token: string): Promise<string[]> {
  const deviceIds: string[] = [];
  const homes = Math.ceil(DEVICES / DEVICES_PER_HOME);
  for (let h = 0; h < homes; h++) {
    const participantId = `bench-home-${h}`;
    const participant = await apiCall(url, token, 'POST', '/api/participants', {
      id: participantId,
      role: 'prosumer',
      name: `Bench home ${h}`,
    });
    if (participant.status >= 300) throw new Error(`participant: ${participant.status}`);
    for (const kind of KINDS) {
      if (deviceIds.length === DEVICES) break;
      const id = `${participantId}-${kind}`;
      const device = await apiCall(url, token, 'POST', '/api/devices', {
        id,
        participantId,
        kind,
        params: {},
      });
      if (device.status >= 300)
        throw new Error(`device ${id}: ${device.status} ${JSON.stringify(device.body)}`);
      deviceIds.push(id);
    }
  }
  return deviceIds;
}

/** Every device reports once a second, as one batch (the busiest a real fleet would be). */
function driveTelemetry(
  url: string,
  token: string,
  deviceIds: readonly string[],
): { stop: () => Promise<number> } {
  let stopped = false;
  let batches = 0;
  let tick = 0;
  const startMs = Date.now();
  const loop = (async () => {
    while (!stopped) {
      const timeMs = startMs + tick * 1000;
      const samples = deviceIds.map((deviceId, i) =>
        sample(deviceId, KINDS[i % KINDS.length] ?? 'hvac', tick, i),
      );
      const answer = await apiCall(url, token, 'POST', '/api/device-telemetry', {
        samples: samples.map((s) => ({ ...s, timeMs })),
      });
      if (answer.status >= 300) throw new Error(`telemetry: ${answer.status} ${JSON.stringify(answer.body)}`);
      batches++;
      tick++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startMs + tick * 1000 - Date.now())));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return batches;
    },
  };
}

function sample(
  deviceId: string,
  kind: (typeof KINDS)[number],
  tick: number,
  i: number,
): Record<string, unknown> {
  const wave = Math.sin((tick + i) / 7);
  const base = { deviceId, bidPricePerKwh: 0.08 + 0.02 * wave, bidQuantityKw: 2, expectedPricePerKwh: 0.09 };
  switch (kind) {
    case 'hvac':
      return {
        ...base,
        powerKw: wave > 0 ? 3.5 : 0,
        state: wave > 0 ? 'cooling' : 'off',
        indoorTempF: 75 + wave,
        setpointF: 75,
        comfortLowF: 73,
        comfortHighF: 77,
      };
    case 'water-heater':
      return {
        ...base,
        powerKw: wave > 0.5 ? 4.5 : 0,
        state: wave > 0.5 ? 'heating' : 'off',
        tankTempF: 120 + 5 * wave,
      };
    case 'battery':
      return {
        ...base,
        powerKw: 3 * wave,
        state: wave > 0 ? 'charging' : 'discharging',
        socPct: 50 + 40 * wave,
      };
    case 'pv':
      return { ...base, powerKw: -4 * Math.max(0, wave), state: 'on' };
  }
}

async function loggedInPage(browser: Browser, url: string, token: string): Promise<Page> {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    sub: string;
    role: string;
    exp: number;
  };
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const session = JSON.stringify({
    token,
    clientId: claims.sub,
    role: claims.role,
    participantId: undefined,
    expiresMs: claims.exp * 1000,
  });
  await context.addInitScript(
    (value) => (globalThis as unknown as PageGlobals).sessionStorage.setItem('tenet.session', value),
    session,
  );
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

async function firstLoads(browser: Browser, url: string, token: string): Promise<void> {
  const login: { ttfb: number; fcp: number; dcl: number; load: number }[] = [];
  const fleet: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('h1').waitFor();
    await page.waitForTimeout(200);
    login.push(
      await page.evaluate(() => {
        const { performance } = globalThis as unknown as PageGlobals;
        const nav = performance.getEntriesByType('navigation')[0] ?? {
          responseStart: NaN,
          domContentLoadedEventEnd: NaN,
          loadEventEnd: NaN,
        };
        const fcp =
          performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint')
            ?.startTime ?? NaN;
        return { ttfb: nav.responseStart, fcp, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
      }),
    );
    await context.close();
    const logged = await loggedInPage(browser, `${url}/fleet`, token);
    await logged.locator('table tbody tr').first().waitFor({ timeout: 30_000 });
    fleet.push(await logged.evaluate(() => (globalThis as unknown as PageGlobals).performance.now()));
    await logged.context().close();
  }
  console.log(`First load, cold cache, median of ${LOADS} (ms from navigation start):\n`);
  console.log(
    '| page | first byte | first contentful paint | DOMContentLoaded | load | first rows shown |\n| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  console.log(
    `| login (/) | ${median(login.map((l) => l.ttfb)).toFixed(0)} | ${median(login.map((l) => l.fcp)).toFixed(0)} | ${median(login.map((l) => l.dcl)).toFixed(0)} | ${median(login.map((l) => l.load)).toFixed(0)} | |`,
  );
  console.log(`| fleet (/fleet, ${DEVICES} devices, logged in) | | | | | ${median(fleet).toFixed(0)} |\n`);
}

async function measureFrames(page: Page, seconds: number): Promise<FrameStats> {
  // tsx compiles with esbuild's keepNames, which wraps named inner functions in a __name() helper that
  // the page does not have.
  await page.evaluate('globalThis.__name = (fn) => fn');
  return page.evaluate(
    async ({ seconds, frameMs }) => {
      const { performance, PerformanceObserver, requestAnimationFrame } =
        globalThis as unknown as PageGlobals;
      const intervals: number[] = [];
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask', buffered: false });
      await new Promise<void>((resolve) => {
        let last = performance.now();
        const end = last + seconds * 1000;
        const frame = (now: number) => {
          intervals.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(frame);
          else resolve();
        };
        requestAnimationFrame(frame);
      });
      observer.disconnect();
      const sorted = [...intervals].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      return {
        frames: intervals.length,
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        maxMs: sorted[sorted.length - 1] ?? NaN,
        droppedFrames: intervals.reduce(
          (sum, ms) => sum + (ms > 1.5 * frameMs ? Math.round(ms / frameMs) - 1 : 0),
          0,
        ),
        longTasks: longTasks.length,
        longTaskMs: longTasks.reduce((a, b) => a + b, 0),
      };
    },
    { seconds, frameMs: FRAME_MS },
  );
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(`skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
    return;
  }
  console.log('Bundle (dist/web):\n');
  bundleTable();
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-dashboard-bench-'));
  const serve = await startServe({ dataDir, clockSpeed: 60 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const { clientId, clientSecret } = operatorCredentials(dataDir);
    const token = await fetchToken(serve.url, clientId, clientSecret);
    const deviceIds = await registerFleet(serve.url, token);
    const telemetry = driveTelemetry(serve.url, token, deviceIds);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await firstLoads(browser, serve.url, token);
    const rows: string[] = [];
    for (const [label, path, ready] of [
      ['DER fleet table', '/fleet', 'table tbody tr'],
      ['community flow view', '/', 'svg'],
    ] as const) {
      const page = await loggedInPage(browser, `${serve.url}${path}`, token);
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
      const stats = await measureFrames(page, SECONDS);
      rows.push(
        `| ${label} | ${stats.frames} | ${stats.p50Ms.toFixed(1)} | ${stats.p99Ms.toFixed(1)} | ${stats.maxMs.toFixed(1)} | ${stats.droppedFrames} | ${stats.longTasks} (${stats.longTaskMs.toFixed(0)} ms) |`,
      );
      await page.context().close();
    }
    const batches = await telemetry.stop();
    console.log(
      `Live updates: ${DEVICES} devices each reporting every second (${batches} batches of ${DEVICES} samples), ${SECONDS} s per view:\n`,
    );
    console.log(
      '| view | frames | p50 frame ms | p99 frame ms | max frame ms | dropped frames | long tasks |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    console.log(rows.join('\n'));
  } finally {
    await browser.close();
    await serve.terminate();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
