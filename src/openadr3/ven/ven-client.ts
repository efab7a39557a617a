/**
 * An OpenADR 3 VEN's HTTP client: token discovery (`GET /auth/server`) and client-credentials tokens,
 * cached and refreshed before they expire and once on a 401; retries with jittered backoff on network
 * errors and 429/502/503/504, honouring Retry-After; a time limit per attempt; one abort signal for
 * everything. All of that is the shared transport's (src/http-client/); this file is what a VEN asks.
 * Errors are ApiErrors carrying the VTN's problem (status, title, detail).
 */
import { randomInt } from 'node:crypto';
import { SeededRandom } from '../../core/random.js';
import { ApiError } from '../../http-client/api-error.js';
import { ApiTransport, type ClientCredentials } from '../../http-client/api-transport.js';
import type { RetryPolicy } from '../../http-client/retry-policy.js';
import { MAX_PAGE } from '../schemas/queries.js';
import { queryString, type Query } from './query-string.js';
import type {
  EventSearch,
  Notifiers,
  OpenAdrEvent,
  OperationTopics,
  Program,
  ProgramSearch,
  Report,
  ReportRequest,
  ReportSearch,
  Resource,
  ResourceSearch,
  Subscription,
  SubscriptionRequest,
  SubscriptionSearch,
  Ven,
  VenResourceRequest,
  VenSearch,
  VenVenRequest,
} from './ven-types.js';

export interface VenClientOptions {
  /** The VTN's base URL, e.g. `http://127.0.0.1:8825/openadr3`. */
  readonly vtnUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly retry?: RetryPolicy;
  /** One attempt's time limit, ms (default 15 s). */
  readonly requestTimeoutMs?: number;
  /** Ends every request of this client, the one under way included. */
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  /** Backoff jitter (seeded for reproducible runs); a random seed by default. */
  readonly random?: SeededRandom;
  /** The wall clock tokens are refreshed by; Date.now by default. */
  readonly now?: () => number;
  readonly onRetry?: (what: string, attempt: number, reason: string) => void;
  /**
   * A transport shared with other clients (one concurrency limit and token cache for many VENs, as the
   * demo's homes have); its token endpoint and options are used instead of the ones above.
   */
  readonly transport?: ApiTransport;
}

type Collection = 'programs' | 'events' | 'reports' | 'subscriptions' | 'vens' | 'resources';

export class VenClient {
  readonly vtnUrl: string;
  readonly clientId: string;
  readonly transport: ApiTransport;
  readonly #credentials: ClientCredentials;
  #tokenUrl: Promise<string> | undefined;

  constructor(options: VenClientOptions) {
    this.vtnUrl = options.vtnUrl.replace(/\/+$/, '');
    this.clientId = options.clientId;
    this.#credentials = { clientId: options.clientId, clientSecret: options.clientSecret };
    this.transport =
      options.transport ??
      new ApiTransport({
        baseUrl: this.vtnUrl,
        random: options.random ?? new SeededRandom(randomInt(2 ** 31)),
        tokenUrl: (signal) => this.tokenUrl(signal),
        abortInFlight: true,
        ...(options.retry === undefined ? {} : { retry: options.retry }),
        ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
      });
  }

  /** The token endpoint from `GET /auth/server`, asked once (again after a failure). */
  tokenUrl(signal?: AbortSignal): Promise<string> {
    if (this.#tokenUrl === undefined) {
      this.#tokenUrl = this.#get<{ tokenURL?: unknown }>('/auth/server', {}, 'token discovery', false, signal)
        .then((body) => {
          if (typeof body.tokenURL !== 'string')
            throw new ApiError(200, 'TE_ERR_INTERNAL', 'token discovery: the answer has no tokenURL');
          return body.tokenURL;
        })
        .catch((error: unknown) => {
          this.#tokenUrl = undefined;
          throw error;
        });
    }
    return this.#tokenUrl;
  }

  /** A valid bearer token (cached; refreshed ahead of its expiry). */
  token(signal?: AbortSignal): Promise<string> {
    return this.transport.token(this.#credentials, signal);
  }

  /** Drops the cached token, so the next request or login gets a new one. */
  forgetToken(): void {
    this.transport.forgetToken(this.clientId);
  }

  searchPrograms(query: ProgramSearch = {}): Promise<Program[]> {
    return this.#search('programs', query);
  }

  getProgram(programID: string): Promise<Program> {
    return this.#get(`/programs/${encodeURIComponent(programID)}`, {}, `program ${programID}`);
  }

  /** One page (at most 50) of the events this VEN may see. */
  searchEvents(query: EventSearch = {}): Promise<OpenAdrEvent[]> {
    return this.#search('events', query);
  }

  /** Every matching event, page by page. */
  allEvents(query: Omit<EventSearch, 'skip' | 'limit'> = {}): AsyncGenerator<OpenAdrEvent> {
    return this.#pages('events', query);
  }

  allPrograms(query: Omit<ProgramSearch, 'skip' | 'limit'> = {}): AsyncGenerator<Program> {
    return this.#pages('programs', query);
  }

  getEvent(eventID: string): Promise<OpenAdrEvent> {
    return this.#get(`/events/${encodeURIComponent(eventID)}`, {}, `event ${eventID}`);
  }

  searchReports(query: ReportSearch = {}): Promise<Report[]> {
    return this.#search('reports', query);
  }

  createReport(report: ReportRequest): Promise<Report> {
    return this.#send('POST', '/reports', report, 'create report');
  }

  updateReport(reportID: string, report: ReportRequest): Promise<Report> {
    return this.#send('PUT', `/reports/${encodeURIComponent(reportID)}`, report, `update report ${reportID}`);
  }

  deleteReport(reportID: string): Promise<Report> {
    return this.#send(
      'DELETE',
      `/reports/${encodeURIComponent(reportID)}`,
      undefined,
      `delete report ${reportID}`,
    );
  }

