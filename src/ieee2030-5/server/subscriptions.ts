/**
 * Subscriptions a device holds on this server: what it follows and where notifications go. The store
 * is an interface (the in-memory one here loses subscriptions on restart, which 2030.5 clients cope
 * with: they read their SubscriptionList when they reconnect and subscribe again).
 */
import { TeError } from '../../core/errors.js';
import { SEP_ENCODING_XML, type Subscription } from '../subscription.js';
import type { SepProgram } from './registry.js';

/** The resources of a DER program a device may subscribe to: its controls, its active controls, its default. */
export type SubscribableKind = 'dc' | 'actderc' | 'dderc';
export const SUBSCRIBABLE_KINDS: readonly SubscribableKind[] = ['dc', 'actderc', 'dderc'];

/** Most list items one notification may carry: the server's list page limit. */
export const MAX_NOTIFICATION_LIMIT = 100;
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_DEVICE = 16;

export interface SepSubscriptionRecord {
  /** The n of `{base}/edev/{deviceId}/sub/{n}`; never reused for the same device. */
  readonly id: number;
  /** The EndDevice it is listed under: the device whose programs it follows. */
  readonly deviceId: string;
  /** That device's LFDI, to look it up again when notifying. */
  readonly deviceLfdi: string;
  /** The certificate that subscribed (the device itself, or an aggregator speaking for it). */
  readonly ownerLfdi: string;
  readonly programId: string;
  readonly kind: SubscribableKind;
  /** The Subscription as accepted, with subscribedResource normalised to the server's path. */
  readonly subscription: Subscription;
  /** The checked address notifications go to; undefined when the host is resolved at each delivery. */
  readonly connectAddress?: string;
  readonly createdAtMs: number;
}

export type NewSepSubscription = Omit<SepSubscriptionRecord, 'id'>;

/**
 * Synchronous, like the device registry: a persistent store keeps a view in memory and writes through.
 */
export interface SepSubscriptionStore {
  /** Adds one; throws TE_ERR_SEP_SUBSCRIPTION when the device already holds its most. */
  add(subscription: NewSepSubscription): SepSubscriptionRecord;
  /** A device's subscriptions, oldest first. */
  list(deviceId: string): readonly SepSubscriptionRecord[];
  get(deviceId: string, id: number): SepSubscriptionRecord | undefined;
  /** False when there was none. */
  remove(deviceId: string, id: number): boolean;
  /** Every subscription following a resource of one of these programs. */
  forPrograms(programIds: readonly string[]): readonly SepSubscriptionRecord[];
}

export interface InMemorySepSubscriptionStoreOptions {
  /** Default 16. */
  readonly maxPerDevice?: number;
}

export class InMemorySepSubscriptionStore implements SepSubscriptionStore {
  readonly #byDevice = new Map<string, Map<number, SepSubscriptionRecord>>();
  readonly #nextId = new Map<string, number>();
  readonly #maxPerDevice: number;

  constructor(options: InMemorySepSubscriptionStoreOptions = {}) {
    this.#maxPerDevice = options.maxPerDevice ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_DEVICE;
  }

  add(subscription: NewSepSubscription): SepSubscriptionRecord {
    const held = this.#byDevice.get(subscription.deviceId) ?? new Map<number, SepSubscriptionRecord>();
    if (held.size >= this.#maxPerDevice) {
      throw new TeError(
        'TE_ERR_SEP_SUBSCRIPTION',
        `EndDevice ${subscription.deviceId} already holds ${held.size} subscriptions, the most allowed`,
        { path: '/Subscription', hint: 'DELETE a subscription it no longer needs first' },
      );
    }
    // Ids only grow, so a DELETE of an old subscription's URI can never remove a newer one.
    const id = this.#nextId.get(subscription.deviceId) ?? 1;
    this.#nextId.set(subscription.deviceId, id + 1);
    const record: SepSubscriptionRecord = { ...subscription, id };
    held.set(id, record);
    this.#byDevice.set(subscription.deviceId, held);
    return record;
  }

  list(deviceId: string): readonly SepSubscriptionRecord[] {
    return [...(this.#byDevice.get(deviceId)?.values() ?? [])];
  }

  get(deviceId: string, id: number): SepSubscriptionRecord | undefined {
    return this.#byDevice.get(deviceId)?.get(id);
  }

  remove(deviceId: string, id: number): boolean {
    return this.#byDevice.get(deviceId)?.delete(id) ?? false;
  }

  forPrograms(programIds: readonly string[]): readonly SepSubscriptionRecord[] {
    const wanted = new Set(programIds);
    return [...this.#byDevice.values()].flatMap((held) =>
      [...held.values()].filter((s) => wanted.has(s.programId)),
    );
  }
}

function refused(message: string, path: string, hint: string): TeError {
  return new TeError('TE_ERR_SEP_SUBSCRIPTION', message, { path, hint });
}

/** The program and resource a subscribedResource names, read as a path below `base`. */
export function parseSubscribedResource(
  resource: string,
  base: string,
): { programId: string; kind: SubscribableKind } | undefined {
  let path: string;
  try {
    // A path, or an absolute URI naming this server: only the path counts, and the standard says a
    // query string on a list subscription is ignored.
    path = new URL(resource, 'https://sep.invalid').pathname;
  } catch {
    return undefined;
  }
  const prefix = `${base}/derp/`;
  if (!path.startsWith(prefix)) return undefined;
  const m = /^([A-Za-z0-9_-]{1,64})\/(dc|actderc|dderc)$/.exec(path.slice(prefix.length));
  if (m === null) return undefined;
  return { programId: m[1] as string, kind: m[2] as SubscribableKind };
}

/**
 * Checks a posted Subscription against what this server offers and what the device may read (the
 * programs it hears), and returns the program and resource it follows. The notificationURI is checked
 * separately (`notification-target.ts`), since that needs the network.
 */
export function acceptSubscription(
  subscription: Subscription,
  base: string,
  programs: readonly SepProgram[],
): { programId: string; kind: SubscribableKind; subscribedResource: string } {
  const target = parseSubscribedResource(subscription.subscribedResource, base);
  const program = target && programs.find((p) => p.id === target.programId);
  const exists = target?.kind !== 'dderc' || program?.defaultControl !== undefined;
  if (target === undefined || program === undefined || !exists) {
    throw refused(
      `${subscription.subscribedResource} is not a resource this device may subscribe to`,
      '/Subscription/subscribedResource',
      `subscribe to ${base}/derp/{id}/dc, /actderc or /dderc of a program in this device's DERProgramList`,
    );
  }
  if (subscription.encoding !== SEP_ENCODING_XML) {
    throw refused(
      `encoding ${subscription.encoding} is not offered`,
      '/Subscription/encoding',
      'use 0 (application/sep+xml); this server does not speak EXI',
    );
  }
  if (subscription.limit > MAX_NOTIFICATION_LIMIT) {
    throw refused(
      `limit ${subscription.limit} is over ${MAX_NOTIFICATION_LIMIT}`,
      '/Subscription/limit',
      `ask for at most ${MAX_NOTIFICATION_LIMIT} items per notification`,
    );
  }
  if (subscription.Condition !== undefined) {
    throw refused(
      'conditional subscriptions are not offered',
      '/Subscription/Condition',
      'DER program resources are subscribable="1": leave Condition out',
    );
  }
  return {
    programId: target.programId,
    kind: target.kind,
    subscribedResource: `${base}/derp/${target.programId}/${target.kind}`,
  };
}
