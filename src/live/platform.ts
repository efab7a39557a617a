/**
 * The composition root of the live platform: one store, one clock, one event bus, the API server and the
 * market operator, started together and stopped in order. `tenet serve` and `tenet demo` both run it;
 * nothing here is global, so tests start several platforms in one process.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { TeError } from '../core/errors.js';
import type { Sha256 } from '../ledger/journal-entry.js';
import { openStoreDatabase, selectStoreConfig, type StoreDatabase } from '../store/database.js';
import { getMarket, saveMarket } from '../store/market-repository.js';
import { migrateToLatest } from '../store/migrations.js';
import {
  startOpenAdr3Notifications,
  type OpenAdr3Notifications,
} from '../openadr3/notifications/start-notifications.js';
import { startOpenAdr3MarketPublisher, type MarketPublisher } from '../openadr3/market/market-publisher.js';
import { startOcppService, type OcppService } from '../ocpp/ocpp-service.js';
import { startSepService, type SepService } from '../ieee2030-5/platform/sep-service.js';
import { StoreSepDeviceRegistry } from '../ieee2030-5/platform/store-device-registry.js';
import { buildApiServer } from '../server/api-server.js';
import type { DemoController } from '../server/routes/demo.js';
import { ensureOperatorClient, loadOrCreateSigningKey } from '../server/auth/index.js';
import { WallClock, type Clock } from './clock.js';
import { InProcessEventBus, type MarketEventBus } from './market-events.js';
import type { MarketRules } from './market-rules.js';
import { MarketOperator } from './market-operator.js';
import { PostgresAdvisoryLease, SingleProcessLease, type LeaderLease } from './leader-lease.js';
import { embeddedBrokerPort, sepServerPort, type ServerConfig } from './server-config.js';
import { publishGridEnvelopes } from './grid/grid-envelope-publisher.js';
import { GridMonitor } from './grid/grid-monitor.js';
import { platformGridFeeder, type PlatformGridOptions } from './grid/platform-grid.js';

export interface PlatformOptions {
  readonly config: ServerConfig;
  /** Absolute data directory (SQLite file, signing key, operator credentials). */
  readonly dataDir: string;
  /** PostgreSQL instead of SQLite. */
  readonly databaseUrl?: string;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** The running demo (`tenet demo`): its clock controls and logins are served under /api/demo. */
  readonly demo?: DemoController;
  /** A feeder and who is connected where: the leader solves it after every settled slot (src/live/grid/). */
  readonly grid?: PlatformGridOptions;
}

export interface RunningPlatform {
  readonly url: string;
  readonly port: number;
  readonly store: StoreDatabase;
  readonly events: MarketEventBus;
  readonly operatorCredentialsFile: string | undefined;
  /** The MQTT broker the OpenADR notifier publishes to (the embedded one's URL), when it runs. */
  readonly mqttBrokerUrl: string | undefined;
  readonly isLeader: () => boolean;
  /** The OCPP 2.0.1 CSMS on the API port (`/ocpp/{stationId}`). */
  readonly ocpp: OcppService;
  /** The IEEE 2030.5 server (HTTPS, mutual TLS; devices need a certificate from `caCertPem`), when enabled. */
  readonly sep?: { readonly url: string; readonly port: number; readonly caCertPem: string };
  /** The grid monitor, when the platform has a feeder. */
  readonly grid?: GridMonitor;
  /** Graceful stop: refuse new requests, finish the slot in progress, drain requests, close the store. */
  stop(): Promise<void>;
}

