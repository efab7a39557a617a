/**
 * A running API over a throwaway store (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), with a
 * market, an open slot, participants and one client per role, and helpers to call it. Tests use
 * `describeOnStores` so one suite runs against both stores.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, it } from 'vitest';
import type { StoredFills } from '../live/clearing-fills.js';
import { ManualClock } from '../live/clock.js';
import { InProcessEventBus, type MarketEvent } from '../live/market-events.js';
import { DEFAULT_MARKET_RULES } from '../live/market-rules.js';
import { createApiClient } from '../store/api-client-repository.js';
import { storeClearingResult } from '../store/clearing-result-repository.js';
import type { StoreDatabase } from '../store/database.js';
import { saveMarket } from '../store/market-repository.js';
import { openSlot } from '../store/registry-repository.js';
import {
  POSTGRES_SKIP_MESSAGE,
  postgresTestStore,
  sqliteTestStore,
  TEST_DATABASE_URL,
  type TestStore,
} from '../store/test-databases.fixture.js';
import { buildApiServer, type ApiServerDeps } from './api-server.js';
import { hashClientSecret } from './auth/client-secrets.js';
import { ROLES, type Role } from './auth/roles.js';
import { ephemeralSigningKey } from './auth/signing-key.js';
import { insertParticipant } from './queries/registry-queries.js';

export const SLOT_MS = DEFAULT_MARKET_RULES.slotDurationMs;
/** The open slot; the clock starts ten minutes before it (its gate closes at its start). */
export const SLOT_START_MS = 1_767_225_600_000;
export const START_MS = SLOT_START_MS - 600_000;
export const MARKET_ID = 'm1';

/** Who each role's test client acts for; `other` is a participant none of them owns or represents. */
export const ROLE_PARTICIPANT: Readonly<Record<Role, string | undefined>> = {
  regulator: undefined,
  utility: 'util1',
  dso: 'dso1',
  'microgrid-operator': 'mg1',
  aggregator: 'agg1',
  'der-developer': 'dev1',
  'facility-manager': 'fm1',
  prosumer: 'p1',
  'market-operator': undefined,
};
/** p2 is represented by agg1, p3 by mg1; p9 by nobody. */
export const REPRESENTED: Readonly<Partial<Record<Role, string>>> = {
  aggregator: 'p2',
  'microgrid-operator': 'p3',
};
export const OTHER_PARTICIPANT = 'p9';

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly store: TestStore;
  readonly clock: ManualClock;
  readonly events: InProcessEventBus;
  readonly published: { event: MarketEvent; timeMs: number }[];
  /** A bearer token per role, fetched through /oauth/token. */
  readonly tokens: Readonly<Record<Role, string>>;
  readonly secrets: Readonly<Record<Role, string>>;
  call(role: Role | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
  dispose(): Promise<void>;
}

export async function apiHarness(
  kind: 'sqlite' | 'postgres',
  overrides: Partial<ApiServerDeps> = {},
): Promise<ApiHarness> {
  const store = kind === 'sqlite' ? await sqliteTestStore() : await postgresTestStore();
  const db = store.store.db;
  const clock = new ManualClock(START_MS);
  const events = new InProcessEventBus();
  const published: { event: MarketEvent; timeMs: number }[] = [];
  events.subscribe((event, timeMs) => published.push({ event, timeMs }));
  await saveMarket(db, {
    id: MARKET_ID,
    name: 'Test market',
    createdMs: START_MS,
    rules: DEFAULT_MARKET_RULES,
  });
  await openSlot(db, {
    marketId: MARKET_ID,
    startMs: SLOT_START_MS,
    endMs: SLOT_START_MS + SLOT_MS,
    gateClosureMs: SLOT_START_MS,
  });
  const participants: [string, string, string | null][] = [
    ['agg1', 'aggregator', null],
    ['mg1', 'microgrid-operator', null],
    ['p1', 'prosumer', null],
    ['p2', 'prosumer', 'agg1'],
    ['p3', 'prosumer', 'mg1'],
    ['p9', 'prosumer', null],
    ['util1', 'utility', null],
    ['dso1', 'dso', null],
    ['dev1', 'der-developer', null],
    ['fm1', 'facility-manager', null],
  ];
  for (const [id, role, aggregatorId] of participants) {
    await insertParticipant(db, { id, role, name: `Participant ${id}`, createdMs: START_MS, aggregatorId });
  }
  const secrets = {} as Record<Role, string>;
  for (const role of ROLES) {
    secrets[role] = `secret-of-${role}-${Math.random().toString(36).slice(2)}`;
    const created = await createApiClient(db, {
      clientId: `client-${role}`,
      role,
      participantId: ROLE_PARTICIPANT[role],
      secretHash: await hashClientSecret(secrets[role]),
      createdMs: START_MS,
    });
    if (!created.ok) throw created.error;
  }
  const app = await buildApiServer({
    store: store.store,
    clock,
    events,
    signingKey: await ephemeralSigningKey(),
    pseudonymKey: new Uint8Array(32).fill(7),
    ...overrides,
  });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const response = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: `client-${role}`,
        client_secret: secrets[role],
      },
    });
    if (response.statusCode !== 200) throw new Error(`token for ${role}: ${response.body}`);
    tokens[role] = (response.json() as { access_token: string }).access_token;
  }
  return {
    app,
    store,
    clock,
    events,
    published,
    tokens,
    secrets,
    call: (role, options) =>
      app.inject({
        ...options,
        headers: {
          ...(role === undefined ? {} : { authorization: `Bearer ${tokens[role]}` }),
          ...options.headers,
        },
      }),
    async dispose() {
      await app.close();
      await store.dispose();
    },
  };
}

