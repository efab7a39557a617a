/**
 * Store benchmarks: meter readings ingested per second in batches (target 50,000/s on SQLite), resends
 * of stored readings (all conflicts), and order submissions per second through the repository. SQLite
 * always; PostgreSQL too when TEST_DATABASE_URL is set (in a throwaway schema). Baseline in the same run:
 * the same readings through one raw better-sqlite3 prepared statement in one transaction, the ceiling of
 * what the Kysely layer can reach on that file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  createMarket,
  ingestMeterReadings,
  migrateToLatest,
  openSlot,
  openStoreDatabase,
  registerParticipant,
  submitOrder,
  type MeterReading,
  type StoreDatabase,
} from '../src/store/index.js';

const READINGS = 200_000;
const METERS = 1_000;
const ORDERS = 2_000;
const SLOT_START_MS = 1_767_225_600_000;
const rows: string[][] = [];

function readings(count: number, offsetMs: number): MeterReading[] {
  return Array.from({ length: count }, (_, k) => ({
    meterId: `meter-${k % METERS}`,
    timeMs: offsetMs + Math.floor(k / METERS) * 60_000,
    energyWh: k % 5_000,
  }));
}

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function perSecond(count: number, seconds: number): string {
  return Math.round(count / seconds).toLocaleString('en-US');
}

async function ingest(
  store: StoreDatabase,
  all: readonly MeterReading[],
  batchSize: number,
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < all.length; start += batchSize) {
    const result = await ingestMeterReadings(store.db, all.slice(start, start + batchSize));
    if (!result.ok) throw result.error;
    inserted += result.value.inserted;
  }
  return inserted;
}

async function benchStore(
  label: string,
  store: StoreDatabase,
  concurrencies: readonly number[],
): Promise<void> {
  await migrateToLatest(store);
  for (const [index, batchSize] of [1_000, 10_000].entries()) {
    const batch = readings(READINGS, (index + 1) * 1e12);
    let inserted = 0;
    const seconds = await timed(async () => {
      inserted = await ingest(store, batch, batchSize);
    });
    if (inserted !== READINGS) throw new Error(`${label}: ${inserted} of ${READINGS} readings stored`);
    rows.push([
      label,
      `ingest ${READINGS.toLocaleString('en-US')} readings, batches of ${batchSize}`,
      perSecond(READINGS, seconds),
      'readings/s',
    ]);
    const resendSeconds = await timed(async () => {
      if ((await ingest(store, batch, batchSize)) !== 0) throw new Error('resent readings were stored again');
    });
    rows.push([
      label,
      `resend the same readings (all conflicts), batches of ${batchSize}`,
      perSecond(READINGS, resendSeconds),
      'readings/s',
    ]);
  }

  await createMarket(store.db, {
    id: 'bench',
    name: 'bench',
    slotDurationMs: 900_000,
    createdMs: SLOT_START_MS,
  });
  await openSlot(store.db, {
    marketId: 'bench',
    startMs: SLOT_START_MS,
    endMs: SLOT_START_MS + 900_000,
    gateClosureMs: SLOT_START_MS,
  });
  for (let p = 0; p < 50; p++) {
    await registerParticipant(store.db, {
      id: `p${p}`,
      role: 'prosumer',
      name: `p${p}`,
      createdMs: SLOT_START_MS,
    });
  }
  const submit = (k: number) =>
    submitOrder(
      store.db,
      {
        marketId: 'bench',
        slotStartMs: SLOT_START_MS,
        participantId: `p${k % 50}`,
        clientOrderId: `o${k}`,
        side: k % 2 === 0 ? 'buy' : 'sell',
        steps: [{ price: 0.1 + (k % 100) / 1000, quantity: 1 + (k % 7) }],
      },
      SLOT_START_MS - 1,
    );
  let next = 0;
  for (const concurrency of concurrencies) {
    const first = next;
    next += ORDERS;
    const seconds = await timed(async () => {
      for (let k = first; k < first + ORDERS; k += concurrency) {
        const wave = Array.from({ length: Math.min(concurrency, first + ORDERS - k) }, (_, j) =>
          submit(k + j),
        );
        if ((await Promise.all(wave)).some((r) => !r.ok)) throw new Error('an order submission failed');
      }
    });
    rows.push([
      label,
      `submit ${ORDERS} orders, one slot, ${concurrency} at a time`,
      perSecond(ORDERS, seconds),
      'orders/s',
    ]);
  }
}

function rawSqliteBaseline(dataDir: string): void {
  const file = new Database(join(dataDir, 'baseline.sqlite'));
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.exec(
    'CREATE TABLE r (meter_id TEXT NOT NULL, time_ms INTEGER NOT NULL, energy_wh INTEGER NOT NULL, PRIMARY KEY (meter_id, time_ms))',
  );
  const insert = file.prepare('INSERT INTO r VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const batch = readings(READINGS, 1e12);
  const t0 = performance.now();
  file.transaction(() => {
    for (const r of batch) insert.run(r.meterId, r.timeMs, r.energyWh);
  })();
  const seconds = (performance.now() - t0) / 1000;
  rows.push([
    'SQLite baseline',
    `raw prepared statement, one transaction, ${READINGS.toLocaleString('en-US')} readings`,
    perSecond(READINGS, seconds),
    'readings/s',
  ]);
  file.close();
}

const dataDir = mkdtempSync(join(tmpdir(), 'tenet-store-bench-'));
try {
  rawSqliteBaseline(dataDir);
  const sqlite = openStoreDatabase({ kind: 'sqlite', dataDir });
  try {
    await benchStore('SQLite', sqlite, [1]);
  } finally {
    await sqlite.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const url = process.env.TEST_DATABASE_URL;
if (url !== undefined && url !== '') {
  const schema = `tenet_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const postgres = openStoreDatabase({ kind: 'postgres', url, schema });
  try {
    await benchStore('PostgreSQL', postgres, [1, 8]);
  } finally {
    await postgres.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
} else {
  rows.push(['PostgreSQL', 'skipped: set TEST_DATABASE_URL=postgres://... to measure it', '', '']);
}

console.log('| store | workload | rate | unit |');
console.log('| --- | --- | ---: | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
