/**
 * Sends Notifications when DER programs change, so a subscribed device need not poll. It follows the
 * program source's change feed, and for each subscription to an affected resource POSTs the resource
 * as it is at sending time. Work is bounded everywhere: a few requests at once, a bounded queue in
 * which repeated changes for one subscription coalesce into one notification (the latest state is
 * what matters), a deadline per attempt, a few retries with doubling backoff, then the notification is
 * dropped; a subscriber whose notifications keep failing loses its subscription, which 2030.5 lets a
 * server do. Nothing here throws into the program source or the server.
 */
import { TeError } from '../../core/errors.js';
import { encodeNotification } from '../subscription.js';
import { buildNotification, nextActiveChangeS } from './notification-content.js';
import { postNotification } from './notification-post.js';
import type { SepDeviceRegistry, SepProgram, SepProgramSource } from './registry.js';
import type { SepSubscriptionRecord, SepSubscriptionStore } from './subscriptions.js';

export interface SepNotifierLimits {
  /** Notifications in flight at once (default 8). */
  readonly concurrency?: number;
  /** Subscriptions waiting for a slot; beyond this a notification is dropped (default 1000). */
  readonly maxQueued?: number;
  /** Deadline of one attempt, connection to last byte (default 5 s). */
  readonly attemptTimeoutMs?: number;
  /** Attempts after the first (default 2). */
  readonly retries?: number;
  /** Wait before the first retry, doubled for each further one (default 1 s). */
  readonly backoffMs?: number;
  /** Consecutive notifications that failed every attempt before the subscription is removed (default 3). */
  readonly maxFailedDeliveries?: number;
  /** Response bytes read before the connection is cut (default 16 KiB). */
  readonly maxResponseBytes?: number;
}

export interface SepNotifierOptions {
  readonly subscriptions: SepSubscriptionStore;
  readonly devices: SepDeviceRegistry;
  readonly programs: SepProgramSource;
  /**
   * The server's base as devices reach it, e.g. `https://sep.example:8443/sep2`: Notification's
   * subscriptionURI must be absolute, and the path is the base path of every href.
   */
  readonly publicBaseUrl: string;
  /** The server's own certificate and key (presented as the client certificate) and the device CA(s). */
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string | readonly string[] };
  readonly clock: { nowMs(): number };
  /**
   * How the subscriber is authenticated: `lfdi` (default) requires its certificate to be the one that
   * subscribed (device certificates carry no host names); `hostname` checks the URI's host instead.
   */
  readonly subscriberIdentity?: 'lfdi' | 'hostname';
  readonly limits?: SepNotifierLimits;
  readonly log?: (line: string) => void;
}

export interface SepNotifierStats {
  /** Notifications a subscriber accepted (2xx). */
  readonly sent: number;
  readonly failedAttempts: number;
  /** Notifications given up on: every attempt failed, or the queue was full. */
  readonly dropped: number;
  /** Subscriptions removed because their notifications kept failing or their device is gone. */
  readonly removed: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly retrying: number;
  /** Clock-driven (actderc) notifications waiting for their time. */
  readonly armed: number;
}

export interface SepNotifier {
  /** Queues notifications for every subscription to a resource of these programs (what onChange calls). */
  notify(programIds: readonly string[]): void;
  /**
   * Tells the notifier about a new subscription. An ActiveDERControlList also changes when a control
   * starts or ends, with no change to the program; this arms the timer for that.
   */
  subscribed(subscription: SepSubscriptionRecord): void;
  /** Drops what the notifier keeps for a subscription that was removed (its timer, its failure count). */
  forget(deviceId: string, id: number): void;
  /** Resolves when nothing is queued, in flight or waiting to retry. */
  idle(): Promise<void>;
  stats(): SepNotifierStats;
  /** Stops following changes, cancels what is queued and in flight, and resolves when all has stopped. */
  close(): Promise<void>;
}

interface Job {
  readonly deviceId: string;
  readonly id: number;
  readonly attempt: number;
  /** A cancellation is built once (the subscription is already gone from the store) and resent as is. */
  readonly fixed?: { readonly record: SepSubscriptionRecord; readonly body: string };
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The public base URL as a URL: absolute https, no query or fragment; TE_ERR_CONFIG otherwise. */
export function parsePublicBaseUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url?.protocol !== 'https:' || url.search !== '' || url.hash !== '') {
    throw new TeError('TE_ERR_CONFIG', `publicBaseUrl ${text} is not an absolute https URL`, {
      path: 'subscriptions.publicBaseUrl',
      hint: 'e.g. https://sep.example.org:8443/sep2, as devices reach the server',
    });
  }
  return url;
}

