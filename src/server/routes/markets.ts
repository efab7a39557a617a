/** Markets, their rules, their slots and the slots' clearing results. */
import { Type } from '@sinclair/typebox';
import { MarketRulesSchema, type MarketRules } from '../../live/market-rules.js';
import { getClearingResult } from '../../store/clearing-result-repository.js';
import { getMarket, listMarkets, saveMarket } from '../../store/market-repository.js';
import { getSlot } from '../../store/registry-repository.js';
import { fillsView } from '../access/fills-view.js';
import { participantsInScope, requireScope } from '../access/participant-scope.js';
import { recordAudit } from '../audit-trail.js';
import { callerOf } from '../auth/authenticate.js';
import { notFound, problemResponses } from '../problem.js';
import { listSlots } from '../queries/market-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { asResponse, BEARER, EpochMsSchema, IdSchema } from '../schemas.js';
import { forgetMarket } from './order-gate.js';

const MarketSchema = Type.Object(
  {
    id: IdSchema,
    name: Type.String(),
    slotDurationMs: Type.Integer(),
    createdMs: Type.Integer(),
    rules: Type.Union([MarketRulesSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

const SlotSchema = Type.Object(
  {
    marketId: IdSchema,
    startMs: Type.Integer(),
    endMs: Type.Integer(),
    gateClosureMs: Type.Integer(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('cleared')]),
    clearedAtMs: Type.Union([Type.Integer(), Type.Null()]),
    settledAtMs: Type.Union([Type.Integer(), Type.Null()]),
    pricePerKwh: Type.Union([Type.Number(), Type.Null()], {
      description: 'the clearing price per kWh in the market currency; null until the slot clears',
    }),
    tradedEnergyWh: Type.Union([Type.Number(), Type.Null()], { description: 'null until the slot clears' }),
    mechanism: Type.Union([Type.String(), Type.Null()], {
      description: 'the mechanism that cleared the slot; null until it clears',
    }),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const FillRowSchema = Type.Object(
  {
    participantId: Type.Optional(Type.String()),
    clientOrderId: Type.Optional(Type.String()),
    partyKind: Type.String(),
    side: Type.String(),
    step: Type.Integer(),
    filledKw: Type.Number(),
    pricePerKwh: Nullable(Type.Number()),
    feePerKwh: Type.Number(),
  },
  { additionalProperties: false },
);

const TradeSchema = Type.Object(
  {
    buyerId: Type.Optional(Type.String()),
    sellerId: Type.Optional(Type.String()),
    buyClientOrderId: Type.Optional(Type.String()),
    sellClientOrderId: Type.Optional(Type.String()),
    quantityKw: Type.Number(),
    pricePerKwh: Type.Number(),
    feePerKwh: Type.Number(),
  },
  { additionalProperties: false },
);

const ClearingResultSchema = Type.Object(
  {
    marketId: IdSchema,
    slotStartMs: Type.Integer(),
    mechanism: Type.String(),
    price: Type.Number(),
    status: Type.String(),
    tradedEnergyWh: Type.Integer(),
    tradedValueMinor: Type.Integer(),
    clearedAtMs: Type.Integer(),
    fills: Type.Object(
      { rows: Type.Array(FillRowSchema), trades: Type.Array(TradeSchema) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const MarketParams = Type.Object({ marketId: IdSchema }, { additionalProperties: false });

export function registerMarketRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/api/markets',
    {
      schema: {
        operationId: 'listMarkets',
        summary: 'Markets with their rules',
        tags: ['markets'],
        security: BEARER,
        response: { 200: Type.Array(MarketSchema), ...problemResponses() },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'markets:read');
      return listMarkets<MarketRules>(ctx.db);
    },
  );

  app.get(
    '/api/markets/:marketId',
    {
      schema: {
        operationId: 'getMarket',
        summary: 'One market with its rules',
        tags: ['markets'],
        security: BEARER,
        params: MarketParams,
        response: { 200: MarketSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'markets:read');
      const market = await getMarket<MarketRules>(ctx.db, request.params.marketId);
      if (market === undefined) throw notFound(`no market '${request.params.marketId}'`, 'params.marketId');
      return market;
    },
  );

  app.put(
    '/api/markets/:marketId/rules',
    {
      schema: {
        operationId: 'putMarketRules',
        summary: 'Set a market’s rules, creating the market when new (market operator)',
        tags: ['markets'],
        security: BEARER,
        params: MarketParams,
        body: MarketRulesSchema,
        response: { 200: MarketSchema, ...problemResponses(413, 415) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requireScope(caller, 'market-rules:write');
      const { marketId } = request.params;
      const before = await getMarket<MarketRules>(ctx.db, marketId);
      await saveMarket(ctx.db, {
        id: marketId,
        name: before?.name ?? marketId,
        createdMs: before?.createdMs ?? ctx.clock.nowMs(),
        rules: request.body,
      });
      forgetMarket(ctx, marketId);
      await recordAudit(ctx, caller, 'market-rules-changed', `market:${marketId}`, {
        before: before?.rules ?? null,
        after: request.body,
      });
      return getMarket<MarketRules>(ctx.db, marketId);
    },
  );

  app.get(
    '/api/markets/:marketId/slots',
    {
      schema: {
        operationId: 'listSlots',
        summary: 'A market’s slots starting in [fromMs, toMs)',
        tags: ['markets'],
        security: BEARER,
        params: MarketParams,
        querystring: Type.Object(
          {
            fromMs: Type.Optional(EpochMsSchema),
            toMs: Type.Optional(EpochMsSchema),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(SlotSchema), ...problemResponses(404) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'slots:read');
      const { marketId } = request.params;
      if ((await getMarket(ctx.db, marketId)) === undefined) {
        throw notFound(`no market '${marketId}'`, 'params.marketId');
      }
      const { fromMs = 0, toMs = Number.MAX_SAFE_INTEGER, limit = 500 } = request.query;
      return listSlots(ctx.db, marketId, { fromMs, toMs, limit });
    },
  );

  app.get(
    '/api/markets/:marketId/slots/:slotStartMs/result',
    {
      schema: {
        operationId: 'getClearingResult',
        summary: 'A slot’s clearing result, its fills filtered to what the caller may see',
        tags: ['markets'],
        security: BEARER,
        params: Type.Object(
          { marketId: IdSchema, slotStartMs: EpochMsSchema },
          { additionalProperties: false },
        ),
        response: { 200: ClearingResultSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = requireScope(caller, 'clearing-results:read');
      const { marketId, slotStartMs } = request.params;
      const result = await getClearingResult(ctx.db, marketId, slotStartMs);
      if (result === undefined) {
        const slot = await getSlot(ctx.db, marketId, slotStartMs);
        throw notFound(
          slot === undefined
            ? `market '${marketId}' has no slot starting at ${slotStartMs}`
            : `slot ${slotStartMs} of market '${marketId}' is ${slot.status}, not cleared yet`,
          'params.slotStartMs',
        );
      }
      const allowed = await participantsInScope(ctx.db, caller, scope);
      return asResponse({ ...result, fills: fillsView(result.fills, scope, allowed) });
    },
  );
}
