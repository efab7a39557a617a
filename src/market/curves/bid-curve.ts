/**
 * A participant's bid curve, PowerMatcher style: how much it wants to consume (demand) or produce (supply)
 * at each price. Points are (price in currency/kWh, quantity in kW averaged over the slot), in strictly
 * increasing price; quantities are positive on both sides, the side says the direction.
 *
 * Between points a 'linear' curve is a straight line. A 'step' curve reads its points as orders: a demand
 * point is "this much at up to this price", a supply point "this much at this price or more" — so between
 * two points a step curve holds the smaller of their quantities, and at a point's price exactly the point's
 * own quantity (the marginal order is in). Outside its points every curve stays flat at the nearest point.
 */
import { TeError } from '../../core/errors.js';

export type CurveSide = 'demand' | 'supply';
export type CurveInterpolation = 'linear' | 'step';

export interface CurvePoint {
  /** currency/kWh */
  readonly price: number;
  /** kW, ≥ 0 */
  readonly quantity: number;
}

export interface BidCurve {
  readonly side: CurveSide;
  readonly interpolation: CurveInterpolation;
  readonly points: readonly CurvePoint[];
}

/**
 * The curve's quantity (kW, ≥ 0) at `price`. Binary search, so long curves stay cheap; aggregation does
 * not call it per basis price (see BasisAccumulator).
 */
export function quantityAt(curve: BidCurve, price: number): number {
  const points = curve.points;
  const last = points.length - 1;
  const first = points[0];
  const final = points[last];
  if (first === undefined || final === undefined) return 0;
  if (price <= first.price) return first.quantity;
  if (price >= final.price) return final.quantity;
  // Largest i with points[i].price <= price; then price < points[i + 1].price.
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((points[middle] as CurvePoint).price <= price) low = middle;
    else high = middle;
  }
  const left = points[low] as CurvePoint;
  const right = points[high] as CurvePoint;
  if (price === left.price) return left.quantity;
  if (curve.interpolation === 'step') return Math.min(left.quantity, right.quantity);
  const share = (price - left.price) / (right.price - left.price);
  return left.quantity + share * (right.quantity - left.quantity);
}

/** Net demand (kW, load reference): the quantity for demand, minus it for supply. */
export function netDemandAt(curve: BidCurve, price: number): number {
  const quantity = quantityAt(curve, price);
  return curve.side === 'demand' ? quantity : -quantity;
}

/**
 * Checks a curve: at least one point, finite numbers, prices within [−cap, cap] and strictly increasing,
 * quantities ≥ 0, demand non-increasing and supply non-decreasing in price. `where` prefixes error paths.
 */
export function validateBidCurve(curve: BidCurve, priceCap: number, where = ''): TeError | undefined {
  const at = (i: number, field: 'price' | 'quantity') => `${where}points[${i}].${field}`;
  if (curve.side !== 'demand' && curve.side !== 'supply') {
    return new TeError('TE_ERR_VALIDATION', `side is ${String(curve.side)}`, {
      path: `${where}side`,
      hint: "give 'demand' (consumption) or 'supply' (production)",
    });
  }
  if (curve.interpolation !== 'linear' && curve.interpolation !== 'step') {
    return new TeError('TE_ERR_VALIDATION', `interpolation is ${String(curve.interpolation)}`, {
      path: `${where}interpolation`,
      hint: "give 'linear' (straight lines between points) or 'step' (each point is an order)",
    });
  }
  if (curve.points.length === 0) {
    return new TeError('TE_ERR_VALIDATION', 'the curve has no points', {
      path: `${where}points`,
      hint: 'give at least one (price, quantity) point; a flat curve needs just one',
    });
  }
  let previous: CurvePoint | undefined;
  for (let i = 0; i < curve.points.length; i++) {
    const point = curve.points[i] as CurvePoint;
    if (!Number.isFinite(point.price)) {
      return new TeError('TE_ERR_NOT_FINITE', `the price is ${String(point.price)}`, {
        path: at(i, 'price'),
        hint: `give a finite price; a must-run point sits at the price cap ±${priceCap}`,
      });
    }
    if (!Number.isFinite(point.quantity)) {
      return new TeError('TE_ERR_NOT_FINITE', `the quantity is ${String(point.quantity)}`, {
        path: at(i, 'quantity'),
        hint: 'give a finite quantity in kW, ≥ 0',
      });
    }
    if (point.price < -priceCap || point.price > priceCap) {
      return new TeError('TE_ERR_PRICE_OUT_OF_RANGE', `the price ${point.price} is outside ±${priceCap}`, {
        path: at(i, 'price'),
        hint: `keep prices within [${-priceCap}, ${priceCap}], the market's price cap`,
      });
    }
    if (point.quantity < 0) {
      return new TeError('TE_ERR_NEGATIVE_QUANTITY', `the quantity is ${point.quantity}`, {
        path: at(i, 'quantity'),
        hint: "quantities are ≥ 0 on both sides; the curve's side says the direction",
      });
    }
    if (previous !== undefined) {
      if (point.price <= previous.price) {
        return new TeError(
          'TE_ERR_VALIDATION',
          `the price ${point.price} does not rise above the previous point's ${previous.price}`,
          {
            path: at(i, 'price'),
            hint: 'list points in strictly increasing price; use a step curve for jumps',
          },
        );
      }
      const rises = point.quantity > previous.quantity;
      const falls = point.quantity < previous.quantity;
      if ((curve.side === 'demand' && rises) || (curve.side === 'supply' && falls)) {
        return new TeError(
          'TE_ERR_VALIDATION',
          `the ${curve.side} quantity ${rises ? 'rises' : 'falls'} from ${previous.quantity} to ${point.quantity} kW as the price rises`,
          {
            path: at(i, 'quantity'),
            hint:
              curve.side === 'demand'
                ? 'demand must not increase with price: buy less (or the same) when energy is dearer'
                : 'supply must not decrease with price: offer more (or the same) when energy is dearer',
          },
        );
      }
    }
    previous = point;
  }
  return undefined;
}
