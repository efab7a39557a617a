/**
 * Webhooks (Definition, Subscriptions): every committed change is matched against the stored
 * subscriptions, and each objectOperation naming the object's type and the operation gets a POST of the
 * spec's notification `{objectType, operation, object}` to its callbackUrl, with its bearerToken. The
 * change feed's listener only enqueues, so a slow or dead receiver never holds up the API; the queue is
 * bounded (the oldest waiting delivery is dropped and counted when it is full) and a failed POST is
 * retried with exponential backoff a bounded number of times. A VEN's subscription hears only of the
 * objects that VEN may read, shown as it would read them. Callback URLs go through the callback policy
 * (callback-policy.ts): by default only https to public addresses.
 */
import type { LookupFunction } from 'node:net';
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';
import { searchOpenAdrObjects, type StoredOpenAdrObject } from '../../store/openadr-object-repository.js';
import type { OpenAdrChange, OpenAdrChangeFeed } from '../object-changes.js';
import { parseBody } from '../object-views.js';
import {
  callbackUrlRefusal,
  guardedLookup,
  STRICT_CALLBACK_POLICY,
  type CallbackPolicy,
} from './callback-policy.js';
import { callerForClient, objectViewFor } from './notification-audience.js';
import { postWebhook } from './webhook-post.js';

export interface WebhookOptions {
  /** Deliveries waiting or in flight beyond which the oldest waiting one is dropped. Default 10,000. */
  readonly maxQueued?: number;
  /** POSTs in flight at once. Default 16. */
  readonly concurrency?: number;
  /** Attempts per delivery, the first included. Default 4. */
  readonly attempts?: number;
  /** Wait before the first retry, doubled for each next one. Default 1,000 ms. */
  readonly backoffMs?: number;
  /** A POST taking longer counts as failed. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Which callback URLs may be called; default STRICT_CALLBACK_POLICY (public https only). */
  readonly callbacks?: CallbackPolicy;
  readonly onError?: (error: unknown) => void;
}

export interface WebhookStats {
  delivered: number;
  failed: number;
  dropped: number;
  retried: number;
}

interface Delivery {
  readonly url: string;
  readonly bearerToken: string | undefined;
  readonly body: string;
  attempt: number;
}

interface ObjectOperation {
  readonly objects: readonly string[];
  readonly operations: readonly string[];
  readonly callbackUrl: string;
  readonly bearerToken?: string;
}

/** Subscriptions are read per change in pages of this size. */
const SUBSCRIPTION_PAGE = 500;

export class WebhookNotifier {
  readonly stats: WebhookStats = { delivered: 0, failed: 0, dropped: 0, retried: 0 };
  readonly #db: Kysely<StoreSchema>;
  readonly #waiting: Delivery[] = [];
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #options: Required<Omit<WebhookOptions, 'onError'>>;
  readonly #onError: (error: unknown) => void;
  readonly #lookup: LookupFunction | undefined;
  #unsubscribe: (() => void) | undefined;
  #inFlight = 0;
  #matching = 0;
  #closed = false;

