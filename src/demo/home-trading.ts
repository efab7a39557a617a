/**
 * A slot's trading for every home at once: its orders before the gate (a home whose order is refused or
 * late sits the slot out), and, once the slot has cleared, its own fills read back as the home.
 * Everything is concurrent; the transport's limit bounds what is in flight.
 */
import type { Clock } from '../live/clock.js';
import type { PlatformApiClient } from './api-client.js';
import { isApiError } from '../http-client/api-error.js';
import type { ClientCredentials } from '../http-client/api-transport.js';
import { addFillsToRows, type HomeOrders, type PlannedOrder } from './home-orders.js';
import { describeFailure } from './home-registration.js';
import { pause } from '../http-client/pause.js';

export interface TradingHome {
  readonly orders: HomeOrders;
  readonly credentials: ClientCredentials;
}

export interface HomeSubmission {
  readonly home: TradingHome;
  /** Orders the market accepted. */
  readonly accepted: readonly PlannedOrder[];
  /** Why an order was not accepted (its code), when one was not. */
  readonly refusal?: string;
}

export interface SubmissionSummary {
  readonly submissions: readonly HomeSubmission[];
  readonly ordersSent: number;
  /** Homes with at least one order refused or late. */
  readonly missed: number;
  /** Refusal codes and how often each came. */
  readonly refusals: ReadonlyMap<string, number>;
}

/** Until the operator opens the slot, an order is refused as not open: try again shortly. */
const NOT_OPEN_CODES = new Set(['TE_ERR_SLOT_NOT_OPEN', 'TE_ERR_UNKNOWN_SLOT']);
const NOT_OPEN_RETRY_MS = 50;

/** Submits every home's orders; in-flight requests and retries are abandoned when the gate closes. */
export async function submitHomeOrders(
  api: PlatformApiClient,
  homes: readonly TradingHome[],
  clock: Clock,
  gateClosureMs: number,
  stop: AbortSignal,
): Promise<SubmissionSummary> {
  const gate = new AbortController();
  const finished = new AbortController();
  void clock.sleepUntil(gateClosureMs, AbortSignal.any([finished.signal, stop])).then(() => gate.abort());
  const signal = AbortSignal.any([gate.signal, stop]);
  let ordersSent = 0;
  const submissions = await Promise.all(
    homes.map(async (home): Promise<HomeSubmission> => {
      const accepted: PlannedOrder[] = [];
      let refusal: string | undefined;
      await Promise.all(
        home.orders.orders.map(async (order) => {
          try {
            await submitWhenOpen(api, home.credentials, order, signal);
            accepted.push(order);
            ordersSent++;
          } catch (caught) {
            refusal = isApiError(caught)
              ? signal.aborted
                ? 'TE_ERR_ORDER_LATE'
                : caught.code
              : describeFailure(caught);
          }
        }),
      );
      return { home, accepted, ...(refusal === undefined ? {} : { refusal }) };
    }),
  );
  finished.abort();
  const refusals = new Map<string, number>();
  for (const { refusal } of submissions) {
    if (refusal !== undefined) refusals.set(refusal, (refusals.get(refusal) ?? 0) + 1);
  }
  return {
    submissions,
    ordersSent,
    missed: submissions.filter((s) => s.refusal !== undefined).length,
    refusals,
  };
}

async function submitWhenOpen(
  api: PlatformApiClient,
  as: ClientCredentials,
  order: PlannedOrder,
  signal: AbortSignal,
): Promise<void> {
  for (;;) {
    try {
      await api.submitOrder(as, order.submission, signal);
      return;
    } catch (caught) {
      if (!isApiError(caught) || !NOT_OPEN_CODES.has(caught.code) || signal.aborted) throw caught;
      await pause(NOT_OPEN_RETRY_MS, signal);
    }
  }
}

/**
 * Each home that traded reads its own fills for the slot; they land in `filledKw` by table row. Returns
 * the homes whose result could not be read (their devices get no award).
 */
export async function readHomeFills(
  api: PlatformApiClient,
  marketId: string,
  slotStartMs: number,
  submissions: readonly HomeSubmission[],
  filledKw: Float64Array,
  stop: AbortSignal,
): Promise<number> {
  let unread = 0;
  await Promise.all(
    submissions.map(async ({ home, accepted }) => {
      if (accepted.length === 0) return;
      try {
        const result = await api.slotResult(home.credentials, marketId, slotStartMs, stop);
        addFillsToRows(accepted, result.fills.rows, filledKw);
      } catch {
        unread++;
      }
    }),
  );
  return unread;
}
