/**
 * The IEEE 2030.5 server as part of the platform: the store-backed device registry, programs from market
 * results and operating envelopes, telemetry into settlement readings, control responses and DER documents
 * in the store, and the server on its own port
 * with mutual TLS: the configured certificates, or a development PKI made in the data directory. Started
 * and stopped by `startPlatform`.
 */
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { TeError } from '../../core/errors.js';
import type { Clock } from '../../live/clock.js';
import type { MarketEventBus } from '../../live/market-events.js';
import type { OpenAdrChangeFeed } from '../../openadr3/object-changes.js';
import type { StoreSchema } from '../../store/schema.js';
import { ensureSepPki } from '../pki/index.js';
import { startSepServer, type SepServer, type SepServerLimits } from '../server/server.js';
import { PlatformSepProgramSource } from './program-source.js';
import type { DefaultLimits, SiteLimitElements } from './program-snapshot.js';
import type { StoreSepDeviceRegistry } from './store-device-registry.js';
import { StoreSepDerStateStore } from './store-der-state.js';
import { StoreSepMirrorStore } from './store-mirror-store.js';
import { StoreSepResponseSink } from './store-response-sink.js';
import { PlatformSepTelemetrySink } from './telemetry-sink.js';

/** The `ieee2030_5` configuration block, with the port resolved. */
export interface SepServiceConfig {
  readonly host: string;
  readonly port: number;
  readonly basePath: string;
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile: string } | undefined;
  readonly defaultControl?: DefaultLimits | undefined;
  /** Which elements carry the envelopes' limits (default 'ieee2030.5'). */
  readonly siteLimits?: SiteLimitElements | undefined;
  readonly limits?: SepServerLimits | undefined;
  readonly subscriptions?:
    | {
        readonly enabled: boolean;
        readonly publicBaseUrl?: string | undefined;
        readonly allowHosts?: readonly string[] | undefined;
      }
    | undefined;
}

export interface SepServiceOptions {
  readonly config: SepServiceConfig;
  /** Where the development PKI lives when no certificates are configured. */
  readonly dataDir: string;
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  /** The VTN's change feed: envelope writes rebuild the programs. */
  readonly changes: OpenAdrChangeFeed | undefined;
  /** The registry the API's `/api/sep/devices` writes through (started here). */
  readonly devices: StoreSepDeviceRegistry;
  readonly log: (line: string) => void;
}

export interface SepService {
  readonly url: string;
  readonly port: number;
  /** PEM of the CA that device certificates must chain to (the first, when several are configured). */
  readonly caCertPem: string;
  readonly programs: PlatformSepProgramSource;
  /** DERControlResponses, in the store (`sep_control_responses`). */
  readonly responses: StoreSepResponseSink;
  close(): Promise<void>;
}

interface ServerTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

function readPem(file: string, path: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new TeError('TE_ERR_CONFIG', `cannot read ${file}`, {
      path,
      hint: 'give the path of a PEM file the server may read',
      cause,
    });
  }
}

async function serverTls(config: SepServiceConfig, dataDir: string): Promise<ServerTls> {
  if (config.tls !== undefined) {
    return {
      cert: readPem(config.tls.certFile, 'ieee2030_5.tls.certFile'),
      key: readPem(config.tls.keyFile, 'ieee2030_5.tls.keyFile'),
      ca: readPem(config.tls.caFile, 'ieee2030_5.tls.caFile'),
    };
  }
  const pki = await ensureSepPki(dataDir);
  return { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem };
}

/** Subscriptions with notifications back to the subscribing device's address unless hosts are allowed. */
function subscriptionsOption(config: SepServiceConfig, log: (line: string) => void) {
  const subscriptions = config.subscriptions;
  if (subscriptions?.enabled !== true) return {};
  return {
    subscriptions: {
      ...(subscriptions.publicBaseUrl === undefined ? {} : { publicBaseUrl: subscriptions.publicBaseUrl }),
      ...(subscriptions.allowHosts === undefined
        ? {}
        : { targets: { allowHosts: subscriptions.allowHosts } }),
      notifier: { log: (line: string) => log(`IEEE 2030.5 notifier: ${line}`) },
    },
  };
}

export async function startSepService(options: SepServiceOptions): Promise<SepService> {
  const { config, db, clock, log } = options;
  const tls = await serverTls(config, options.dataDir);
  const programs = new PlatformSepProgramSource({
    db,
    clock,
    defaultControl: config.defaultControl,
    siteLimits: config.siteLimits,
    onError: (error) => log(`IEEE 2030.5 programs: ${String(error)}`),
  });
  const responses = new StoreSepResponseSink({ db, clock, log });
  let server: SepServer | undefined;
  try {
    await options.devices.start();
    await responses.start();
    programs.rebuildOn(options.events, options.changes);
    await programs.start();
    server = await startSepServer({
      host: config.host,
      port: config.port,
      tls,
      devices: options.devices,
      programs,
      responses,
      derState: new StoreSepDerStateStore(db, clock, log),
      telemetry: new PlatformSepTelemetrySink({ db, clock }),
      mirrors: new StoreSepMirrorStore(db, clock),
      clock,
      basePath: config.basePath,
      ...(config.limits === undefined ? {} : { limits: config.limits }),
      ...subscriptionsOption(config, log),
    });
  } catch (caught) {
    await programs.close();
    await responses.close();
    await options.devices.close();
    if (
      (caught as NodeJS.ErrnoException).code === 'EADDRINUSE' ||
      (caught as NodeJS.ErrnoException).code === 'EACCES'
    ) {
      throw new TeError(
        'TE_ERR_CONFIG',
        `the IEEE 2030.5 server cannot listen on ${config.host}:${config.port}`,
        {
          path: 'ieee2030_5.port',
          hint: 'the port is in use or not allowed: choose another (ieee2030_5.port or --sep-port, 0 for any free one) or set ieee2030_5.enabled to false',
          cause: caught,
        },
      );
    }
    throw caught;
  }
  const running = server;
  log(
    `IEEE 2030.5 server: ${running.url} (mutual TLS${config.tls === undefined ? `, development CA in ${options.dataDir}/sep-pki` : ''})`,
  );
  return {
    url: running.url,
    port: running.port,
    caCertPem: tls.ca,
    programs,
    responses,
    async close() {
      await running.close();
      await programs.close();
      await responses.close();
      await options.devices.close();
    },
  };
}
