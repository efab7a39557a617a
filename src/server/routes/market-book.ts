/**
 * A continuous market's order book for one slot, by price level (live/slot-book.ts): public depth as on
 * any exchange, without participant or order ids. Only a market whose mechanism is the continuous double
 * auction has one; any other market is 409 TE_ERR_NOT_CONTINUOUS. Without `slotStartMs` the book is the
 * earliest open slot's, the one trading now.
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { CONTINUOUS_DOUBLE_AUCTION } from '../../market/continuous/index.js';
import { DEFAULT_MARKET_RULES, type MarketRules } from '../../live/market-rules.js';
import { slotBookDepth } from '../../live/slot-book.js';
import { slotBookSteps } from '../../live/slot-steps.js';
import { getMarket } from '../../store/market-repository.js';
import { getSlot } from '../../store/registry-repository.js';
import { requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { notFound, problemResponses } from '../problem.js';
import { readSlotBookOrders } from '../queries/slot-book-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { asResponse, BEARER, EpochMsSchema, IdSchema } from '../schemas.js';

export const DEFAULT_BOOK_LEVELS = 50;
export const MAX_BOOK_LEVELS = 500;

const LevelSchema = Type.Object(
  {
    pricePerKwh: Type.Number(),
    quantityKw: Type.Number({ description: 'open quantity at this price' }),
    orders: Type.Integer({ description: 'resting orders (bid-curve steps) at this price' }),
  },
  { additionalProperties: false },
);

const BookSchema = Type.Object(
  {
    slotStartMs: Type.Integer(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('cleared')]),
    bids: Type.Array(LevelSchema, { description: 'best (highest) price first' }),
    asks: Type.Array(LevelSchema, { description: 'best (lowest) price first' }),
    lastTradePricePerKwh: Type.Optional(Type.Number()),
    tradeCount: Type.Integer({ description: 'trades the slot’s orders make in time priority' }),
  },
  { additionalProperties: false },
);

export function registerMarketBookRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/api/markets/:marketId/book',
    {
      schema: {
        operationId: 'getOrderBook',
        summary: 'A continuous market’s order book by price level (depth, no ids)',
        tags: ['markets'],
        security: BEARER,
        params: Type.Object({ marketId: IdSchema }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            slotStartMs: Type.Optional(EpochMsSchema),
            levels: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BOOK_LEVELS })),
          },
          { additionalProperties: false },
        ),
        response: { 200: BookSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'order-book:read');
      const { marketId } = request.params;
      const market = await getMarket<MarketRules>(ctx.db, marketId);
      if (market === undefined) throw notFound(`no market '${marketId}'`, 'params.marketId');
      const rules = market.rules ?? DEFAULT_MARKET_RULES;
      if (rules.mechanism !== CONTINUOUS_DOUBLE_AUCTION) {
        throw new TeError(
          'TE_ERR_NOT_CONTINUOUS',
          `market '${marketId}' clears by '${rules.mechanism}', not continuously: it has no public book`,
          {
            path: 'params.marketId',
            hint: 'read a cleared slot’s curves at /api/markets/{marketId}/slots/{slotStartMs}/curves',
          },
        );
      }
      const slotStartMs = request.query.slotStartMs ?? (await earliestOpenSlot(ctx, marketId));
      const slot = await getSlot(ctx.db, marketId, slotStartMs);
      if (slot === undefined) {
        throw new TeError(
          'TE_ERR_UNKNOWN_SLOT',
          `market '${marketId}' has no slot starting at ${slotStartMs}`,
          {
            path: 'query.slotStartMs',
            hint: 'GET /api/markets/{marketId}/slots lists the slots; slot starts are epoch milliseconds',
          },
        );
      }
      const orders = await readSlotBookOrders(ctx.db, marketId, slotStartMs);
      const depth = slotBookDepth(
        slotBookSteps(slotStartMs, rules, orders),
        rules.priceCapPerKwh,
        request.query.levels ?? DEFAULT_BOOK_LEVELS,
      );
      const level = (l: { price: number; quantity: number; orders: number }) => ({
        pricePerKwh: l.price,
        quantityKw: l.quantity,
        orders: l.orders,
      });
      return asResponse({
        slotStartMs,
        status: slot.status,
        bids: depth.bids.map(level),
        asks: depth.asks.map(level),
        ...(Number.isFinite(depth.lastTradePrice) ? { lastTradePricePerKwh: depth.lastTradePrice } : {}),
        tradeCount: depth.tradeCount,
      });
    },
  );
}

async function earliestOpenSlot(ctx: RouteContext, marketId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('slots')
    .select('start_ms')
    .where('market_id', '=', marketId)
    .where('status', '=', 'open')
    .orderBy('start_ms')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) {
    throw new TeError('TE_ERR_UNKNOWN_SLOT', `market '${marketId}' has no open slot`, {
      path: 'query.slotStartMs',
      hint: 'give slotStartMs to read the book a past slot left',
    });
  }
  return row.start_ms;
}
