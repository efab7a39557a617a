/**
 * Device telemetry (docs/api.md): each device's newest sample, paged by device id, and one device's
 * history, typed by the server's own schema. The fleet view reads every page, so an operator sees the
 * whole fleet.
 */
import { dataOf, type AnswerOf, type ApiClient } from '../api/client';

export type LatestDevice = AnswerOf<'/api/device-telemetry/latest'>['devices'][number];
export type TelemetrySample = LatestDevice['sample'];
export type DeviceHistory = AnswerOf<'/api/devices/{deviceId}/telemetry'>;

/** The server's largest page. */
export const LATEST_PAGE_LIMIT = 5_000;
/** Pages read at most (100,000 devices): a bound, not an expected size. */
const MAX_PAGES = 20;

/** Every device in the caller's scope with its newest sample, in id order. */
export async function fetchFleet(api: ApiClient): Promise<LatestDevice[]> {
  const devices: LatestDevice[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await dataOf(
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

/** The platform's clock: the demo's (accelerated) when it runs one, else this browser's. */
export async function platformNowMs(api: ApiClient): Promise<number> {
  try {
    return (await dataOf(api.GET('/api/demo'))).nowMs;
  } catch {
    return Date.now();
  }
}
