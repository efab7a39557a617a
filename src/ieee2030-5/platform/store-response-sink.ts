/**
 * DERControlResponses in the store, so which device acknowledged, started, completed or refused which
 * control survives a restart and is visible from every instance. A resend is not a second row. The table
 * stays bounded: a periodic prune keeps the last 7 days and at most 1,000 responses per device (defaults).
 * A response that cannot be stored is logged and still acknowledged: devices do not resend responses, and
 * settlement does not depend on them.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../live/clock.js';
import type { StoreSchema } from '../../store/schema.js';
import type { DERControlResponse } from '../der-curve.js';
import type { SepDevice, SepResponseSink } from '../server/registry.js';
import { insertControlResponse, pruneControlResponses } from './sep-device-state-repository.js';

/**
 * Statuses that mean the control was not (fully) carried out: opted out (4), partly completed after an
 * opt-out (8), not taken part in (10), aborted by a disconnect (13), and the rejections and expiries
 * (252 to 255). These are logged.
 */
export const NOT_FOLLOWED: ReadonlySet<number> = new Set([4, 8, 10, 13, 252, 253, 254, 255]);

export const DEFAULT_RESPONSE_RETENTION_MS = 7 * 24 * 3_600_000;
export const DEFAULT_RESPONSES_PER_DEVICE = 1_000;
export const DEFAULT_RESPONSE_PRUNE_MS = 60_000;

export interface StoreSepResponseSinkOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Responses received longer ago than this (platform clock) are pruned; default 7 days. */
  readonly retentionMs?: number;
  /** Most responses kept per device, newest first; default 1,000. */
  readonly maxPerDevice?: number;
  /** Real milliseconds between prunes; default one minute. */
  readonly pruneEveryMs?: number;
}

export class StoreSepResponseSink implements SepResponseSink {
  readonly #options: StoreSepResponseSinkOptions;
  #timer: NodeJS.Timeout | undefined;
  #pruning: Promise<number> | undefined;

  constructor(options: StoreSepResponseSinkOptions) {
    this.#options = options;
  }

  async record(device: SepDevice, response: DERControlResponse): Promise<void> {
    const status = response.status ?? 0;
    if (NOT_FOLLOWED.has(status))
      this.#options.log(
        `IEEE 2030.5: device ${device.id} answered control ${response.subject} with status ${status} (not followed)`,
      );
    try {
      await insertControlResponse(this.#options.db, {
        deviceId: device.id,
        controlMRID: response.subject,
        status,
        responseTimeS: response.createdDateTime,
        receivedMs: this.#options.clock.nowMs(),
      });
    } catch (error) {
      this.#options.log(
        `IEEE 2030.5: the response of device ${device.id} to control ${response.subject} was not stored: ${String(error)}`,
      );
    }
  }

  /** Prunes once now and then periodically. */
  async start(): Promise<void> {
    await this.prune();
    this.#timer ??= setInterval(() => {
      void this.prune();
    }, this.#options.pruneEveryMs ?? DEFAULT_RESPONSE_PRUNE_MS);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pruning;
  }

  /** Deletes what is beyond the bounds; how many rows went (0 when it failed, which is logged). */
  prune(): Promise<number> {
    this.#pruning ??= pruneControlResponses(this.#options.db, {
      olderThanMs: this.#options.clock.nowMs() - (this.#options.retentionMs ?? DEFAULT_RESPONSE_RETENTION_MS),
      maxPerDevice: this.#options.maxPerDevice ?? DEFAULT_RESPONSES_PER_DEVICE,
    })
      .catch((error: unknown) => {
        this.#options.log(`IEEE 2030.5: pruning control responses failed: ${String(error)}`);
        return 0;
      })
      .finally(() => {
        this.#pruning = undefined;
      });
    return this.#pruning;
  }
}
