/**
 * The IEEE 2030.5 server core: HTTPS with mutual TLS, the device identified by its certificate's LFDI,
 * the resource tree from `routes.ts`. Not yet wired into `tenet serve`.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { isTeError, TeError } from '../../core/errors.js';
import { lfdiFromVerifiedDer } from '../identity.js';
import { DEFAULT_MAX_XML_BYTES, DEFAULT_MAX_XML_DEPTH } from '../xml.js';
import {
  InMemorySepDerStateStore,
  InMemorySepMirrorStore,
  type SepDerStateStore,
  type SepDevice,
  type SepDeviceRegistry,
  type SepMirrorStore,
  type SepProgramSource,
  type SepResponseSink,
  type SepTelemetrySink,
} from './registry.js';
import { SEP_METHODS, type RouteContext, type SepMethod, type SepRoute } from './route-context.js';
import { allowedMethods, findRoute, methodKey, SEP_ROUTES } from './routes.js';
import type { SepNotifier } from './notifier.js';
import {
  sepSubscriptionService,
  startServerNotifier,
  type SepSubscriptionOptions,
} from './subscription-routes.js';

export const SEP_CONTENT_TYPE = 'application/sep+xml';

export interface SepServerLimits {
  /** Largest request body, bytes (default 64 KiB, the XML reader's default). */
  readonly maxBodyBytes?: number;
  readonly maxXmlDepth?: number;
  /** Most items one list page returns, whatever `l` asks (default 100). */
  readonly maxListItems?: number;
  /** Milliseconds a request may take to arrive (default 10 s), so slow clients cannot hold sockets. */
  readonly requestTimeoutMs?: number;
  /**
   * Milliseconds an idle connection is kept open (default 5 minutes). Node's own default of 5 s would make
   * a device polling every minute pay a full mutual-TLS handshake on every poll.
   */
  readonly keepAliveTimeoutMs?: number;
}

export interface SepServerOptions {
  readonly host: string;
  readonly port: number;
  /** PEM: the server's certificate and key, and the CA (or CAs) that issue device certificates. */
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string | readonly string[] };
  readonly devices: SepDeviceRegistry;
  readonly programs: SepProgramSource;
  readonly responses?: SepResponseSink;
  /** Where the DER documents devices PUT are kept (default: in memory, lost on restart). */
  readonly derState?: SepDerStateStore;
  /** Where MirrorMeterReading telemetry goes; without one, posting readings is refused (503). */
  readonly telemetry?: SepTelemetrySink;
  /** Where the MirrorUsagePoints devices create are kept (default: in memory, lost on restart). */
  readonly mirrors?: SepMirrorStore;
  /**
   * Offer subscriptions (`{base}/edev/{id}/sub`) and POST notifications when programs change
   * (`programs.onChange`); absent, the subscription paths answer 404.
   */
  readonly subscriptions?: SepSubscriptionOptions;
  /** Routes to answer in place of the default table (`SEP_ROUTES`), e.g. with subscription routes added. */
  readonly routes?: readonly SepRoute[];
  readonly clock: { nowMs(): number };
  /** Default `/sep2`; no trailing slash. */
  readonly basePath?: string;
  readonly limits?: SepServerLimits;
}

export interface SepServer {
  readonly url: string;
  readonly port: number;
  /** Sends the notifications, when `subscriptions` is set; closed with the server. */
  readonly notifier?: SepNotifier;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body?: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'content-type': SEP_CONTENT_TYPE }),
  });
  res.end(body);
}

/** Errors are JSON (2030.5 defines no error body for most cases); the code is also in a header. */
function sendError(res: ServerResponse, error: TeError, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(error.httpStatus, {
    ...headers,
    'content-type': 'application/json',
    'x-tenet-error': error.code,
  });
  res.end(JSON.stringify(error.toJSON()));
}

/** Reads the body, refusing it as soon as it passes the limit rather than buffering it whole. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new TeError('TE_ERR_INPUT_TOO_LARGE', `body is over ${maxBytes} bytes`));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** PUT and POST carry a 2030.5 document: its type is checked before a byte is read. */
async function readRequestBody(req: IncomingMessage, method: SepMethod, maxBytes: number): Promise<Buffer> {
  if (method !== 'PUT' && method !== 'POST') return Buffer.alloc(0);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== SEP_CONTENT_TYPE) {
    throw new TeError('TE_ERR_UNSUPPORTED_MEDIA_TYPE', `content type must be ${SEP_CONTENT_TYPE}`);
  }
  return readBody(req, maxBytes);
}

