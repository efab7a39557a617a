/**
 * The VTN on the real API server over a throwaway store (SQLite, or PostgreSQL with TEST_DATABASE_URL),
 * with OpenADR clients for every kind of caller, and a `call` that checks each request and response
 * against the published OpenADR 3.1.1 document (or 3.0.1) and, on an error, that nothing was stored.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { createApiClient } from '../store/api-client-repository.js';
import { apiHarness, type ApiHarness } from '../server/api-test.fixture.js';
import { hashClientSecret } from '../server/auth/client-secrets.js';
import type { Role } from '../server/auth/roles.js';
import { OPENADR3_BASE_PATH } from './base-path.js';
import { SpecContract } from './contract/spec-contract.fixture.js';

/** Who calls: business logic, a grid operator, a regulator, and three VEN clients. */
export const CLIENTS = {
  bl: { clientId: 'client-market-operator', role: 'market-operator' },
  utility: { clientId: 'client-utility', role: 'utility' },
  dso: { clientId: 'client-dso', role: 'dso' },
  regulator: { clientId: 'client-regulator', role: 'regulator' },
  /** A prosumer's home gateway; business logic grants it targets through its VEN object. */
  ven1: { clientId: 'client-prosumer', role: 'prosumer' },
  /** Another home, with a VEN object of its own. */
  ven2: { clientId: 'ven-two', role: 'prosumer' },
  /** An aggregator's VEN with no VEN object: it is granted nothing. */
  ven3: { clientId: 'client-aggregator', role: 'aggregator' },
} as const satisfies Record<string, { clientId: string; role: Role }>;
export type ClientName = keyof typeof CLIENTS;

export interface VtnRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below the VTN's base path, e.g. `/programs?limit=5`. */
  readonly url: string;
  readonly payload?: unknown;
  readonly headers?: Record<string, string>;
  /** The request breaks the document on purpose: the check asserts that it does. */
  readonly invalid?: boolean;
  /** Check against this document instead (the 3.0.1 tests). */
  readonly contract?: SpecContract;
  /** The store is closed on purpose: what it holds cannot be compared. */
  readonly storeClosed?: boolean;
}

export interface VtnHarness {
  readonly api: ApiHarness;
  readonly contract: SpecContract;
  readonly tokens: Readonly<Record<ClientName, string>>;
  call(who: ClientName | undefined, request: VtnRequest): Promise<LightMyRequestResponse>;
  /** Calls and returns the JSON body, expecting `status`. */
  json<T = Record<string, unknown>>(
    who: ClientName | undefined,
    request: VtnRequest,
    status: number,
  ): Promise<T>;
  dispose(): Promise<void>;
}

export async function vtnHarness(
  kind: 'sqlite' | 'postgres',
  contract = new SpecContract('3.1.1'),
): Promise<VtnHarness> {
  const api = await apiHarness(kind);
  const secret = 'ven-two-secret';
  const created = await createApiClient(api.store.store.db, {
    clientId: CLIENTS.ven2.clientId,
    role: CLIENTS.ven2.role,
    participantId: 'p9',
    secretHash: await hashClientSecret(secret),
    createdMs: api.clock.nowMs(),
  });
  if (!created.ok) throw created.error;
  const secrets = (name: ClientName) => (name === 'ven2' ? secret : api.secrets[CLIENTS[name].role]);
  const tokens = {} as Record<ClientName, string>;
  const harness: VtnHarness = {
    api,
    contract,
    tokens,
    call: (who, request) => checkedCall(api, contract, who === undefined ? undefined : tokens[who], request),
    async json(who, request, status) {
      const response = await harness.call(who, request);
      expect(response.statusCode, `${request.method} ${request.url}: ${response.body.slice(0, 400)}`).toBe(
        status,
      );
      return response.json();
    },
    dispose: () => api.dispose(),
  };
  for (const name of Object.keys(CLIENTS) as ClientName[]) {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENTS[name].clientId,
      client_secret: secrets(name),
    });
    const token = await harness.json<{ access_token: string }>(
      undefined,
      {
        method: 'POST',
        url: '/auth/token',
        payload: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      200,
    );
    tokens[name] = token.access_token;
  }
  return harness;
}

