/**
 * One call for `tenet serve`: starts the webhook notifier and the MQTT notifier (on the embedded broker,
 * or on an external one when a URL is configured) on a built API server, and lists the MQTT binding on
 * `/openadr3/notifiers`. With the embedded broker and a token verifier, clients log in with their
 * OpenADR bearer token as the password and a VEN may subscribe only to its own VEN's topics.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Caller } from '../../server/auth/tokens.js';
import type { StoreSchema } from '../../store/schema.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { MqttNotifier } from './mqtt-notifier.js';
import { maySubscribeToTopic } from './notification-audience.js';
import { STRICT_CALLBACK_POLICY, type CallbackPolicy } from './callback-policy.js';
import { WebhookNotifier, type WebhookOptions } from './webhook-notifier.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The webhook notifier's callback policy while it runs: subscriptions are checked against it. */
    openadr3CallbackPolicy?: CallbackPolicy | undefined;
  }
}

export interface OpenAdr3NotificationConfig {
  readonly webhooks?: WebhookOptions | false;
  /** false: no MQTT notifier. */
  readonly mqtt?:
    | false
    | {
        /** An external broker, e.g. `mqtt://127.0.0.1:1883`; the embedded one when absent. */
        readonly brokerUrl?: string;
        readonly username?: string;
        readonly password?: string;
        /** The embedded broker's address; default 127.0.0.1, port 1883 (0: any free port). */
        readonly host?: string;
        readonly port?: number;
        /** What `/notifiers` tells clients to connect to; the broker's URL when absent. */
        readonly publicUris?: readonly string[];
        readonly topicPrefix?: string;
      };
}

export interface OpenAdr3Notifications {
  readonly webhooks: WebhookNotifier | undefined;
  readonly mqtt: MqttNotifier | undefined;
  readonly broker: EmbeddedBroker | undefined;
  close(): Promise<void>;
}

export async function startOpenAdr3Notifications(
  app: FastifyInstance,
  db: Kysely<StoreSchema>,
  config: OpenAdr3NotificationConfig,
  options: {
    /** The caller of an OpenADR bearer token (rejects when invalid); embedded-broker logins use it. */
    readonly verifyToken?: (token: string) => Promise<Caller>;
    readonly onError?: (error: unknown) => void;
    /** The clock tokens are issued on: an embedded-broker login is closed when its token expires. */
    readonly tokenClock?: { nowMs(): number };
  } = {},
): Promise<OpenAdr3Notifications> {
  const onError = options.onError ?? ((error: unknown) => app.log.error({ err: error }, 'OpenADR notifier'));
  const webhooks =
    config.webhooks === false
      ? undefined
      : new WebhookNotifier(db, app.openadr3Changes, { ...config.webhooks, onError });
  if (webhooks !== undefined)
    app.openadr3CallbackPolicy =
      (config.webhooks === false ? undefined : config.webhooks?.callbacks) ?? STRICT_CALLBACK_POLICY;
  let broker: EmbeddedBroker | undefined;
  let mqtt: MqttNotifier | undefined;
  try {
    if (config.mqtt !== false) {
      const settings = config.mqtt ?? {};
      const topicPrefix = settings.topicPrefix ?? '';
      const verify = options.verifyToken;
      if (settings.brokerUrl === undefined) {
        broker = await startEmbeddedBroker({
          port: settings.port ?? 1883,
          ...(settings.host === undefined ? {} : { host: settings.host }),
          ...(verify === undefined
            ? {}
            : {
                authorize: {
                  verifyToken: verify,
                  maySubscribe: (caller, topic) => maySubscribeToTopic(db, caller, topic, topicPrefix),
                  ...(options.tokenClock === undefined ? {} : { tokenClock: options.tokenClock }),
                },
              }),
        });
      }
      const login = broker?.publisher ?? settings;
      mqtt = await MqttNotifier.start(db, app.openadr3Changes, {
        brokerUrl: broker?.url ?? (settings.brokerUrl as string),
        topicPrefix,
        onError,
        ...(settings.publicUris === undefined ? {} : { publicUris: settings.publicUris }),
        ...(login.username === undefined ? {} : { username: login.username }),
        ...(login.password === undefined ? {} : { password: login.password }),
        ...(broker !== undefined && verify !== undefined
          ? { authentication: { method: 'OAUTH2_BEARER_TOKEN', username: '{clientID}' } as const }
          : {}),
      });
      app.openadr3Mqtt = mqtt.binding;
    }
  } catch (error) {
    webhooks?.close();
    app.openadr3CallbackPolicy = undefined;
    await broker?.close();
    throw error;
  }
  return {
    webhooks,
    mqtt,
    broker,
    async close() {
      app.openadr3Mqtt = undefined;
      app.openadr3CallbackPolicy = undefined;
      webhooks?.close();
      await mqtt?.close();
      await broker?.close();
    },
  };
}
