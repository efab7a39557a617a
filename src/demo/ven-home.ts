/**
 * One demo home as an OpenADR VEN: its VEN object on the VTN, and what it has learnt of the market's
 * slots from the price events (polled from `GET /openadr3/events`, or pushed by the MQTT notifier). The
 * home still bids over the REST API; the price event is how it learns that a slot cleared and at what
 * price, and its meter reading goes back as a USAGE report against that event.
 */
import type { Clock } from '../live/clock.js';
import { ApiError } from '../http-client/api-error.js';
import { pause } from '../http-client/pause.js';
import {
  MARKET_PAYLOAD,
  priceOfSlotEvent,
  programNameForMarket,
  usageReportBody,
  type SlotPrice,
} from '../openadr3/market/market-mapping.js';
import { EventPoller } from '../openadr3/ven/event-poller.js';
import type { VenClient } from '../openadr3/ven/ven-client.js';
import { VenMqttListener } from '../openadr3/ven/ven-mqtt-listener.js';
import type { OpenAdrEvent, Ven } from '../openadr3/ven/ven-types.js';
import type { RegisteredHome } from './home-registration.js';

export type VenTransport = 'http' | 'mqtt';

/** What a home knows of one slot from its price event. */
export interface SlotEvent {
  readonly eventID: string;
  readonly price: SlotPrice;
  /** The clearing status: `cleared` with a price, else what the no-price payload says. */
  readonly status: string;
}

export interface VenHomeCounters {
  eventsPolled: number;
  eventsNotified: number;
  reportsSent: number;
}

export class VenHome {
  readonly #slots = new Map<number, SlotEvent>();
  readonly #waiters = new Set<() => void>();
  #listener: VenMqttListener | undefined;
  #programID: string | undefined;

  private constructor(
    readonly home: RegisteredHome,
    readonly client: VenClient,
    readonly ven: Ven,
    public via: VenTransport,
    readonly marketId: string,
    readonly counters: VenHomeCounters,
  ) {}

  /**
   * Registers the home's VEN object (found again when this client made it before; under a name with the
   * run's tag when an earlier run's client holds the plain one) and, for MQTT, starts listening.
   */
  static async start(
    home: RegisteredHome,
    client: VenClient,
    via: VenTransport,
    options: {
      marketId: string;
      runTag: string;
      counters: VenHomeCounters;
      onError: (error: unknown) => void;
    },
  ): Promise<VenHome> {
    const name = `demo:${home.participantId}`;
    const ven = await client.ensureVen(name).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 409)
        return client.ensureVen(`${name}:${options.runTag}`);
      throw error;
    });
    const venHome = new VenHome(home, client, ven, via, options.marketId, options.counters);
    if (via === 'mqtt') {
      venHome.#listener = await VenMqttListener.start({
        client,
        venID: ven.id,
        collections: ['events'],
        onNotification: (notification) => {
          if (notification.objectType !== 'EVENT' || notification.operation === 'DELETE') return;
          if (venHome.#learn(notification.object)) venHome.counters.eventsNotified += 1;
        },
        onError: options.onError,
      });
    }
    return venHome;
  }

  get participantId(): string {
    return this.home.participantId;
  }

  /** Polls the market program's active events until `stop` (HTTP homes). */
  async pollEvents(intervalMs: number, stop: AbortSignal, onError: (error: unknown) => void): Promise<void> {
    while (!stop.aborted && this.#programID === undefined) {
      // The publisher makes the market's program with its first cleared slot.
      const programs = await this.client.searchPrograms().catch((error: unknown) => (onError(error), []));
      this.#programID = programs.find((p) => p.programName === programNameForMarket(this.marketId))?.id;
      if (this.#programID === undefined) await pause(intervalMs, stop);
    }
    if (this.#programID === undefined) return;
    const poller = new EventPoller({
      client: this.client,
      query: { programID: this.#programID, active: true },
      intervalMs,
      onEvent: (event) => {
        if (this.#learn(event)) this.counters.eventsPolled += 1;
      },
      onError,
    });
    await poller.run(stop);
  }

  /** The slot's price event as this home learnt it, waiting until `giveUpAtMs` on `clock`; null if not. */
  async waitForSlot(
    slotStartMs: number,
    clock: Clock,
    giveUpAtMs: number,
    stop: AbortSignal,
  ): Promise<SlotEvent | null> {
    for (;;) {
      const known = this.#slots.get(slotStartMs);
      if (known !== undefined) return known;
      if (stop.aborted || clock.nowMs() >= giveUpAtMs) return null;
      const wake = new AbortController();
      const woken = new Promise<void>((resolve) => {
        const waiter = () => {
          this.#waiters.delete(waiter);
          resolve();
        };
        this.#waiters.add(waiter);
        wake.signal.addEventListener('abort', waiter, { once: true });
      });
      void clock.sleepUntil(giveUpAtMs, AbortSignal.any([wake.signal, stop])).then(() => wake.abort());
      await woken;
      wake.abort();
    }
  }

  slotEvent(slotStartMs: number): SlotEvent | undefined {
    return this.#slots.get(slotStartMs);
  }

  /** The slot's meter reading as a USAGE report on the slot's price event. */
  async sendUsageReport(
    event: SlotEvent,
    slot: { startMs: number; endMs: number },
    energyWh: number,
  ): Promise<void> {
    await this.client.createReport(
      usageReportBody({
        eventID: event.eventID,
        clientName: this.ven.venName,
        meterId: this.participantId,
        intervals: [{ startMs: slot.startMs, durationMs: slot.endMs - slot.startMs, energyWh }],
      }),
    );
    this.counters.reportsSent += 1;
  }

  forgetBefore(slotStartMs: number): void {
    for (const start of this.#slots.keys()) if (start < slotStartMs) this.#slots.delete(start);
  }

  async close(): Promise<void> {
    await this.#listener?.close();
  }

  /** Records a price event of this market; true when it was new to this home. */
  #learn(event: OpenAdrEvent): boolean {
    const price = priceOfSlotEvent(event);
    if (price === undefined || price.marketId !== this.marketId) return false;
    if (this.#slots.has(price.slotStartMs)) return false;
    const noPrice = event.intervals?.[0]?.payloads.find((p) => p.type === MARKET_PAYLOAD.NO_PRICE)?.values[0];
    const status =
      price.exportPricePerKwh !== null ? 'cleared' : typeof noPrice === 'string' ? noPrice : 'no-price';
    this.#slots.set(price.slotStartMs, { eventID: event.id, price, status });
    for (const waiter of [...this.#waiters]) waiter();
    return true;
  }
}