export async function startSepServer(options: SepServerOptions): Promise<SepServer> {
  const base = options.basePath ?? '/sep2';
  if (!/^(\/[A-Za-z0-9_-]+)+$/.test(base)) {
    throw new TeError('TE_ERR_CONFIG', `basePath ${base} must be like /sep2`, { path: 'basePath' });
  }
  const maxBodyBytes = options.limits?.maxBodyBytes ?? DEFAULT_MAX_XML_BYTES;
  const maxXmlDepth = options.limits?.maxXmlDepth ?? DEFAULT_MAX_XML_DEPTH;
  const maxListItems = options.limits?.maxListItems ?? 100;
  const routes = options.routes ?? SEP_ROUTES;
  const derState = options.derState ?? new InMemorySepDerStateStore();
  const mirrors = options.mirrors ?? new InMemorySepMirrorStore();
  const subscriptions = options.subscriptions && sepSubscriptionService(options.subscriptions);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const socket = req.socket as TLSSocket;
    // rejectUnauthorized already refused a missing or foreign certificate at the handshake; this is
    // the second gate: a CA-signed certificate still has to belong to a registered device. The X509
    // object and a hash of its bytes cost microseconds; getPeerCertificate(true) builds the whole chain
    // as objects and was most of a poll's server time.
    const raw = socket.getPeerX509Certificate()?.raw;
    const lfdi = raw === undefined ? undefined : lfdiFromVerifiedDer(raw);
    const device: SepDevice | undefined = lfdi === undefined ? undefined : options.devices.byLfdi(lfdi);
    if (device === undefined) {
      sendError(res, new TeError('TE_ERR_FORBIDDEN', 'certificate is not registered', { path: lfdi }));
      return;
    }
    const url = new URL(req.url ?? '/', 'https://sep.invalid');
    const path = url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : undefined;
    const found = path === undefined ? undefined : findRoute(routes, path);
    if (found === undefined) {
      sendError(res, new TeError('TE_ERR_NOT_FOUND', `no resource at ${url.pathname}`));
      return;
    }
    const method = SEP_METHODS.find((m) => m === req.method);
    const handler = method === undefined ? undefined : found.route[methodKey(method)];
    if (method === undefined || handler === undefined) {
      res.writeHead(405, { allow: allowedMethods(found.route).join(', ') });
      res.end();
      return;
    }
    const body = await readRequestBody(req, method, maxBodyBytes);
    const ctx: RouteContext = {
      base,
      device,
      devices: options.devices,
      programs: options.programs,
      responses: options.responses,
      derState,
      telemetry: options.telemetry,
      mirrors,
      nowMs: options.clock.nowMs(),
      query: url.searchParams,
      maxListItems,
      body,
      xmlLimits: { maxBytes: maxBodyBytes, maxDepth: maxXmlDepth },
      options,
      remoteAddress: req.socket.remoteAddress ?? '',
      subscriptions,
    };
    const reply = await handler(ctx, found.params);
    if (reply === undefined) {
      sendError(res, new TeError('TE_ERR_NOT_FOUND', `no resource at ${url.pathname}`));
    } else if (typeof reply === 'string') {
      send(res, 200, reply);
    } else {
      send(res, reply.status, reply.body, reply.location === undefined ? {} : { location: reply.location });
    }
  };

  const server: Server = createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      ca: typeof options.tls.ca === 'string' ? options.tls.ca : [...options.tls.ca],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      requestTimeout: options.limits?.requestTimeoutMs ?? 10_000,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        const coded = isTeError(error)
          ? error
          : new TeError('TE_ERR_INTERNAL', 'the 2030.5 server failed on this request', { cause: error });
        // A refused body may still be arriving; close the connection rather than read the rest.
        const unread =
          coded.code === 'TE_ERR_INPUT_TOO_LARGE' || coded.code === 'TE_ERR_UNSUPPORTED_MEDIA_TYPE';
        sendError(res, coded, unread ? { connection: 'close' } : {});
      });
    },
  );
  server.keepAliveTimeout = options.limits?.keepAliveTimeoutMs ?? 300_000;
  // Handshake failures (no certificate, another CA) are the client's problem, never the server's.
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `https://${host}:${port}${base}`;
  const notifier =
    subscriptions &&
    options.subscriptions &&
    startServerNotifier(
      subscriptions,
      options.subscriptions,
      { devices: options.devices, programs: options.programs, tls: options.tls, clock: options.clock },
      url,
    );
  return {
    url,
    port,
    ...(notifier && { notifier }),
    close: async () => {
      await notifier?.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
