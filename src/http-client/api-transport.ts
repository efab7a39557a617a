/**
 * HTTP to the platform API (tenet's REST API or the OpenADR VTN) for many clients at once: one concurrency limit over every request, a cached
 * bearer token per client (refreshed before it expires, and once more when the server says it has),
 * and retries with jittered backoff on network errors and on 429/502/503/504, honouring Retry-After.
 * Node's fetch keeps connections alive, so the homes share a small pool of sockets.
 */
import type { SeededRandom } from '../core/random.js';
import { ApiError, apiErrorFrom } from './api-error.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { pause } from './pause.js';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
} from './retry-policy.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TransportOptions {
  readonly baseUrl: string;
  /** Jitter for the backoff. */
  readonly random: SeededRandom;
  readonly retry?: RetryPolicy;
  /** Requests in flight at once over all clients. */
  readonly maxInFlight?: number;
  /** One attempt's time limit, ms. */
  readonly requestTimeoutMs?: number;
  /** Stops every request: no new attempt starts, backoff waits end (attempts under way finish). */
  readonly signal?: AbortSignal;
  /** Told of every retry (for the log and the statistics). */
  readonly onRetry?: (what: string, attempt: number, reason: string) => void;
  /**
   * Where client-credentials tokens come from: a path below baseUrl or an absolute URL, or a function
   * finding it (OpenADR's token discovery). Default `/oauth/token`, tenet's own.
   */
  readonly tokenUrl?: string | ((signal?: AbortSignal) => Promise<string>);
  /** The wall clock tokens are refreshed by (ms); Date.now by default. */
  readonly now?: () => number;
  /** The fetch to send with (a proxy, a test's instrumented one); the global fetch by default. */
  readonly fetch?: typeof fetch;
  /**
   * Whether a stop also ends the attempt under way. Off by default (see #attempt); a library whose
   * caller expects abort to return at once turns it on.
   */
  readonly abortInFlight?: boolean;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** JSON body. */
  readonly json?: unknown;
  /** Form body (the token endpoint). */
  readonly form?: Readonly<Record<string, string>>;
  /** Whose bearer token to send; none for the token endpoint. */
  readonly as?: ClientCredentials;
  /** For messages: what this request does. */
  readonly what: string;
  /** Once aborted, no further attempt starts (a gate closed, the community stopped). */
  readonly signal?: AbortSignal;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

interface CachedToken {
  readonly accessToken: string;
  /** Wall-clock ms after which it is refreshed (ahead of its expiry). */
  readonly refreshAtMs: number;
}

