/**
 * A real platform on a loopback port with one registered station, and the charge point we did not write:
 * ocpp-rpc's RPCClient in strict mode. Cleanups are collected per test file and run after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPCClient } from 'ocpp-rpc';
import { ManualClock } from '../live/clock.js';
import { startPlatform, type RunningPlatform } from '../live/platform.js';
import { parseServerConfig } from '../live/server-config.js';
import { registerParticipant } from '../store/registry-repository.js';
import { registerStation } from './station-repository.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const PASSWORD = 'correct-horse-battery';
export type Cleanups = (() => Promise<void>)[];

export interface Station {
  call(method: string, params: unknown): Promise<unknown>;
  connect(): Promise<unknown>;
  close(options?: object): Promise<unknown>;
  handle(method: string, handler: (call: { params: unknown }) => Promise<unknown>): void;
  sendRaw(message: string): void;
  on(event: 'message', listener: (event: { message: string; outbound: boolean }) => void): void;
}

export async function platformWithStation(
  cleanups: Cleanups,
  serverYaml = '',
): Promise<RunningPlatform & { readonly clock: ManualClock }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-ocpp-'));
  const parsed = parseServerConfig(`server:\n  port: 0\n  host: 127.0.0.1\n${serverYaml}`, 'test.yaml');
  if (!parsed.ok) throw new Error('bad test config');
  const clock = new ManualClock(T0);
  const platform = await startPlatform({
    config: parsed.value,
    dataDir,
    clock,
    log: () => {},
  });
  cleanups.push(async () => {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  await registerParticipant(platform.store.db, {
    id: 'home-1',
    role: 'prosumer',
    name: 'Home 1',
    createdMs: T0,
  });
  await registerStation(
    platform.store.db,
    { stationId: 'CS-1', participantId: 'home-1', password: PASSWORD },
    T0,
  );
  return Object.assign(platform, { clock });
}

export function station(
  cleanups: Cleanups,
  platform: RunningPlatform,
  options: {
    identity?: string;
    password?: string;
    protocols?: string[];
    scheme?: 'ws' | 'wss';
    ca?: string;
  } = {},
): Station {
  const client = new RPCClient({
    endpoint: `${options.scheme ?? 'ws'}://127.0.0.1:${platform.port}/ocpp`,
    identity: options.identity ?? 'CS-1',
    password: options.password ?? PASSWORD,
    protocols: options.protocols ?? ['ocpp2.0.1'],
    strictMode: true,
    reconnect: false,
    ...(options.ca === undefined ? {} : { wsOpts: { ca: options.ca } }),
  } as never) as unknown as Station;
  cleanups.push(async () => {
    await client.close({ force: true });
  });
  return client;
}
