/**
 * Every role against every endpoint, for its own participant, a participant it represents (if any) and
 * a stranger's (p9): the status is 2xx exactly when the access matrix allows it, else 403, and lists
 * hold only what the scope covers.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_MARKET_RULES } from '../../live/market-rules.js';
import { storeClearingResult } from '../../store/clearing-result-repository.js';
import { saveMarket } from '../../store/market-repository.js';
import { openSlot, registerDevice } from '../../store/registry-repository.js';
import {
  apiHarness,
  describeOnStores,
  EXAMPLE_FILLS,
  MARKET_ID,
  OTHER_PARTICIPANT,
  REPRESENTED,
  ROLE_PARTICIPANT,
  SLOT_MS,
  SLOT_START_MS,
  orderBody,
  type ApiHarness,
} from '../api-test.fixture.js';
import { ROLES, type Role } from '../auth/roles.js';
import { scopeOf, type ResourceAction, type Scope } from './access-matrix.js';

const RESULT_MARKET = 'mr';
const RANGE = `fromMs=${SLOT_START_MS}&toMs=${SLOT_START_MS + SLOT_MS}`;

interface Endpoint {
  readonly name: string;
  readonly resourceAction: ResourceAction;
  /** Requests about one participant (steps run in order, each judged alone); absent for collection-wide ones. */
  readonly about?: (role: Role, participantId: string) => InjectOptions[];
  readonly collection?: (role: Role) => InjectOptions;
  /** Overrides "scope is not none" for collection endpoints. */
  readonly allows?: (scope: Scope) => boolean;
  readonly check?: (role: Role, response: LightMyRequestResponse) => void;
}

