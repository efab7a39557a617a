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
      readonly type: 'order-accepted';
      readonly marketId: string;
      readonly slotStartMs: number;
      readonly participantId: string;
      readonly clientOrderId: string;
      readonly outcome: string;
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
