/**
 * Settlement ledger throughput: settle 1,000,000 fills (1,000 slots of 1,000 rows, half buys with grid
 * fees, a tenth through an aggregator, half sells) into journal entries, append them (validation, canonical
 * form, SHA-256 chain) and verify the whole journal. Run with `npx tsx bench/ledger.bench.ts`; prints a
 * markdown table. SHA-256 is node:crypto's, injected through the ledger's port.
 */
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { USD } from '../src/core/money.js';
import { SeededRandom } from '../src/core/random.js';
import { Journal } from '../src/ledger/journal.js';
import type { Sha256 } from '../src/ledger/journal-entry.js';
import type { FillRow, SlotOutcome } from '../src/ledger/settlement-input.js';
import { settleTrades } from '../src/ledger/slot-market-settlement.js';
import { verifyJournal } from '../src/ledger/verify-journal.js';

const SLOTS = Number(process.env['LEDGER_BENCH_SLOTS'] ?? 1000);
const ROWS_PER_SLOT = 1000;
const SLOT_MS = 300_000;
const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

function slotOutcome(index: number, random: SeededRandom): SlotOutcome {
  const slot = {
    startMs: Date.UTC(2026, 0, 1) + index * SLOT_MS,
    endMs: Date.UTC(2026, 0, 1) + (index + 1) * SLOT_MS,
  };
  const pricePerKwh = random.uniform(0.02, 0.3);
  const half = ROWS_PER_SLOT / 2;
  const rows: FillRow[] = [];
  const buysKw: number[] = Array.from({ length: half }, () => random.uniform(0, 10));
  for (let i = 0; i < half; i++) {
    rows.push({
      rowId: `b${i}`,
      partyId: `home-${i}`,
      side: 'buy',
      filledKw: buysKw[i] as number,
      pricePerKwh,
      fees: [
        { area: `feeder-${i % 4}`, feePerKwh: 0.01 },
        { area: 'substation', feePerKwh: 0.004 },
      ],
      ...(i % 10 === 0 ? { aggregator: { aggregatorId: 'vpp', marginPerKwh: 0.003 } } : {}),
    });
  }
  // Sellers deliver the same energy, in a different split.
  for (let i = 0; i < half; i++) {
    rows.push({
      rowId: `s${i}`,
      partyId: `pv-${i}`,
      side: 'sell',
      filledKw: buysKw[half - 1 - i] as number,
      pricePerKwh,
    });
  }
  return { marketId: 'bench', slot, timeMs: slot.endMs, currency: USD, rows };
}

const random = new SeededRandom(825);
const outcomes = Array.from({ length: SLOTS }, (_, index) => slotOutcome(index, random));

// Slot by slot, as the engine will run it: settle a slot, append its entries, keep only the journal.
const journal = new Journal(sha256);
let settleMs = 0;
let appendMs = 0;
for (const outcome of outcomes) {
  let start = performance.now();
  const settled = settleTrades(outcome);
  if (!settled.ok) throw settled.error;
  settleMs += performance.now() - start;
  start = performance.now();
  const posted = journal.post(settled.value.drafts);
  if (!posted.ok) throw posted.error;
  appendMs += performance.now() - start;
}

const start = performance.now();
const report = verifyJournal(journal.entries(), sha256);
const verifyMs = performance.now() - start;
if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report)}`);

const fills = SLOTS * ROWS_PER_SLOT;
const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');
console.log(
  `Ledger: ${fills.toLocaleString('en-US')} fills in ${SLOTS} slots → ${journal.length.toLocaleString('en-US')} entries, ${report.postingCount.toLocaleString('en-US')} postings`,
);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
console.log('| step | time (s) | entries/s |');
console.log('|---|---:|---:|');
console.log(
  `| settle fills into entry drafts | ${(settleMs / 1000).toFixed(2)} | ${perSecond(journal.length, settleMs)} |`,
);
console.log(
  `| append (validate, canonical form, SHA-256 chain) | ${(appendMs / 1000).toFixed(2)} | ${perSecond(journal.length, appendMs)} |`,
);
console.log(
  `| settle + append | ${((settleMs + appendMs) / 1000).toFixed(2)} | ${perSecond(journal.length, settleMs + appendMs)} |`,
);
console.log(
  `| verify journal (chain, balance, energy) | ${(verifyMs / 1000).toFixed(2)} | ${perSecond(journal.length, verifyMs)} |`,
);
console.log(
  `\nturnover ${JSON.stringify(report.turnoverMinorByCurrency)} minor units; energy bought = sold = ${report.energyBoughtWh.toLocaleString('en-US')} Wh`,
);