const orderKey = (pid: string) => `marketId=${MARKET_ID}&slotStartMs=${SLOT_START_MS}&participantId=${pid}`;

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'list participants',
    resourceAction: 'participants:read',
    collection: () => ({ method: 'GET', url: '/api/participants' }),
    check: (role, response) =>
      expectOnlyVisible(
        role,
        'participants:read',
        response.json().map((p: { id: string }) => p.id),
      ),
  },
  {
    name: 'get participant',
    resourceAction: 'participants:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/participants/${pid}` }],
  },
  {
    name: 'register participant',
    resourceAction: 'participants:write',
    collection: (role) => ({
      method: 'POST',
      url: '/api/participants',
      payload: { id: `new-${role}`, role: 'prosumer', name: 'x' },
    }),
  },
  {
    name: 'register device',
    resourceAction: 'devices:write',
    about: (role, pid) => [
      {
        method: 'POST',
        url: '/api/devices',
        payload: {
          id: `dev-${role}-${pid}`,
          participantId: pid,
          kind: 'battery',
          params: { capacityKwh: 5 },
        },
      },
    ],
  },
  {
    name: 'list devices',
    resourceAction: 'devices:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/participants/${pid}/devices` }],
  },
  {
    name: 'list markets',
    resourceAction: 'markets:read',
    collection: () => ({ method: 'GET', url: '/api/markets' }),
  },
  {
    name: 'get market',
    resourceAction: 'markets:read',
    collection: () => ({ method: 'GET', url: `/api/markets/${MARKET_ID}` }),
  },
  {
    name: 'put market rules',
    resourceAction: 'market-rules:write',
    collection: (role) => ({
      method: 'PUT',
      url: `/api/markets/rules-${role}/rules`,
      payload: DEFAULT_MARKET_RULES,
    }),
  },
  {
    name: 'list slots',
    resourceAction: 'slots:read',
    collection: () => ({ method: 'GET', url: `/api/markets/${MARKET_ID}/slots` }),
  },
  {
    name: 'clearing result',
    resourceAction: 'clearing-results:read',
    collection: () => ({ method: 'GET', url: `/api/markets/${RESULT_MARKET}/slots/${SLOT_START_MS}/result` }),
    check: (role, response) => {
      const rows = response.json().fills.rows as { participantId?: string; partyKind: string }[];
      const ids = rows.filter((r) => r.partyKind === 'participant').map((r) => r.participantId);
      if (scopeOf(role, 'clearing-results:read') === 'aggregate')
        expect(ids.every((id) => id === undefined)).toBe(true);
      else expectOnlyVisible(role, 'clearing-results:read', ids as string[]);
    },
  },
  {
    name: 'submit, replace, cancel an order',
    resourceAction: 'orders:write',
    about: (role, pid) => {
      const body = orderBody({ participantId: pid, clientOrderId: `t-${role}-${pid}` });
      return [
        { method: 'POST', url: '/api/orders', payload: body },
        {
          method: 'PUT',
          url: `/api/orders/t-${role}-${pid}`,
          payload: { ...body, steps: [{ price: 0.3, quantity: 1 }] },
        },
        { method: 'DELETE', url: `/api/orders/t-${role}-${pid}?${orderKey(pid)}` },
      ];
    },
  },
  {
    name: 'list orders of a participant',
    resourceAction: 'orders:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/orders?marketId=${MARKET_ID}&participantId=${pid}` }],
  },
  {
    name: 'list orders',
    resourceAction: 'orders:read',
    collection: () => ({ method: 'GET', url: `/api/orders?marketId=${MARKET_ID}` }),
    check: (role, response) =>
      expectOnlyVisible(
        role,
        'orders:read',
        response.json().map((o: { participantId: string }) => o.participantId),
      ),
  },
  {
    name: 'order history',
    resourceAction: 'orders:read',
    // beforeAll seeds an order `seed-<participant>` for every participant.
    about: (_r, pid) => [
      {
        method: 'GET',
        url: `/api/orders/seed-${pid}/history?${orderKey(pid)}`,
      },
    ],
  },
  {
    name: 'ingest readings',
    resourceAction: 'meter-readings:write',
    about: (_r, pid) => [
      {
        method: 'POST',
        url: '/api/meter-readings',
        payload: { readings: [{ meterId: pid, timeMs: SLOT_START_MS, energyWh: 10 }] },
      },
    ],
  },
  {
    name: 'read readings',
    resourceAction: 'meter-readings:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/meter-readings?meterId=${pid}&${RANGE}` }],
  },
  {
    name: 'anonymised readings',
    resourceAction: 'meter-readings:read',
    collection: () => ({ method: 'GET', url: `/api/meter-readings/anonymised?${RANGE}` }),
    allows: (scope) => scope === 'anonymised' || scope === 'all',
  },
  {
    name: 'statement',
    resourceAction: 'statements:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/participants/${pid}/statement?${RANGE}` }],
  },
  {
    name: 'kpis',
    resourceAction: 'kpis:read',
    collection: () => ({ method: 'GET', url: `/api/kpis?marketId=${MARKET_ID}&${RANGE}` }),
  },
  { name: 'audit', resourceAction: 'audit:read', collection: () => ({ method: 'GET', url: '/api/audit' }) },
  {
    name: 'create client',
    resourceAction: 'clients:write',
    collection: (role) => ({
      method: 'POST',
      url: '/api/clients',
      payload: { clientId: `made-by-${role}`, role: 'prosumer' },
    }),
  },
  {
    name: 'ingest device telemetry',
    resourceAction: 'device-telemetry:write',
    // beforeAll registers a device `tel-<participant>` for every participant.
    about: (_r, pid) => [
      {
        method: 'POST',
        url: '/api/device-telemetry',
        payload: { samples: [{ deviceId: `tel-${pid}`, timeMs: SLOT_START_MS, powerKw: 1 }] },
      },
    ],
  },
  {
    name: 'device telemetry history',
    resourceAction: 'device-telemetry:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/devices/tel-${pid}/telemetry?${RANGE}` }],
  },
  {
    name: 'latest device telemetry of a participant',
    resourceAction: 'device-telemetry:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/device-telemetry/latest?participantId=${pid}` }],
  },
  {
    name: 'latest device telemetry',
    resourceAction: 'device-telemetry:read',
    collection: () => ({ method: 'GET', url: '/api/device-telemetry/latest' }),
    check: (role, response) =>
      expectOnlyVisible(
        role,
        'device-telemetry:read',
        response.json().devices.map((d: { participantId: string }) => d.participantId),
      ),
  },
  {
    name: 'read preferences',
    resourceAction: 'preferences:read',
    about: (_r, pid) => [{ method: 'GET', url: `/api/participants/${pid}/preferences` }],
  },
  {
    name: 'set preferences',
    resourceAction: 'preferences:write',
    about: (_r, pid) => [
      { method: 'PUT', url: `/api/participants/${pid}/preferences`, payload: { comfortSlider: 0.4 } },
    ],
  },
];