  constructor(db: Kysely<StoreSchema>, changes: OpenAdrChangeFeed, options: WebhookOptions = {}) {
    this.#db = db;
    this.#options = {
      maxQueued: options.maxQueued ?? 10_000,
      concurrency: options.concurrency ?? 16,
      attempts: options.attempts ?? 4,
      backoffMs: options.backoffMs ?? 1_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      callbacks: options.callbacks ?? STRICT_CALLBACK_POLICY,
    };
    this.#lookup = guardedLookup(this.#options.callbacks);
    this.#onError = options.onError ?? (() => {});
    this.#unsubscribe = changes.subscribe((change) => this.#onChange(change));
  }

  /** Deliveries waiting, backing off or in flight. */
  get pending(): number {
    return this.#waiting.length + this.#retryTimers.size + this.#inFlight + this.#matching;
  }

  /** Resolves when nothing is pending (tests; a graceful stop). */
  async idle(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops listening and drops what has not been sent; POSTs in flight finish. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.stats.dropped += this.#waiting.length + this.#retryTimers.size;
    this.#retryTimers.clear();
    this.#waiting.length = 0;
    this.#checkIdle();
  }

  #onChange(change: OpenAdrChange): void {
    if (this.#closed) return;
    this.#matching += 1;
    this.#match(change)
      .catch((error: unknown) => this.#onError(error))
      .finally(() => {
        this.#matching -= 1;
        this.#checkIdle();
      });
  }

  async #match(change: OpenAdrChange): Promise<void> {
    for (let skip = 0; ; skip += SUBSCRIPTION_PAGE) {
      const subscriptions = await searchOpenAdrObjects(this.#db, {
        objectType: 'SUBSCRIPTION',
        subscribedToAny: [change.objectType],
        skip,
        limit: SUBSCRIPTION_PAGE,
      });
      for (const subscription of subscriptions) await this.#matchOne(change, subscription);
      if (subscriptions.length < SUBSCRIPTION_PAGE) return;
    }
  }

  async #matchOne(change: OpenAdrChange, subscription: StoredOpenAdrObject): Promise<void> {
    const body = parseBody(subscription);
    const wanted = ((body['objectOperations'] ?? []) as ObjectOperation[]).filter(
      (o) => o.objects.includes(change.objectType) && o.operations.includes(change.operation),
    );
    if (wanted.length === 0 || !inProgram(subscription.programId, change.object)) return;
    if (subscription.clientId === undefined) return;
    const caller = await callerForClient(this.#db, subscription.clientId);
    if (caller === undefined) return;
    const view = await objectViewFor(this.#db, caller, change.object);
    if (view === undefined) return;
    const notification = `{"objectType":${JSON.stringify(change.objectType)},"operation":${JSON.stringify(change.operation)},"object":${view}}`;
    const urls = new Set<string>();
    for (const o of wanted) {
      // One subscription naming the same callback twice (e.g. for two object types) gets one POST.
      if (urls.has(o.callbackUrl)) continue;
      urls.add(o.callbackUrl);
      this.#enqueue({ url: o.callbackUrl, bearerToken: o.bearerToken, body: notification, attempt: 0 });
    }
  }

  #enqueue(delivery: Delivery): void {
    if (this.#closed) return;
    if (this.pending - this.#matching >= this.#options.maxQueued) {
      if (this.#waiting.length === 0) {
        this.stats.dropped += 1;
        return;
      }
      this.#waiting.shift();
      this.stats.dropped += 1;
    }
    this.#waiting.push(delivery);
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight < this.#options.concurrency && this.#waiting.length > 0) {
      const delivery = this.#waiting.shift() as Delivery;
      this.#inFlight += 1;
      void this.#send(delivery).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
        this.#checkIdle();
      });
    }
  }

  async #send(delivery: Delivery): Promise<void> {
    delivery.attempt += 1;
    let failure: string;
    try {
      const refusal = callbackUrlRefusal(delivery.url, this.#options.callbacks);
      if (refusal !== undefined) {
        // Stored before the policy changed, or written while no notifier checked it: never retried.
        delivery.attempt = this.#options.attempts;
        throw new Error(`the callback URL ${refusal}`);
      }
      const status = await postWebhook({
        url: delivery.url,
        body: delivery.body,
        headers: {
          'content-type': 'application/json',
          ...(delivery.bearerToken === undefined ? {} : { authorization: `Bearer ${delivery.bearerToken}` }),
        },
        timeoutMs: this.#options.timeoutMs,
        lookup: this.#lookup,
      });
      if (status >= 200 && status < 300) {
        this.stats.delivered += 1;
        return;
      }
      failure = `status ${status}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      // An address the policy refuses stays refused: no retry.
      if ((error as NodeJS.ErrnoException).code === 'TENET_NON_PUBLIC_ADDRESS')
        delivery.attempt = this.#options.attempts;
    }
    if (this.#closed || delivery.attempt >= this.#options.attempts) {
      this.stats.failed += 1;
      this.#onError(
        new Error(`webhook to ${delivery.url} failed after ${delivery.attempt} attempts: ${failure}`),
      );
      return;
    }
    this.stats.retried += 1;
    const timer = setTimeout(
      () => {
        this.#retryTimers.delete(timer);
        this.#enqueue(delivery);
        this.#checkIdle();
      },
      this.#options.backoffMs * 2 ** (delivery.attempt - 1),
    );
    timer.unref();
    this.#retryTimers.add(timer);
  }

  #checkIdle(): void {
    if (this.pending !== 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

/** A subscription with a programID hears of that program and of its events and reports only. */
function inProgram(programId: string | undefined, object: StoredOpenAdrObject): boolean {
  if (programId === undefined) return true;
  if (object.objectType === 'PROGRAM') return object.id === programId;
  if (object.objectType === 'EVENT' || object.objectType === 'REPORT') return object.programId === programId;
  return true;
}