async function checkedCall(
  api: ApiHarness,
  defaultContract: SpecContract,
  token: string | undefined,
  request: VtnRequest,
): Promise<LightMyRequestResponse> {
  const contract = request.contract ?? defaultContract;
  const contentType = request.headers?.['content-type'];
  const label = `${request.method} ${request.url}`;
  const asSent = { method: request.method, url: request.url, body: request.payload, contentType };
  const requestErrors = contract.requestErrors(asSent);
  if (request.invalid === true)
    expect(requestErrors, `${label} was meant to break the document`).not.toEqual([]);
  else expect(requestErrors, `${label} breaks OpenADR ${contract.version}`).toEqual([]);
  const before =
    request.method === 'GET' || request.storeClosed === true ? undefined : await fingerprint(api);
  const options: InjectOptions = {
    method: request.method,
    url: `${OPENADR3_BASE_PATH}${request.url}`,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...request.headers },
    ...(request.payload === undefined
      ? {}
      : { payload: typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload) }),
  };
  if (request.payload !== undefined && contentType === undefined) {
    options.headers = { ...options.headers, 'content-type': 'application/json' };
  }
  const response = await api.app.inject(options);
  const body = response.body === '' ? undefined : (JSON.parse(response.body) as unknown);
  const responseErrors = contract.responseErrors(asSent, {
    status: response.statusCode,
    contentType: response.headers['content-type'] as string | undefined,
    body,
  });
  expect(responseErrors, `${label} -> ${response.statusCode}: ${response.body.slice(0, 300)}`).toEqual([]);
  if (before !== undefined && response.statusCode >= 400) {
    expect(await fingerprint(api), `${label} -> ${response.statusCode} stored something`).toBe(before);
  }
  return response;
}

/** Counts and sums that any stored OpenADR write or audit record changes. */
async function fingerprint(api: ApiHarness): Promise<string> {
  const result = await sql<Record<string, unknown>>`
    select (select count(*) from openadr_objects) as objects,
           (select coalesce(sum(modified_ms), 0) from openadr_objects) as modified,
           (select coalesce(sum(length(body)), 0) from openadr_objects) as bytes,
           (select count(*) from openadr_targets) as targets,
           (select count(*) from audit_log) as audit`.execute(api.store.store.db);
  return JSON.stringify(result.rows[0], (_k, v: unknown) =>
    typeof v === 'string' || typeof v === 'bigint' ? Number(v) : v,
  );
}

/** A program request with the given name (and targets). */
export function programBody(programName: string, targets?: string[]): Record<string, unknown> {
  return { programName, ...(targets === undefined ? {} : { targets }) };
}

/** An event request: hourly prices from 2026-01-01 for `hours` hours. */
export function eventBody(programID: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    programID,
    eventName: 'prices',
    payloadDescriptors: [
      { objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'PRICE', units: 'KWH', currency: 'USD' },
    ],
    intervalPeriod: { start: '2026-01-01T00:00:00Z', duration: 'PT1H' },
    intervals: [
      { id: 0, payloads: [{ type: 'PRICE', values: [0.17] }] },
      { id: 1, payloads: [{ type: 'PRICE', values: [0.21] }] },
    ],
    ...over,
  };
}

export function reportBody(eventID: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventID,
    clientName: 'home-1',
    reportName: 'usage',
    payloadDescriptors: [{ objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', units: 'KWH' }],
    resources: [
      {
        resourceName: 'meter',
        intervalPeriod: { start: '2026-01-01T00:00:00Z', duration: 'PT1H' },
        intervals: [{ id: 0, payloads: [{ type: 'USAGE', values: [1.25] }] }],
      },
    ],
    ...over,
  };
}

export function subscriptionBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientName: 'home-1',
    objectOperations: [
      {
        objects: ['EVENT'],
        operations: ['CREATE', 'UPDATE'],
        callbackUrl: 'https://home-1.example/callback',
      },
    ],
    ...over,
  };
}
