/**
 * What the API checks before an order write reaches the store: the market exists and has rules, prices
 * lie within its cap, and the slot is open with its gate ahead. The store checks the slot's status once
 * more inside the write, so a slot closed in between still refuses (TE_ERR_ORDER_LATE).
 *
 * Both reads are cached, since every order made them. A market (with its rules) is kept for
 * MARKET_TTL_MS of real time and dropped at once when this process changes its rules, so a change made
 * through another instance on the same database reaches this one's order checks within that time. An
 * open slot's row is kept while its gate is ahead: its gate closure time never changes, and whether it
 * is still open is re-checked by the store inside the write. Only markets with rules and open slots are
 * cached; refusals always read the store.
 */
import { TeError } from '../../core/errors.js';
import type { MarketRules } from '../../live/market-rules.js';
import type { PriceQuantity } from '../../market/types.js';
import { getMarket, type MarketWithRules } from '../../store/market-repository.js';
import { getSlot, type Slot } from '../../store/registry-repository.js';
import { notFound } from '../problem.js';
import type { RouteContext } from '../route-context.js';

export const MARKET_TTL_MS = 1_000;
const MAX_CACHED_SLOTS = 4_096;

interface GateCache {
  readonly markets: Map<string, { readonly market: MarketWithRules<MarketRules>; readonly untilMs: number }>;
  readonly openSlots: Map<string, Slot>;
}

const caches = new WeakMap<RouteContext, GateCache>();

function cacheOf(ctx: RouteContext): GateCache {
  let cache = caches.get(ctx);
  if (cache === undefined) {
    cache = { markets: new Map(), openSlots: new Map() };
    caches.set(ctx, cache);
  }
  return cache;
}

/** Call after changing a market's rules, so this process's next order sees them. */
export function forgetMarket(ctx: RouteContext, marketId: string): void {
  cacheOf(ctx).markets.delete(marketId);
}

async function marketOf(ctx: RouteContext, marketId: string) {
  const { markets } = cacheOf(ctx);
  const nowMs = performance.now();
  const cached = markets.get(marketId);
  if (cached !== undefined && nowMs < cached.untilMs) return cached.market;
  const market = await getMarket<MarketRules>(ctx.db, marketId);
  if (market === undefined || market.rules === null) markets.delete(marketId);
  else markets.set(marketId, { market, untilMs: nowMs + MARKET_TTL_MS });
  return market;
}

async function slotOf(ctx: RouteContext, marketId: string, slotStartMs: number, nowMs: number) {
  const { openSlots } = cacheOf(ctx);
  const key = `${slotStartMs}/${marketId}`;
  const cached = openSlots.get(key);
  if (cached !== undefined) {
    if (nowMs < cached.gateClosureMs) return cached;
    openSlots.delete(key);
  }
  const slot = await getSlot(ctx.db, marketId, slotStartMs);
  if (slot?.status === 'open' && nowMs < slot.gateClosureMs) {
    if (openSlots.size >= MAX_CACHED_SLOTS) openSlots.clear();
    openSlots.set(key, slot);
  }
  return slot;
}

export async function checkOrderGate(
  ctx: RouteContext,
  order: {
    readonly marketId: string;
    readonly slotStartMs: number;
    readonly steps?: readonly PriceQuantity[];
  },
): Promise<MarketRules> {
  const market = await marketOf(ctx, order.marketId);
  if (market === undefined) throw notFound(`no market '${order.marketId}'`, 'marketId');
  const rules = market.rules;
  if (rules === null) {
    throw new TeError('TE_ERR_SLOT_NOT_OPEN', `market '${order.marketId}' has no rules yet`, {
      path: 'marketId',
      hint: 'the market operator sets the rules (PUT /api/markets/{marketId}/rules) before orders are taken',
    });
  }
  const priceProblems = (order.steps ?? []).flatMap((step, k) =>
    Math.abs(step.price) > rules.priceCapPerKwh
      ? [
          new TeError(
            'TE_ERR_PRICE_OUT_OF_RANGE',
            `price ${step.price} is outside [-${rules.priceCapPerKwh}, ${rules.priceCapPerKwh}]`,
            {
              path: `steps[${k}].price`,
              hint: `keep prices within the market's cap of ${rules.priceCapPerKwh} per kWh`,
            },
          ),
        ]
      : [],
  );
  const [firstPriceProblem] = priceProblems;
  if (firstPriceProblem !== undefined) throw firstPriceProblem;
  const nowMs = ctx.clock.nowMs();
  const slot = await slotOf(ctx, order.marketId, order.slotStartMs, nowMs);
  if (slot === undefined) {
    const horizonEndMs = nowMs + rules.orderHorizonSlots * rules.slotDurationMs;
    if (order.slotStartMs > horizonEndMs) {
      throw new TeError('TE_ERR_SLOT_NOT_OPEN', `slot ${order.slotStartMs} is beyond the order horizon`, {
        path: 'slotStartMs',
        hint: `orders open ${rules.orderHorizonSlots} slot(s) ahead; list open slots with GET /api/markets/${order.marketId}/slots`,
      });
    }
    throw new TeError(
      'TE_ERR_UNKNOWN_SLOT',
      `market '${order.marketId}' has no slot starting at ${order.slotStartMs}`,
      {
        path: 'slotStartMs',
        hint: `use a slot start listed by GET /api/markets/${order.marketId}/slots (epoch ms)`,
      },
    );
  }
  if (slot.status !== 'open' || nowMs >= slot.gateClosureMs) {
    throw new TeError(
      'TE_ERR_ORDER_LATE',
      `slot ${order.slotStartMs} closed for orders at ${slot.gateClosureMs}`,
      {
        path: 'slotStartMs',
        hint: 'send orders for a later slot',
      },
    );
  }
  return rules;
}
