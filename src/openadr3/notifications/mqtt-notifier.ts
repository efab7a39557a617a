/**
 * The MQTT notifier: every committed change is published, as the spec's notification JSON
 * `{objectType, operation, object}`, on the topics of the collections it belongs to (see
 * mqtt-topics.ts). Business logic's topics carry the full object; a VEN's own topics
 * (`vens/{venID}/events`, `.../programs`, `.../resources`) carry only what that VEN may read, shown as
 * it would read it. Publishing runs after the change feed's listener returns, one change at a time in
 * order, with a bound on the changes waiting (the oldest is dropped and counted), so a slow broker never
 * holds up the API.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import mqtt, { type MqttClient } from 'mqtt';
import type { StoreSchema } from '../../store/schema.js';
import type { StoredOpenAdrObject } from '../../store/openadr-object-repository.js';
import type { OpenAdrChange, OpenAdrChangeFeed } from '../object-changes.js';
import { venViewsOf } from './notification-audience.js';
import { topicFor } from './mqtt-topics.js';

export type MqttAuthentication =
  { readonly method: 'ANONYMOUS' } | { readonly method: 'OAUTH2_BEARER_TOKEN'; readonly username: string };

/** What `GET /notifiers` tells clients about the binding (the spec's mqttNotifierBindingObject). */
export interface MqttBinding {
  readonly URIS: readonly string[];
  readonly serialization: 'JSON';
  readonly authentication: MqttAuthentication;
  /** Prepended to every topic name; empty by default. */
  readonly topicPrefix: string;
}

export interface MqttNotifierOptions {
  /** The broker the VTN publishes to, e.g. `mqtt://127.0.0.1:1883`. */
  readonly brokerUrl: string;
  /** What clients are told to connect to (defaults to brokerUrl). */
  readonly publicUris?: readonly string[];
  readonly topicPrefix?: string;
  readonly authentication?: MqttAuthentication;
  /** The VTN's own credentials on an external broker. */
  readonly username?: string;
  readonly password?: string;
  /** Changes waiting beyond which the oldest is dropped. Default 10,000. */
  readonly maxQueued?: number;
  readonly onError?: (error: unknown) => void;
}

export interface MqttNotifierStats {
  published: number;
  dropped: number;
  failed: number;
}

/**
 * QoS 1 publishes in flight at once while a change fans out to the VENs' topics: one at a time waits a
 * broker round trip per VEN (seconds for 10,000); unbounded would queue 10,000 packets in the client.
 */
const PUBLISH_WINDOW = 1_000;

export class MqttNotifier {
  readonly stats: MqttNotifierStats = { published: 0, dropped: 0, failed: 0 };
  readonly binding: MqttBinding;
  readonly #db: Kysely<StoreSchema>;
  readonly #client: MqttClient;
  readonly #waiting: OpenAdrChange[] = [];
  readonly #maxQueued: number;
  readonly #onError: (error: unknown) => void;
  readonly #idleWaiters: (() => void)[] = [];
  #unsubscribe: (() => void) | undefined;
  #running = false;

  private constructor(
    db: Kysely<StoreSchema>,
    client: MqttClient,
    changes: OpenAdrChangeFeed,
    options: MqttNotifierOptions,
  ) {
    this.#db = db;
    this.#client = client;
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#onError = options.onError ?? (() => {});
    this.binding = {
      URIS: options.publicUris ?? [options.brokerUrl],
      serialization: 'JSON',
      authentication: options.authentication ?? { method: 'ANONYMOUS' },
      topicPrefix: options.topicPrefix ?? '',
    };
    this.#unsubscribe = changes.subscribe((change) => this.#onChange(change));
  }

  /** Connects to the broker (rejects when it cannot) and starts publishing the feed's changes. */
  static async start(
    db: Kysely<StoreSchema>,
    changes: OpenAdrChangeFeed,
    options: MqttNotifierOptions,
  ): Promise<MqttNotifier> {
    const client = await mqtt.connectAsync(options.brokerUrl, {
      clientId: `tenet-vtn-${randomUUID()}`,
      connectTimeout: 5_000,
      reconnectPeriod: 1_000,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    client.on('error', (error) => options.onError?.(error));
    return new MqttNotifier(db, client, changes, options);
  }

  get pending(): number {
    return this.#waiting.length + (this.#running ? 1 : 0);
  }

  async idle(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops listening, publishes what is waiting, and disconnects. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.idle();
    await this.#client.endAsync();
  }

  #onChange(change: OpenAdrChange): void {
    if (this.#waiting.length >= this.#maxQueued) {
      this.#waiting.shift();
      this.stats.dropped += 1;
    }
    this.#waiting.push(change);
    if (!this.#running) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#waiting.length > 0) {
      const change = this.#waiting.shift() as OpenAdrChange;
      try {
        await this.#publishChange(change);
      } catch (error) {
        this.stats.failed += 1;
        this.#onError(error);
      }
    }
    this.#running = false;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #publishChange(change: OpenAdrChange): Promise<void> {
    const { object } = change;
    const publishAs = (view: string, paths: readonly string[]) =>
      Promise.all(paths.map((path) => this.#publish(path, change, view)));
    await publishAs(object.bodyText, businessLogicPaths(object));
    const venCollection = venCollectionOf(object);
    if (venCollection === undefined) return;
    if (object.objectType === 'RESOURCE') {
      if (object.venId !== undefined)
        await this.#publish(`vens/${object.venId}/resources`, change, object.bodyText);
      return;
    }
    // Programs and events: each VEN hears on its own topic, through the targets granted to its client.
    const views = await venViewsOf(this.#db, object);
    await inWindow(PUBLISH_WINDOW, views, ({ venId, view }) =>
      this.#publish(`vens/${venId}/${venCollection}`, change, view),
    );
  }

  async #publish(path: string, change: OpenAdrChange, view: string): Promise<void> {
    const topic = topicFor(this.binding.topicPrefix, path, change.operation);
    const payload = `{"objectType":${JSON.stringify(change.objectType)},"operation":${JSON.stringify(change.operation)},"object":${view}}`;
    await this.#client.publishAsync(topic, payload, { qos: 1 });
    this.stats.published += 1;
  }
}

/** The collections of business logic's topics an object belongs to. */
function businessLogicPaths(object: StoredOpenAdrObject): string[] {
  switch (object.objectType) {
    case 'PROGRAM':
      return ['programs', `programs/${object.id}`];
    case 'EVENT':
      return object.programId === undefined ? ['events'] : ['events', `programs/${object.programId}/events`];
    case 'REPORT':
      return ['reports'];
    case 'SUBSCRIPTION':
      return ['subscriptions'];
    case 'VEN':
      return ['vens', `vens/${object.id}`];
    case 'RESOURCE':
      return ['resources'];
  }
}

function venCollectionOf(object: StoredOpenAdrObject): string | undefined {
  if (object.objectType === 'PROGRAM') return 'programs';
  if (object.objectType === 'EVENT') return 'events';
  if (object.objectType === 'RESOURCE') return 'resources';
  return undefined;
}

/** Runs `work` on every item with at most `window` at once; rejects with the first failure. */
async function inWindow<T>(window: number, items: readonly T[], work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(window, items.length) }, worker));
}
