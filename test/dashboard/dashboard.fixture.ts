/**
 * End-to-end harness for the dashboard: a real `tenet demo` (from source, in its own process, on a
 * free port, a throwaway data directory) and Debian's Chromium driven by playwright-core. Tests skip,
 * saying how to enable them, when Chromium is not installed.
 *
 *   const demo = dashboardDemo({ homes: 30, speed: 600 });
 *   it.skipIf(!CHROMIUM)('...', async () => {
 *     const page = await demo.page();
 *     await demo.logInAs(page, 'prosumer');
 *   });
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM_PATH = process.env.TENET_CHROMIUM ?? '/usr/bin/chromium';
/** True when the dashboard's browser tests can run here. */
export const CHROMIUM = existsSync(CHROMIUM_PATH);
if (!CHROMIUM) {
  console.warn(
    `dashboard end-to-end tests skipped: no Chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`, or set TENET_CHROMIUM)`,
  );
}
/** Where the test run saves its screenshots (docs/images holds the chosen ones). */
export const SCREENSHOT_DIR = process.env.TENET_SCREENSHOT_DIR ?? join(ROOT, 'out', 'dashboard-screenshots');

/** Chromium's flags for this closed network: no background calls home, no sandbox as root. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface DashboardDemo {
  /** http://127.0.0.1:PORT once the demo's homes are trading. */
  readonly baseUrl: () => string;
  /** Where the demo keeps its data (operator credentials: demo/operator-credentials.json). */
  readonly dataDir: () => string;
  /** The demo's runs directory (`--runs-dir`): empty unless `simulateRun` or a test puts a run there. */
  readonly runsDir: () => string;
  /** A new page in the shared browser, at the given size (a laptop by default). */
  page(viewport?: { width: number; height: number }): Promise<Page>;
  /** Opens the dashboard and logs in with the demo login of `role`. */
  logInAs(page: Page, role: string): Promise<void>;
  /** A bearer token for the demo login of `role`, to compare what the page shows with the API. */
  tokenOf(role: string): Promise<string>;
  /** GET on the API with the role's token, parsed. */
  api<T>(role: string, path: string): Promise<T>;
  /** Saves a full-page screenshot as SCREENSHOT_DIR/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Errors the pages reported (console errors, uncaught exceptions): a test expects none. */
  readonly pageErrors: string[];
  /** The demo's standard output so far. */
  readonly output: () => string;
}

export interface DemoOptions {
  readonly homes?: number;
  readonly speed?: number;
  readonly extraArgs?: readonly string[];
  /** How long to wait for the homes to trade, ms. */
  readonly startTimeoutMs?: number;
  /**
   * Let the demo simulate its scenario into its (fresh, empty) runs directory at start, as `npm start`
   * does; off by default so the Reports view starts empty and the tests spend no CPU on it.
   */
  readonly simulateRun?: boolean;
}

/** Starts the demo and a browser before the file's tests and stops both after them. */
export function dashboardDemo(options: DemoOptions = {}): DashboardDemo {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let dataDir = '';
  let output = '';
  const pageErrors: string[] = [];
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    if (!CHROMIUM) return;
    dataDir = mkdtempSync(join(tmpdir(), 'tenet-dashboard-e2e-'));
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test', 'live', 'tenet-from-source.ts'),
        'demo',
        // Port 0 gives every listener (API, 2030.5, MQTT broker) a free port, so several demos (test
        // files running in parallel, a developer's own `npm start`) never collide.
        '--port',
        '0',
        '--homes',
        String(options.homes ?? 30),
        '--speed',
        String(options.speed ?? 600),
        '--data-dir',
        dataDir,
        '--runs-dir',
        join(dataDir, 'runs'),
        ...(options.simulateRun === true ? [] : ['--no-simulation']),
        ...(options.extraArgs ?? []),
      ],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      () => /homes trading/.test(output),
      options.startTimeoutMs ?? 90_000,
      () => output,
    );
    const url = /homes trading\. API docs (http:\/\/127\.0\.0\.1:\d+)\/docs/.exec(output)?.[1];
    if (url === undefined) throw new Error(`the demo did not say its URL:\n${output}`);
    baseUrl = url;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  const demo: DashboardDemo = {
    baseUrl: () => baseUrl,
    dataDir: () => dataDir,
    runsDir: () => join(dataDir, 'runs'),
    pageErrors,
    output: () => output,
    async page(viewport = { width: 1440, height: 900 }) {
      if (browser === undefined) throw new Error('the dashboard demo did not start (is Chromium installed?)');
      const page = await browser.newPage({ viewport });
      page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
      });
      return page;
    },
    async logInAs(page, role) {
      await page.goto(baseUrl);
      await page.locator(`[data-testid="demo-logins"] button[data-role="${role}"]`).click();
      await page.locator('[data-testid="session-role"]').waitFor();
    },
    async tokenOf(role) {
      const known = tokens.get(role);
      if (known !== undefined) return known;
      const credentials = await demoCredentials(baseUrl, dataDir, role);
      const response = await fetch(`${baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        }),
      });
      const token = ((await response.json()) as { access_token: string }).access_token;
      tokens.set(role, token);
      return token;
    },
    async api<T>(role: string, path: string) {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { authorization: `Bearer ${await demo.tokenOf(role)}` },
      });
      if (!response.ok)
        throw new Error(`GET ${path} as ${role}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
  return demo;
}

/** The demo's login for a role; the operator's also from its credentials file. */
async function demoCredentials(
  baseUrl: string,
  dataDir: string,
  role: string,
): Promise<{ clientId: string; clientSecret: string }> {
  const response = await fetch(`${baseUrl}/api/demo/logins`);
  const logins = response.ok
    ? ((await response.json()) as { logins: { role: string; clientId: string; clientSecret: string }[] })
        .logins
    : [];
  const login = logins.find((l) => l.role === role);
  if (login !== undefined) return login;
  if (role !== 'market-operator') throw new Error(`the demo offers no login for ${role}`);
  const file = JSON.parse(readFileSync(join(dataDir, 'demo', 'operator-credentials.json'), 'utf8')) as {
    client_id: string;
    client_secret: string;
  };
  return { clientId: file.client_id, clientSecret: file.client_secret };
}

async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`the demo did not start in ${timeoutMs} ms:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
