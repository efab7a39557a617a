import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getMarket } from '../store/market-repository.js';
import { ManualClock } from './clock.js';
import type { MarketRules } from './market-rules.js';
import { startPlatform, type RunningPlatform } from './platform.js';
import { parseServerConfig, type ServerConfig } from './server-config.js';

const dirs: string[] = [];
const running: RunningPlatform[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(text: string): ServerConfig {
  const parsed = parseServerConfig(`server:\n  port: 0\n${text}`, 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.toLine()).join('\n'));
  return parsed.value;
}

async function start(dataDir: string, text = '', lines: string[] = []): Promise<RunningPlatform> {
  const platform = await startPlatform({
    config: config(text),
    dataDir,
    clock: new ManualClock(1_767_225_600_000),
    log: (line) => lines.push(line),
  });
  running.push(platform);
  return platform;
}

describe('the platform', () => {
  it('creates the configured markets once; later the stored rules win and a differing file is reported', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tenet-platform-'));
    dirs.push(dataDir);
    const first = await start(dataDir, 'markets:\n  - id: m1\n    name: One\n');
    expect(first.operatorCredentialsFile).toBe(join(dataDir, 'operator-credentials.json'));
    expect((await getMarket<MarketRules>(first.store.db, 'm1'))?.rules?.mechanism).toBe(
      'uniform-price-double-auction',
    );
    expect((await fetch(`${first.url}/healthz`).then((r) => r.json())) as unknown).toMatchObject({
      role: 'leader',
    });
    await first.stop();
    running.splice(0);

    const lines: string[] = [];
    const second = await start(
      dataDir,
      'markets:\n  - id: m1\n    name: One\n    rules:\n      mechanism: pay-as-bid\n',
      lines,
    );
    expect(second.operatorCredentialsFile).toBeUndefined();
    expect((await getMarket<MarketRules>(second.store.db, 'm1'))?.rules?.mechanism).toBe(
      'uniform-price-double-auction',
    );
    expect(lines.some((l) => l.includes('stored rules differ from the configuration'))).toBe(true);
  });

  it('stops even when a client holds a socket open without sending a request', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tenet-platform-'));
    dirs.push(dataDir);
    const platform = await start(dataDir);
    const socket = connect(platform.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const startedMs = Date.now();
    await platform.stop();
    expect(Date.now() - startedMs).toBeLessThan(8_000);
    socket.destroy();
  }, 15_000);
});
