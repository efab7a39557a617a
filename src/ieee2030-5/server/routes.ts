/**
 * The 2030.5 resource tree: maps a path (below the base path) and the requesting device to a document.
 * Pure functions of the registry, the program source and the time, so the HTTP layer stays thin.
 */
import { TeError } from '../../core/errors.js';
import { encodeDefaultDERControl, encodeDERControl, encodeDERControlList } from '../der-control.js';
import {
  encodeDERProgram,
  encodeDERProgramList,
  encodeDeviceCapability,
  encodeEndDevice,
  encodeEndDeviceList,
  encodeFunctionSetAssignmentsList,
  encodeRegistration,
  encodeTime,
  type DERProgram,
  type EndDevice,
} from '../resources.js';
import type { SepDevice, SepDeviceRegistry, SepProgram, SepProgramSource } from './registry.js';

export interface RouteContext {
  readonly base: string;
  readonly device: SepDevice;
  readonly devices: SepDeviceRegistry;
  readonly programs: SepProgramSource;
  readonly nowMs: number;
  readonly query: URLSearchParams;
  readonly maxListItems: number;
}

/** A matched GET route: the document, or undefined when the path names nothing this device may see. */
type Getter = (ctx: RouteContext, params: readonly string[]) => string | undefined;

interface Page {
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

const slice = <T>(items: readonly T[], page: Page): readonly T[] =>
  items.slice(page.start, page.start + page.limit);

function endDevice(ctx: RouteContext, d: SepDevice): EndDevice {
  const href = `${ctx.base}/edev/${d.id}`;
  return {
    href,
    lFDI: d.lfdi,
    sFDI: d.sfdi,
    changedTime: d.changedTime ?? d.registeredAt,
    ...(d.enabled === undefined ? {} : { enabled: d.enabled }),
    FunctionSetAssignmentsListLink: { href: `${href}/fsa`, all: 1 },
    RegistrationLink: { href: `${href}/rg` },
  };
}

const visible = (ctx: RouteContext, id: string | undefined): SepDevice | undefined =>
  ctx.devices.visibleTo(ctx.device.lfdi).find((d) => d.id === id);

function derProgram(ctx: RouteContext, p: SepProgram): DERProgram {
  const href = `${ctx.base}/derp/${p.id}`;
  return {
    href,
    mRID: p.mRID,
    ...(p.description === undefined ? {} : { description: p.description }),
    ...(p.defaultControl === undefined ? {} : { DefaultDERControlLink: { href: `${href}/dderc` } }),
    DERControlListLink: { href: `${href}/dc`, all: p.controls.length },
    primacy: p.primacy,
  };
}

const program = (ctx: RouteContext, id: string | undefined): SepProgram | undefined =>
  ctx.programs.programs(ctx.device).find((p) => p.id === id);

const control = (ctx: RouteContext, p: SepProgram, c: SepProgram['controls'][number]) => ({
  ...c,
  href: `${ctx.base}/derp/${p.id}/dc/${c.mRID}`,
  replyTo: `${ctx.base}/rsps`,
});

const getters: readonly [RegExp, Getter][] = [
  [
    /^\/dcap$/,
    (ctx) =>
      encodeDeviceCapability({
        href: `${ctx.base}/dcap`,
        TimeLink: { href: `${ctx.base}/tm` },
        EndDeviceListLink: { href: `${ctx.base}/edev`, all: ctx.devices.visibleTo(ctx.device.lfdi).length },
      }),
  ],
  [
    /^\/tm$/,
    (ctx) =>
      // The server does not know how its clock is disciplined, so it claims no source: quality 7
      // ("intentionally uncoordinated") and UTC with no daylight saving.
      encodeTime({
        href: `${ctx.base}/tm`,
        currentTime: Math.floor(ctx.nowMs / 1000),
        dstEndTime: 0,
        dstOffset: 0,
        dstStartTime: 0,
        quality: 7,
        tzOffset: 0,
      }),
  ],
  [
    /^\/edev$/,
    (ctx) => {
      const all = ctx.devices.visibleTo(ctx.device.lfdi);
      const page = slice(all, pageOf(ctx.query, ctx.maxListItems));
      return encodeEndDeviceList({
        href: `${ctx.base}/edev`,
        all: all.length,
        results: page.length,
        EndDevice: page.map((d) => endDevice(ctx, d)),
      });
    },
  ],
  [
    /^\/edev\/([^/]+)$/,
    (ctx, [id]) => {
      const d = visible(ctx, id);
      return d && encodeEndDevice(endDevice(ctx, d));
    },
  ],
  [
    /^\/edev\/([^/]+)\/rg$/,
    (ctx, [id]) => {
      const d = visible(ctx, id);
      return (
        d &&
        encodeRegistration({
          href: `${ctx.base}/edev/${d.id}/rg`,
          dateTimeRegistered: d.registeredAt,
          pIN: d.pin,
        })
      );
    },
  ],
  [
    /^\/edev\/([^/]+)\/fsa$/,
    (ctx, [id]) => {
      const d = visible(ctx, id);
      if (d === undefined) return undefined;
      // One assignment per device, linking the programs it hears; paging still applies.
      const items = slice([0], pageOf(ctx.query, ctx.maxListItems)).map(() => ({
        href: `${ctx.base}/edev/${d.id}/fsa/0`,
        DERProgramListLink: { href: `${ctx.base}/derp`, all: ctx.programs.programs(d).length },
        TimeLink: { href: `${ctx.base}/tm` },
        mRID: d.lfdi.slice(0, 32),
        description: 'tenet',
      }));
      return encodeFunctionSetAssignmentsList({
        href: `${ctx.base}/edev/${d.id}/fsa`,
        all: 1,
        results: items.length,
        FunctionSetAssignments: items,
      });
    },
  ],
  [
    /^\/derp$/,
    (ctx) => {
      const all = ctx.programs.programs(ctx.device);
      const page = slice(all, pageOf(ctx.query, ctx.maxListItems));
      return encodeDERProgramList({
        href: `${ctx.base}/derp`,
        all: all.length,
        results: page.length,
        DERProgram: page.map((p) => derProgram(ctx, p)),
      });
    },
  ],
  [
    /^\/derp\/([^/]+)$/,
    (ctx, [id]) => {
      const p = program(ctx, id);
      return p && encodeDERProgram(derProgram(ctx, p));
    },
  ],
  [
    /^\/derp\/([^/]+)\/dc$/,
    (ctx, [id]) => {
      const p = program(ctx, id);
      if (p === undefined) return undefined;
      const page = slice(p.controls, pageOf(ctx.query, ctx.maxListItems));
      return encodeDERControlList({
        href: `${ctx.base}/derp/${p.id}/dc`,
        all: p.controls.length,
        results: page.length,
        DERControl: page.map((c) => control(ctx, p, c)),
      });
    },
  ],
  [
    /^\/derp\/([^/]+)\/dc\/([^/]+)$/,
    (ctx, [id, mrid]) => {
      const p = program(ctx, id);
      const c = p?.controls.find((x) => x.mRID === mrid);
      return p && c && encodeDERControl(control(ctx, p, c));
    },
  ],
  [
    /^\/derp\/([^/]+)\/dderc$/,
    (ctx, [id]) => {
      const p = program(ctx, id);
      const d = p?.defaultControl;
      return (
        p &&
        d &&
        encodeDefaultDERControl({ ...d, href: `${ctx.base}/derp/${p.id}/dderc`, replyTo: `${ctx.base}/rsps` })
      );
    },
  ],
];

/** Paths that take POST (relative to the base). */
export const POST_PATHS: readonly RegExp[] = [/^\/rsps$/];

/** The GET route for a path, with its captured segments, or undefined when no GET route matches. */
export function findGetter(path: string): { get: Getter; params: string[] } | undefined {
  for (const [pattern, get] of getters) {
    const m = pattern.exec(path);
    if (m !== null) return { get, params: m.slice(1) };
  }
  return undefined;
}
