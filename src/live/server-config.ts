/**
 * `tenet serve --config FILE`: the server's one source of configuration. Command-line flags override the
 * file's `server.port` and `dataDir`; the database URL comes only from DATABASE_URL (it may hold a
 * password, which does not belong in a file under version control), and no secret has a default.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { parseYamlLayer, validateYamlLayers, type YamlDocumentKind } from '../config/yaml-layers.js';
import { GridConfigSchema } from './grid/platform-grid.js';
import { DEFAULT_MARKET_RULES, MarketRulesSchema, type MarketRules } from './market-rules.js';

export const DEFAULT_PORT = 8825;
/**
 * The embedded MQTT broker's port, next to the API's. Not MQTT's 1883: a broker such as Mosquitto often
 * holds that one, and `tenet serve` would then fail to start beside it.
 */
export const DEFAULT_MQTT_PORT = 8827;

/** The embedded broker's port: as configured, else any free port for a server on any free port. */
export function embeddedBrokerPort(config: ServerConfig): number | undefined {
  const mqtt = config.openadr3.notifications.mqtt;
  if (!mqtt.enabled || mqtt.brokerUrl !== undefined) return undefined;
  return mqtt.port ?? (config.server.port === 0 ? 0 : DEFAULT_MQTT_PORT);
}
/** The IEEE 2030.5 server's port (HTTPS with mutual TLS), between the API's and the MQTT broker's. */
export const DEFAULT_SEP_PORT = 8826;

/** The 2030.5 server's port: as configured, else any free port for a server on any free port. */
export function sepServerPort(config: ServerConfig): number {
  return config.ieee2030_5.port ?? (config.server.port === 0 ? 0 : DEFAULT_SEP_PORT);
}

const KW_LIMIT = { minimum: 0, maximum: 1e6 };

const ID_PATTERN = '^[A-Za-z0-9._:-]+$';

const rulesOverride = Type.Partial(MarketRulesSchema, { additionalProperties: false });

