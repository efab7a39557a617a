/**
 * The subscription function set under an EndDevice: `{base}/edev/{id}/sub` lists a device's
 * subscriptions (GET, paged) and takes new ones (POST: 201 with Location `{base}/edev/{id}/sub/{n}`);
 * `{base}/edev/{id}/sub/{n}` is read (GET) and cancelled (DELETE). Anyone who may see the EndDevice
 * (itself, or an aggregator speaking for it) may manage its subscriptions. Without the server's
 * `subscriptions` option every path here answers 404.
 */
import {
  decodeSubscription,
  encodeSubscription,
  encodeSubscriptionList,
  type Subscription,
} from '../subscription.js';
import {
  checkNotificationTarget,
  parseNotificationUri,
  type HostLookup,
  type NotificationTargetPolicy,
} from './notification-target.js';
import {
  parsePublicBaseUrl,
  startSepNotifier,
  type SepNotifier,
  type SepNotifierOptions,
} from './notifier.js';
import { pageItems, visibleDevice, type RouteContext, type SepRoute } from './route-context.js';
import {
  acceptSubscription,
  InMemorySepSubscriptionStore,
  type SepSubscriptionRecord,
  type SepSubscriptionStore,
} from './subscriptions.js';

/** The server's `subscriptions` option: present turns the function set on. */
export interface SepSubscriptionOptions {
  /** Default: in memory, at most 16 per EndDevice, lost on restart. */
  readonly store?: SepSubscriptionStore;
  /** Where notifications may go; default: back to the address the subscribing device connected from. */
  readonly targets?: NotificationTargetPolicy;
  /**
   * The server's base URL as devices reach it (e.g. `https://sep.example:8443/sep2`), for the absolute
   * subscriptionURI of notifications. Default: the URL the server listens on.
   */
  readonly publicBaseUrl?: string;
  readonly notifier?: Pick<SepNotifierOptions, 'limits' | 'subscriberIdentity' | 'log'>;
  /** Host name resolution for the target check (default: the system resolver). */
  readonly lookup?: HostLookup;
}

/** What the subscription routes need at request time. */
export interface SepSubscriptionService {
  readonly store: SepSubscriptionStore;
  readonly targets: NotificationTargetPolicy;
  readonly lookup: HostLookup | undefined;
  /** Called with each new subscription (the notifier arms its clock-driven notifications). */
  subscribed(record: SepSubscriptionRecord): void;
  /** Removes a subscription from the store and from the notifier's timers; false when there was none. */
  unsubscribe(deviceId: string, id: number): boolean;
}

/** The service, and how the server hands it the notifier once that runs. */
export interface AttachableSubscriptionService extends SepSubscriptionService {
  attach(notifier: SepNotifier): void;
}

export function sepSubscriptionService(options: SepSubscriptionOptions): AttachableSubscriptionService {
  // Checked before the server listens, so a bad URL never leaves a listening server behind.
  if (options.publicBaseUrl !== undefined) parsePublicBaseUrl(options.publicBaseUrl);
  let notifier: SepNotifier | undefined;
  const store = options.store ?? new InMemorySepSubscriptionStore();
  return {
    store,
    targets: options.targets ?? {},
    lookup: options.lookup,
    subscribed: (record) => notifier?.subscribed(record),
    unsubscribe: (deviceId, id) => {
      notifier?.forget(deviceId, id);
      return store.remove(deviceId, id);
    },
    attach: (running) => {
      notifier = running;
    },
  };
}

/** Starts the notifier for a running server; the server closes it when it closes. */
export function startServerNotifier(
  service: AttachableSubscriptionService,
  options: SepSubscriptionOptions,
  server: Omit<
    SepNotifierOptions,
    'subscriptions' | 'publicBaseUrl' | 'limits' | 'subscriberIdentity' | 'log'
  >,
  url: string,
): SepNotifier {
  const notifier = startSepNotifier({
    ...server,
    ...options.notifier,
    subscriptions: service.store,
    publicBaseUrl: options.publicBaseUrl ?? url,
  });
  service.attach(notifier);
  return notifier;
}

const subHref = (ctx: RouteContext, s: SepSubscriptionRecord): string =>
  `${ctx.base}/edev/${s.deviceId}/sub/${s.id}`;

const asDocument = (ctx: RouteContext, s: SepSubscriptionRecord): Subscription => ({
  ...s.subscription,
  href: subHref(ctx, s),
});

async function subscribe(
  ctx: RouteContext,
  service: SepSubscriptionService,
  id: string | undefined,
): Promise<{ status: number; location: string } | undefined> {
  const device = visibleDevice(ctx, id);
  if (device === undefined) return undefined;
  const posted = decodeSubscription(ctx.body, ctx.xmlLimits);
  const accepted = acceptSubscription(posted, ctx.base, ctx.programs.programs(device));
  const uri = parseNotificationUri(posted.notificationURI);
  const target = await checkNotificationTarget(uri, ctx.remoteAddress, service.targets, service.lookup);
  // A device re-subscribing after a restart must not pile up duplicates: the same resource to the
  // same URI replaces the earlier subscription (its limit or level may have changed).
  for (const earlier of service.store.list(device.id)) {
    const same = earlier.subscription;
    if (
      same.subscribedResource === accepted.subscribedResource &&
      same.notificationURI === posted.notificationURI
    ) {
      service.unsubscribe(device.id, earlier.id);
    }
  }
  const record = service.store.add({
    deviceId: device.id,
    deviceLfdi: device.lfdi,
    ownerLfdi: ctx.device.lfdi,
    programId: accepted.programId,
    kind: accepted.kind,
    // Condition was refused above; href is the server's to give.
    subscription: {
      subscribedResource: accepted.subscribedResource,
      encoding: posted.encoding,
      level: posted.level,
      limit: posted.limit,
      notificationURI: posted.notificationURI,
    },
    ...target,
    createdAtMs: ctx.nowMs,
  });
  service.subscribed(record);
  return { status: 201, location: subHref(ctx, record) };
}

export const subscriptionRoutes: readonly SepRoute[] = [
  {
    pattern: /^\/edev\/([^/]+)\/sub$/,
    get: (ctx, [id]) => {
      const device = visibleDevice(ctx, id);
      const service = ctx.subscriptions;
      if (device === undefined || service === undefined) return undefined;
      const all = service.store.list(device.id);
      const page = pageItems(ctx, all);
      return encodeSubscriptionList({
        href: `${ctx.base}/edev/${device.id}/sub`,
        all: all.length,
        results: page.length,
        Subscription: page.map((s) => asDocument(ctx, s)),
      });
    },
    post: (ctx, [id]) =>
      ctx.subscriptions === undefined ? undefined : subscribe(ctx, ctx.subscriptions, id),
  },
  {
    pattern: /^\/edev\/([^/]+)\/sub\/(\d{1,9})$/,
    get: (ctx, [id, n]) => {
      const device = visibleDevice(ctx, id);
      const s = device && ctx.subscriptions?.store.get(device.id, Number(n));
      return s && encodeSubscription(asDocument(ctx, s));
    },
    delete: (ctx, [id, n]) => {
      const device = visibleDevice(ctx, id);
      const removed = device !== undefined && ctx.subscriptions?.unsubscribe(device.id, Number(n)) === true;
      return removed ? { status: 204 } : undefined;
    },
  },
];