export function startSepNotifier(options: SepNotifierOptions): SepNotifier {
  const limits = options.limits ?? {};
  const concurrency = Math.max(1, limits.concurrency ?? 8);
  const maxQueued = limits.maxQueued ?? 1000;
  const retries = limits.retries ?? 2;
  const backoffMs = limits.backoffMs ?? 1000;
  const maxFailedDeliveries = limits.maxFailedDeliveries ?? 3;
  const log = options.log ?? (() => {});
  const publicBase = parsePublicBaseUrl(options.publicBaseUrl);
  const context = { base: publicBase.pathname.replace(/\/$/, ''), origin: publicBase.origin };

  const pending = new Map<string, Job>();
  const inFlight = new Map<string, Promise<void>>();
  const changedInFlight = new Set<string>();
  const retrying = new Map<string, NodeJS.Timeout>();
  const clockTimers = new Map<string, NodeJS.Timeout>();
  const failedDeliveries = new Map<string, number>();
  const abort = new AbortController();
  let idleWaiters: (() => void)[] = [];
  let closed = false;
  const counts = { sent: 0, failedAttempts: 0, dropped: 0, removed: 0 };

  const settleIdle = (): void => {
    if (pending.size + inFlight.size + retrying.size > 0 && !closed) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const enqueue = (key: string, job: Job): void => {
    if (closed || pending.has(key) || retrying.has(key)) return; // the queued one will send the latest
    if (inFlight.has(key)) {
      changedInFlight.add(key);
      return;
    }
    if (pending.size >= maxQueued) {
      counts.dropped += 1;
      log(`2030.5 notifier: queue full (${maxQueued}), notification for ${key} dropped`);
      return;
    }
    pending.set(key, job);
    pump();
  };

  const pump = (): void => {
    while (!closed && inFlight.size < concurrency && pending.size > 0) {
      const [key, job] = pending.entries().next().value as [string, Job];
      pending.delete(key);
      const run = attempt(key, job)
        .catch((error: unknown) => log(`2030.5 notifier: ${key} failed unexpectedly: ${errorText(error)}`))
        .finally(() => {
          inFlight.delete(key);
          if (changedInFlight.delete(key)) enqueue(key, { deviceId: job.deviceId, id: job.id, attempt: 0 });
          pump();
          settleIdle();
        });
      inFlight.set(key, run);
    }
  };

  const forget = (deviceId: string, id: number): void => {
    const key = `${deviceId}/${id}`;
    clearTimeout(clockTimers.get(key));
    clockTimers.delete(key);
    failedDeliveries.delete(key);
  };

  const removeSubscription = (record: SepSubscriptionRecord, why: string): void => {
    forget(record.deviceId, record.id);
    if (options.subscriptions.remove(record.deviceId, record.id)) {
      counts.removed += 1;
      log(`2030.5 notifier: subscription ${record.deviceId}/sub/${record.id} removed: ${why}`);
    }
  };

  /** Arms a notification for when the active controls change by the clock alone (actderc only). */
  const armClock = (record: SepSubscriptionRecord, program: SepProgram | undefined): void => {
    const key = `${record.deviceId}/${record.id}`;
    clearTimeout(clockTimers.get(key));
    clockTimers.delete(key);
    const nowMs = options.clock.nowMs();
    const next =
      record.kind === 'actderc' && program !== undefined
        ? nextActiveChangeS(program, nowMs / 1000)
        : undefined;
    if (closed || next === undefined) return;
    // setTimeout holds at most 2^31 - 1 ms (24.8 days); a later change is re-armed when this one fires.
    const delayMs = Math.min(Math.max(0, next * 1000 - nowMs), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      clockTimers.delete(key);
      enqueue(key, { deviceId: record.deviceId, id: record.id, attempt: 0 });
    }, delayMs);
    timer.unref();
    clockTimers.set(key, timer);
  };

  /** The device and program a subscription follows now; undefined when they cannot be had. */
  const follow = (record: SepSubscriptionRecord): { program: SepProgram | undefined } | undefined => {
    const device = options.devices.byLfdi(record.deviceLfdi);
    if (device === undefined || device.id !== record.deviceId) {
      removeSubscription(record, 'its device is no longer registered');
      return undefined;
    }
    try {
      return { program: options.programs.programs(device).find((p) => p.id === record.programId) };
    } catch (error) {
      // The platform's trouble, not the subscriber's: skip this change, count nothing against it.
      log(`2030.5 notifier: programs of ${device.id} could not be read: ${errorText(error)}`);
      return undefined;
    }
  };

  /** The record and the document to send now, or undefined when there is nothing to send. */
  const prepare = (
    job: Job,
  ): { record: SepSubscriptionRecord; body: string; cancels: boolean } | undefined => {
    if (job.fixed !== undefined) return { ...job.fixed, cancels: true };
    const record = options.subscriptions.get(job.deviceId, job.id);
    if (record === undefined) return undefined; // unsubscribed meanwhile
    const followed = follow(record);
    if (followed === undefined) return undefined;
    const { program } = followed;
    armClock(record, program);
    const built = buildNotification(record, program, { ...context, nowMs: options.clock.nowMs() });
    const body = encodeNotification(built.notification);
    if (built.cancels) removeSubscription(record, `${record.subscription.subscribedResource} is gone`);
    return { record, body, cancels: built.cancels };
  };

  const attempt = async (key: string, job: Job): Promise<void> => {
    const prepared = prepare(job);
    if (prepared === undefined) return;
    const { record, body, cancels } = prepared;
    try {
      await postNotification({
        url: new URL(record.subscription.notificationURI),
        ...(record.connectAddress === undefined ? {} : { connectAddress: record.connectAddress }),
        body,
        tls: options.tls,
        ...(options.subscriberIdentity === 'hostname' ? {} : { expectLfdi: record.ownerLfdi }),
        timeoutMs: limits.attemptTimeoutMs ?? 5000,
        maxResponseBytes: limits.maxResponseBytes ?? 16 * 1024,
        signal: abort.signal,
      });
      counts.sent += 1;
      failedDeliveries.delete(key);
    } catch (error) {
      counts.failedAttempts += 1;
      if (closed) return;
      const fixed = cancels ? { record, body } : undefined;
      if (job.attempt < retries) {
        const delayMs = backoffMs * 2 ** job.attempt;
        log(
          `2030.5 notifier: ${key} attempt ${job.attempt + 1} failed (${errorText(error)}); retry in ${delayMs} ms`,
        );
        const timer = setTimeout(() => {
          retrying.delete(key);
          enqueue(key, {
            deviceId: job.deviceId,
            id: job.id,
            attempt: job.attempt + 1,
            ...(fixed && { fixed }),
          });
          settleIdle();
        }, delayMs);
        timer.unref();
        retrying.set(key, timer);
        return;
      }
      counts.dropped += 1;
      const failures = (failedDeliveries.get(key) ?? 0) + 1;
      if (failures >= maxFailedDeliveries && !cancels) {
        removeSubscription(record, `${failures} notifications in a row failed (last: ${errorText(error)})`);
      } else {
        // A cancellation's subscription is already gone: nothing to count against.
        if (!cancels) failedDeliveries.set(key, failures);
        log(
          `2030.5 notifier: ${key} notification dropped after ${job.attempt + 1} attempts: ${errorText(error)}`,
        );
      }
    }
  };

  const notify = (programIds: readonly string[]): void => {
    if (closed) return;
    let records: readonly SepSubscriptionRecord[];
    try {
      records = options.subscriptions.forPrograms(programIds);
    } catch (error) {
      log(`2030.5 notifier: subscriptions could not be read: ${errorText(error)}`);
      return;
    }
    for (const r of records) enqueue(`${r.deviceId}/${r.id}`, { deviceId: r.deviceId, id: r.id, attempt: 0 });
  };

  const unsubscribe =
    options.programs.onChange?.((programIds) => {
      try {
        notify(programIds);
      } catch (error) {
        log(`2030.5 notifier: change for ${programIds.join(', ')} not handled: ${errorText(error)}`);
      }
    }) ?? (() => {});

  return {
    notify,
    subscribed: (record) => {
      if (record.kind !== 'actderc' || closed) return;
      const followed = follow(record);
      if (followed !== undefined) armClock(record, followed.program);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      }),
    forget,
    stats: () => ({
      ...counts,
      queued: pending.size,
      armed: clockTimers.size,
      inFlight: inFlight.size,
      retrying: retrying.size,
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      pending.clear();
      for (const timer of [...retrying.values(), ...clockTimers.values()]) clearTimeout(timer);
      retrying.clear();
      clockTimers.clear();
      abort.abort();
      await Promise.allSettled([...inFlight.values()]);
      settleIdle();
    },
  };
}
