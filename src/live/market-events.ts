/**
 * What happens in a live market, as events: the operator publishes them, the API streams them to
 * clients (Server-Sent Events), the dashboard and the demo community listen. In-process fan-out; a
 * second server instance learns of a slot's result from the store, not from this bus.
 */

export type MarketEvent =
  | {
      readonly type: 'slot-opened';
      readonly marketId: string;
      readonly slotStartMs: number;
      readonly slotEndMs: number;
      readonly gateClosureMs: number;
    }
  | {
      readonly type: 'slot-closed';
      readonly marketId: string;
      readonly slotStartMs: number;
      readonly orderCount: number;
    }
  | {
      readonly type: 'slot-cleared';
      readonly marketId: string;
      readonly slotStartMs: number;
      readonly mechanism: string;
      /** Clearing price per kWh; null where the design has no single price or nothing traded. */
      readonly pricePerKwh: number | null;
      readonly status: string;
      readonly tradedEnergyWh: number;
    }
  | {
      readonly type: 'slot-settled';
      readonly marketId: string;
      readonly slotStartMs: number;
      readonly entryCount: number;
      readonly lastHash: string;
    }
  | {
      /** The live feeder's power flow for a settled slot (src/live/grid/grid-monitor.ts); no participant data. */
      readonly type: 'grid-solved';
      readonly marketId: string;
      readonly slotStartMs: number;
      readonly converged: boolean;
      /** Null when the power flow did not converge. */
      readonly substationKw: number | null;
      readonly vMinPu: number | null;
      readonly vMaxPu: number | null;
      readonly violationCount: number;
    }
  | {
      readonly type: 'order-accepted';
      readonly marketId: string;
      readonly slotStartMs: number;
      readonly participantId: string;
      readonly clientOrderId: string;
      readonly outcome: string;
    }
  | {
      /** A participant's preferences changed (the demo homes apply the slider from their next bid). */
      readonly type: 'preferences-changed';
      readonly participantId: string;
      readonly comfortSlider: number;
    }
  | {
      /** A telemetry batch was stored: views refresh. No ids, so every subscriber may see it. */
      readonly type: 'telemetry-received';
      /** Samples in the batch. */
      readonly count: number;
      /** The batch's newest sample time. */
      readonly latestSampleMs: number;
    }
  | {
      /** The demo clock was paused, resumed, sped up or stepped (`tenet demo` only). */
      readonly type: 'clock-changed';
      readonly paused: boolean;
      readonly speed: number;
      readonly nowMs: number;
    };

export type MarketEventType = MarketEvent['type'];

export type MarketEventListener = (event: MarketEvent, timeMs: number) => void;

export interface MarketEventBus {
  publish(event: MarketEvent, timeMs: number): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: MarketEventListener): () => void;
}

/**
 * Synchronous fan-out. A listener that throws is dropped from this publication only: one broken
 * subscriber must not stop the others or the operator that publishes.
 */
export class InProcessEventBus implements MarketEventBus {
  readonly #listeners = new Set<MarketEventListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  publish(event: MarketEvent, timeMs: number): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, timeMs);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: MarketEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
