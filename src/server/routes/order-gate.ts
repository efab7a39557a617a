/**
 * What the API checks before an order write reaches the store: the market exists and has rules, prices
 * lie within its cap, and the slot is open with its gate ahead. The store checks the slot's status once
 * more inside the write, so a slot closed in between still refuses (TE_ERR_ORDER_LATE).
 */
import { TeError } from '../../core/errors.js';
import type { MarketRules } from '../../live/market-rules.js';
import type { PriceQuantity } from '../../market/types.js';
import { getMarket } from '../../store/market-repository.js';
import { getSlot } from '../../store/registry-repository.js';
import { notFound } from '../problem.js';
import type { RouteContext } from '../route-context.js';

export async function checkOrderGate(
  ctx: RouteContext,
  order: {
    readonly marketId: string;
    readonly slotStartMs: number;
    readonly steps?: readonly PriceQuantity[];
  },
): Promise<MarketRules> {
  const market = await getMarket<MarketRules>(ctx.db, order.marketId);
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
  const slot = await getSlot(ctx.db, order.marketId, order.slotStartMs);
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
