/**
 * The HTTP API: Fastify with TypeBox schemas, OAuth 2.0 client-credential tokens, the access matrix,
 * RFC 9457 problems for every error, rate and size limits, and an OpenAPI 3.1 document of itself.
 * Everything it uses comes in through `ApiServerDeps`; it holds no market logic (it validates,
 * authorises, writes through the repositories, reads and streams).
 */
import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { TeError } from '../core/errors.js';
import type { Clock } from '../live/clock.js';
import type { GridFeederView } from '../live/grid/grid-state.js';
import type { MarketEventBus } from '../live/market-events.js';
import { registerOpenAdr3Vtn } from '../openadr3/vtn.js';
import { registerSepDeviceRoutes } from '../ieee2030-5/platform/device-routes.js';
import { StoreSepDeviceRegistry } from '../ieee2030-5/platform/store-device-registry.js';
import type { StoreDatabase } from '../store/database.js';
import { loadOrCreatePseudonymKey } from './access/pseudonym.js';
import { installAuthentication } from './auth/authenticate.js';
import type { SigningKey } from './auth/signing-key.js';
import type { AuthSettings } from './auth/tokens.js';
import { frameworkErrorProblem, installErrorHandling } from './error-handler.js';
import { refuseNulCharacters } from './nul-characters.js';
import { registerOpenApi, registerOpenApiRoute } from './openapi.js';
import { instanceOf, problemOf, sendProblem } from './problem.js';
import type { RouteContext, TypedApp } from './route-context.js';
import { registerClientRoutes } from './routes/clients.js';
import { registerDemoRoutes, type DemoController } from './routes/demo.js';
import { registerDeviceTelemetryRoutes } from './routes/device-telemetry.js';
import { registerEnvelopeRoutes } from './routes/envelopes.js';
import { registerEventRoutes } from './routes/events.js';
import { registerGridRoutes } from './routes/grid.js';
import { registerHealthRoute } from './routes/health.js';
import { registerKpiAndAuditRoutes } from './routes/kpis-audit.js';
import { registerMarketBookRoutes } from './routes/market-book.js';
import { registerMarketCurveRoutes } from './routes/market-curves.js';
import { registerMarketRoutes } from './routes/markets.js';
import { registerMeterReadingRoutes } from './routes/meter-readings.js';
import { registerOauthRoutes } from './routes/oauth.js';
import { registerOcppStationRoutes, type OcppStationDirectory } from './routes/ocpp-stations.js';
import { registerOrderRoutes } from './routes/orders.js';
import { registerParticipantRoutes } from './routes/participants.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerPreferenceRoutes } from './routes/preferences.js';
import { registerStatementRoutes } from './routes/statements.js';
import { registerStandardsRoutes } from './routes/standards.js';
import { buildValidatorCompiler } from './validation.js';
import { DEFAULT_DASHBOARD_DIR, dashboardFallback, loadDashboardAssets } from './dashboard-assets.js';

export interface ApiServerDeps {
  readonly store: StoreDatabase;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  /** Signs access tokens (`loadOrCreateSigningKey(dataDir)`). */
  readonly signingKey: SigningKey;
  /** The tokens' `iss` claim (default 'tenet'). */
  readonly issuer?: string;
  /** Token lifetime, seconds (default 3600). */
  readonly tokenTtlSeconds?: number;
  /**
   * The clock token times are read from (default: `clock`). Pass a WallClock when the market runs on an
   * accelerated clock, or tokens expire in a few real seconds.
   */
  readonly tokenClock?: Clock;
  /** Largest request body, bytes (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  /** Largest meter-reading batch body, bytes (default 4 MiB: 10,000 readings with long ids). */
  readonly readingsBodyLimitBytes?: number;
  /** Requests per client (token subject, else IP) per minute (default 60,000). */
  readonly rateLimitPerMinute?: number;
  /** Where the pseudonym key lives (made on first start); a random per-process key when absent. */
  readonly dataDir?: string;
  /** The pseudonym key itself, instead of `dataDir`. */
  readonly pseudonymKey?: Uint8Array;
  /** PEM certificate and key: the server speaks HTTPS when given. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Fastify's logger option (off by default). Tokens in query strings and headers are never logged. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Shorthand for `logger: true`. */
  readonly logRequests?: boolean;
  /** When true, new requests get 503 TE_ERR_UNAVAILABLE with Retry-After. */
  readonly isShuttingDown?: () => boolean;
  /** This instance's role for /healthz (e.g. 'leader' or 'standby'), when the platform knows it. */
  readonly instanceRole?: () => string | undefined;
  /** Milliseconds between SSE heartbeat comments (default 15 s). */
  readonly sseHeartbeatMs?: number;
  /** The platform's OCPP CSMS: the `/api/ocpp/stations` routes are served when given. */
  readonly ocppStations?: OcppStationDirectory;
  /**
   * The IEEE 2030.5 server's device registry, so registrations through the API are served at once;
   * without it `/api/sep/devices` writes to the store only.
   */
  readonly sepDevices?: StoreSepDeviceRegistry;
  /** The running demo (`tenet demo`): the `/api/demo` routes are served only when given. */
  readonly demo?: DemoController;
  /**
   * Where `tenet simulate` and `tenet compare` runs are (one directory each), served at /api/runs; none
   * when absent (an empty list).
   */
  readonly runsDir?: string;
  /** The live feeder (`/api/grid/*`); without it those routes answer 404. */
  readonly grid?: GridFeederView;
  /** Device telemetry older than this (clock time) is pruned after batches (default 7 days). */
  readonly deviceTelemetryRetentionMs?: number;
  /**
   * Where the built dashboard is (default dist/web of this package), or false to serve none. It is read
   * once here; a rebuild shows after a restart.
   */
  readonly dashboardDir?: string | false;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_READINGS_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60_000;
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
const RETRY_AFTER_SHUTDOWN_S = 5;

export async function buildApiServer(deps: ApiServerDeps): Promise<FastifyInstance> {
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const auth: AuthSettings = {
    signingKey: deps.signingKey,
    issuer: deps.issuer ?? 'tenet',
    tokenTtlS: deps.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    ...(deps.tokenClock === undefined ? {} : { clock: deps.tokenClock }),
  };
  const options: FastifyServerOptions = {
    logger: withoutSecrets(deps.logger ?? deps.logRequests ?? false),
    bodyLimit,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Our own shutdown check answers with a problem; Fastify's would be plain JSON.
    return503OnClosing: false,
    frameworkErrors: frameworkErrorProblem,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: false },
  };
  const untyped = Fastify(
    deps.tls === undefined ? options : ({ ...options, https: deps.tls } as FastifyServerOptions),
  );
  const app = untyped.withTypeProvider<TypeBoxTypeProvider>() as unknown as TypedApp;
  app.setValidatorCompiler(buildValidatorCompiler());
  // JSON only (and forms at the token endpoint): a text body is 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  const dashboardDir = deps.dashboardDir ?? DEFAULT_DASHBOARD_DIR;
  installErrorHandling(
    app,
    dashboardFallback(dashboardDir === false ? undefined : loadDashboardAssets(dashboardDir)),
  );