  searchVens(query: VenSearch = {}): Promise<Ven[]> {
    return this.#search('vens', query);
  }

  getVen(venID: string): Promise<Ven> {
    return this.#get(`/vens/${encodeURIComponent(venID)}`, {}, `VEN ${venID}`);
  }

  /** Registers a VEN object of this client's (`objectType` VEN_VEN_REQUEST is filled in). */
  createVen(ven: Omit<VenVenRequest, 'objectType'>): Promise<Ven> {
    return this.#send(
      'POST',
      '/vens',
      { ...ven, objectType: 'VEN_VEN_REQUEST' },
      `create VEN ${ven.venName}`,
    );
  }

  updateVen(venID: string, ven: Omit<VenVenRequest, 'objectType'>): Promise<Ven> {
    const body = { ...ven, objectType: 'VEN_VEN_REQUEST' };
    return this.#send('PUT', `/vens/${encodeURIComponent(venID)}`, body, `update VEN ${venID}`);
  }

  /**
   * This client's VEN object named `venName`, created when it has none: idempotent across restarts and
   * retries (a 409 from a create whose answer was lost is read back).
   */
  async ensureVen(venName: string, attributes?: VenVenRequest['attributes']): Promise<Ven> {
    const existing = await this.searchVens({ venName });
    if (existing[0] !== undefined) return existing[0];
    try {
      return await this.createVen({ venName, ...(attributes === undefined ? {} : { attributes }) });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
      const found = await this.searchVens({ venName });
      if (found[0] !== undefined) return found[0];
      throw error; // the name belongs to another client's VEN
    }
  }

  searchResources(query: ResourceSearch = {}): Promise<Resource[]> {
    return this.#search('resources', query);
  }

  createResource(resource: Omit<VenResourceRequest, 'objectType'>): Promise<Resource> {
    const body = { ...resource, objectType: 'VEN_RESOURCE_REQUEST' };
    return this.#send('POST', '/resources', body, `create resource ${resource.resourceName}`);
  }

  updateResource(resourceID: string, resource: Omit<VenResourceRequest, 'objectType'>): Promise<Resource> {
    const body = { ...resource, objectType: 'VEN_RESOURCE_REQUEST' };
    return this.#send(
      'PUT',
      `/resources/${encodeURIComponent(resourceID)}`,
      body,
      `update resource ${resourceID}`,
    );
  }

  deleteResource(resourceID: string): Promise<Resource> {
    const path = `/resources/${encodeURIComponent(resourceID)}`;
    return this.#send('DELETE', path, undefined, `delete resource ${resourceID}`);
  }

  searchSubscriptions(query: SubscriptionSearch = {}): Promise<Subscription[]> {
    return this.#search('subscriptions', query);
  }

  /** A webhook subscription: the VTN posts notifications to each callbackUrl. */
  createSubscription(subscription: SubscriptionRequest): Promise<Subscription> {
    return this.#send('POST', '/subscriptions', subscription, 'create subscription');
  }

  deleteSubscription(subscriptionID: string): Promise<Subscription> {
    const path = `/subscriptions/${encodeURIComponent(subscriptionID)}`;
    return this.#send('DELETE', path, undefined, `delete subscription ${subscriptionID}`);
  }

  listNotifiers(): Promise<Notifiers> {
    return this.#get('/notifiers', {}, 'notifiers');
  }

  /** The MQTT topic names of one of this VEN's collections (`vens/{venID}/events` ...). */
  async venTopics(venID: string, collection: 'events' | 'programs' | 'resources'): Promise<OperationTopics> {
    const path = `/notifiers/mqtt/topics/vens/${encodeURIComponent(venID)}/${collection}`;
    return (await this.#get<{ topics: OperationTopics }>(path, {}, `MQTT topics of ${path}`)).topics;
  }

  #search<T>(collection: Collection, query: Query): Promise<T[]> {
    return this.#get<T[]>(`/${collection}`, query, `search ${collection}`);
  }

  async *#pages<T>(collection: Collection, query: Query): AsyncGenerator<T> {
    for (let skip = 0; ; skip += MAX_PAGE) {
      const page = await this.#search<T>(collection, { ...query, skip, limit: MAX_PAGE });
      yield* page;
      // A short page is the last; an object created meanwhile may shift the rest by one (the spec's
      // paging has no cursor), which a VEN's next poll picks up.
      if (page.length < MAX_PAGE) return;
    }
  }

  async #get<T>(
    path: string,
    query: Query,
    what: string,
    authenticated = true,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await this.transport.request<T>({
      method: 'GET',
      path: `${this.vtnUrl}${path}${queryString(query)}`,
      what,
      ...(authenticated ? { as: this.#credentials } : {}),
      ...(signal === undefined ? {} : { signal }),
    });
    return response.body;
  }

  async #send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, json: unknown, what: string): Promise<T> {
    const response = await this.transport.request<T>({
      method,
      path: `${this.vtnUrl}${path}`,
      what,
      as: this.#credentials,
      ...(json === undefined ? {} : { json }),
    });
    return response.body;
  }
}
