/**
 * The shapes of the dashboard's backend contracts (issue 8) as these views read them: the fields they
 * use, so the pure modules and their tests need not build whole API answers (the generated types are
 * assignable to them). `/api/demo` is registered only in demo mode, so the generated schema lacks it:
 * `getContract` reads it with the session's token.
 */
import { dataOf, type ApiClient } from '../api/client';
import { problemFromResponse } from '../api/problem';
import type { Session } from '../api/session';

export interface CurveStep {
  readonly pricePerKwh: number;
  /** This step's own quantity, not cumulative, kW. */
  readonly quantityKw: number;
}

/** Contract D: `GET /api/markets/{marketId}/slots/{slotStartMs}/curves`. */
export interface SlotCurves {
  readonly slotStartMs: number;
  readonly mechanism: string;
  readonly status: string;
  readonly priceCapPerKwh?: number;
  /** Ascending price (merit order). */
  readonly supply: readonly CurveStep[];
  /** Descending price (merit order). */
  readonly demand: readonly CurveStep[];
  readonly supplyLevels?: number;
  readonly demandLevels?: number;
  readonly priceBandPerKwh?: number;
  readonly clearing: { readonly pricePerKwh: number; readonly quantityKw: number; readonly type: string };
  readonly marginal?: {
    readonly side: 'supply' | 'demand';
    readonly pricePerKwh: number;
    readonly quantityKw: number;
    readonly acceptedKw?: number;
  };
}

export interface BookLevel {
  readonly pricePerKwh: number;
  readonly quantityKw: number;
  readonly orders: number;
}

/** Contract D: `GET /api/markets/{marketId}/book?slotStartMs` (continuous markets only). */
export interface OrderBook {
  readonly slotStartMs: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly lastTradePricePerKwh?: number;
}

export interface TelemetrySample {
  readonly timeMs: number;
  readonly powerKw: number;
  readonly state?: string;
  readonly socPct?: number;
}

export interface LatestDevice {
  readonly deviceId: string;
  readonly participantId: string;
  readonly kind: string;
  readonly sample: TelemetrySample;
}

/** Contract C: `GET /api/demo`. */
export interface DemoState {
  readonly paused: boolean;
  readonly speed: number;
  readonly nowMs: number;
  readonly marketPeriodMs: number;
  readonly startMs: number;
}

/** GET a contract route; a refusal is thrown as an ApiProblem like the typed client's. */
export async function getContract<T>(
  session: Session,
  path: string,
  query: Readonly<Record<string, string | number | undefined>> = {},
): Promise<T> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const search = params.size === 0 ? '' : `?${params.toString()}`;
  const response = await fetch(`${path}${search}`, {
    headers: { authorization: `Bearer ${session.token}`, accept: 'application/json' },
  });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as T;
}

/** Every device's latest sample, following `nextAfterId` (a 1,000-home community is a few pages). */
export async function allLatestTelemetry(api: ApiClient, maxPages = 20): Promise<LatestDevice[]> {
  const devices: LatestDevice[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await dataOf(
      api.GET('/api/device-telemetry/latest', {
        params: { query: { limit: 5000, ...(afterId === undefined ? {} : { afterId }) } },
      }),
    );
    devices.push(...answer.devices);
    if (answer.nextAfterId === undefined || answer.devices.length === 0) break;
    afterId = answer.nextAfterId;
  }
  return devices;
}
