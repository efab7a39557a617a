/**
 * Live settlement throughput: the market operator settles cleared slots into the stored ledger and the
 * journal is read back and verified as `tenet ledger verify` does. Each slot has 1,000 fill rows (half
 * buys paying the grid fee, a tenth through an aggregator, half sells) and one premises reading per
 * participant (a fifth deviating from its trade); a SQLite file in a temp dir holds it all. The timed part
 * is one operator tick that finds every slot due and, slot by slot, reads the result and readings,
 * settles, seals after the stored chain's tail and appends with the settled mark in one transaction.
 *
 * Read-back and verification go page by page (`verifyStoredLedger`); `SETTLEMENT_BENCH_WHOLE=1` also
 * reads the whole journal into memory and verifies it in one call, for comparison.
 *
 * Default 1,000 slots (1,000,000 trades, about two minutes on the 2-core benchmark machine);
 * `SETTLEMENT_BENCH_SLOTS=200 npx tsx bench/settlement.bench.ts` for a quick run.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SeededRandom } from '../src/core/random.js';
import { sealEntries } from '../src/ledger/entry-sealing.js';
import { GENESIS_HASH, type LedgerEntry, type Sha256 } from '../src/ledger/journal-entry.js';
import { verifyJournal } from '../src/ledger/verify-journal.js';
import type { StoredFill } from '../src/live/clearing-fills.js';
import { ManualClock } from '../src/live/clock.js';
import { SingleProcessLease } from '../src/live/leader-lease.js';
import { InProcessEventBus } from '../src/live/market-events.js';
import { MarketOperator } from '../src/live/market-operator.js';
import { DEFAULT_MARKET_RULES, type MarketRules } from '../src/live/market-rules.js';
import { verifyStoredLedger, VERIFY_PAGE_ENTRIES } from '../src/live/stored-ledger-verification.js';
import { slotSettlementDrafts, type SlotSettlementInput } from '../src/live/slot-settling.js';
import { getClearingResult, storeClearingResult } from '../src/store/clearing-result-repository.js';
import { listParticipantAggregators, sumSlotReadings } from '../src/store/slot-lifecycle-repository.js';
import { openStoreDatabase } from '../src/store/database.js';
import { readLedgerEntries } from '../src/store/ledger-repository.js';
import { saveMarket } from '../src/store/market-repository.js';
import { ingestMeterReadings, type MeterReading } from '../src/store/meter-reading-repository.js';
import { migrateToLatest } from '../src/store/migrations.js';
import { openSlot, registerParticipant } from '../src/store/registry-repository.js';

const SLOTS = Number(process.env['SETTLEMENT_BENCH_SLOTS'] ?? 1000);
const ROWS_PER_SLOT = 1000;
const SLOT_MS = 300_000;
const START_MS = Date.UTC(2026, 10, 1);
const MARKET = 'bench';
const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const rules: MarketRules = { ...DEFAULT_MARKET_RULES, supplier: undefined, settlementDelayMs: 60_000 };
delete (rules as { supplier?: unknown }).supplier;

const dataDir = mkdtempSync(join(tmpdir(), 'tenet-settlement-bench-'));
const store = openStoreDatabase({ kind: 'sqlite', dataDir });
try {
  await migrateToLatest(store);
  const db = store.db;
  await saveMarket(db, { id: MARKET, name: 'bench', createdMs: START_MS, rules });
  const half = ROWS_PER_SLOT / 2;
  const buyers = Array.from({ length: half }, (_, i) => `home-${i}`);
  const sellers = Array.from({ length: half }, (_, i) => `pv-${i}`);
  await registerParticipant(db, { id: 'vpp', role: 'aggregator', name: 'vpp', createdMs: START_MS });
  for (const id of [...buyers, ...sellers])
    await registerParticipant(db, { id, role: 'prosumer', name: id, createdMs: START_MS });
  await db
    .updateTable('participants')
    .set({ aggregator_id: 'vpp' })
    .where(
      'id',
      'in',
      buyers.filter((_, i) => i % 10 === 0),
    )
    .execute();

  // Cleared slots with their fills and readings, written as the operator and the API would write them.
  const random = new SeededRandom(825);
  const setupStart = performance.now();
  for (let s = 0; s < SLOTS; s++) {
    const startMs = START_MS + s * SLOT_MS;
    await openSlot(db, { marketId: MARKET, startMs, endMs: startMs + SLOT_MS, gateClosureMs: startMs });
    const pricePerKwh = random.uniform(0.02, 0.3);
    const kw = Array.from({ length: half }, () => random.uniform(0.1, 10));
    const fill = (participantId: string, side: 'buy' | 'sell', filledKw: number): StoredFill => ({
      participantId,
      clientOrderId: `o${s}`,
      partyKind: 'participant',
      side,
      step: 0,
      filledKw,
      pricePerKwh,
      feePerKwh: side === 'buy' ? rules.gridFeePerKwh : 0,
    });
    const rows = [
      ...buyers.map((id, i) => fill(id, 'buy', kw[i] as number)),
      ...sellers.map((id, i) => fill(id, 'sell', kw[half - 1 - i] as number)),
    ];
    const tradedKw = kw.reduce((sum, x) => sum + x, 0);
    const stored = await storeClearingResult(db, {
      marketId: MARKET,
      slotStartMs: startMs,
      mechanism: rules.mechanism,
      price: pricePerKwh,
      status: 'exact',
      tradedEnergyWh: Math.round((tradedKw * 1000) / 12),
      tradedValueMinor: Math.round((tradedKw / 12) * pricePerKwh * 100),
      fills: { rows, trades: [] },
      clearedAtMs: startMs,
    });
    if (!stored.ok) throw stored.error;
    const readings: MeterReading[] = rows.map((row, i) => {
      const wh = Math.round((row.filledKw * 1000) / 12) * (row.side === 'buy' ? 1 : -1);
      return { meterId: row.participantId, timeMs: startMs, energyWh: i % 5 === 0 ? wh + 7 : wh };
    });
    const ingested = await ingestMeterReadings(db, readings);
    if (!ingested.ok) throw ingested.error;
  }
  const setupMs = performance.now() - setupStart;

  // Where the time goes: the side-effect-free parts of settling each slot, timed on their own first.
  const phases = { read: 0, settle: 0, seal: 0, body: 0 };
  for (let s = 0; s < SLOTS; s++) {
    const startMs = START_MS + s * SLOT_MS;
    let t = performance.now();
    const result = await getClearingResult(db, MARKET, startMs);
    const aggregators = await listParticipantAggregators(db);
    const meteredWh = await sumSlotReadings(db, [...aggregators.keys()], startMs, startMs + SLOT_MS);
    phases.read += performance.now() - t;
    t = performance.now();
    const drafts = slotSettlementDrafts({
      marketId: MARKET,
      slot: { startMs, endMs: startMs + SLOT_MS },
      rules,
      result: result as SlotSettlementInput['result'],
      aggregators,
      meteredWh,
      settledAtMs: startMs + SLOT_MS,
    });
    if (!drafts.ok) throw drafts.error;
    phases.settle += performance.now() - t;
    t = performance.now();
    const sealed = sealEntries(drafts.value, { nextSequence: 0, previousHash: GENESIS_HASH }, sha256);
    if (!sealed.ok) throw sealed.error;
    phases.seal += performance.now() - t;
    t = performance.now();
    for (const entry of sealed.value) JSON.stringify(entry);
    phases.body += performance.now() - t;
  }

  const clock = new ManualClock(START_MS + SLOTS * SLOT_MS + rules.settlementDelayMs);
  const operator = new MarketOperator({
    db,
    clock,
    events: new InProcessEventBus(),
    lease: new SingleProcessLease(),
    sha256,
    log: (line) => {
      if (line.includes('failed')) console.error(line);
    },
  });
  const settleStart = performance.now();
  const report = await operator.tick();
  const settleMs = performance.now() - settleStart;
  if (report.settled !== SLOTS || report.failures !== 0) throw new Error(`tick: ${JSON.stringify(report)}`);

  const settleRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const verifyStart = performance.now();
  const verified = await verifyStoredLedger(db, sha256);
  const verifyMs = performance.now() - verifyStart;
  if (!verified.ok) throw new Error(`verification failed: ${JSON.stringify(verified)}`);
  const pagedRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);

  // The whole journal in memory first, as `tenet ledger verify` read it before paging: optional, it
  // takes gigabytes at a million trades.
  let whole: { readMs: number; verifyMs: number; rssMiB: number } | undefined;
  if (process.env['SETTLEMENT_BENCH_WHOLE'] === '1') {
    const readStart = performance.now();
    const records = await readLedgerEntries(db);
    const readMs = performance.now() - readStart;
    const start = performance.now();
    const report = verifyJournal(
      records.map((record) => record.body as LedgerEntry),
      sha256,
    );
    if (!report.ok) throw new Error('whole-journal verification failed');
    whole = {
      readMs,
      verifyMs: performance.now() - start,
      rssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  }

  const trades = SLOTS * ROWS_PER_SLOT;
  const entries = verified.entryCount;
  const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');
  console.log(
    `Settlement: ${trades.toLocaleString('en-US')} trades in ${SLOTS} slots → ${entries.toLocaleString('en-US')} ledger entries, ${verified.postingCount.toLocaleString('en-US')} postings (SQLite; setup ${(setupMs / 1000).toFixed(1)} s untimed)\n`,
  );
  console.log('| step | time (s) | trades/s | entries/s | peak RSS (MiB) |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(
    `| settle: read, settle, seal, append + mark (one tick) | ${(settleMs / 1000).toFixed(2)} | ${rate(trades, settleMs)} | ${rate(entries, settleMs)} | ${settleRssMiB} |`,
  );
  const phase = (name: string, ms: number) =>
    console.log(
      `| – of which ${name} (timed apart) | ${(ms / 1000).toFixed(2)} | | ${rate(entries, ms)} | |`,
    );
  phase('reading result, aggregators, readings', phases.read);
  phase('settling into drafts', phases.settle);
  phase('sealing (checks, canonical form, SHA-256)', phases.seal);
  phase('entry bodies as JSON', phases.body);
  const rest = settleMs - phases.read - phases.settle - phases.seal - phases.body;
  console.log(
    `| – the rest: SQL insert and commit | ${(rest / 1000).toFixed(2)} | | ${rate(entries, rest)} | |`,
  );
  console.log(
    `| read back and verify, ${VERIFY_PAGE_ENTRIES.toLocaleString('en-US')} entries a page | ${(verifyMs / 1000).toFixed(2)} | | ${rate(entries, verifyMs)} | ${pagedRssMiB} |`,
  );
  if (whole !== undefined) {
    console.log(
      `| read the whole journal into memory | ${(whole.readMs / 1000).toFixed(2)} | | ${rate(entries, whole.readMs)} | |`,
    );
    console.log(
      `| verify it (chain, balance, energy) | ${(whole.verifyMs / 1000).toFixed(2)} | | ${rate(entries, whole.verifyMs)} | ${whole.rssMiB} |`,
    );
  }
  console.log(
    `\nenergy bought = sold = ${verified.energyBoughtWh.toLocaleString('en-US')} Wh; last hash ${verified.lastHash}`,
  );
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
