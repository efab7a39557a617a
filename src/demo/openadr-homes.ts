/**
 * The demo's VEN homes: some of the registered homes also speak OpenADR 3 to the platform's VTN, over
 * HTTP polling or over the MQTT notifier. They bid over the REST API like every home (OpenADR has no
 * bids), learn each slot's clearing and price from the market's price event, and send their meter
 * readings as USAGE reports against it, which the VTN stores as their meter readings. A home whose VEN
 * setup fails (no VTN, no MQTT notifier) stays a plain REST home or polls instead, and says so.
 */
import type { Clock } from '../live/clock.js';
import type { ApiTransport } from '../http-client/api-transport.js';
import { OPENADR3_BASE_PATH } from '../openadr3/base-path.js';
import { VenClient } from '../openadr3/ven/ven-client.js';
import { describeFailure, type RegisteredHome } from './home-registration.js';
import { VenHome, type SlotEvent, type VenHomeCounters, type VenTransport } from './ven-home.js';

export type { SlotEvent } from './ven-home.js';

/** How many homes are VENs, by transport. */
export interface OpenAdrHomeCounts {
  readonly http: number;
  readonly mqtt: number;
}

/** By default a tenth of the homes poll over HTTP and a tenth listen over MQTT. */
export function defaultOpenAdrHomeCounts(homes: number): OpenAdrHomeCounts {
  return { http: Math.round(homes * 0.1), mqtt: Math.round(homes * 0.1) };
}

export interface OpenAdrHomesStats {
  readonly httpHomes: number;
  readonly mqttHomes: number;
  /** Price events learnt by polling GET /openadr3/events. */
  readonly eventsPolled: number;
  /** Price events pushed by the MQTT notifier. */
  readonly eventsNotified: number;
  /** Meter readings sent as OpenADR USAGE reports. */
  readonly reportsSent: number;
  /** VEN home-slots whose price event did not come in time (no award, reading over REST). */
  readonly eventsMissed: number;
}

export interface OpenAdrHomesOptions {
  /** The platform's base URL (the VTN is below it at /openadr3). */
  readonly baseUrl: string;
  readonly transport: ApiTransport;
  readonly marketId: string;
  /** The last `http + mqtt` of these become VENs: first the polling ones, then the MQTT ones. */
  readonly registered: readonly RegisteredHome[];
  readonly counts: OpenAdrHomeCounts;
  readonly runTag: string;
  /** Real ms between event polls of an HTTP home. */
  readonly pollIntervalMs: number;
  readonly log: (line: string) => void;
  readonly stop: AbortSignal;
}

export class OpenAdrHomes {
  readonly #homes = new Map<string, VenHome>();
  readonly #counters: VenHomeCounters = { eventsPolled: 0, eventsNotified: 0, reportsSent: 0 };
  readonly #polling: Promise<void>[] = [];
  #eventsMissed = 0;

  private constructor(private readonly options: OpenAdrHomesOptions) {}

  static async start(options: OpenAdrHomesOptions): Promise<OpenAdrHomes> {
    const homes = new OpenAdrHomes(options);
    await homes.#startHomes();
    return homes;
  }

  get size(): number {
    return this.#homes.size;
  }

  isVen(participantId: string): boolean {
    return this.#homes.has(participantId);
  }

