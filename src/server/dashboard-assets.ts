/**
 * The dashboard (web/, built by Vite into dist/web) served by the API server itself, so production has
 * one process. The build is a handful of files, read once at startup and kept in memory with a gzip
 * copy: a first load on localhost costs no disk reads and no compression per request.
 *
 * Any GET the API does not answer and that is not under an API prefix gets index.html, because the
 * dashboard routes in the browser (history API): /market, /fleet/... must load the app on a reload.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TeError } from '../core/errors.js';
import { instanceOf, problemOf, sendProblem } from './problem.js';

/** Where `npm run build` puts the dashboard, from this file in src/server or dist/server. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The dashboard's own policy: its scripts and styles come from this server only; uPlot and Preact set
 * element styles from script, hence 'unsafe-inline' for styles (never for scripts).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API and protocols: an unknown one is a 404 problem, never the app. */
const API_PREFIXES = ['/api', '/oauth', '/openadr3', '/ocpp', '/sep2', '/docs', '/.well-known', '/openapi'];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
/** Compressing these below this size gains nothing. */
const GZIP_MIN_BYTES = 1024;

interface Asset {
  readonly body: Buffer;
  readonly gzipped: Buffer | undefined;
  readonly contentType: string;
  readonly etag: string;
  /** Vite names files under assets/ by their content hash: they never change under one name. */
  readonly immutable: boolean;
}

export interface DashboardAssets {
  /** Files by URL path ('/index.html', '/assets/index-abc123.js'). */
  readonly files: ReadonlyMap<string, Asset>;
  readonly totalBytes: number;
}

/** Reads a built dashboard; undefined when there is none (not built yet). */
export function loadDashboardAssets(dir: string): DashboardAssets | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, Asset>();
  let totalBytes = 0;
  for (const path of filesUnder(dir)) {
    const body = readFileSync(path);
    const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
    const contentType = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/json|image\/svg)/.test(contentType);
    files.set(urlPath, {
      body,
      gzipped: compressible && body.length >= GZIP_MIN_BYTES ? gzipSync(body, { level: 9 }) : undefined,
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: urlPath.startsWith('/assets/'),
    });
    totalBytes += body.length;
  }
  return { files, totalBytes };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Answers a request the API has no route for, or says it is not the dashboard's. */
export type DashboardFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/**
 * The dashboard behind the API's not-found handler: GET and HEAD outside the API prefixes. Without a
 * build it answers a coded problem saying how to build it, so the API keeps working on a clone where
 * only `tsc` ran. Kept out of the route table so the API's own routing (and its errors for overlong
 * or malformed paths) is exactly what it was.
 */
export function dashboardFallback(assets: DashboardAssets | undefined): DashboardFallback {
  return (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const path = new URL(request.url, 'http://dashboard').pathname;
    if (API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return undefined;
    if (assets === undefined) {
      const error = new TeError('TE_ERR_NOT_FOUND', 'the dashboard is not built', {
        hint: 'run `npm run build` (it builds web/ into dist/web), then restart the server',
      });
      return sendProblem(reply, problemOf([error], instanceOf(request.url)));
    }
    const asset =
      assets.files.get(path) ?? (path.startsWith('/assets/') ? undefined : assets.files.get('/index.html'));
    if (asset === undefined) {
      const error = new TeError('TE_ERR_NOT_FOUND', `no dashboard file ${instanceOf(request.url)}`, {
        hint: 'reload the dashboard: it may have been rebuilt since this page was loaded',
      });
      return sendProblem(reply, problemOf([error], instanceOf(request.url)));
    }
    reply.code(200);
    reply.header('content-security-policy', DASHBOARD_CSP);
    reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('etag', asset.etag);
    reply.header('vary', 'accept-encoding');
    reply.type(asset.contentType);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (asset.gzipped !== undefined && acceptsGzip) {
      reply.header('content-encoding', 'gzip');
      return reply.send(asset.gzipped);
    }
    return reply.send(asset.body);
  };
}
