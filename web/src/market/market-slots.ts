/**
 * The market view's loads: the market's rules, the slots in the chosen range with each cleared slot's
 * outcome (price, traded energy, mechanism: the slot listing carries them), and one slot's curves and,
 * for a continuous market, its order book.
 */
import { dataOf, type ApiClient } from '../api/client';
import { ApiProblem } from '../api/problem';
import type { Session } from '../api/session';
import type { OrderBook, SlotCurves } from './contracts';
import { nowOf, platformClock } from './market-data';
import { rangeStartMs, type RangeKey, type SlotOutcome } from './slot-series';

export const CONTINUOUS_MECHANISM = 'continuous-double-auction';
/** The slots route answers at most this many. */
const MAX_SLOTS = 2000;

export interface MarketSlot {
  readonly startMs: number;
  readonly endMs: number;
  readonly gateClosureMs: number;
  readonly status: 'open' | 'closed' | 'cleared';
  readonly settledAtMs: number | null;
}

export interface MarketOverview {
  readonly nowMs: number;
  readonly currency: string;
  readonly mechanism: string | undefined;
  readonly slotDurationMs: number;
  readonly supplier?: { pricePerKwh: number; hourlyPricePerKwh?: number[] };
  /** In time order. */
  readonly slots: readonly MarketSlot[];
  readonly outcomes: ReadonlyMap<number, SlotOutcome>;
  /** True when the range held more slots than one answer carries. */
  readonly truncated: boolean;
}

export async function loadMarketOverview(
  api: ApiClient,
  session: Session,
  marketId: string,
  range: RangeKey,
  cache: Map<number, SlotOutcome>,
): Promise<MarketOverview> {
  const [clock, market] = await Promise.all([
    platformClock(session),
    dataOf(api.GET('/api/markets/{marketId}', { params: { path: { marketId } } })),
  ]);
  const nowMs = nowOf(clock);
  const fromMs = rangeStartMs(range, nowMs);
  const horizon = (market.rules?.orderHorizonSlots ?? 4) + 1;
  const slots = await dataOf(
    api.GET('/api/markets/{marketId}/slots', {
      params: {
        path: { marketId },
        query: {
          ...(fromMs === undefined ? {} : { fromMs: Math.max(0, Math.floor(fromMs)) }),
          toMs: Math.ceil(nowMs + horizon * market.slotDurationMs),
          limit: MAX_SLOTS,
        },
      },
    }),
  );
  for (const slot of slots) {
    if (slot.pricePerKwh === null || slot.tradedEnergyWh === null || slot.mechanism === null) continue;
    cache.set(slot.startMs, {
      pricePerKwh: slot.pricePerKwh,
      tradedEnergyWh: slot.tradedEnergyWh,
      mechanism: slot.mechanism,
    });
  }
  const supplier = market.rules?.supplier;
  return {
    nowMs,
    currency: market.rules?.currency ?? 'USD',
    mechanism: market.rules?.mechanism,
    slotDurationMs: market.slotDurationMs,
    ...(supplier === undefined ? {} : { supplier }),
    slots: [...slots].sort((a, b) => a.startMs - b.startMs),
    outcomes: new Map(cache),
    truncated: slots.length >= MAX_SLOTS,
  };
}

export type SlotDetail =
  | {
      readonly kind: 'not-cleared';
      readonly slotStartMs: number;
      readonly status?: string;
      readonly gateClosureMs?: number;
      /** A continuous market's book is public depth even while the slot trades. */
      readonly book?: OrderBook;
    }
  | {
      readonly kind: 'cleared';
      readonly slotStartMs: number;
      readonly curves: SlotCurves;
      readonly book?: OrderBook;
    };

export async function loadSlotDetail(
  api: ApiClient,
  marketId: string,
  slot: MarketSlot | undefined,
  slotStartMs: number,
  mechanism: string | undefined,
): Promise<SlotDetail> {
  const bookOf = async (): Promise<OrderBook | undefined> => {
    if (mechanism !== CONTINUOUS_MECHANISM) return undefined;
    try {
      return await dataOf(
        api.GET('/api/markets/{marketId}/book', { params: { path: { marketId }, query: { slotStartMs } } }),
      );
    } catch (error) {
      if (error instanceof ApiProblem && [404, 409].includes(error.problem.status)) return undefined;
      throw error;
    }
  };
  if (slot !== undefined && slot.status !== 'cleared') {
    const book = await bookOf();
    return {
      kind: 'not-cleared',
      slotStartMs,
      status: slot.status,
      gateClosureMs: slot.gateClosureMs,
      ...(book === undefined ? {} : { book }),
    };
  }
  try {
    const [curves, book] = await Promise.all([
      dataOf(
        api.GET('/api/markets/{marketId}/slots/{slotStartMs}/curves', {
          params: { path: { marketId, slotStartMs } },
        }),
      ),
      bookOf(),
    ]);
    return { kind: 'cleared', slotStartMs, curves, ...(book === undefined ? {} : { book }) };
  } catch (error) {
    if (error instanceof ApiProblem && error.problem.code === 'TE_ERR_SLOT_NOT_CLEARED')
      return { kind: 'not-cleared', slotStartMs };
    throw error;
  }
}