function covers(role: Role, scope: Scope, participantId: string): boolean {
  if (scope === 'all') return true;
  const own = ROLE_PARTICIPANT[role];
  if (scope === 'own') return own !== undefined && participantId === own;
  if (scope === 'represented')
    return own !== undefined && (participantId === own || participantId === REPRESENTED[role]);
  return false;
}

function expectOnlyVisible(role: Role, resourceAction: ResourceAction, ids: readonly string[]): void {
  const scope = scopeOf(role, resourceAction);
  for (const id of ids) expect(covers(role, scope, id), `${role} sees ${id}`).toBe(true);
}

describeOnStores('access matrix, every role against every endpoint', (kind) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness(kind);
    const db = h.store.store.db;
    await saveMarket(db, { id: RESULT_MARKET, name: 'results', createdMs: 0, rules: DEFAULT_MARKET_RULES });
    await openSlot(db, {
      marketId: RESULT_MARKET,
      startMs: SLOT_START_MS,
      endMs: SLOT_START_MS + SLOT_MS,
      gateClosureMs: SLOT_START_MS,
    });
    const stored = await storeClearingResult(db, {
      marketId: RESULT_MARKET,
      slotStartMs: SLOT_START_MS,
      mechanism: 'uniform-price-double-auction',
      price: 0.1,
      status: 'cleared',
      tradedEnergyWh: 250,
      tradedValueMinor: 3,
      fills: EXAMPLE_FILLS,
      clearedAtMs: SLOT_START_MS,
    });
    if (!stored.ok) throw stored.error;
    // An order of every participant, so each role's history check finds one where it may look.
    for (const pid of new Set(['p1', 'p2', 'p3', 'p9', ...Object.values(ROLE_PARTICIPANT)])) {
      if (pid === undefined) continue;
      const seeded = await h.call('market-operator', {
        method: 'POST',
        url: '/api/orders',
        payload: orderBody({ participantId: pid, clientOrderId: `seed-${pid}` }),
      });
      if (seeded.statusCode !== 201) throw new Error(seeded.body);
      await registerDevice(db, { id: `tel-${pid}`, participantId: pid, kind: 'hvac', params: {} });
    }
  });
  afterAll(async () => {
    await h.dispose();
  });

  for (const role of ROLES) {
    it(`${role}: 2xx where the matrix allows, 403 elsewhere`, async () => {
      const targets = [
        ...new Set([ROLE_PARTICIPANT[role] ?? 'p1', REPRESENTED[role], OTHER_PARTICIPANT]),
      ].filter((t): t is string => t !== undefined);
      for (const endpoint of ENDPOINTS) {
        const scope = scopeOf(role, endpoint.resourceAction);
        if (endpoint.collection !== undefined) {
          const allowed = endpoint.allows?.(scope) ?? scope !== 'none';
          const response = await h.call(role, endpoint.collection(role));
          expectStatus(response, allowed, `${role} ${endpoint.name}`);
          if (allowed) endpoint.check?.(role, response);
        }
        for (const target of endpoint.about === undefined ? [] : targets) {
          const allowed = covers(role, scope, target);
          for (const request of endpoint.about!(role, target)) {
            const response = await h.call(role, request);
            expectStatus(
              response,
              allowed,
              `${role} ${endpoint.name} for ${target}: ${request.method} ${request.url}`,
            );
          }
        }
      }
    });
  }

  it('events: every role may open the stream (SSE over a socket)', async () => {
    const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    for (const role of ROLES) {
      const abort = new AbortController();
      const response = await fetch(`${base}/api/events`, {
        headers: { authorization: `Bearer ${h.tokens[role]}` },
        signal: abort.signal,
      });
      expect(response.status, role).toBe(scopeOf(role, 'events:read') === 'none' ? 403 : 200);
      abort.abort();
    }
  });
});

function expectStatus(response: LightMyRequestResponse, allowed: boolean, label: string): void {
  if (allowed) {
    expect(response.statusCode, `${label}: ${response.body.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
    expect(response.statusCode, `${label}: ${response.body.slice(0, 300)}`).toBeLessThan(300);
  } else {
    expect(response.statusCode, `${label}: ${response.body.slice(0, 300)}`).toBe(403);
    expect(response.json().code).toBe('TE_ERR_FORBIDDEN');
  }
}
