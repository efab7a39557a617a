/**
 * The live feeder for the DSO view (contract B, docs/api.md): its drawing, the solved state of a settled
 * slot and the history of states. States come from the store (the clearing leader's grid monitor writes
 * them), so every instance answers the same. Who is connected where and each connection's operating
 * envelope name participants: they are filtered to the caller's scope for `grid:read` (docs/access.md).
 */
import { Type } from '@sinclair/typebox';
import type { GridFeederView, GridState } from '../../live/grid/grid-state.js';
import { getGridState, listGridStates } from '../../live/grid/grid-state-repository.js';
import { covers, participantsInScope, requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { coded, problemResponses } from '../problem.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { asResponse, BEARER, EpochMsSchema } from '../schemas.js';

const MAX_RANGE_MS = 31 * 86_400_000;
const DEFAULT_RANGE_MS = 86_400_000;

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const PhaseSchema = Type.Union([Type.Literal('a'), Type.Literal('b'), Type.Literal('c')]);
const strict = { additionalProperties: false } as const;

const ConnectionSchema = Type.Object(
  { participantId: Type.String(), bus: Type.String(), phase: PhaseSchema },
  strict,
);

const FeederSchema = Type.Object(
  {
    feederId: Type.String(),
    marketId: Type.String(),
    buses: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          xM: NullableNumber,
          yM: NullableNumber,
          kvLL: Type.Number(),
        },
        strict,
      ),
    ),
    lines: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          fromBus: Type.String(),
          toBus: Type.String(),
          kind: Type.Union(['line', 'transformer', 'regulator', 'switch'].map((k) => Type.Literal(k))),
          ratingA: Type.Optional(Type.Number()),
        },
        strict,
      ),
    ),
    substation: Type.Object({ bus: Type.String(), capacityKw: Type.Number() }, strict),
    connections: Type.Array(ConnectionSchema),
  },
  strict,
);

const SUMMARY_FIELDS = {
  slotStartMs: Type.Integer(),
  solvedMs: Type.Integer(),
  converged: Type.Boolean(),
  substationKw: NullableNumber,
  capacityKw: Type.Number(),
  vMinPu: NullableNumber,
  vMaxPu: NullableNumber,
  maxLoadingPct: NullableNumber,
};

const StateSchema = Type.Object(
  {
    ...SUMMARY_FIELDS,
    marketId: Type.String(),
    reason: Type.Optional(Type.String()),
    solveMs: Type.Number(),
    meteredKw: Type.Number(),
    connectionsWithoutReadings: Type.Integer(),
    lossesKw: NullableNumber,
    buses: Type.Array(
      Type.Object({ id: Type.String(), vMinPu: NullableNumber, vMaxPu: NullableNumber }, strict),
    ),
    lines: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          powerKw: NullableNumber,
          currentA: Type.Optional(Type.Number()),
          loadingPct: NullableNumber,
        },
        strict,
      ),
    ),
    violations: Type.Array(
      Type.Object(
        {
          kind: Type.Union(
            ['undervoltage', 'overvoltage', 'overload', 'substation'].map((k) => Type.Literal(k)),
          ),
          elementId: Type.String(),
          value: Type.Number(),
          limit: Type.Number(),
        },
        strict,
      ),
    ),
    envelopes: Type.Array(
      Type.Object(
        { participantId: Type.String(), importLimitKw: NullableNumber, exportLimitKw: NullableNumber },
        strict,
      ),
    ),
  },
  strict,
);

const StatesSchema = Type.Object(
  {
    marketId: Type.String(),
    states: Type.Array(Type.Object({ ...SUMMARY_FIELDS, violationCount: Type.Integer() }, strict)),
  },
  strict,
);

export function registerGridRoutes(
  app: TypedApp,
  ctx: RouteContext,
  feeder: GridFeederView | undefined,
): void {
  /** The feeder, or 404 when this platform runs without one. */
  const requireFeeder = (): GridFeederView => {
    if (feeder !== undefined) return feeder;
    throw coded(
      'TE_ERR_NOT_FOUND',
      'this platform has no feeder configured: no grid state is solved',
      undefined,
      'set grid.feeder and grid.connections in the server configuration (docs/operations.md); tenet demo has one',
    );
  };

  app.get(
    '/api/grid/feeder',
    {
      schema: {
        operationId: 'getGridFeeder',
        summary: 'The live feeder: buses with coordinates, branches, substation, connections in scope',
        tags: ['grid'],
        security: BEARER,
        response: { 200: FeederSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = requireScope(caller, 'grid:read');
      const view = requireFeeder();
      const allowed = await participantsInScope(ctx.db, caller, scope);
      return asResponse({
        ...view,
        connections: view.connections.filter((c) => covers(allowed, c.participantId)),
      });
    },
  );

  app.get(
    '/api/grid/state',
    {
      schema: {
        operationId: 'getGridState',
        summary: 'The solved feeder for a settled slot (the latest solved when slotStartMs is absent)',
        tags: ['grid'],
        security: BEARER,
        querystring: Type.Object({ slotStartMs: Type.Optional(EpochMsSchema) }, strict),
        response: { 200: StateSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = requireScope(caller, 'grid:read');
      const view = requireFeeder();
      const { slotStartMs } = request.query;
      const state = await getGridState(ctx.db, view.marketId, slotStartMs);
      if (state === undefined) {
        throw coded(
          'TE_ERR_NOT_FOUND',
          slotStartMs === undefined
            ? 'no slot has been solved yet'
            : `no grid state for the slot starting at ${slotStartMs}`,
          slotStartMs === undefined ? undefined : 'query.slotStartMs',
          'states appear once a slot is settled; GET /api/grid/states lists the solved slots',
        );
      }
      const allowed = await participantsInScope(ctx.db, caller, scope);
      const visible: GridState = {
        ...state,
        envelopes: state.envelopes.filter((e) => covers(allowed, e.participantId)),
      };
      return asResponse(visible);
    },
  );

  app.get(
    '/api/grid/states',
    {
      schema: {
        operationId: 'listGridStates',
        summary: 'Summaries of the solved slots starting in [fromMs, toMs) (default the last day)',
        tags: ['grid'],
        security: BEARER,
        querystring: Type.Object(
          { fromMs: Type.Optional(EpochMsSchema), toMs: Type.Optional(EpochMsSchema) },
          strict,
        ),
        response: { 200: StatesSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'grid:read');
      const view = requireFeeder();
      const toMs = request.query.toMs ?? ctx.clock.nowMs() + 1;
      const fromMs = request.query.fromMs ?? Math.max(0, toMs - DEFAULT_RANGE_MS);
      if (toMs <= fromMs || toMs - fromMs > MAX_RANGE_MS) {
        throw coded(
          'TE_ERR_VALIDATION',
          'the range must have fromMs < toMs and last at most 31 days',
          'query.toMs',
          'states are kept seven days',
        );
      }
      const states = await listGridStates(ctx.db, view.marketId, fromMs, toMs);
      return asResponse({ marketId: view.marketId, states });
    },
  );
}
