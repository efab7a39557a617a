/**
 * The 2030.5 resource tree: maps a path (below the base path) and the requesting device to a document.
 * Pure functions of the registry, the program source and the time, so the HTTP layer stays thin.
 */
import { TeError } from '../../core/errors.js';
import { encodeSep } from '../codec.js';
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
  FunctionSetAssignmentsSpec,
  type DERProgram,
  type FunctionSetAssignments,
  type EndDevice,
} from '../resources.js';
import { decodeDERControlResponse, encodeDERCurve, encodeDERCurveList } from '../der-curve.js';
import { derRoutes } from './der-routes.js';
import { mirrorRoutes, visibleMirrors } from './mirror-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';
import type { SepDevice, SepProgram } from './registry.js';
import {
  pageItems,
  programOf as program,
  visibleDevice as visible,
  type RouteContext,
  type SepMethod,
  type SepRoute,
} from './route-context.js';

export { pageOf } from './route-context.js';

function endDevice(ctx: RouteContext, d: SepDevice): EndDevice {
  const href = `${ctx.base}/edev/${d.id}`;
  return {
    href,
    DERListLink: { href: `${href}/der`, all: 1 },
    lFDI: d.lfdi,
    sFDI: d.sfdi,
    changedTime: d.changedTime ?? d.registeredAt,
    ...(d.enabled === undefined ? {} : { enabled: d.enabled }),
    FunctionSetAssignmentsListLink: { href: `${href}/fsa`, all: 1 },
    RegistrationLink: { href: `${href}/rg` },
    ...(ctx.subscriptions && {
      SubscriptionListLink: { href: `${href}/sub`, all: ctx.subscriptions.store.list(d.id).length },
    }),
  };
}

/** `subscribable="1"` (non-conditional subscriptions) on the resources a device may subscribe to. */
const subscribable = (ctx: RouteContext): { subscribable?: number } =>
  ctx.subscriptions === undefined ? {} : { subscribable: 1 };

/** A device's one FunctionSetAssignments: the programs it hears and the time. */
const assignment = (ctx: RouteContext, d: SepDevice): FunctionSetAssignments => ({
  href: `${ctx.base}/edev/${d.id}/fsa/0`,
  DERProgramListLink: { href: `${ctx.base}/derp`, all: ctx.programs.programs(d).length },
  TimeLink: { href: `${ctx.base}/tm` },
  mRID: d.lfdi.slice(0, 32),
  description: 'tenet',
});

// EventStatus currentStatus: 2 cancelled, 3 cancelled with randomisation, 4 superseded; none is in force.
const NOT_IN_FORCE = new Set([2, 3, 4]);

/** The program's controls in force now: the interval [start, start + duration) holds now and not cancelled. */
function activeControls(ctx: RouteContext, p: SepProgram): SepProgram['controls'] {
  const nowS = ctx.nowMs / 1000;
  return p.controls.filter(
    (c) =>
      c.interval.start <= nowS &&
      nowS < c.interval.start + c.interval.duration &&
      !NOT_IN_FORCE.has(c.EventStatus.currentStatus),
  );
}

function derProgram(ctx: RouteContext, p: SepProgram): DERProgram {
  const href = `${ctx.base}/derp/${p.id}`;
  return {
    href,
    mRID: p.mRID,
    ...(p.description === undefined ? {} : { description: p.description }),
    ActiveDERControlListLink: { href: `${href}/actderc`, all: activeControls(ctx, p).length },
    ...(p.defaultControl === undefined ? {} : { DefaultDERControlLink: { href: `${href}/dderc` } }),
    DERControlListLink: { href: `${href}/dc`, all: p.controls.length },
    DERCurveListLink: { href: `${href}/dcl`, all: p.curves?.length ?? 0 },
    primacy: p.primacy,
  };
}

const control = (ctx: RouteContext, p: SepProgram, c: SepProgram['controls'][number]) => ({
  ...c,
  href: `${ctx.base}/derp/${p.id}/dc/${c.mRID}`,
  replyTo: `${ctx.base}/rsps`,
});

