/**
 * Contract A of issue 8 (docs/api.md, device telemetry): each device's newest sample, paged by device
 * id, and one device's history. The fleet view reads every page, so an operator sees the whole fleet.
 */
import { dataOf, type ApiClient } from '../api/client';
import { contractGet } from '../grid/contract-get';

export interface TelemetrySample {
  readonly deviceId: string;
  readonly timeMs: number;
  readonly powerKw: number;
  readonly state?: string;
  readonly socPct?: number;
  readonly indoorTempF?: number;
  readonly setpointF?: number;
  readonly comfortLowF?: number;
  readonly comfortHighF?: number;
  readonly tankTempF?: number;
  readonly bidPricePerKwh?: number;
  readonly bidQuantityKw?: number;
  readonly expectedPricePerKwh?: number;
  readonly clearingPricePerKwh?: number;
}

export interface LatestDevice {
  readonly deviceId: string;
  readonly participantId: string;
  readonly kind: string;
  readonly sample: TelemetrySample;
}

export interface DeviceHistory {
  readonly deviceId: string;
  readonly participantId: string;
  readonly kind: string;
  readonly samples: readonly TelemetrySample[];
}

/** The server's largest page. */
export const LATEST_PAGE_LIMIT = 5_000;
/** Pages read at most (100,000 devices): a bound, not an expected size. */
const MAX_PAGES = 20;

/** Every device in the caller's scope with its newest sample, in id order. */
export async function fetchFleet(api: ApiClient): Promise<LatestDevice[]> {
  const devices: LatestDevice[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: { devices: readonly LatestDevice[]; nextAfterId?: string } = await dataOf(
      api.GET('/api/device-telemetry/latest', {
        params: { query: { limit: LATEST_PAGE_LIMIT, ...(afterId === undefined ? {} : { afterId }) } },
      }),
    );
    devices.push(...answer.devices);
    if (answer.nextAfterId === undefined || answer.devices.length === 0) break;
    afterId = answer.nextAfterId;
  }
  return devices;
}

export function fetchDeviceHistory(
  api: ApiClient,
  deviceId: string,
  fromMs: number,
  toMs: number,
): Promise<DeviceHistory> {
  return dataOf(
    api.GET('/api/devices/{deviceId}/telemetry', {
      params: { path: { deviceId }, query: { fromMs: Math.floor(fromMs), toMs: Math.ceil(toMs) } },
    }),
  );
}

/**
 * The platform's clock: the demo's (accelerated) when it runs one, else this browser's. (GET /api/demo,
 * contract C, is not in the generated schema yet.)
 */
export async function platformNowMs(api: ApiClient): Promise<number> {
  try {
    const demo = await contractGet<{ nowMs?: number }>(api, '/api/demo');
    return typeof demo.nowMs === 'number' ? demo.nowMs : Date.now();
  } catch {
    return Date.now();
  }
}
