/**
 * DERControlResponses in the platform: counts per device and status, and each device's latest responses,
 * held in memory (lost on restart, per instance: they are an operator's view of whether devices follow,
 * not a record settlement depends on). Responses that say a control was not followed are logged.
 */
import type { DERControlResponse } from '../der-curve.js';
import type { SepDevice, SepResponseSink } from '../server/registry.js';

/**
 * Statuses that mean the control was not (fully) carried out: opted out (4), partly completed after an
 * opt-out (8), not taken part in (10), aborted by a disconnect (13), and the rejections and expiries
 * (252 to 255).
 */
export const NOT_FOLLOWED: ReadonlySet<number> = new Set([4, 8, 10, 13, 252, 253, 254, 255]);
const LATEST_PER_DEVICE = 20;
/** Devices tracked at most; beyond that the oldest-seen device's record is dropped. */
const MAX_DEVICES = 100_000;

export interface DeviceResponses {
  readonly countsByStatus: Readonly<Record<number, number>>;
  /** Newest last. */
  readonly latest: readonly DERControlResponse[];
}

export class PlatformSepResponseSink implements SepResponseSink {
  readonly #byDevice = new Map<string, { counts: Record<number, number>; latest: DERControlResponse[] }>();
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  record(device: SepDevice, response: DERControlResponse): void {
    let entry = this.#byDevice.get(device.id);
    if (entry === undefined) {
      if (this.#byDevice.size >= MAX_DEVICES) {
        const [oldest] = this.#byDevice.keys();
        if (oldest !== undefined) this.#byDevice.delete(oldest);
      }
      entry = { counts: {}, latest: [] };
      this.#byDevice.set(device.id, entry);
    }
    const status = response.status ?? 0;
    entry.counts[status] = (entry.counts[status] ?? 0) + 1;
    entry.latest.push(response);
    if (entry.latest.length > LATEST_PER_DEVICE) entry.latest.shift();
    if (NOT_FOLLOWED.has(status))
      this.#log(
        `IEEE 2030.5: device ${device.id} answered control ${response.subject} with status ${status} (not followed)`,
      );
  }

  /** What a device answered so far; undefined when it never answered. */
  of(deviceId: string): DeviceResponses | undefined {
    const entry = this.#byDevice.get(deviceId);
    return entry === undefined
      ? undefined
      : { countsByStatus: { ...entry.counts }, latest: [...entry.latest] };
  }
}
