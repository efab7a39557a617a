/**
 * Aggregation up the tree (device → home → aggregator → feeder → substation) and disaggregation down it.
 * An aggregate keeps its children (curves or aggregates) and the sum of their demand arrays; to hand a
 * cleared price back down, each child is read at that price from its own curve as sampled on the basis —
 * PowerMatcher's "price goes down the tree" — so the children's quantities add up to the parent's.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { quantityAt, type BidCurve } from './bid-curve.js';
import { BasisAccumulator } from './basis-accumulator.js';
import { basisPrice, basisResolution, demandAtPrice, type MarketBasis } from './market-basis.js';

export interface CurveAggregate {
  readonly basis: MarketBasis;
  /** Sum of the children's demand arrays (kW per basis step, + consumption, − production). */
  readonly demandKw: Float64Array;
  readonly children: readonly AggregateChild[];
}

export type AggregateChild = BidCurve | CurveAggregate;

export function isAggregate(child: AggregateChild): child is CurveAggregate {
  return 'children' in child;
}

function sameBasis(a: MarketBasis, b: MarketBasis): boolean {
  return a.minPrice === b.minPrice && a.maxPrice === b.maxPrice && a.steps === b.steps;
}

/**
 * Sums the children on the basis: curves through a BasisAccumulator (O(points) each, no array per
 * child), aggregates by adding their arrays. Children must be valid curves (`validateBidCurve`) or aggregates on the same
 * basis.
 */
export function aggregateCurves(
  children: readonly AggregateChild[],
  basis: MarketBasis,
): Result<CurveAggregate, TeError> {
  const demandKw = new Float64Array(basis.steps);
  const curves = new BasisAccumulator(basis);
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as AggregateChild;
    if (!isAggregate(child)) {
      curves.add(child);
      continue;
    }
    if (!sameBasis(child.basis, basis)) {
      return err(
        new TeError('TE_ERR_VALIDATION', 'the child aggregate was built on a different market basis', {
          path: `children[${i}]`,
          hint: 'aggregate every level of the tree on one market basis (same price range and steps)',
        }),
      );
    }
    for (let k = 0; k < basis.steps; k++)
      demandKw[k] = (demandKw[k] as number) + (child.demandKw[k] as number);
  }
  curves.addTo(demandKw);
  return ok({ basis, demandKw, children });
}

/** Plain sum of demand arrays of one length: the fast path when the caller already holds the arrays. */
export function sumDemandArrays(arrays: readonly Float64Array[], steps: number): Float64Array {
  const sum = new Float64Array(steps);
  for (const array of arrays)
    for (let k = 0; k < steps; k++) sum[k] = (sum[k] as number) + (array[k] as number);
  return sum;
}

/**
 * A child's net demand (kW) at `price` as the aggregate sees it: its demand array interpolated between the
 * two basis steps around the price. For a curve only those two samples are computed.
 */
export function childDemandAt(child: AggregateChild, basis: MarketBasis, price: number): number {
  if (isAggregate(child)) return demandAtPrice(child.demandKw, basis, price);
  const sign = child.side === 'demand' ? 1 : -1;
  const last = basis.steps - 1;
  if (price <= basis.minPrice) return sign * quantityAt(child, basis.minPrice);
  if (price >= basis.maxPrice) return sign * quantityAt(child, basis.maxPrice);
  const position = (price - basis.minPrice) / basisResolution(basis);
  const k = Math.min(Math.floor(position), last - 1);
  const share = position - k;
  const low = quantityAt(child, basisPrice(basis, k));
  if (share === 0) return sign * low;
  const high = quantityAt(child, basisPrice(basis, k + 1));
  return sign * (low + share * (high - low));
}

/** Each direct child's net demand at the cleared price (kW); they sum to the aggregate's value there. */
export function disaggregate(aggregate: CurveAggregate, price: number): Float64Array {
  return Float64Array.from(aggregate.children, (child) => childDemandAt(child, aggregate.basis, price));
}

/** The leaf curves under an aggregate, depth first, with each one's net demand at the price (kW). */
export function leafDemandsAt(
  aggregate: CurveAggregate,
  price: number,
): { readonly leaves: BidCurve[]; readonly demandKw: Float64Array } {
  const leaves: BidCurve[] = [];
  const stack: AggregateChild[] = [aggregate];
  while (stack.length > 0) {
    const node = stack.pop() as AggregateChild;
    if (!isAggregate(node)) leaves.push(node);
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AggregateChild);
  }
  const demandKw = Float64Array.from(leaves, (leaf) => childDemandAt(leaf, aggregate.basis, price));
  return { leaves, demandKw };
}