  let closing = false;
  const isShuttingDown = () => closing || deps.isShuttingDown?.() === true;
  app.addHook('onRequest', async (request, reply) => {
    if (!isShuttingDown()) return;
    reply.header('retry-after', String(RETRY_AFTER_SHUTDOWN_S));
    const error = new TeError('TE_ERR_UNAVAILABLE', 'the server is shutting down', {
      hint: `retry in ${RETRY_AFTER_SHUTDOWN_S} s, possibly on another instance`,
    });
    return sendProblem(reply, problemOf([error], instanceOf(request.url)));
  });
  installAuthentication(app, auth, deps.clock);
  refuseNulCharacters(app);
  await app.register(rateLimit, {
    global: true,
    max: deps.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      request.caller === undefined ? `ip:${request.ip}` : `client:${request.caller.clientId}`,
    errorResponseBuilder: (_request, context) =>
      new TeError('TE_ERR_RATE_LIMITED', `more than ${context.max} requests in a minute`, {
        hint: `retry after ${Math.ceil(context.ttl / 1000)} s (Retry-After)`,
      }),
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!request.url.startsWith('/docs')) {
      reply.header('x-frame-options', 'DENY');
      // The dashboard's pages set their own policy; everything else is data and needs none of it.
      if (!reply.hasHeader('content-security-policy'))
        reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    }
    if (deps.tls !== undefined) reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
  await registerOpenApi(app);

  const eventStreams = new Set<() => void>();
  const ctx: RouteContext = {
    db: deps.store.db,
    clock: deps.clock,
    events: deps.events,
    auth,
    pseudonymKey:
      deps.pseudonymKey ??
      (deps.dataDir === undefined ? randomBytes(32) : loadOrCreatePseudonymKey(deps.dataDir)),
    readingsBodyLimitBytes: Math.max(
      bodyLimit,
      deps.readingsBodyLimitBytes ?? DEFAULT_READINGS_BODY_LIMIT_BYTES,
    ),
    sseHeartbeatMs: deps.sseHeartbeatMs ?? 15_000,
    eventStreams,
  };
  registerHealthRoute(app, deps.instanceRole ?? (() => undefined));
  registerOpenApiRoute(app);
  registerOauthRoutes(app, ctx);
  registerClientRoutes(app, ctx);
  registerParticipantRoutes(app, ctx);
  registerMarketRoutes(app, ctx);
  registerMarketCurveRoutes(app, ctx);
  registerMarketBookRoutes(app, ctx);
  registerRunRoutes(app, deps.runsDir);
  registerStandardsRoutes(app);
  registerOrderRoutes(app, ctx);
  registerMeterReadingRoutes(app, ctx);
  registerDeviceTelemetryRoutes(
    app,
    ctx,
    deps.deviceTelemetryRetentionMs === undefined ? {} : { retentionMs: deps.deviceTelemetryRetentionMs },
  );
  registerPreferenceRoutes(app, ctx);
  registerStatementRoutes(app, ctx);
  registerKpiAndAuditRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerGridRoutes(app, ctx, deps.grid);
  registerOpenAdr3Vtn(app, ctx);
  registerEnvelopeRoutes(app);
  if (deps.ocppStations !== undefined) registerOcppStationRoutes(app, ctx, deps.ocppStations);
  registerSepDeviceRoutes(app, ctx, deps.sepDevices ?? new StoreSepDeviceRegistry({ db: deps.store.db }));
  if (deps.demo !== undefined) registerDemoRoutes(app, ctx, deps.demo);
  // Event streams never end by themselves: end them before the server waits for open connections.
  app.addHook('preClose', async () => {
    closing = true;
    for (const end of [...eventStreams]) end();
  });
  await app.ready();
  return app as unknown as FastifyInstance;
}

/** Logger options with request URLs stripped of `access_token` and no authorization headers. */
function withoutSecrets(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: request.url.replace(/([?&]access_token=)[^&]*/g, '$1[redacted]'),
        ip: request.ip,
      }),
    },
  } as FastifyServerOptions['logger'];
}
