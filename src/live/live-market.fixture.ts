/**
 * A small live community for the market operator's tests: one market (five-minute slots, gate closure a
 * minute ahead, settlement a minute after the end, a 50 kW supplier at 0.08), four participants (`vpp`
 * aggregates `a` and `c`), orders and meter readings written through the real repositories.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LedgerEntry, Sha256 } from '../ledger/journal-entry.js';
import { readLedgerEntries } from '../store/ledger-repository.js';
import { saveMarket } from '../store/market-repository.js';
import { ingestMeterReadings } from '../store/meter-reading-repository.js';
import { submitOrder } from '../store/order-repository.js';
import { registerParticipant } from '../store/registry-repository.js';
import type { StoreSchema } from '../store/schema.js';
import { InProcessEventBus } from './market-events.js';
import type { MarketEvent } from './market-events.js';
import { DEFAULT_MARKET_RULES, type MarketRules } from './market-rules.js';

export const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

export const SLOT_MS = 300_000;
/** 2026-11-24 12:00 UTC, on a slot boundary. */
export const T0 = Date.UTC(2026, 10, 24, 12);
export const MARKET = 'community';

export const RULES: MarketRules = {
  ...DEFAULT_MARKET_RULES,
  slotDurationMs: SLOT_MS,
  gateClosureLeadMs: 60_000,
  orderHorizonSlots: 2,
  settlementDelayMs: 60_000,
  supplier: { id: 'substation', capacityKw: 50, pricePerKwh: 0.08 },
  gridFeePerKwh: 0.02,
  distributionChargePerKwh: 0.03,
  aggregatorMarginPerKwh: 0.005,
};

type Db = Kysely<StoreSchema>;

export async function createCommunity(db: Db, rules: MarketRules = RULES, marketId = MARKET): Promise<void> {
  await saveMarket(db, { id: marketId, name: 'Test community', createdMs: T0, rules });
  for (const [id, role] of [
    ['vpp', 'aggregator'],
    ['a', 'prosumer'],
    ['b', 'prosumer'],
    ['c', 'prosumer'],
  ] as const) {
    await registerParticipant(db, { id, role, name: id, createdMs: T0 });
  }
  await db.updateTable('participants').set({ aggregator_id: 'vpp' }).where('id', 'in', ['a', 'c']).execute();
}

export interface TestOrder {
  readonly participantId: string;
  readonly clientOrderId: string;
  readonly side: 'buy' | 'sell';
  readonly steps: readonly { readonly price: number; readonly quantity: number }[];
}

/** Sellers first, so a continuous market has offers resting when the bids arrive. */
export const COMMUNITY_ORDERS: readonly TestOrder[] = [
  { participantId: 'c', clientOrderId: 'pv', side: 'sell', steps: [{ price: 0.06, quantity: 8 }] },
  { participantId: 'a', clientOrderId: 'hvac', side: 'buy', steps: [{ price: 0.2, quantity: 10 }] },
  {
    participantId: 'b',
    clientOrderId: 'ev',
    side: 'buy',
    steps: [
      { price: 0.15, quantity: 5 },
      { price: 0.05, quantity: 5 },
    ],
  },
];

export async function submitOrders(
  db: Db,
  slotStartMs: number,
  atMs: number,
  orders: readonly TestOrder[] = COMMUNITY_ORDERS,
  marketId = MARKET,
): Promise<void> {
  for (const order of orders) {
    const result = await submitOrder(db, { ...order, marketId, slotStartMs }, atMs);
    if (!result.ok) throw result.error;
  }
}

/** One reading a minute on each participant's premises meter over the slot (Wh per reading). */
export async function postReadings(
  db: Db,
  slotStartMs: number,
  whPerMinute: Readonly<Record<string, number>>,
): Promise<void> {
  const readings = Object.entries(whPerMinute).flatMap(([meterId, energyWh]) =>
    Array.from({ length: SLOT_MS / 60_000 }, (_, k) => ({
      meterId,
      timeMs: slotStartMs + k * 60_000,
      energyWh,
    })),
  );
  const result = await ingestMeterReadings(db, readings);
  if (!result.ok) throw result.error;
}

/** The stored journal as `tenet ledger verify` reads it. */
export async function storedJournal(db: Db): Promise<LedgerEntry[]> {
  const records = await readLedgerEntries(db);
  return records.map((record) => record.body as LedgerEntry);
}

export function recordingBus(): { bus: InProcessEventBus; events: MarketEvent[] } {
  const events: MarketEvent[] = [];
  const bus = new InProcessEventBus((error) => {
    throw error;
  });
  bus.subscribe((event) => events.push(event));
  return { bus, events };
}
