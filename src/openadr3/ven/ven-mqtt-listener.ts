/**
 * A VEN's MQTT notifications: reads the binding from `GET /notifiers` and the topic names of the VEN's
 * own collections from `GET /notifiers/mqtt/topics/vens/{venID}/...`, logs in (OAUTH2_BEARER_TOKEN:
 * username the client id, password a bearer token), subscribes, and hands each notification to a
 * callback, typed. The connection is re-made with a fresh token whenever it drops: the embedded broker
 * closes a login when its token expires, and a broker restart or network loss ends it too. The session
 * is persistent (clean: false, QoS 1), so what was published while it was down arrives on reconnection.
 */
import { randomInt, randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { SeededRandom } from '../../core/random.js';
import { ApiError } from '../../http-client/api-error.js';
import { pause } from '../../http-client/pause.js';
import type { VenClient } from './ven-client.js';
import { parseNotification, type MqttBinding, type Notification } from './ven-types.js';

export type VenCollection = 'events' | 'programs' | 'resources';

export interface VenMqttListenerOptions {
  readonly client: VenClient;
  readonly venID: string;
  /** Default: events and programs. */
  readonly collections?: readonly VenCollection[];
  readonly onNotification: (notification: Notification, topic: string) => void;
  /** Told of connection failures and unreadable messages (the listener keeps going). */
  readonly onError?: (error: unknown) => void;
  /** The MQTT client id (stable, so the broker keeps the session); `{clientId}-{venID}` by default. */
  readonly mqttClientId?: string;
  readonly connectTimeoutMs?: number;
  /** First wait before reconnecting, ms; doubles up to 30 s. Default 200. */
  readonly reconnectDelayMs?: number;
  readonly signal?: AbortSignal;
  /** Reconnection jitter; a random seed by default. */
  readonly random?: SeededRandom;
}

export interface VenMqttStats {
  received: number;
  /** Successful logins, the first included. */
  connects: number;
  /** Messages that were not a notification. */
  unreadable: number;
}

const MAX_RECONNECT_DELAY_MS = 30_000;
/** MQTT 3.1.1 CONNACK codes for a refused login: a new token may help. */
const LOGIN_REFUSED = new Set([4, 5]);

export class VenMqttListener {
  readonly stats: VenMqttStats = { received: 0, connects: 0, unreadable: 0 };
  readonly topics: readonly string[];
  readonly #options: VenMqttListenerOptions;
  readonly #binding: MqttBinding;
  readonly #stop = new AbortController();
  #connection: MqttClient | undefined;
  #reconnecting: Promise<void> | undefined;
  #uriIndex = 0;
  readonly #random: SeededRandom;

  private constructor(options: VenMqttListenerOptions, binding: MqttBinding, topics: readonly string[]) {
    this.#options = options;
    this.#binding = binding;
    this.topics = topics;
    this.#random = options.random ?? new SeededRandom(randomInt(2 ** 31));
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  /**
   * Connected and subscribed, or rejected: with TE_ERR_NOT_FOUND when the VTN has no MQTT notifier, and
   * TE_ERR_FORBIDDEN when the broker refuses a topic (another client's VEN).
   */
  static async start(options: VenMqttListenerOptions): Promise<VenMqttListener> {
    const notifiers = await options.client.listNotifiers();
    const binding = notifiers.MQTT;
    if (binding === undefined || binding.URIS.length === 0)
      throw new ApiError(404, 'TE_ERR_NOT_FOUND', 'the VTN lists no MQTT notifier (GET /notifiers)');
    const topics: string[] = [];
    for (const collection of options.collections ?? ['events', 'programs']) {
      const names = await options.client.venTopics(options.venID, collection);
      // Older bindings without ALL: the three operations one by one.
      topics.push(
        ...(names.ALL !== undefined ? [names.ALL] : [names.CREATE, names.UPDATE, names.DELETE]).filter(
          (topic): topic is string => topic !== undefined,
        ),
      );
    }
    const listener = new VenMqttListener(options, binding, topics);
    try {
      await listener.#connect();
    } catch (error) {
      await listener.close();
      throw error;
    }
    return listener;
  }

  get connected(): boolean {
    return this.#connection?.connected === true;
  }

  async close(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.endAsync(true).catch(() => undefined);
    await this.#reconnecting;
  }

  async #connect(): Promise<void> {
    const uri = this.#binding.URIS[this.#uriIndex % this.#binding.URIS.length] as string;
    const options: IClientOptions = {
      clientId: this.#options.mqttClientId ?? `${this.#options.client.clientId}-${this.#options.venID}`,
      clean: false,
      reconnectPeriod: 0,
      connectTimeout: this.#options.connectTimeoutMs ?? 10_000,
    };
    if (this.#binding.authentication.method === 'OAUTH2_BEARER_TOKEN') {
      const clientId = this.#options.client.clientId;
      options.username = (this.#binding.authentication.username ?? '{clientID}').replaceAll(
        '{clientID}',
        clientId,
      );
      options.password = await this.#options.client.token(this.#stop.signal);
    }
    const connection = mqtt.connect(uri, options);
    // Handlers first: a persistent session's queued messages arrive right after CONNACK.
    connection.on('message', (topic, payload) => this.#onMessage(topic, payload));
    try {
      await new Promise<void>((resolve, reject) => {
        connection.once('connect', () => resolve());
        connection.once('error', reject);
        connection.once('close', () =>
          reject(new Error(`the MQTT connection to ${uri} closed before CONNACK`)),
        );
      });
      for (const topic of this.topics) {
        const granted = await connection.subscribeAsync(topic, { qos: 1 }).catch((error: unknown) => {
          throw new ApiError(
            403,
            'TE_ERR_FORBIDDEN',
            `the broker refused topic ${topic}`,
            {},
            { cause: error },
          );
        });
        if (granted.some((grant) => grant.qos === 128))
          throw new ApiError(403, 'TE_ERR_FORBIDDEN', `the broker refused topic ${topic}`);
      }
    } catch (error) {
      await connection.endAsync(true).catch(() => undefined);
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && LOGIN_REFUSED.has(code)) this.#options.client.forgetToken();
      throw error;
    }
    if (this.#stop.signal.aborted) {
      await connection.endAsync(true).catch(() => undefined);
      return;
    }
    this.stats.connects += 1;
    this.#connection = connection;
    connection.on('error', (error) => this.#options.onError?.(error));
    connection.once('close', () => {
      if (this.#connection !== connection) return;
      this.#connection = undefined;
      if (!this.#stop.signal.aborted) this.#reconnecting = this.#reconnectLoop();
    });
  }

  async #reconnectLoop(): Promise<void> {
    let delayMs = this.#options.reconnectDelayMs ?? 200;
    while (!this.#stop.signal.aborted) {
      try {
        await this.#connect();
        return;
      } catch (error) {
        if (this.#stop.signal.aborted) return;
        this.#options.onError?.(error);
        this.#uriIndex += 1;
      }
      // Jitter keeps many VENs dropped at once (a broker restart) from returning in lockstep.
      await pause(delayMs / 2 + this.#random.next() * (delayMs / 2), this.#stop.signal);
      delayMs = Math.min(MAX_RECONNECT_DELAY_MS, delayMs * 2);
    }
  }

  #onMessage(topic: string, payload: Buffer): void {
    const notification = parseNotification(payload.toString('utf8'));
    if (notification === undefined) {
      this.stats.unreadable += 1;
      this.#options.onError?.(new Error(`not an OpenADR notification on ${topic}`));
      return;
    }
    this.stats.received += 1;
    this.#options.onNotification(notification, topic);
  }
}

/** A random MQTT client id, for listeners that must not share a session. */
export function freshMqttClientId(clientId: string): string {
  return `${clientId}-${randomUUID()}`;
}
