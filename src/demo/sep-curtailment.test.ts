/**
 * The demo community on the real platform, whose 2030.5 server sets a default export limit
 * (`ieee2030_5.defaultControl.exportLimitKw`): at midday the 2030.5 homes' PV is curtailed to it in the
 * community's physics and the stats say how much (the exact cap on a home's reading is
 * sep-site-limits.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureSepPki } from '../ieee2030-5/pki/index.js';
import { AcceleratedClock } from '../live/clock.js';
import { startPlatform, type RunningPlatform } from '../live/platform.js';
import { parseServerConfig } from '../live/server-config.js';
import { OPERATOR_CREDENTIALS_FILE } from '../server/auth/index.js';
import { defaultScenario, tucsonWeather } from '../sim/test-scenario.fixture.js';
import { startCommunity, type RunningCommunity } from './community.js';

/** Noon on the scenario's day in Tucson (UTC-7). */
const NOON = Date.parse('2026-07-15T12:00:00-07:00');
const EXPORT_LIMIT_KW = 1;

async function eventually(done: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the demo community under a default 2030.5 export limit', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-demo-curtail-'));
  let platform: RunningPlatform | undefined;
  let community: RunningCommunity | undefined;
  afterAll(async () => {
    await community?.stop();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('curtails the 2030.5 homes’ PV and reports the energy in its stats', async () => {
    const config = parseServerConfig(
      `server:\n  port: 0\nieee2030_5:\n  defaultControl:\n    exportLimitKw: ${EXPORT_LIMIT_KW}\n`,
      'test.yaml',
    );
    if (!config.ok) throw new Error(config.error.map((e) => e.toLine()).join('\n'));
    // A slot in a real second.
    const clock = new AcceleratedClock(NOON, 300);
    platform = await startPlatform({ config: config.value, dataDir, clock, log: () => undefined });
    const sep = platform.sep;
    if (sep === undefined) throw new Error('the platform did not start its 2030.5 server');
    const credentials = JSON.parse(readFileSync(join(dataDir, OPERATOR_CREDENTIALS_FILE), 'utf8')) as {
      client_id: string;
      client_secret: string;
    };
    const pki = await ensureSepPki(dataDir);
    const scenario = defaultScenario();
    const lines: string[] = [];
    // The first four homes: three of them have PV or a battery (one with a 7.1 kVA array), all 2030.5.
    community = await startCommunity({
      baseUrl: platform.url,
      operatorCredentials: { clientId: credentials.client_id, clientSecret: credentials.client_secret },
      scenario: { scenario, weather: tucsonWeather(scenario) },
      clock,
      homes: 4,
      marketId: 'community',
      log: (line) => lines.push(line),
      openAdrHomes: { http: 0, mqtt: 0 },
      sep: {
        sepUrl: sep.url,
        serverCaPem: sep.caCertPem,
        deviceCa: { certPem: pki.caCertPem, keyPem: pki.caKeyPem },
        count: 3,
      },
    });
    const running = community;
    await eventually(
      () => (running.stats().sepCurtailedKwh ?? 0) > 0.05,
      () => `curtailment (log: ${lines.slice(-5).join(' | ')})`,
      30_000,
    );
    const stats = running.stats();
    expect(stats.sepHomes).toBe(3);
    expect(stats.sepFailedPolls).toBe(0);
    expect(lines.join('\n')).toContain('3 homes run an IEEE 2030.5 inverter client');
  }, 60_000);
});