const DEFAULT_MAX_IN_FLIGHT = 32;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export class ApiTransport {
  readonly baseUrl: string;
  readonly limit: ConcurrencyLimit;
  #retries = 0;
  #requests = 0;
  readonly #tokens = new Map<string, CachedToken>();
  readonly #refreshing = new Map<string, Promise<string>>();
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.limit = new ConcurrencyLimit(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.#policy = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetch;
  }

  get retries(): number {
    return this.#retries;
  }

  get requests(): number {
    return this.#requests;
  }

  /** A bearer token for the client, from the cache or freshly issued. */
  async token(credentials: ClientCredentials, signal?: AbortSignal): Promise<string> {
    const cached = this.#tokens.get(credentials.clientId);
    if (cached !== undefined && this.#now() < cached.refreshAtMs) return cached.accessToken;
    // One refresh per client at a time: the homes' parallel requests share it.
    let pending = this.#refreshing.get(credentials.clientId);
    if (pending === undefined) {
      pending = this.#issueToken(credentials, signal).finally(() =>
        this.#refreshing.delete(credentials.clientId),
      );
      this.#refreshing.set(credentials.clientId, pending);
    }
    return pending;
  }

  forgetToken(clientId: string): void {
    this.#tokens.delete(clientId);
  }

  async #issueToken(credentials: ClientCredentials, signal?: AbortSignal): Promise<string> {
    const issuedAtMs = this.#now();
    const tokenUrl = this.options.tokenUrl ?? '/oauth/token';
    const response = await this.request<{ access_token?: unknown; expires_in?: unknown }>({
      method: 'POST',
      path: typeof tokenUrl === 'string' ? tokenUrl : await tokenUrl(signal),
      form: {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      },
      what: `token for ${credentials.clientId}`,
      ...(signal === undefined ? {} : { signal }),
    });
    const { access_token: accessToken, expires_in: expiresIn } = response.body;
    if (typeof accessToken !== 'string' || typeof expiresIn !== 'number') {
      throw new ApiError(response.status, 'TE_ERR_INTERNAL', 'the token response has no access_token');
    }
    // Refresh with a tenth of the lifetime (at most a minute) to spare, so no request carries a token
    // that expires on its way.
    const spareMs = Math.min(60_000, expiresIn * 100);
    this.#tokens.set(credentials.clientId, {
      accessToken,
      refreshAtMs: issuedAtMs + expiresIn * 1000 - spareMs,
    });
    return accessToken;
  }

  /**
   * Send a request, retrying what may be retried. POST bodies are sent again after a lost response, so
   * callers make them idempotent (client order ids) or accept the duplicate's refusal.
   */
  async request<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    let renewedToken = false;
    for (let attempt = 0; ; attempt++) {
      this.#throwIfStopped(spec);
      let retryReason: string;
      let retryAfterMs: number | undefined;
      try {
        // The token first, outside the limit: issuing it is a request of its own and must find a free place.
        const token = spec.as === undefined ? undefined : await this.token(spec.as, spec.signal);
        const response = await this.limit.run(() => this.#attempt(spec, token));
        if (response.status >= 200 && response.status < 300) {
          return { status: response.status, body: response.body as T };
        }
        if (response.status === 401 && spec.as !== undefined && !renewedToken) {
          // The token may have expired or the server may have restarted with a new key: one fresh token.
          renewedToken = true;
          this.forgetToken(spec.as.clientId);
          attempt--;
          continue;
        }
        const error = apiErrorFrom(response.status, response.body, spec.what);
        if (!isRetryableStatus(response.status) || attempt + 1 >= this.#policy.maxAttempts) throw error;
        retryReason = error.toLine();
        retryAfterMs = response.retryAfterMs;
      } catch (caught) {
        if (caught instanceof ApiError) throw caught;
        this.#throwIfStopped(spec);
        const reason = caught instanceof Error ? describeNetworkError(caught) : String(caught);
        if (attempt + 1 >= this.#policy.maxAttempts) {
          throw new ApiError(
            0,
            'TE_ERR_UNAVAILABLE',
            `${spec.what}: no answer after ${attempt + 1} attempts (${reason})`,
            {},
            { cause: caught },
          );
        }
        retryReason = reason;
      }
      this.#retries++;
      this.options.onRetry?.(spec.what, attempt + 1, retryReason);
      await pause(
        backoffDelayMs(this.#policy, attempt, this.options.random, retryAfterMs),
        this.#stopSignal(spec.signal),
      );
    }
  }

  async #attempt(
    spec: RequestSpec,
    token: string | undefined,
  ): Promise<{ status: number; body: unknown; retryAfterMs: number | undefined }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(spec.form).toString();
    }
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    // A stop or a gate only keeps new attempts from starting (one that waited its turn past it is not
    // sent). An attempt under way runs to its answer or its time limit: aborting a fetch can leave a
    // connected socket that never carries a request, and that holds the server's shutdown for a minute.
    this.#throwIfStopped(spec);
    this.#requests++;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const url = /^https?:\/\//i.test(spec.path) ? spec.path : `${this.baseUrl}${spec.path}`;
    const response = await this.#fetch(url, {
      method: spec.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal:
        this.options.abortInFlight === true
          ? AbortSignal.any([timeout, this.#stopSignal(spec.signal)])
          : timeout,
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (text.length > 0 && /json/.test(response.headers.get('content-type') ?? '')) {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        parsed = text;
      }
    }
    return {
      status: response.status,
      body: parsed,
      retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), Date.now()),
    };
  }

  #stopSignal(callerSignal: AbortSignal | undefined): AbortSignal {
    const signals: AbortSignal[] = [];
    if (this.options.signal !== undefined) signals.push(this.options.signal);
    if (callerSignal !== undefined) signals.push(callerSignal);
    return AbortSignal.any(signals);
  }

  #throwIfStopped(spec: RequestSpec): void {
    if (this.options.signal?.aborted === true || spec.signal?.aborted === true) {
      throw new ApiError(0, 'TE_ERR_UNAVAILABLE', `${spec.what}: stopped before an answer arrived`);
    }
  }
}

function describeNetworkError(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}
