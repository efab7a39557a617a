/**
 * What a 2030.5 route handler is given and what it returns, and the helpers every route file shares
 * (paging, visibility). Route files export arrays of `SepRoute`; `routes.ts` puts them in one table.
 */
import { TeError } from '../../core/errors.js';
import type { XmlLimits } from '../xml.js';
import type {
  SepDerStateStore,
  SepDevice,
  SepDeviceRegistry,
  SepMirrorStore,
  SepProgram,
  SepProgramSource,
  SepResponseSink,
  SepTelemetrySink,
} from './registry.js';
import type { SepServerOptions } from './server.js';
import type { SepSubscriptionService } from './subscription-routes.js';

export interface RouteContext {
  /** The base path, e.g. `/sep2`; hrefs are built on it. */
  readonly base: string;
  /** The device whose certificate made the request. */
  readonly device: SepDevice;
  readonly devices: SepDeviceRegistry;
  readonly programs: SepProgramSource;
  readonly responses: SepResponseSink | undefined;
  readonly derState: SepDerStateStore;
  readonly telemetry: SepTelemetrySink | undefined;
  readonly mirrors: SepMirrorStore;
  readonly nowMs: number;
  readonly query: URLSearchParams;
  readonly maxListItems: number;
  /** The request body of a PUT or POST (already size-limited and of type application/sep+xml); empty otherwise. */
  readonly body: Buffer;
  /** The limits to decode the body with. */
  readonly xmlLimits: XmlLimits;
  /** Everything the server was started with, for route files whose services are extra options. */
  readonly options: SepServerOptions;
  /** The address the request came from (a notificationURI must lead back to it). */
  readonly remoteAddress: string;
  /** The subscription function set, when the server offers it. */
  readonly subscriptions: SepSubscriptionService | undefined;
}

/** A handler's answer when it is not a plain 200 document. */
export interface SepReply {
  readonly status: number;
  readonly body?: string;
  /** For 201 Created: the path of the new resource. */
  readonly location?: string;
}

/**
 * A string is a 200 document; undefined means the path names nothing this device may see (404); a
 * thrown TeError becomes its HTTP status.
 */
export type RouteHandler = (
  ctx: RouteContext,
  params: readonly string[],
) => string | SepReply | undefined | Promise<string | SepReply | undefined>;

export const SEP_METHODS = ['GET', 'PUT', 'POST', 'DELETE'] as const;
export type SepMethod = (typeof SEP_METHODS)[number];

/** One path (a pattern over the path below the base, groups captured as params) and its methods. */
export interface SepRoute {
  readonly pattern: RegExp;
  readonly get?: RouteHandler;
  readonly put?: RouteHandler;
  readonly post?: RouteHandler;
  readonly delete?: RouteHandler;
}

export interface Page {
  readonly start: number;
  readonly limit: number;
}

/**
 * 2030.5 list paging: `s` is the first item's index (default 0), `l` how many to return (default 1, as the
 * standard says; capped at the server's limit). Anything but a plain decimal integer is refused.
 */
export function pageOf(query: URLSearchParams, maxListItems: number): Page {
  const read = (name: string, fallback: number): number => {
    const text = query.get(name);
    if (text === null) return fallback;
    if (!/^\d{1,10}$/.test(text)) {
      throw new TeError('TE_ERR_VALIDATION', `query ${name}=${text} is not a non-negative integer`, {
        path: `?${name}`,
      });
    }
    return Number(text);
  };
  return { start: read('s', 0), limit: Math.min(read('l', 1), maxListItems) };
}

/** The page of a list the query asks for. */
export const pageItems = <T>(ctx: RouteContext, items: readonly T[]): readonly T[] => {
  const page = pageOf(ctx.query, ctx.maxListItems);
  return items.slice(page.start, page.start + page.limit);
};

/** The device with this id when the requester may see it (itself, or one it speaks for). */
export const visibleDevice = (ctx: RouteContext, id: string | undefined): SepDevice | undefined =>
  ctx.devices.visibleTo(ctx.device.lfdi).find((d) => d.id === id);

/** The program with this id among those the requester hears. */
export const programOf = (ctx: RouteContext, id: string | undefined): SepProgram | undefined =>
  ctx.programs.programs(ctx.device).find((p) => p.id === id);
