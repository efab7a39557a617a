/**
 * What the Community view loads: the flows (device telemetry by kind, the substation from the grid
 * state or, failing that, the community's metered import) and the market now (current and next
 * slot's price, the last decision with its curves, today's traded energy). Two loads, refreshed on
 * different live events.
 */
import { dataOf, type ApiClient } from '../api/client';
import { ApiProblem } from '../api/problem';
import type { Session } from '../api/session';
import { allLatestTelemetry, type SlotCurves } from '../market/contracts';
import { nowOf, platformClock, startOfDayMs } from '../market/market-data';
import { lastClearedSlot, supplierPriceAt } from '../market/slot-series';
import { aggregateByKind, homesNetKw, type KindTotal } from './flow-model';

export interface Flows {
  /** Device totals by kind; undefined when the role may not read telemetry or none arrived. */
  readonly kinds: readonly KindTotal[] | undefined;
  readonly telemetry: 'ok' | 'refused' | 'none';
  readonly substationKw: number | undefined;
  readonly homesKw: number | undefined;
  /** Where the substation figure came from. */
  readonly substationSource: 'grid-state' | 'metered-import' | 'none';
  readonly capacityKw?: number;
  readonly newestSampleMs?: number;
  /** How many participants' devices the telemetry covers (a prosumer sees its own home only). */
  readonly participants: number;
}

/**
 * Roles the access matrix gives no device telemetry (src/server/access/access-matrix.ts): not asked,
 * so their browser does not log a refused request on every refresh. A 403 is still handled.
 */
const NO_TELEMETRY_ROLES: ReadonlySet<string> = new Set(['regulator']);

const refused = (error: unknown) => error instanceof ApiProblem && error.problem.status === 403;
const missing = (error: unknown) =>
  error instanceof ApiProblem && [403, 404, 409].includes(error.problem.status);

export async function loadFlows(api: ApiClient, session: Session, marketId: string): Promise<Flows> {
  let kinds: KindTotal[] | undefined;
  let telemetry: Flows['telemetry'] = 'none';
  let participants = 0;
  if (NO_TELEMETRY_ROLES.has(session.role)) telemetry = 'refused';
  else
    try {
      const devices = await allLatestTelemetry(api);
      if (devices.length > 0) {
        kinds = aggregateByKind(devices);
        telemetry = 'ok';
        participants = new Set(devices.map((d) => d.participantId)).size;
      }
    } catch (error) {
      if (refused(error)) telemetry = 'refused';
      else if (!missing(error)) throw error;
    }
  const newestSampleMs = kinds === undefined ? undefined : Math.max(...kinds.map((k) => k.newestMs));
  const homesFromDevices = kinds === undefined ? undefined : homesNetKw(kinds);
  const base = {
    kinds,
    telemetry,
    participants,
    ...(newestSampleMs === undefined ? {} : { newestSampleMs }),
  };
  try {
    const grid = await dataOf(api.GET('/api/grid/state'));
    // A slot the grid model could not solve has no substation figure (its `reason` says why).
    if (grid.substationKw !== null)
      return {
        ...base,
        substationKw: grid.substationKw,
        homesKw: grid.substationKw - (grid.lossesKw ?? 0),
        substationSource: 'grid-state',
        capacityKw: grid.capacityKw,
      };
  } catch (error) {
    if (!missing(error)) throw error;
  }
  const meteredKw = await meteredImportKw(api, session, marketId);
  return {
    ...base,
    substationKw: meteredKw,
    homesKw: meteredKw ?? homesFromDevices,
    substationSource: meteredKw === undefined ? 'none' : 'metered-import',
  };
}

/** The community's metered import over the newest settled slot (its readings summed), as average kW. */
async function meteredImportKw(
  api: ApiClient,
  session: Session,
  marketId: string,
): Promise<number | undefined> {
  const nowMs = nowOf(await platformClock(session));
  const slots = await dataOf(
    api.GET('/api/markets/{marketId}/slots', {
      params: { path: { marketId }, query: { fromMs: nowMs - 24 * 3_600_000, toMs: nowMs, limit: 2000 } },
    }),
  );
  const settled = slots.filter((s) => s.settledAtMs !== null).sort((a, b) => b.startMs - a.startMs)[0];
  if (settled === undefined) return undefined;
  const kpis = await dataOf(
    api.GET('/api/kpis', { params: { query: { marketId, fromMs: settled.startMs, toMs: settled.endMs } } }),
  );
  const hours = (settled.endMs - settled.startMs) / 3_600_000;
  return kpis.peakCommunityImportWh === null ? undefined : kpis.peakCommunityImportWh / hours;
}