export const ServerConfigSchema = Type.Object(
  {
    server: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'address to listen on (0.0.0.0 for all)' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_PORT }),
        tls: Type.Optional(
          Type.Object(
            {
              certFile: Type.String({ minLength: 1, description: 'PEM certificate chain' }),
              keyFile: Type.String({ minLength: 1, description: 'PEM private key' }),
            },
            { additionalProperties: false },
          ),
        ),
        bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 1024 * 1024 }),
        rateLimitPerMinute: Type.Integer({
          minimum: 1,
          maximum: 10_000_000,
          default: 60_000,
          description: 'requests per minute per client (token subject, or address without a token)',
        }),
        tokenTtlSeconds: Type.Integer({ minimum: 60, maximum: 86_400, default: 3600 }),
        logRequests: Type.Boolean({ default: false }),
        deviceTelemetryRetentionMs: Type.Integer({
          minimum: 3_600_000,
          maximum: 366 * 86_400_000,
          default: 7 * 86_400_000,
          description: 'device telemetry samples older than this are deleted (after batches, hourly at most)',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    openadr3: Type.Object(
      {
        market: Type.Object(
          {
            publish: Type.Boolean({
              default: true,
              description:
                "publish each market as an OpenADR program and each cleared slot's prices as an event",
            }),
            catchUpSlots: Type.Integer({
              minimum: 0,
              maximum: 10_000,
              default: 12,
              description: 'on start, publish the slots cleared this many slots back that have no event yet',
            }),
            keepEventsMs: Type.Integer({
              minimum: 0,
              maximum: 366 * 86_400_000,
              default: 86_400_000,
              description: 'market events that ended longer ago are deleted (0 keeps them all)',
            }),
          },
          { additionalProperties: false, default: {} },
        ),
        notifications: Type.Object(
          {
            webhooks: Type.Object(
              {
                enabled: Type.Boolean({ default: true, description: 'webhooks to subscriptions' }),
                allowHttp: Type.Boolean({
                  default: false,
                  description:
                    'also plain http callbacks (notifications and their bearer tokens unencrypted)',
                }),
                allowPrivateNetworks: Type.Boolean({
                  default: false,
                  description:
                    'also callbacks to loopback, private and link-local addresses (a test bench, a private network)',
                }),
                concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
                attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
                backoffMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
                timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
                maxQueued: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
              },
              { additionalProperties: false, default: {} },
            ),
            mqtt: Type.Object(
              {
                enabled: Type.Boolean({ default: true, description: 'the MQTT notifier' }),
                brokerUrl: Type.Optional(
                  Type.String({
                    pattern: '^mqtts?://',
                    description:
                      'an external broker (e.g. mqtt://127.0.0.1:1883) instead of the embedded one',
                  }),
                ),
                username: Type.Optional(Type.String({ minLength: 1, description: "the VTN's login there" })),
                password: Type.Optional(Type.String({ minLength: 1 })),
                host: Type.String({ default: '127.0.0.1', description: "the embedded broker's address" }),
                port: Type.Optional(
                  Type.Integer({
                    minimum: 0,
                    maximum: 65535,
                    description: `the embedded broker's port (0: any free port); default ${DEFAULT_MQTT_PORT}, or 0 when server.port is 0`,
                  }),
                ),
                publicUris: Type.Optional(
                  Type.Array(Type.String({ pattern: '^(mqtts?|wss?)://' }), {
                    minItems: 1,
                    maxItems: 8,
                    description:
                      'what /openadr3/notifiers tells VENs to connect to (default: the broker URL)',
                  }),
                ),
                topicPrefix: Type.String({
                  default: '',
                  maxLength: 100,
                  pattern: '^([A-Za-z0-9._-]+/)*$',
                  description: "prepended to every topic, e.g. 'tenet/'",
                }),
              },
              { additionalProperties: false, default: {} },
            ),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    ieee2030_5: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description: 'the IEEE 2030.5 (CSIP) server for DER devices',
        }),
        host: Type.String({ default: '127.0.0.1', description: 'address to listen on (0.0.0.0 for all)' }),
        port: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 65535,
            description: `HTTPS port with mutual TLS (0: any free port); default ${DEFAULT_SEP_PORT}, or 0 when server.port is 0`,
          }),
        ),
        basePath: Type.String({ default: '/sep2', pattern: '^(/[A-Za-z0-9_-]+)+$', maxLength: 100 }),
        tls: Type.Optional(
          Type.Object(
            {
              certFile: Type.String({ minLength: 1, description: "PEM: the server's certificate chain" }),
              keyFile: Type.String({ minLength: 1, description: "PEM: the server's private key" }),
              caFile: Type.String({
                minLength: 1,
                description: 'PEM: the CA(s) that issue device certificates',
              }),
            },
            {
              additionalProperties: false,
              description: 'default: a development PKI made in the data directory (sep-pki/)',
            },
          ),
        ),
        siteLimits: Type.Optional(
          Type.Union([Type.Literal('ieee2030.5'), Type.Literal('csip-aus')], {
            default: 'ieee2030.5',
            description:
              "the elements that carry envelopes and default limits: 'ieee2030.5' opModMaxLimWInject/Absorb, " +
              "'csip-aus' csipaus:opModExpLimW/ImpLimW (https://csipaus.org/ns)",
          }),
        ),
        defaultControl: Type.Optional(
          Type.Object(
            {
              exportLimitKw: Type.Optional(Type.Number({ ...KW_LIMIT, description: 'opModMaxLimWInject' })),
              importLimitKw: Type.Optional(Type.Number({ ...KW_LIMIT, description: 'opModMaxLimWAbsorb' })),
            },
            {
              additionalProperties: false,
              description:
                "the DefaultDERControl of every device's dso program: limits when no envelope applies",
            },
          ),
        ),
        subscriptions: Type.Object(
          {
            enabled: Type.Boolean({
              default: true,
              description: 'devices may subscribe to their controls and are notified when they change',
            }),
            publicBaseUrl: Type.Optional(
              Type.String({
                pattern: '^https://[^/?#]+(/[A-Za-z0-9_-]+)+$',
                maxLength: 300,
                description:
                  "the base URL as devices reach it (notifications' subscriptionURI), e.g. https://sep.example:8826/sep2; default: the listening URL",
              }),
            ),
            allowHosts: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
                maxItems: 100,
                description:
                  "hosts a notificationURI may name wherever they resolve; default: only the subscribing device's own address",
              }),
            ),
          },
          { additionalProperties: false, default: {} },
        ),
        limits: Type.Optional(
          Type.Object(
            {
              maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 16 * 1024 * 1024 })),
              maxXmlDepth: Type.Optional(Type.Integer({ minimum: 4, maximum: 256 })),
              maxListItems: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
              requestTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    dataDir: Type.String({ minLength: 1, default: 'data', description: 'SQLite file and keys live here' }),
    grid: Type.Optional(GridConfigSchema),
    dashboard: Type.Object(
      {
        runsDir: Type.String({
          minLength: 1,
          default: 'out',
          description:
            'where `tenet simulate` and `tenet compare` write their runs (relative to the working directory), served at /api/runs',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    markets: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN }),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          rules: Type.Optional(rulesOverride),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 100,
        default: [{ id: 'community', name: 'Community energy market' }],
        description: 'the markets this server operates; rules not given take the defaults',
      },
    ),
  },
  { additionalProperties: false },
);

type ServerConfigDocument = Static<typeof ServerConfigSchema>;

export interface ConfiguredMarket {
  readonly id: string;
  readonly name: string;
  readonly rules: MarketRules;
}

export interface ServerConfig extends Omit<ServerConfigDocument, 'markets'> {
  readonly markets: readonly ConfiguredMarket[];
}

const SERVER_CONFIG_DOCUMENT: YamlDocumentKind = {
  noun: 'server configuration',
  maxBytes: 256 * 1024,
  tooLargeHint: 'a server configuration names markets and limits; keep data out of it',
  startFromHint: 'see docs/operations.md for an example',
};

/** The configuration from YAML text (an empty text gives every default). */
export function parseServerConfig(text: string, sourceName: string): Result<ServerConfig, TeError[]> {
  const layer = parseYamlLayer(text.trim() === '' ? '{}' : text, sourceName, SERVER_CONFIG_DOCUMENT);
  if (!layer.ok) return layer;
  const { document, problems } = validateYamlLayers(ServerConfigSchema, [layer.value]);
  if (problems.length > 0) return err(problems);
  const config = document as ServerConfigDocument;
  return ok({
    ...config,
    markets: config.markets.map((market) => ({
      id: market.id,
      name: market.name,
      rules: { ...DEFAULT_MARKET_RULES, ...market.rules },
    })),
  });
}