/** Runs `suite` against SQLite, and against PostgreSQL when TEST_DATABASE_URL is set. */
export function describeOnStores(name: string, suite: (kind: 'sqlite' | 'postgres') => void): void {
  describe(`${name} (SQLite)`, () => suite('sqlite'));
  if (TEST_DATABASE_URL === '') {
    describe.skip(`${name} (PostgreSQL)`, () => {
      it(POSTGRES_SKIP_MESSAGE, () => {});
    });
  } else {
    describe(`${name} (PostgreSQL)`, () => suite('postgres'));
  }
}

/** An order body for the open slot. */
export function orderBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    marketId: MARKET_ID,
    slotStartMs: SLOT_START_MS,
    participantId: 'p1',
    clientOrderId: 'o1',
    side: 'buy',
    steps: [{ price: 0.2, quantity: 2 }],
    ...over,
  };
}

/** A slot's fills touching p1, p2 (agg1's), p9 and the supplier, with one bilateral trade p1 <- p9. */
export const EXAMPLE_FILLS: StoredFills = {
  rows: [
    {
      participantId: 'p1',
      clientOrderId: 'b1',
      partyKind: 'participant',
      side: 'buy',
      step: 0,
      filledKw: 2,
      pricePerKwh: 0.1,
      feePerKwh: 0.02,
    },
    {
      participantId: 'p2',
      clientOrderId: 'b2',
      partyKind: 'participant',
      side: 'buy',
      step: 0,
      filledKw: 1,
      pricePerKwh: 0.1,
      feePerKwh: 0.02,
    },
    {
      participantId: 'p9',
      clientOrderId: 's9',
      partyKind: 'participant',
      side: 'sell',
      step: 0,
      filledKw: 1,
      pricePerKwh: 0.1,
      feePerKwh: 0,
    },
    {
      participantId: 'substation',
      clientOrderId: 'substation',
      partyKind: 'supplier',
      side: 'sell',
      step: 0,
      filledKw: 2,
      pricePerKwh: 0.1,
      feePerKwh: 0,
    },
  ],
  trades: [
    {
      buyerId: 'p1',
      sellerId: 'p9',
      buyClientOrderId: 'b1',
      sellClientOrderId: 's9',
      quantityKw: 1,
      pricePerKwh: 0.1,
      feePerKwh: 0.02,
    },
  ],
};

/** EXAMPLE_FILLS stored as the example slot's clearing at 0.1/kWh (250 Wh traded); throws when refused. */
export async function storeExampleClearing(
  store: StoreDatabase,
  over: { readonly tradedValueMinor?: number; readonly clearedAtMs?: number } = {},
): Promise<void> {
  const stored = await storeClearingResult(store.db, {
    marketId: MARKET_ID,
    slotStartMs: SLOT_START_MS,
    mechanism: 'uniform-price-double-auction',
    price: 0.1,
    status: 'cleared',
    tradedEnergyWh: 250,
    tradedValueMinor: over.tradedValueMinor ?? 3,
    fills: EXAMPLE_FILLS,
    clearedAtMs: over.clearedAtMs ?? SLOT_START_MS,
  });
  if (!stored.ok) throw stored.error;
}
