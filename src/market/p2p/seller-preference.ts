/**
 * How a P2P buyer ranks the sellers it can afford: nearest first (fewest areas crossed, so the same
 * area before the feeder before the substation), then, for a buyer that prefers green energy, green
 * sellers before the others, then the cheapest offer + grid fee, then the earliest submitted.
 */
export interface SellerCandidate {
  readonly row: number;
  /** Areas the trade would cross: 1 inside one area, 0 for everyone when the market has no areas. */
  readonly distance: number;
  /** 0 when the seller's colour is what the buyer wants (or the buyer does not care), else 1. */
  readonly colourRank: number;
  /** What the buyer's bid must cover: the offer plus the grid fee between them, per kWh. */
  readonly costPerKwh: number;
  readonly sequence: number;
}

/** True when `a` comes before `b` in the buyer's preference. */
export function preferred(a: SellerCandidate, b: SellerCandidate): boolean {
  if (a.distance !== b.distance) return a.distance < b.distance;
  if (a.colourRank !== b.colourRank) return a.colourRank < b.colourRank;
  if (a.costPerKwh !== b.costPerKwh) return a.costPerKwh < b.costPerKwh;
  if (a.sequence !== b.sequence) return a.sequence < b.sequence;
  return a.row < b.row;
}

/**
 * The trade price rule: the buyer's all-in price is the midpoint of its bid and the seller's offer +
 * fee, so the gain is split evenly and both stay within their limits; the seller receives that less
 * the fee. Returns the energy price per kWh the seller receives (the buyer pays it plus the fee).
 */
export function midpointEnergyPrice(bidPerKwh: number, offerPerKwh: number, feePerKwh: number): number {
  return (bidPerKwh + offerPerKwh + feePerKwh) / 2 - feePerKwh;
}
