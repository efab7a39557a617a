/**
 * The VTN listening on loopback (the real API server over a throwaway store), optionally with the
 * OpenADR notifiers on an embedded MQTT broker with bearer-token logins, for the VEN client's tests:
 * the client speaks real HTTP and MQTT to it. Business logic writes programs and events in-process.
 */
import { expect } from 'vitest';
import type { Clock } from '../../live/clock.js';
import { apiHarness, type ApiHarness } from '../../server/api-test.fixture.js';
import type { Role } from '../../server/auth/roles.js';
import { OPENADR3_BASE_PATH } from '../base-path.js';
import {
  startOpenAdr3Notifications,
  type OpenAdr3Notifications,
} from '../notifications/start-notifications.js';
import { VenClient, type VenClientOptions } from './ven-client.js';

export interface LiveVtn {
  readonly api: ApiHarness;
  /** e.g. `http://127.0.0.1:40123/openadr3` */
  readonly vtnUrl: string;
  readonly notifications: OpenAdr3Notifications | undefined;
  /** A VEN client for the test client of `role` (prosumer: p1's home; aggregator: agg1's). */
  venClient(role: Role, extra?: Partial<VenClientOptions>): VenClient;
  /** Business logic's write; returns the created object. */
  bl<T = Record<string, unknown>>(
    method: 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<T>;
  dispose(): Promise<void>;
}

export interface LiveVtnOptions {
  /** true: the embedded broker with token logins; an object: an external broker (anonymous) and a prefix. */
  readonly mqtt?: boolean | { readonly brokerUrl: string; readonly topicPrefix: string };
  readonly tokenTtlSeconds?: number;
  /** The clock tokens are issued and checked on (and the broker closes expired logins by). */
  readonly tokenClock?: Clock;
}

export async function liveVtn(kind: 'sqlite' | 'postgres', options: LiveVtnOptions = {}): Promise<LiveVtn> {
  const api = await apiHarness(kind, {
    ...(options.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: options.tokenTtlSeconds }),
    ...(options.tokenClock === undefined ? {} : { tokenClock: options.tokenClock }),
  });
  let notifications: OpenAdr3Notifications | undefined;
  try {
    if (options.mqtt !== undefined && options.mqtt !== false) {
      notifications = await startOpenAdr3Notifications(
        api.app,
        api.store.store.db,
        { mqtt: options.mqtt === true ? { port: 0 } : options.mqtt, webhooks: false },
        {
          verifyToken: (token) => api.app.verifyAccessToken(token),
          tokenClock: options.tokenClock ?? api.clock,
        },
      );
    }
    await api.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await notifications?.close();
    await api.dispose();
    throw error;
  }
  const address = api.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  // Business logic's token, renewed when short token lifetimes or a moved clock expire it.
  let blToken = api.tokens['market-operator'];
  const stop = new AbortController();
  return {
    api,
    vtnUrl: `http://127.0.0.1:${port}${OPENADR3_BASE_PATH}`,
    notifications,
    venClient(role, extra = {}) {
      return new VenClient({
        vtnUrl: `http://127.0.0.1:${port}${OPENADR3_BASE_PATH}`,
        clientId: `client-${role}`,
        clientSecret: api.secrets[role],
        signal: stop.signal,
        ...extra,
      });
    },
    async bl<T>(method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<T> {
      const send = () =>
        api.app.inject({
          method,
          url: `${OPENADR3_BASE_PATH}${url}`,
          headers: { authorization: `Bearer ${blToken}` },
          ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
        });
      let response = await send();
      if (response.statusCode === 401) {
        blToken = await freshToken(api, 'market-operator');
        response = await send();
      }
      expect(response.statusCode, `${method} ${url}: ${response.body.slice(0, 300)}`).toBeLessThan(300);
      return response.json<T>();
    },
    async dispose() {
      stop.abort();
      await notifications?.close();
      await api.dispose();
    },
  };
}

async function freshToken(api: ApiHarness, role: Role): Promise<string> {
  const response = await api.app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: {
      grant_type: 'client_credentials',
      client_id: `client-${role}`,
      client_secret: api.secrets[role],
    },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ access_token: string }>().access_token;
}
