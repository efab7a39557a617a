/**
 * What a notification says: the subscribed resource as a GET of it would return it now, cut to the
 * subscription's limit, or a cancellation when the resource is gone. Pure, so the notifier only moves
 * bytes.
 */
import type { DERControl } from '../der-control.js';
import { NotificationStatus, type Notification } from '../subscription.js';
import type { SepProgram } from './registry.js';
import type { SepSubscriptionRecord } from './subscriptions.js';

export interface NotificationContext {
  /** The base path, e.g. `/sep2`. */
  readonly base: string;
  /** Scheme, host and port the server is reached at, e.g. `https://sep.example:8443`. */
  readonly origin: string;
  readonly nowMs: number;
}

export interface BuiltNotification {
  readonly notification: Notification;
  /** True when the notification cancels the subscription (the resource was deleted). */
  readonly cancels: boolean;
}

const CANCELLED_OR_SUPERSEDED = new Set([2, 3, 4]);

/**
 * A control is active while its interval runs, unless cancelled or superseded: what the program's
 * ActiveDERControlList holds.
 */
export function isActiveControl(
  control: Pick<DERControl, 'EventStatus' | 'interval'>,
  nowS: number,
): boolean {
  const { start, duration } = control.interval;
  return (
    !CANCELLED_OR_SUPERSEDED.has(control.EventStatus.currentStatus) &&
    start <= nowS &&
    nowS < start + duration
  );
}

/**
 * When, in seconds since the epoch, the program's ActiveDERControlList next changes by the clock alone
 * (a control starts or ends); undefined when no control will.
 */
export function nextActiveChangeS(program: SepProgram, nowS: number): number | undefined {
  let next: number | undefined;
  for (const c of program.controls) {
    if (CANCELLED_OR_SUPERSEDED.has(c.EventStatus.currentStatus)) continue;
    const { start, duration } = c.interval;
    const boundary = start > nowS ? start : start + duration > nowS ? start + duration : undefined;
    if (boundary !== undefined && (next === undefined || boundary < next)) next = boundary;
  }
  return next;
}

/** The URI of a subscription, absolute as Notification.subscriptionURI must be. */
export const subscriptionUri = (record: SepSubscriptionRecord, ctx: NotificationContext): string =>
  `${ctx.origin}${ctx.base}/edev/${record.deviceId}/sub/${record.id}`;

/** The notification for one subscription, given the program as the subscriber's device hears it now. */
export function buildNotification(
  record: SepSubscriptionRecord,
  program: SepProgram | undefined,
  ctx: NotificationContext,
): BuiltNotification {
  const href = `${ctx.base}/derp/${record.programId}/${record.kind}`;
  const head = {
    subscribedResource: record.subscription.subscribedResource,
    createdDateTime: Math.floor(ctx.nowMs / 1000),
  };
  const subscriptionURI = subscriptionUri(record, ctx);
  const gone = program === undefined || (record.kind === 'dderc' && program.defaultControl === undefined);
  if (gone) {
    return {
      notification: { ...head, status: NotificationStatus.cancelledResourceDeleted, subscriptionURI },
      cancels: true,
    };
  }
  const limit = record.subscription.limit;
  if (record.kind === 'dderc') {
    const d = program.defaultControl;
    // For a resource that is not a list, limit 0 asks for a bare change notice.
    const Resource =
      limit === 0 || d === undefined
        ? undefined
        : ({ xsiType: 'DefaultDERControl', value: { ...d, href, replyTo: `${ctx.base}/rsps` } } as const);
    return {
      notification: {
        ...head,
        ...(Resource && { Resource }),
        status: NotificationStatus.default,
        subscriptionURI,
      },
      cancels: false,
    };
  }
  const nowS = ctx.nowMs / 1000;
  const controls =
    record.kind === 'dc' ? program.controls : program.controls.filter((c) => isActiveControl(c, nowS));
  const page = controls.slice(0, limit).map((c) => ({
    ...c,
    href: `${ctx.base}/derp/${program.id}/dc/${c.mRID}`,
    replyTo: `${ctx.base}/rsps`,
  }));
  return {
    notification: {
      ...head,
      Resource: {
        xsiType: 'DERControlList',
        value: { href, subscribable: 1, all: controls.length, results: page.length, DERControl: page },
      },
      status: NotificationStatus.default,
      subscriptionURI,
    },
    cancels: false,
  };
}