export interface SlotPrice {
  readonly startMs: number;
  readonly endMs: number;
  readonly status: string;
  readonly gateClosureMs: number;
  /** The clearing price once cleared. */
  readonly pricePerKwh?: number;
}

export interface MarketNow {
  readonly nowMs: number;
  readonly currency: string;
  readonly mechanism: string | undefined;
  readonly current: SlotPrice | undefined;
  readonly next: SlotPrice | undefined;
  /** The newest cleared slot, its result and curves (curves absent when the route refuses). */
  readonly decision?: {
    readonly slotStartMs: number;
    readonly pricePerKwh: number;
    readonly tradedEnergyWh: number;
    readonly curves?: SlotCurves;
    readonly supplierPricePerKwh?: number;
  };
  /** When the first slot clears, for the empty state: the earliest gate closure still ahead. */
  readonly firstGateMs?: number;
  readonly tradedTodayWh: number;
}

export async function loadMarketNow(api: ApiClient, session: Session, marketId: string): Promise<MarketNow> {
  const [clock, market] = await Promise.all([
    platformClock(session),
    dataOf(api.GET('/api/markets/{marketId}', { params: { path: { marketId } } })),
  ]);
  const nowMs = nowOf(clock);
  const slotMs = market.slotDurationMs;
  const slots = await dataOf(
    api.GET('/api/markets/{marketId}/slots', {
      params: { path: { marketId }, query: { fromMs: nowMs - 4 * slotMs, toMs: nowMs + 12 * slotMs } },
    }),
  );
  const priced = async (slot: (typeof slots)[number] | undefined): Promise<SlotPrice | undefined> => {
    if (slot === undefined) return undefined;
    const base = {
      startMs: slot.startMs,
      endMs: slot.endMs,
      status: slot.status,
      gateClosureMs: slot.gateClosureMs,
    };
    if (slot.status !== 'cleared') return base;
    const result = await dataOf(
      api.GET('/api/markets/{marketId}/slots/{slotStartMs}/result', {
        params: { path: { marketId, slotStartMs: slot.startMs } },
      }),
    );
    return { ...base, pricePerKwh: result.price };
  };
  const currentSlot = slots.find((s) => s.startMs <= nowMs && nowMs < s.endMs);
  const nextSlot =
    slots.find((s) => s.startMs === (currentSlot?.endMs ?? Number.NaN)) ??
    slots.find((s) => s.startMs > nowMs);
  const lastCleared = lastClearedSlot(slots);
  const [current, next, decision, kpis] = await Promise.all([
    priced(currentSlot),
    priced(nextSlot),
    lastCleared === undefined ? undefined : loadDecision(api, marketId, lastCleared.startMs),
    dataOf(
      api.GET('/api/kpis', { params: { query: { marketId, fromMs: startOfDayMs(nowMs), toMs: nowMs } } }),
    ),
  ]);
  const supplier = market.rules?.supplier;
  const firstGateMs = slots
    .filter((s) => s.status === 'open')
    .map((s) => s.gateClosureMs)
    .sort((a, b) => a - b)[0];
  return {
    nowMs,
    currency: market.rules?.currency ?? 'USD',
    mechanism: market.rules?.mechanism,
    current,
    next,
    ...(decision === undefined
      ? {}
      : {
          decision: {
            ...decision,
            ...(supplier === undefined
              ? {}
              : { supplierPricePerKwh: supplierPriceAt(supplier, decision.slotStartMs) }),
          },
        }),
    ...(firstGateMs === undefined ? {} : { firstGateMs }),
    tradedTodayWh: kpis.tradedEnergyWh,
  };
}

async function loadDecision(api: ApiClient, marketId: string, slotStartMs: number) {
  const [result, curves] = await Promise.all([
    dataOf(
      api.GET('/api/markets/{marketId}/slots/{slotStartMs}/result', {
        params: { path: { marketId, slotStartMs } },
      }),
    ),
    dataOf(
      api.GET('/api/markets/{marketId}/slots/{slotStartMs}/curves', {
        params: { path: { marketId, slotStartMs }, query: { maxSteps: 200 } },
      }),
    ).catch((error: unknown): SlotCurves | undefined => {
      if (missing(error)) return undefined;
      throw error;
    }),
  ]);
  return {
    slotStartMs,
    pricePerKwh: result.price,
    tradedEnergyWh: result.tradedEnergyWh,
    ...(curves === undefined ? {} : { curves }),
  };
}
