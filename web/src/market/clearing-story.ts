/**
 * "What the market decided and why" in one sentence, from a cleared slot's curves: the clearing price
 * and quantity, how the price was set (clearing.type, docs/market-designs.md) and what was left out.
 */
import { formatPowerKw, formatPricePerKwh } from '../format';
import type { CurveStep, SlotCurves } from './contracts';

export interface StoryContext {
  readonly currency?: string;
  /** The substation's wholesale offer in force for the slot, when the market has a supplier. */
  readonly supplierPricePerKwh?: number;
}

/** Below this a leftover is rounding, not a story. */
const NEGLIGIBLE_KW = 0.05;

export function totalKw(steps: readonly CurveStep[]): number {
  return steps.reduce((sum, step) => sum + Math.max(0, step.quantityKw), 0);
}

export function clearingStory(curves: SlotCurves, context: StoryContext = {}): string {
  const currency = context.currency ?? 'USD';
  const price = (value: number | undefined) => formatPricePerKwh(value, currency);
  const { clearing } = curves;
  const traded = formatPowerKw(clearing.quantityKw);
  const demandKw = totalKw(curves.demand);
  const supplyKw = totalKw(curves.supply);
  const pricedOutKw = demandKw - clearing.quantityKw;
  const pricedOut =
    pricedOutKw > NEGLIGIBLE_KW ? `, ${formatPowerKw(pricedOutKw)} of flexible demand was priced out` : '';
  switch (clearing.type) {
    case 'no-orders':
      return 'Nothing traded: no orders were placed for this slot.';
    case 'no-supply':
      return `Nothing traded: ${formatPowerKw(demandKw)} was bid but no supply was offered.`;
    case 'no-demand':
      return `Nothing traded: ${formatPowerKw(supplyKw)} was offered but nobody bid to buy.`;
    case 'no-cross': {
      const highestBid = curves.demand[0]?.pricePerKwh;
      const cheapestOffer = curves.supply[0]?.pricePerKwh;
      return `Nothing traded: the highest bid (${price(highestBid)}) was below the cheapest offer (${price(cheapestOffer)}).`;
    }
    case 'price-cap':
      return `Cleared ${traded} at the price cap, ${price(clearing.pricePerKwh)}: demand at any price exceeded the supply offered below it${pricedOut}.`;
    case 'pay-as-bid':
      return `Traded ${traded}; each accepted order was paid its own price (pay-as-bid), ${price(clearing.pricePerKwh)} as the reference${pricedOut}.`;
    case 'bilateral':
      return `Traded ${traded} in bilateral peer-to-peer matches, ${price(clearing.pricePerKwh)} as the reference${pricedOut}.`;
    case 'continuous':
      return `Traded ${traded} continuously as bids met asks, ${price(clearing.pricePerKwh)} as the reference${pricedOut}.`;
    case 'crossing':
      return `Cleared ${traded} at ${price(clearing.pricePerKwh)}: ${whoSetThePrice(curves, context)}${pricedOut}.`;
    default:
      return `Cleared ${traded} at ${price(clearing.pricePerKwh)} (${clearing.type})${pricedOut}.`;
  }
}

function whoSetThePrice(curves: SlotCurves, context: StoryContext): string {
  const { marginal } = curves;
  if (marginal === undefined) return 'the price was set where the supply and demand curves cross';
  if (marginal.side === 'demand') return 'the price was set by the marginal demand step (a flexible bid)';
  const supplier = context.supplierPricePerKwh;
  const isSupplier =
    supplier !== undefined &&
    Math.abs(supplier - marginal.pricePerKwh) <= 1e-9 * Math.max(1, Math.abs(supplier));
  return isSupplier
    ? "the price was set by the marginal supply step (the substation's wholesale offer)"
    : 'the price was set by the marginal supply step (an offer from the community)';
}
