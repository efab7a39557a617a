/**
 * Posting the homes' device telemetry once a slot has ended, beside their meter readings. Batched (the
 * default): one request per slot for every home, as the market operator (which may write any device's
 * telemetry); 300 homes then cost one POST of about a thousand samples instead of 300 (docs/demo.md has
 * the measurement). Per home: each home posts its own batch with its own token, as a real home would.
 * A failed post is logged and dropped: telemetry is for the dashboard, settlement never reads it.
 */
import type { ClientCredentials } from '../http-client/api-transport.js';
import type { DeviceTelemetryInput, PlatformApiClient } from './api-client.js';
import { describeFailure, type RegisteredHome } from './home-registration.js';

/** 'batched', 'per-home' (each home with its own token) or 'off'. */
export type DeviceTelemetryMode = 'batched' | 'per-home' | 'off';

/** The API's largest telemetry batch. */
const MAX_SAMPLES_PER_POST = 10_000;

export class TelemetryPosting {
  #sent = 0;

  constructor(
    private readonly options: {
      readonly api: PlatformApiClient;
      readonly operator: ClientCredentials;
      readonly registered: readonly RegisteredHome[];
      readonly mode: DeviceTelemetryMode;
    },
  ) {}

  /** Samples delivered so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Posts one slot's samples (by premises index); resolves with a line to log when some failed. */
  async post(telemetry: readonly (readonly DeviceTelemetryInput[])[]): Promise<string | undefined> {
    const { api, operator, registered, mode } = this.options;
    let failed = 0;
    let reason = '';
    const send = async (as: ClientCredentials, samples: readonly DeviceTelemetryInput[]) => {
      if (samples.length === 0) return;
      try {
        await api.postDeviceTelemetry(as, samples);
        this.#sent += samples.length;
      } catch (caught) {
        failed++;
        reason = describeFailure(caught);
      }
    };
    if (mode === 'per-home') {
      await Promise.all(registered.map((home) => send(home.credentials, telemetry[home.homeIndex] ?? [])));
    } else if (mode === 'batched') {
      const all = registered.flatMap((home) => telemetry[home.homeIndex] ?? []);
      const posts: Promise<void>[] = [];
      for (let start = 0; start < all.length; start += MAX_SAMPLES_PER_POST) {
        posts.push(send(operator, all.slice(start, start + MAX_SAMPLES_PER_POST)));
      }
      await Promise.all(posts);
    }
    return failed === 0 ? undefined : `${failed} device telemetry posts failed (${reason})`;
  }
}
