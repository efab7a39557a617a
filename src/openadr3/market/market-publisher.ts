/**
 * The VTN publishes the market: for every `slot-cleared` on the market event bus it writes the slot's
 * price event into the market's program (created once per market) and, for each aggregator member with
 * fills, a dispatch event targeted `participant:{memberId}`. Writes run one at a time off the bus
 * listener, so the operator is never blocked and never sees an error (they go to `onError`). Every event
 * is created once by name: a repeat, a restart or a second instance changes nothing. On start it
 * catches up on slots cleared in the last `catchUpSlots` slots that have no event yet (a crash between
 * clearing and publishing loses nothing), and again at the first clearing it hears of (a standby that
 * took over), and after each slot it prunes market events that ended more
 * than `keepEventsMs` ago, a few at a time, so the events table stays bounded.
 */
import type { MarketEvent, MarketEventBus } from '../../live/market-events.js';
import { listMarkets } from '../../store/market-repository.js';
import { searchOpenAdrObjects } from '../../store/openadr-object-repository.js';
import type { VtnObjects } from '../vtn-objects.js';
import {
  clearedSlotsSince,
  marketSettings,
  memberSetpoints,
  settingsOf,
  type MarketSettings,
} from './cleared-slots.js';
import {
  dispatchEventRequest,
  eventNameForSlot,
  marketProgramRequest,
  parseMarketEventName,
  slotPriceEventRequest,
} from './market-mapping.js';
import { createEventOnce, ensureProgram, findMarketEvent, MARKET_PUBLISHER } from './market-objects.js';
import type { MarketRules } from '../../live/market-rules.js';
import { SerialWork } from '../../core/serial-work.js';

export interface MarketPublisherOptions {
  /** The VTN's object writes: `app.openadr3Objects` of the API server. */
  readonly objects: VtnObjects;
  readonly events: MarketEventBus;
  /** A failed write (the store, a bad market): logged by the caller; the next slot is tried anyway. */
  readonly onError: (error: unknown) => void;
  /** How many slots back the start-up catch-up looks (default 12). */
  readonly catchUpSlots?: number;
  /** Market events that ended longer ago than this are deleted (default one day; 0 keeps all). */
  readonly keepEventsMs?: number;
}

export interface MarketPublisher {
  /** Resolves when the catch-up and every write queued so far are done. */
  idle(): Promise<void>;
  /** Stops listening and waits for in-flight writes. */
  close(): Promise<void>;
}

const DEFAULT_CATCH_UP_SLOTS = 12;
const DEFAULT_KEEP_EVENTS_MS = 86_400_000;
/** Old events deleted per cleared slot at most: pruning catches up over a few slots, never in one burst. */
const PRUNE_BATCH = 20;

export function startOpenAdr3MarketPublisher(options: MarketPublisherOptions): MarketPublisher {
  const { objects, events, onError } = options;
  const catchUpSlots = options.catchUpSlots ?? DEFAULT_CATCH_UP_SLOTS;
  const keepEventsMs = options.keepEventsMs ?? DEFAULT_KEEP_EVENTS_MS;
  const programs = new Map<string, string>();
  const work = new SerialWork(onError);
  let closed = false;

  const programOf = async (market: MarketSettings): Promise<string> => {
    const known = programs.get(market.marketId);
    if (known !== undefined) return known;
    const id = await ensureProgram(objects, MARKET_PUBLISHER, marketProgramRequest(market));
    programs.set(market.marketId, id);
    return id;
  };

  const publishSlot = async (
    market: MarketSettings,
    slot: { slotStartMs: number; pricePerKwh: number | null; status: string; tradedEnergyWh: number },
  ) => {
    const programId = await programOf(market);
    const timing = {
      marketId: market.marketId,
      slotStartMs: slot.slotStartMs,
      slotDurationMs: market.slotDurationMs,
    };
    await createEventOnce(
      objects,
      MARKET_PUBLISHER,
      slotPriceEventRequest(programId, { ...market, ...slot, marketId: market.marketId }),
    );
    for (const [memberId, kw] of await memberSetpoints(objects.db, market.marketId, slot.slotStartMs))
      await createEventOnce(objects, MARKET_PUBLISHER, dispatchEventRequest(programId, timing, memberId, kw));
  };

  const onSlotCleared = async (event: Extract<MarketEvent, { type: 'slot-cleared' }>) => {
    const market = await marketSettings(objects.db, event.marketId);
    if (market === undefined) throw new Error(`market '${event.marketId}' cleared a slot but is not stored`);
    try {
      await publishSlot(market, event);
    } catch (error) {
      // Someone deleted the market's program (and its events): forget it and publish into a new one.
      if ((error as { code?: unknown }).code !== 'TE_ERR_UNKNOWN_REFERENCE') throw error;
      programs.delete(market.marketId);
      await publishSlot(market, event);
    }
    if (keepEventsMs > 0) await prune(market);
  };

  const prune = async (market: MarketSettings) => {
    const programId = await programOf(market);
    const cutoffMs = objects.nowMs() - keepEventsMs;
    // Oldest first (the store orders by write sequence): the first page holds the candidates.
    const oldest = await searchOpenAdrObjects(objects.db, {
      objectType: 'EVENT',
      programId,
      skip: 0,
      limit: PRUNE_BATCH,
    });
    for (const event of oldest) {
      const ended = event.endsMs !== undefined && event.endsMs < cutoffMs;
      const ours = event.name !== undefined && parseMarketEventName(event.name)?.marketId === market.marketId;
      if (ended && ours) await objects.remove(MARKET_PUBLISHER, 'EVENT', event.id, 'eventID');
    }
  };

  const catchUp = async () => {
    for (const stored of await listMarkets<MarketRules>(objects.db)) {
      const market = settingsOf(stored);
      const fromMs = objects.nowMs() - catchUpSlots * market.slotDurationMs;
      for (const slot of await clearedSlotsSince(objects.db, market.marketId, fromMs)) {
        if (closed) return;
        if (
          (await findMarketEvent(objects, eventNameForSlot(market.marketId, slot.slotStartMs))) !== undefined
        )
          continue;
        await publishSlot(market, slot);
      }
    }
  };

  let clearingSeen = false;
  const unsubscribe = events.subscribe((event) => {
    if (event.type !== 'slot-cleared' || closed) return;
    work.enqueue(() => onSlotCleared(event));
    // The first clearing this instance hears of may follow a takeover from a leader that died between
    // clearing a slot and publishing it: look back once more.
    if (!clearingSeen) work.enqueue(catchUp);
    clearingSeen = true;
  });
  work.enqueue(catchUp);

  return {
    idle: () => work.idle(),
    async close() {
      closed = true;
      unsubscribe();
      await this.idle();
    },
  };
}
