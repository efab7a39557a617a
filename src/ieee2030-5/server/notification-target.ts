/**
 * Where a subscriber's notifications may go. A notificationURI makes the server send an HTTPS request
 * to a place the device chose, which is request forgery waiting to happen (the server's own admin
 * ports, a cloud metadata address, another customer's device). So by default the URI's host must
 * resolve to the address the subscribing device connected from, and the notifier then connects to that
 * checked address and no other: a later DNS answer cannot move it (no rebinding). Operators whose
 * devices receive notifications elsewhere (an aggregator's gateway) list those hosts, or allow any host
 * on a network they trust.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TeError } from '../../core/errors.js';

export interface NotificationTargetPolicy {
  /** Hosts (names or IP literals, case-insensitive) a notificationURI may name wherever they resolve. */
  readonly allowHosts?: readonly string[];
  /** Any host at all: only where every device and the network between are trusted. Default false. */
  readonly allowAnyHost?: boolean;
  /** How long resolving the URI's host may take (default 2 s). */
  readonly lookupTimeoutMs?: number;
}

/** Resolves a host name to its addresses (the default is the system resolver). */
export type HostLookup = (host: string) => Promise<readonly string[]>;

export const MAX_NOTIFICATION_URI_LENGTH = 1024;

/** Where the notifier connects: a checked address, or undefined to resolve the host at each delivery. */
export interface NotificationTarget {
  readonly connectAddress?: string;
}

function refused(message: string, hint: string): TeError {
  return new TeError('TE_ERR_SEP_NOTIFICATION_TARGET', message, {
    path: '/Subscription/notificationURI',
    hint,
  });
}

/** An address as Node reports peers: IPv4-mapped IPv6 as plain IPv4, IPv6 lower-case without brackets. */
export function normalizeAddress(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  return mapped?.[1] ?? bare;
}

/** The URI as a URL when it is an absolute https URI without user info; refused otherwise. */
export function parseNotificationUri(text: string): URL {
  if (text.length > MAX_NOTIFICATION_URI_LENGTH) {
    throw refused(
      `notificationURI is ${text.length} characters, over ${MAX_NOTIFICATION_URI_LENGTH}`,
      'use a short path',
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(
      `notificationURI ${text} is not an absolute URI`,
      'send e.g. https://192.0.2.10:8443/notify',
    );
  }
  if (url.protocol !== 'https:') {
    throw refused(
      `notificationURI scheme ${url.protocol} is refused`,
      'notifications are sent over https with mutual TLS only',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw refused('notificationURI carries user info', 'the device is authenticated by its certificate');
  }
  if (url.hostname === '') throw refused('notificationURI has no host', 'name the host to notify');
  return url;
}

const systemLookup: HostLookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

async function resolveWithin(
  host: string,
  lookup: HostLookup,
  timeoutMs: number,
): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([lookup(host), timeout]);
  } catch (cause) {
    throw new TeError('TE_ERR_SEP_NOTIFICATION_TARGET', `notificationURI host ${host} does not resolve`, {
      path: '/Subscription/notificationURI',
      hint: "use the device's own IP address as the host",
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Decides whether notifications may go to this URI for a device that connected from
 * `subscriberAddress`, and where to connect. Throws TE_ERR_SEP_NOTIFICATION_TARGET when refused.
 */
export async function checkNotificationTarget(
  uri: URL,
  subscriberAddress: string,
  policy: NotificationTargetPolicy = {},
  lookup: HostLookup = systemLookup,
): Promise<NotificationTarget> {
  const host = normalizeAddress(uri.hostname);
  const allowed = (policy.allowHosts ?? []).some((h) => normalizeAddress(h) === host);
  if (policy.allowAnyHost === true || allowed) return {};
  const subscriber = normalizeAddress(subscriberAddress);
  const addresses =
    isIP(host) === 0
      ? (await resolveWithin(host, lookup, policy.lookupTimeoutMs ?? 2000)).map(normalizeAddress)
      : [host];
  if (!addresses.includes(subscriber)) {
    throw refused(
      `notificationURI host ${uri.hostname} is not the address this device connected from (${subscriber})`,
      'notifications go back to the subscribing device only, unless the server allows the host',
    );
  }
  return { connectAddress: subscriber };
}
