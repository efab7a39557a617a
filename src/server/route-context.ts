/** What every route group gets from buildApiServer: the store, time, events and security settings. */
import type { Kysely } from 'kysely';
import type { Clock } from '../live/clock.js';
import type { MarketEventBus } from '../live/market-events.js';
import type { StoreSchema } from '../store/schema.js';
import type { AuthSettings } from './auth/tokens.js';

export interface RouteContext {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  readonly auth: AuthSettings;
  /** HMAC key for pseudonymous ids in anonymised data. */
  readonly pseudonymKey: Uint8Array;
  readonly readingsBodyLimitBytes: number;
  readonly sseHeartbeatMs: number;
  /** Ends every open event stream (server close). */
  readonly eventStreams: Set<() => void>;
}

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';

/** The Fastify instance routes are declared on, typed from their TypeBox schemas. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