const coreRoutes: readonly SepRoute[] = [
  {
    pattern: /^\/dcap$/,
    get: async (ctx) =>
      encodeDeviceCapability({
        href: `${ctx.base}/dcap`,
        TimeLink: { href: `${ctx.base}/tm` },
        EndDeviceListLink: { href: `${ctx.base}/edev`, all: ctx.devices.visibleTo(ctx.device.lfdi).length },
        MirrorUsagePointListLink: { href: `${ctx.base}/mup`, all: (await visibleMirrors(ctx)).length },
      }),
  },
  {
    pattern: /^\/tm$/,
    get: (ctx) =>
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
  },
  {
    pattern: /^\/edev$/,
    get: (ctx) => {
      const all = ctx.devices.visibleTo(ctx.device.lfdi);
      const page = pageItems(ctx, all);
      return encodeEndDeviceList({
        href: `${ctx.base}/edev`,
        all: all.length,
        results: page.length,
        EndDevice: page.map((d) => endDevice(ctx, d)),
      });
    },
  },
  {
    pattern: /^\/edev\/([^/]+)$/,
    get: (ctx, [id]) => {
      const d = visible(ctx, id);
      return d && encodeEndDevice(endDevice(ctx, d));
    },
  },
  {
    pattern: /^\/edev\/([^/]+)\/rg$/,
    get: (ctx, [id]) => {
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
  },
  {
    pattern: /^\/edev\/([^/]+)\/fsa$/,
    get: (ctx, [id]) => {
      const d = visible(ctx, id);
      if (d === undefined) return undefined;
      // One assignment per device, linking the programs it hears; paging still applies.
      const items = pageItems(ctx, [0]).map(() => assignment(ctx, d));
      return encodeFunctionSetAssignmentsList({
        href: `${ctx.base}/edev/${d.id}/fsa`,
        all: 1,
        results: items.length,
        FunctionSetAssignments: items,
      });
    },
  },
  {
    pattern: /^\/edev\/([^/]+)\/fsa\/0$/,
    get: (ctx, [id]) => {
      const d = visible(ctx, id);
      return d && encodeSep(FunctionSetAssignmentsSpec, assignment(ctx, d));
    },
  },
  {
    pattern: /^\/derp$/,
    get: (ctx) => {
      const all = ctx.programs.programs(ctx.device);
      const page = pageItems(ctx, all);
      return encodeDERProgramList({
        href: `${ctx.base}/derp`,
        all: all.length,
        results: page.length,
        DERProgram: page.map((p) => derProgram(ctx, p)),
      });
    },
  },
  {
    pattern: /^\/derp\/([^/]+)$/,
    get: (ctx, [id]) => {
      const p = program(ctx, id);
      return p && encodeDERProgram(derProgram(ctx, p));
    },
  },
  {
    pattern: /^\/derp\/([^/]+)\/dc$/,
    get: (ctx, [id]) => {
      const p = program(ctx, id);
      if (p === undefined) return undefined;
      const page = pageItems(ctx, p.controls);
      return encodeDERControlList({
        ...subscribable(ctx),
        href: `${ctx.base}/derp/${p.id}/dc`,
        all: p.controls.length,
        results: page.length,
        DERControl: page.map((c) => control(ctx, p, c)),
      });
    },
  },
  {
    pattern: /^\/derp\/([^/]+)\/dc\/([^/]+)$/,
    get: (ctx, [id, mrid]) => {
      const p = program(ctx, id);
      const c = p?.controls.find((x) => x.mRID === mrid);
      return p && c && encodeDERControl(control(ctx, p, c));
    },
  },
  {
    pattern: /^\/derp\/([^/]+)\/dderc$/,
    get: (ctx, [id]) => {
      const p = program(ctx, id);
      const d = p?.defaultControl;
      return (
        p &&
        d &&
        encodeDefaultDERControl({
          ...d,
          ...subscribable(ctx),
          href: `${ctx.base}/derp/${p.id}/dderc`,
          replyTo: `${ctx.base}/rsps`,
        })
      );
    },
  },
  {
    pattern: /^\/derp\/([^/]+)\/actderc$/,
    get: (ctx, [id]) => {
      const p = program(ctx, id);
      if (p === undefined) return undefined;
      const active = activeControls(ctx, p);
      const page = pageItems(ctx, active);
      return encodeDERControlList({
        ...subscribable(ctx),
        href: `${ctx.base}/derp/${p.id}/actderc`,
        all: active.length,
        results: page.length,
        DERControl: page.map((c) => control(ctx, p, c)),
      });
    },
  },
  {
    pattern: /^\/derp\/([^/]+)\/dcl$/,
    get: (ctx, [id]) => {
      const p = program(ctx, id);
      if (p === undefined) return undefined;
      const curves = p.curves ?? [];
      const page = pageItems(ctx, curves);
      return encodeDERCurveList({
        href: `${ctx.base}/derp/${p.id}/dcl`,
        all: curves.length,
        results: page.length,
        DERCurve: page.map((c) => ({ ...c, href: `${ctx.base}/derp/${p.id}/dcl/${c.mRID}` })),
      });
    },
  },
  {
    pattern: /^\/derp\/([^/]+)\/dcl\/([^/]+)$/,
    get: (ctx, [id, mrid]) => {
      const p = program(ctx, id);
      const c = p?.curves?.find((x) => x.mRID === mrid);
      return p && c && encodeDERCurve({ ...c, href: `${ctx.base}/derp/${p.id}/dcl/${c.mRID}` });
    },
  },
  {
    pattern: /^\/rsps$/,
    post: async (ctx) => {
      const response = decodeDERControlResponse(ctx.body, ctx.xmlLimits);
      // A device answers for itself; an aggregator may answer for the devices it sees.
      const about = ctx.devices
        .visibleTo(ctx.device.lfdi)
        .find((d) => d.lfdi === response.endDeviceLFDI.toUpperCase());
      if (about === undefined) {
        throw new TeError('TE_ERR_FORBIDDEN', 'endDeviceLFDI is not this device or one it speaks for', {
          path: '/DERControlResponse/endDeviceLFDI',
        });
      }
      await ctx.responses?.record(about, response);
      return { status: 204 };
    },
  },
];

/** Every route the server answers, in match order: the first pattern that matches a path owns it. */
export const SEP_ROUTES: readonly SepRoute[] = [
  ...coreRoutes,
  ...derRoutes,
  ...mirrorRoutes,
  ...subscriptionRoutes,
];

/** The route owning a path, with its captured segments, or undefined (404). */
export function findRoute(
  routes: readonly SepRoute[],
  path: string,
): { route: SepRoute; params: string[] } | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m !== null) return { route, params: m.slice(1) };
  }
  return undefined;
}

/** The methods a route answers, for 405's Allow header. */
export const allowedMethods = (route: SepRoute): SepMethod[] =>
  (['GET', 'PUT', 'POST', 'DELETE'] as const).filter((m) => route[methodKey(m)] !== undefined);

export const methodKey = (method: SepMethod): 'get' | 'put' | 'post' | 'delete' =>
  method.toLowerCase() as 'get' | 'put' | 'post' | 'delete';
