/**
 * Every committed change to an OpenADR object, in process, for the notifiers (webhooks, MQTT) to turn
 * into the spec's notifications. A change is published after its transaction commits, once per object
 * (a program's delete also publishes the deletes of its events). Listeners run synchronously and must
 * not throw; one that does is isolated from the others and from the request. Like the market event
 * bus, the feed is per process: an instance sees the changes made through it.
 */
import type { OpenAdrObjectType, StoredOpenAdrObject } from '../store/openadr-object-repository.js';

/** The 3.1.1 notification operations a write can cause (READ is never published). */
export type OpenAdrOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface OpenAdrChange {
  readonly operation: OpenAdrOperation;
  readonly objectType: OpenAdrObjectType;
  /** The object as stored (business logic's full view; apply privacy before passing it to a VEN). */
  readonly object: StoredOpenAdrObject;
  readonly atMs: number;
}

export type OpenAdrChangeListener = (change: OpenAdrChange) => void;

export class OpenAdrChangeFeed {
  readonly #listeners = new Set<OpenAdrChangeListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: OpenAdrChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  publish(change: OpenAdrChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
