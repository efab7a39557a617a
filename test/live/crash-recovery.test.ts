/**
 * Kill -9 under load, several times: every order and reading the server acknowledged is still there after
 * the restart, and the settlement ledger verifies. A real `tenet serve` process on a SQLite data directory,
 * its clock at 60x real time with one-minute slots, so a slot opens, clears and settles every second.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/cli/run-in-process.fixture.js';
import {
  MARKET_ID,
  registerParticipants,
  runLoad,
  type AckedOrder,
  type AckedReading,
} from './community-load.fixture.js';
import {
  apiCall,
  fetchToken,
  operatorCredentials,
  startServe,
  type ServeProcess,
} from './serve-process.fixture.js';

const ROUNDS = 3;
const dataDir = mkdtempSync(join(tmpdir(), 'tenet-crash-'));
const configFile = join(dataDir, 'tenet.yaml');
writeFileSync(
  configFile,
  [
    'markets:',
    `  - id: ${MARKET_ID}`,
    '    name: Crash test market',
    '    rules:',
    '      slotDurationMs: 60000',
    '      orderHorizonSlots: 3',
    '      settlementDelayMs: 0',
  ].join('\n'),
);
let running: ServeProcess | undefined;

afterAll(async () => {
  if (running !== undefined && running.child.exitCode === null) await running.kill9();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash recovery under load (kill -9)', () => {
  it(`loses no acknowledged order or reading over ${ROUNDS} kills, and the ledger verifies`, async () => {
    const serve = () => startServe({ dataDir, configFile, clockSpeed: 60 });
    running = await serve();
    const operator = operatorCredentials(dataDir);
    const operatorToken = await fetchToken(running.url, operator.clientId, operator.clientSecret);
    const participants = await registerParticipants(running.url, operatorToken, 6);
    const orders: AckedOrder[] = [];
    const readings: AckedReading[] = [];
    let unknown = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) running = await serve();
      const stop = new AbortController();
      const load = runLoad({ url: running.url, participants, round, workers: 8, signal: stop.signal });
      // Kill at a different moment each round, while requests are in flight.
      await new Promise((r) => setTimeout(r, 1500 + round * 400));
      await running.kill9();
      stop.abort();
      const result = await load;
      orders.push(...result.orders);
      readings.push(...result.readings);
      unknown += result.unknown;
    }
    console.log(
      `crash test: ${orders.length} orders and ${readings.length} readings acknowledged, ${unknown} requests cut by kills`,
    );
    // The test proves something only if there was real load and real kills mid-request.
    expect(orders.length).toBeGreaterThan(50);
    expect(readings.length).toBeGreaterThan(500);
    expect(unknown).toBeGreaterThan(0);

    running = await serve();
    const token = await fetchToken(running.url, operator.clientId, operator.clientSecret);
    const missingOrders = await missingAcknowledgedOrders(running.url, token, orders);
    expect(missingOrders).toEqual([]);
    const missingReadings = await missingAcknowledgedReadings(running.url, token, readings);
    expect(missingReadings).toEqual([]);

    // Let the operator clear and settle what is due after the last restart, then stop it gracefully.
    const settled = await waitForSettledSlotWithTrades(running.url, token);
    expect(settled).toBe(true);
    expect(await running.terminate()).toBe(0);

    const verify = await runInProcess(['ledger', 'verify', '--data-dir', dataDir, '--json'], dataDir);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; entryCount: number; energyBoughtWh: number };
    expect(report.ok).toBe(true);
    expect(report.entryCount).toBeGreaterThan(0);
    expect(report.energyBoughtWh).toBeGreaterThan(0);
  }, 180_000);
});

async function missingAcknowledgedOrders(url: string, token: string, orders: readonly AckedOrder[]) {
  const bySlotAndParticipant = new Map<string, AckedOrder[]>();
  for (const order of orders) {
    const key = `${order.slotStartMs}|${order.participantId}`;
    bySlotAndParticipant.set(key, [...(bySlotAndParticipant.get(key) ?? []), order]);
  }
  const missing: AckedOrder[] = [];
  for (const group of bySlotAndParticipant.values()) {
    const first = group[0] as AckedOrder;
    const stored = await apiCall<{ clientOrderId: string }[]>(
      url,
      token,
      'GET',
      `/api/orders?marketId=${MARKET_ID}&slotStartMs=${first.slotStartMs}&participantId=${first.participantId}&limit=10000`,
    );
    expect(stored.status).toBe(200);
    const ids = new Set(stored.body.map((o) => o.clientOrderId));
    missing.push(...group.filter((o) => !ids.has(o.clientOrderId)));
  }
  return missing;
}

async function missingAcknowledgedReadings(url: string, token: string, readings: readonly AckedReading[]) {
  const byMeter = new Map<string, AckedReading[]>();
  for (const reading of readings)
    byMeter.set(reading.meterId, [...(byMeter.get(reading.meterId) ?? []), reading]);
  const missing: AckedReading[] = [];
  for (const [meterId, acked] of byMeter) {
    const times = acked.map((r) => r.timeMs);
    const stored = await apiCall<{ timeMs: number; energyWh: number }[]>(
      url,
      token,
      'GET',
      `/api/meter-readings?meterId=${meterId}&fromMs=${Math.min(...times)}&toMs=${Math.max(...times) + 1}`,
    );
    expect(stored.status).toBe(200);
    const energyAt = new Map(stored.body.map((r) => [r.timeMs, r.energyWh]));
    missing.push(...acked.filter((r) => energyAt.get(r.timeMs) !== r.energyWh));
  }
  return missing;
}

async function waitForSettledSlotWithTrades(url: string, token: string): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const slots = await apiCall<{ startMs: number; settledAtMs: number | null }[]>(
      url,
      token,
      'GET',
      `/api/markets/${MARKET_ID}/slots?limit=2000`,
    );
    for (const slot of slots.body.filter((s) => s.settledAtMs !== null)) {
      const result = await apiCall<{ tradedEnergyWh: number }>(
        url,
        token,
        'GET',
        `/api/markets/${MARKET_ID}/slots/${slot.startMs}/result`,
      );
      if (result.status === 200 && result.body.tradedEnergyWh > 0) return true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