  stats(): OpenAdrHomesStats {
    const homes = [...this.#homes.values()];
    return {
      httpHomes: homes.filter((h) => h.via === 'http').length,
      mqttHomes: homes.filter((h) => h.via === 'mqtt').length,
      ...this.#counters,
      eventsMissed: this.#eventsMissed,
    };
  }

  /**
   * Whether the VEN home learnt of the slot's price event by `giveUpAtMs` (waiting for it until then);
   * one that did not gets no award for the slot, as a home that cannot read its result.
   */
  async waitForSlot(
    participantId: string,
    slotStartMs: number,
    clock: Clock,
    giveUpAtMs: number,
  ): Promise<boolean> {
    const home = this.#homes.get(participantId);
    if (home === undefined) return false;
    const event = await home.waitForSlot(slotStartMs, clock, giveUpAtMs, this.options.stop);
    if (event === null && !this.options.stop.aborted) this.#eventsMissed += 1;
    return event !== null;
  }

  /** The slot's price event as the home learnt it, if it is a VEN home and did. */
  slotEvent(participantId: string, slotStartMs: number): SlotEvent | undefined {
    return this.#homes.get(participantId)?.slotEvent(slotStartMs);
  }

  /** Sends the reading as a USAGE report on `event`. */
  async sendUsageReport(
    participantId: string,
    event: SlotEvent,
    slot: { startMs: number; endMs: number },
    energyWh: number,
  ): Promise<void> {
    const home = this.#homes.get(participantId);
    if (home === undefined) throw new Error(`${participantId} is not a VEN home`);
    await home.sendUsageReport(event, slot, energyWh);
  }

  forgetBefore(slotStartMs: number): void {
    for (const home of this.#homes.values()) home.forgetBefore(slotStartMs);
  }

  /** Stops polling and listening (after `stop` has been aborted). */
  async close(): Promise<void> {
    await Promise.all([...this.#homes.values()].map((home) => home.close()));
    await Promise.allSettled(this.#polling);
  }

  async #startHomes(): Promise<void> {
    const { registered, counts, log } = this.options;
    const wanted = Math.min(registered.length, counts.http + counts.mqtt);
    const chosen = registered.slice(registered.length - wanted);
    const vtnUrl = `${this.options.baseUrl.replace(/\/+$/, '')}${OPENADR3_BASE_PATH}`;
    let failed = 0;
    let reason = '';
    let fellBack = 0;
    await Promise.all(
      chosen.map(async (home, index) => {
        const via: VenTransport = index < Math.min(counts.http, wanted) ? 'http' : 'mqtt';
        const client = new VenClient({
          vtnUrl,
          clientId: home.credentials.clientId,
          clientSecret: home.credentials.clientSecret,
          transport: this.options.transport,
        });
        const start = (transport: VenTransport) =>
          VenHome.start(home, client, transport, {
            marketId: this.options.marketId,
            runTag: this.options.runTag,
            counters: this.#counters,
            onError: (error) => this.#onError(home, error),
          });
        try {
          let venHome: VenHome;
          try {
            venHome = await start(via);
          } catch (caught) {
            if (via !== 'mqtt') throw caught;
            // No MQTT notifier (or the broker refused): the home polls instead.
            fellBack += 1;
            reason = describeFailure(caught);
            venHome = await start('http');
          }
          this.#homes.set(home.participantId, venHome);
          if (venHome.via === 'http') {
            this.#polling.push(
              // A signal per home: thirty homes sleeping on the shared one trip Node's
              // possible-leak warning although each listener is removed when its sleep ends.
              venHome.pollEvents(this.options.pollIntervalMs, AbortSignal.any([this.options.stop]), (error) =>
                this.#onError(home, error),
              ),
            );
          }
        } catch (caught) {
          failed += 1;
          reason = describeFailure(caught);
        }
      }),
    );
    const stats = this.stats();
    log(
      `demo community: ${this.#homes.size} homes are OpenADR VENs (${stats.httpHomes} polling events over HTTP, ${stats.mqttHomes} on MQTT)` +
        (fellBack > 0 ? `; ${fellBack} could not use MQTT and poll instead (${reason})` : '') +
        (failed > 0 ? `; ${failed} could not register a VEN and stay REST-only (${reason})` : ''),
    );
  }

  #lastErrorLogMs = 0;

  /** Errors of polls and MQTT connections, at most one line a second (they come in bursts). */
  #onError(home: RegisteredHome, error: unknown): void {
    if (this.options.stop.aborted) return;
    const now = Date.now();
    if (now - this.#lastErrorLogMs < 1000) return;
    this.#lastErrorLogMs = now;
    this.options.log(`demo community: ${home.participantId} (OpenADR): ${describeFailure(error)}`);
  }
}