/** How long in-flight requests may take to finish on stop before their connections are cut. */
const CLOSE_GRACE_MS = 5_000;

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { config, dataDir, clock, log } = options;
  mkdirSync(dataDir, { recursive: true });
  const store = openStoreDatabase(
    selectStoreConfig({
      dataDir,
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    }),
  );
  let app: FastifyInstance | undefined;
  let lease: LeaderLease | undefined;
  let notifications: OpenAdr3Notifications | undefined;
  let marketPublisher: MarketPublisher | undefined;
  let sep: SepService | undefined;
  let ocpp: OcppService | undefined;
  try {
    await migrateToLatest(store);
    await seedMarkets(store, config, clock.nowMs(), log);
    const signingKey = await loadOrCreateSigningKey(dataDir);
    const scheme = config.server.tls === undefined ? 'http' : 'https';
    const operatorCredentialsFile = await ensureOperatorClient(
      store.db,
      dataDir,
      clock.nowMs(),
      `${scheme}://${config.server.host}:${config.server.port}/oauth/token`,
    );
    const events = new InProcessEventBus((error) => log(`event listener failed: ${String(error)}`));
    lease =
      store.dialect === 'postgres' && options.databaseUrl !== undefined
        ? new PostgresAdvisoryLease(options.databaseUrl)
        : new SingleProcessLease();
    // Token lifetimes are real time even when the market runs on an accelerated clock.
    const tokenClock = new WallClock();
    const operator = new MarketOperator({ db: store.db, clock, events, lease, sha256, log });
    const gridFeeder =
      options.grid === undefined ? undefined : platformGridFeeder(options.grid, config.markets);
    let shuttingDown = false;
    const sepDevices = config.ieee2030_5.enabled
      ? new StoreSepDeviceRegistry({
          db: store.db,
          onError: (error) => log(`IEEE 2030.5 device registry: ${String(error)}`),
        })
      : undefined;
    ocpp = startOcppService({ db: store.db, clock, events, log, marketId: config.markets[0]?.id });
    app = await buildApiServer({
      store,
      clock,
      tokenClock,
      events,
      signingKey,
      tokenTtlSeconds: config.server.tokenTtlSeconds,
      bodyLimitBytes: config.server.bodyLimitBytes,
      rateLimitPerMinute: config.server.rateLimitPerMinute,
      dataDir,
      logRequests: config.server.logRequests,
      deviceTelemetryRetentionMs: config.server.deviceTelemetryRetentionMs,
      ...(config.server.tls === undefined
        ? {}
        : {
            tls: {
              cert: readFileSync(config.server.tls.certFile),
              key: readFileSync(config.server.tls.keyFile),
            },
          }),
      isShuttingDown: () => shuttingDown,
      instanceRole: () => (lease?.isHeld() === true ? 'leader' : 'standby'),
      ...(sepDevices === undefined ? {} : { sepDevices }),
      ocppStations: ocpp,
      ...(options.demo === undefined ? {} : { demo: options.demo }),
      ...(gridFeeder === undefined ? {} : { grid: gridFeeder.view }),
      runsDir: resolve(config.dashboard.runsDir),
    });
    app.server.on('upgrade', ocpp.handleUpgrade);
    notifications = await startNotifications(app, store, config, tokenClock, log);
    const publishing = config.openadr3.market;
    if (publishing.publish)
      marketPublisher = startOpenAdr3MarketPublisher({
        objects: app.openadr3Objects,
        events,
        catchUpSlots: publishing.catchUpSlots,
        keepEventsMs: publishing.keepEventsMs,
        onError: (error) => log(`OpenADR market publisher: ${String(error)}`),
      });
    const address = await app.listen({ host: config.server.host, port: config.server.port });
    const port = Number(new URL(address).port);
    if (sepDevices !== undefined) {
      const sepConfig = config.ieee2030_5;
      sep = await startSepService({
        config: { ...sepConfig, port: sepServerPort(config) },
        dataDir,
        db: store.db,
        clock,
        events,
        changes: app.openadr3Objects.changes,
        devices: sepDevices,
        log,
      });
    }
    const leaseForGrid = lease;
    const gridMonitor =
      gridFeeder === undefined
        ? undefined
        : new GridMonitor({
            feeder: gridFeeder,
            db: store.db,
            clock,
            events,
            isLeader: () => leaseForGrid.isHeld(),
            log,
            ...(options.grid?.publishEnvelopes === true
              ? { afterSolve: publishGridEnvelopes(app.openadr3Objects, clock, log) }
              : {}),
          });
    gridMonitor?.start();
    const stopOperator = new AbortController();
    const operatorRun = operator.run(stopOperator.signal);
    const runningApp = app;
    const runningLease = lease;
    const runningNotifications = notifications;
    const runningPublisher = marketPublisher;
    const runningSep = sep;
    const runningOcpp = ocpp;
    let stopping: Promise<void> | undefined;
    return {
      url: address,
      port,
      store,
      events,
      operatorCredentialsFile,
      mqttBrokerUrl: notifications.broker?.url ?? notifications.mqtt?.binding.URIS[0],
      isLeader: () => runningLease.isHeld(),
      ocpp: runningOcpp,
      ...(runningSep === undefined
        ? {}
        : { sep: { url: runningSep.url, port: runningSep.port, caCertPem: runningSep.caCertPem } }),
      ...(gridMonitor === undefined ? {} : { grid: gridMonitor }),
      stop: () => {
        stopping ??= (async () => {
          shuttingDown = true;
          stopOperator.abort();
          await operatorRun;
          // The last settled slot's solve finishes before the store closes.
          await gridMonitor?.stop();
          // The last slot's events are written (and so notified) before the notifiers close.
          await runningPublisher?.close();
          // Devices stop hearing controls once the market has stopped; their last telemetry is stored.
          await runningSep?.close();
          await runningOcpp.close();
          await closeWithin(runningApp, CLOSE_GRACE_MS);
          // After the requests: the changes they made are still notified, then the queues are flushed.
          await runningNotifications.close();
          await runningLease.release();
          await store.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await sep?.close();
    await ocpp?.close();
    await marketPublisher?.close();
    await app?.close();
    await notifications?.close();
    await lease?.release();
    await store.close();
    throw error;
  }
}

/**
 * OpenADR notifications: webhooks and the MQTT notifier, on the embedded broker (VENs log in with their
 * bearer token) unless the configuration names an external one. A broker that cannot start or be reached
 * stops the start with a coded error that names the setting to change.
 */
async function startNotifications(
  app: FastifyInstance,
  store: StoreDatabase,
  config: ServerConfig,
  tokenClock: Clock,
  log: (line: string) => void,
): Promise<OpenAdr3Notifications> {
  const { webhooks, mqtt } = config.openadr3.notifications;
  const port = embeddedBrokerPort(config);
  const { enabled: webhooksEnabled, allowHttp, allowPrivateNetworks, ...webhookOptions } = webhooks;
  const { enabled: mqttEnabled, ...mqttOptions } = mqtt;
  try {
    const started = await startOpenAdr3Notifications(
      app,
      store.db,
      {
        webhooks: webhooksEnabled && { ...webhookOptions, callbacks: { allowHttp, allowPrivateNetworks } },
        mqtt: mqttEnabled && { ...mqttOptions, ...(port === undefined ? {} : { port }) },
      },
      {
        verifyToken: (token) => app.verifyAccessToken(token),
        tokenClock,
        onError: (error) => log(`OpenADR notifier: ${String(error)}`),
      },
    );
    if (started.broker !== undefined) log(`OpenADR MQTT notifier: embedded broker at ${started.broker.url}`);
    else if (started.mqtt !== undefined)
      log(`OpenADR MQTT notifier: publishing to ${started.mqtt.binding.URIS[0]}`);
    return started;
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    const external = mqtt.brokerUrl !== undefined;
    throw new TeError(
      'TE_ERR_CONFIG',
      code === 'EADDRINUSE'
        ? `the embedded MQTT broker's port ${port} is already in use`
        : `the OpenADR MQTT notifier could not start: ${(caught as Error).message}`,
      {
        path: external ? 'openadr3.notifications.mqtt.brokerUrl' : 'openadr3.notifications.mqtt.port',
        hint: external
          ? 'check that the broker runs and accepts the configured login, or set openadr3.notifications.mqtt.enabled to false'
          : 'choose another port (openadr3.notifications.mqtt.port, 0 for any free one) or set openadr3.notifications.mqtt.enabled to false',
      },
    );
  }
}

/**
 * The configuration creates the markets that do not exist yet. Afterwards the stored rules are the truth
 * (the market operator changes them through the API, audited); a configuration that differs is reported,
 * not applied, so there is one source of truth per market.
 */
async function seedMarkets(
  store: StoreDatabase,
  config: ServerConfig,
  nowMs: number,
  log: (line: string) => void,
): Promise<void> {
  for (const market of config.markets) {
    const stored = await getMarket<MarketRules>(store.db, market.id);
    if (stored === undefined || stored.rules === null) {
      await saveMarket(store.db, { id: market.id, name: market.name, createdMs: nowMs, rules: market.rules });
      log(
        `market ${market.id}: created with ${market.rules.mechanism}, ${market.rules.slotDurationMs / 60_000}-minute slots`,
      );
    } else if (!isDeepStrictEqual(stored.rules, market.rules)) {
      log(
        `market ${market.id}: the stored rules differ from the configuration; the stored rules apply (change them with PUT /api/markets/${market.id}/rules)`,
      );
    }
  }
}

/**
 * Fastify's close waits for every connection; a client that opened a socket and never sent a request
 * would hold it forever. After the grace period the remaining connections are cut.
 */
async function closeWithin(app: FastifyInstance, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closing = app.close();
  await Promise.race([
    closing,
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        app.server.closeAllConnections();
        resolve();
      }, graceMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  await closing;
}
