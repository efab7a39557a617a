/**
 * Cleared slots become charging profiles. On every `slot-cleared` of the bidding market, each station
 * whose participant bought energy under an EVSE's charging order (`ocpp-evse-{evseId}`) in a slot that has
 * not ended gets a SetChargingProfile for that EVSE: one period per cleared slot from the first to the last
 * (the filled power, 0 in a slot it bought nothing), valid from the first slot's start to the last one's
 * end. A TxProfile when a transaction runs on the EVSE, else a TxDefaultProfile; the id and stack level
 * depend only on the purpose and the EVSE, so the next clearing's profile replaces this one
 * (OCPP 2.0.1 K01.FR.05). The limit is in W, or in A per phase when the EVSE's need was AC
 * (charging-profile-mapping.ts).
 *
 * Calls go out concurrently (bounded) off the bus listener; a station that is offline, rejects or fails is
 * counted and logged, never thrown into the bus.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../live/clock.js';
import type { MarketEventBus } from '../live/market-events.js';
import type { MarketRules } from '../live/market-rules.js';
import { getMarket, listMarkets } from '../store/market-repository.js';
import type { StoreSchema } from '../store/schema.js';
import { readChargingFills } from './charging-fills.js';
import { listChargingNeeds } from './charging-need-repository.js';
import { profileRequest, type SlotPower } from './charging-profile-mapping.js';
import type { Csms } from './csms.js';
import { listStations } from './station-repository.js';
import { SerialWork } from '../core/serial-work.js';

export interface ChargingProfilesOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  readonly csms: Pick<Csms, 'callStation' | 'activeTransaction' | 'connectedStations'>;
  /** The market the charging orders are in (default: the first market by id), as for the bids. */
  readonly marketId?: string;
  readonly log: (line: string) => void;
  /** Calls in flight at once (default 256). */
  readonly concurrency?: number;
  /**
   * Real milliseconds between looks in the store for a clearing this instance did not hear of (another
   * instance's operator cleared it, or this one missed the event); default 2,000, 0 for none.
   */
  readonly pollMs?: number;
}

export interface ProfileRun {
  readonly slotStartMs: number;
  /** Stations with charging fills in the slots. */
  readonly stations: number;
  /** Of those, not connected to this instance: not called (their profile waits for them to connect). */
  readonly offline: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly failed: number;
  readonly durationMs: number;
}

export interface ChargingProfiles {
  /** Totals since start. */
  counts(): {
    readonly sent: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly failed: number;
  };
  /** The last clearing's fan-out. */
  lastRun(): ProfileRun | undefined;
  /** Sends the profiles for the market's cleared slots now (what a `slot-cleared` triggers). */
  sendFor(marketId: string, slotStartMs: number): Promise<ProfileRun>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function startChargingProfiles(options: ChargingProfilesOptions): ChargingProfiles {
  const { db, clock, csms, log } = options;
  const concurrency = options.concurrency ?? 256;
  const totals = { sent: 0, accepted: 0, rejected: 0, failed: 0 };
  let last: ProfileRun | undefined;
  let closed = false;
  const work = new SerialWork((error: unknown) =>
    log(`OCPP: charging profiles after a clearing failed: ${String(error)}`),
  );

  const sendFor = async (marketId: string, slotStartMs: number): Promise<ProfileRun> => {
    const startedMs = performance.now();
    const market = await getMarket<MarketRules>(db, marketId);
    const slotMs = market?.slotDurationMs ?? 0;
    const nowMs = clock.nowMs();
    const { slotStarts: starts, bought } = await readChargingFills(db, marketId, nowMs - slotMs);
    const calls: (() => Promise<void>)[] = [];
    const run = { offline: 0, accepted: 0, rejected: 0, failed: 0 };
    const connected = new Set(csms.connectedStations());
    const storedNeeds = new Map(
      (await listChargingNeeds(db)).map((need) => [`${need.stationId}/${need.evseId}`, need] as const),
    );
    let stations = 0;
    for (const station of bought.size === 0 ? [] : await listStations(db)) {
      const evses = bought.get(station.participantId);
      if (evses === undefined) continue;
      stations += 1;
      if (!connected.has(station.stationId)) {
        run.offline += 1;
        continue;
      }
      for (const [evseId, slots] of evses) {
        const powers: SlotPower[] = starts.map((startMs) => ({ startMs, kw: slots.get(startMs) ?? 0 }));
        const request = profileRequest({
          evseId,
          slots: powers,
          slotDurationMs: slotMs,
          transactionId: csms.activeTransaction(station.stationId, evseId),
          need: storedNeeds.get(`${station.stationId}/${evseId}`),
        });
        calls.push(async () => {
          totals.sent += 1;
          try {
            const answer = await csms.callStation(station.stationId, 'SetChargingProfile', request);
            if (answer.status === 'Accepted') run.accepted += 1;
            else {
              run.rejected += 1;
              log(
                `OCPP: ${station.stationId} rejected the charging profile (${answer.statusInfo?.reasonCode ?? 'no reason'})`,
              );
            }
          } catch (error) {
            run.failed += 1;
            log(`OCPP: charging profile to ${station.stationId}: ${(error as Error).message}`);
          }
        });
      }
    }
    await inParallel(calls, concurrency);
    totals.accepted += run.accepted;
    totals.rejected += run.rejected;
    totals.failed += run.failed;
    last = { slotStartMs, stations, ...run, durationMs: performance.now() - startedMs };
    return last;
  };

  const biddingMarket = async () =>
    options.marketId ?? (await listMarkets<MarketRules>(db)).map((m) => m.id).sort()[0];
  // The newest cleared slot whose profiles were sent: the bus and the poll each send a clearing once.
  let newestSentMs = Number.NEGATIVE_INFINITY;
  const sendOnce = async (marketId: string, slotStartMs: number) => {
    if (slotStartMs <= newestSentMs) return;
    newestSentMs = slotStartMs;
    await sendFor(marketId, slotStartMs);
  };

  const unsubscribe = options.events.subscribe((event) => {
    if (closed || event.type !== 'slot-cleared') return;
    work.enqueue(async () => {
      const marketId = await biddingMarket();
      if (event.marketId === marketId) await sendOnce(marketId, event.slotStartMs);
    });
  });
  let polling = false;
  const poll = () => {
    if (closed || polling) return;
    polling = true;
    work.enqueue(async () => {
      polling = false;
      const marketId = await biddingMarket();
      if (marketId === undefined) return;
      const newest = await db
        .selectFrom('clearing_results')
        .select((eb) => eb.fn.max('slot_start_ms').as('start_ms'))
        .where('market_id', '=', marketId)
        .executeTakeFirst();
      if (newest?.start_ms != null) await sendOnce(marketId, Number(newest.start_ms));
    });
  };
  const pollMs = options.pollMs ?? 2_000;
  const timer = pollMs > 0 ? setInterval(poll, pollMs) : undefined;
  timer?.unref();

  return {
    counts: () => ({ ...totals }),
    lastRun: () => last,
    sendFor,
    idle: () => work.idle(),
    async close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      await this.idle();
    },
  };
}

async function inParallel(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (job !== undefined) await job();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}
