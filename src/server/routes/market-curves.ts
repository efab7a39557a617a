/**
 * A cleared slot's aggregated supply and demand curves with the clearing point, the marginal step and
 * how the price was set (live/slot-curves.ts). Public after gate closure only: an open slot's book is
 * private, so it is 409 TE_ERR_SLOT_NOT_CLEARED. No participant or order id leaves this route.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import type { StoredFills } from '../../live/clearing-fills.js';
import { DEFAULT_MARKET_RULES, type MarketRules } from '../../live/market-rules.js';
import { slotCurves } from '../../live/slot-curves.js';
import { slotBookSteps } from '../../live/slot-steps.js';
import { getClearingResult } from '../../store/clearing-result-repository.js';
import { getMarket } from '../../store/market-repository.js';
import { getSlot } from '../../store/registry-repository.js';
import { requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { notFound, problemResponses } from '../problem.js';
import { readSlotBookOrders } from '../queries/slot-book-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { asResponse, BEARER, EpochMsSchema, IdSchema } from '../schemas.js';

/** Steps per side by default; a larger book is drawn in price bands (see slot-curves.ts). */
export const DEFAULT_CURVE_STEPS = 1000;
export const MAX_CURVE_STEPS = 5000;
/**
 * Curves kept per server: a cleared slot's book no longer changes (orders are refused after the gate),
 * so a dashboard paging through slots reads each from the store once. An entry is used only while the
 * slot's clearing time and the market's rules are those it was built from.
 */
const CACHED_CURVES = 64;

const StepSchema = Type.Object(
  { pricePerKwh: Type.Number(), quantityKw: Type.Number() },
  { additionalProperties: false },
);

const CurvesSchema = Type.Object(
  {
    slotStartMs: Type.Integer(),
    mechanism: Type.String(),
    status: Type.String({ description: "the mechanism's own clearing status, as the stored result has it" }),
    priceCapPerKwh: Type.Number(),
    supply: Type.Array(StepSchema, { description: 'ascending price; each step its own quantity' }),
    demand: Type.Array(StepSchema, { description: 'descending price; each step its own quantity' }),
    supplyLevels: Type.Integer({ description: 'distinct supply prices before any banding' }),
    demandLevels: Type.Integer({ description: 'distinct demand prices before any banding' }),
    priceBandPerKwh: Type.Optional(
      Type.Number({ description: 'set when a side had more prices than maxSteps and was drawn in bands' }),
    ),
    clearing: Type.Object(
      {
        pricePerKwh: Type.Number(),
        quantityKw: Type.Number({ description: 'total bought = total sold' }),
        type: Type.String({ description: 'how the price was set: see docs/market-designs.md' }),
      },
      { additionalProperties: false },
    ),
    marginal: Type.Optional(
      Type.Object(
        {
          side: Type.Union([Type.Literal('supply'), Type.Literal('demand')]),
          pricePerKwh: Type.Number(),
          quantityKw: Type.Number(),
          acceptedKw: Type.Number(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function registerMarketCurveRoutes(app: TypedApp, ctx: RouteContext): void {
  const cache = new Map<
    string,
    { clearedAtMs: number; rulesText: string; body: Static<typeof CurvesSchema> }
  >();
  app.get(
    '/api/markets/:marketId/slots/:slotStartMs/curves',
    {
      schema: {
        operationId: 'getSlotCurves',
        summary: 'A cleared slot’s aggregated supply and demand curves, clearing point and marginal step',
        tags: ['markets'],
        security: BEARER,
        params: Type.Object(
          { marketId: IdSchema, slotStartMs: EpochMsSchema },
          { additionalProperties: false },
        ),
        querystring: Type.Object(
          { maxSteps: Type.Optional(Type.Integer({ minimum: 10, maximum: MAX_CURVE_STEPS })) },
          { additionalProperties: false },
        ),
        response: { 200: CurvesSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'market-curves:read');
      const { marketId, slotStartMs } = request.params;
      const market = await getMarket<MarketRules>(ctx.db, marketId);
      if (market === undefined) throw notFound(`no market '${marketId}'`, 'params.marketId');
      const slot = await getSlot(ctx.db, marketId, slotStartMs);
      if (slot === undefined) {
        throw new TeError(
          'TE_ERR_UNKNOWN_SLOT',
          `market '${marketId}' has no slot starting at ${slotStartMs}`,
          {
            path: 'params.slotStartMs',
            hint: 'GET /api/markets/{marketId}/slots lists the slots; slot starts are epoch milliseconds',
          },
        );
      }
      // The slot turns `cleared` in the transaction that stores its result, so its clearing time is the result's.
      if (slot.status !== 'cleared' || slot.clearedAtMs === null) {
        throw notCleared(marketId, slotStartMs, slot.status, slot.gateClosureMs);
      }
      const rules = market.rules ?? DEFAULT_MARKET_RULES;
      const maxSteps = request.query.maxSteps ?? DEFAULT_CURVE_STEPS;
      const key = `${marketId} ${slotStartMs} ${maxSteps}`;
      const rulesText = JSON.stringify(rules);
      const cached = cache.get(key);
      if (cached?.clearedAtMs === slot.clearedAtMs && cached.rulesText === rulesText) return cached.body;
      const result = await getClearingResult(ctx.db, marketId, slotStartMs);
      if (result === undefined) throw notCleared(marketId, slotStartMs, slot.status, slot.gateClosureMs);
      const orders = await readSlotBookOrders(ctx.db, marketId, slotStartMs);
      const curves = slotCurves(
        slotBookSteps(slotStartMs, rules, orders),
        rules.priceCapPerKwh,
        {
          mechanism: result.mechanism,
          price: result.price,
          status: result.status,
          tradedKw: boughtKw(result.fills),
        },
        maxSteps,
      );
      const body = asResponse({
        slotStartMs,
        mechanism: result.mechanism,
        status: result.status,
        priceCapPerKwh: rules.priceCapPerKwh,
        ...curves,
      });
      cache.delete(key);
      cache.set(key, { clearedAtMs: result.clearedAtMs, rulesText, body });
      if (cache.size > CACHED_CURVES) cache.delete(cache.keys().next().value as string);
      return body;
    },
  );
}

/** Total bought: the stored buy fills summed (supplier and participants alike). */
function boughtKw(fills: unknown): number {
  const rows = (fills as Partial<StoredFills> | null)?.rows;
  if (!Array.isArray(rows)) return 0;
  let total = 0;
  for (const row of rows) if (row.side === 'buy' && row.filledKw > 0) total += row.filledKw;
  return total;
}

function notCleared(marketId: string, slotStartMs: number, status: string, gateClosureMs: number): TeError {
  return new TeError(
    'TE_ERR_SLOT_NOT_CLEARED',
    `slot ${slotStartMs} of market '${marketId}' is ${status}, not cleared yet`,
    {
      path: 'params.slotStartMs',
      hint:
        status === 'open'
          ? `its book is private until gate closure at ${new Date(gateClosureMs).toISOString()}; ask again after it clears`
          : 'the market operator is clearing it; ask again in a few seconds',
    },
  );
}
