/**
 * Exact summation of a few curves by merging their breakpoints — the reference the sampled fast path is
 * checked against, and the way to aggregate a handful of curves without the basis's resolution limit.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { quantityAt, type BidCurve, type CurvePoint } from './bid-curve.js';

/**
 * The sum of curves of one side and one interpolation, as a curve of the same kind: breakpoints are the
 * union of all the curves' prices and each is read at every breakpoint. Between breakpoints every curve
 * is linear (or constant, for steps, with the same "marginal order is in" rule), so the sum is exact.
 * Mixed sides or interpolations have no exact curve of this type: sum them on a basis instead.
 * O(B · n · log p) for B breakpoints; meant for small counts.
 */
export function sumCurvesExact(curves: readonly BidCurve[]): Result<BidCurve, TeError> {
  const first = curves[0];
  if (first === undefined) {
    return err(
      new TeError('TE_ERR_VALIDATION', 'there are no curves to sum', {
        path: 'curves',
        hint: 'give at least one curve',
      }),
    );
  }
  for (let i = 1; i < curves.length; i++) {
    const curve = curves[i] as BidCurve;
    if (curve.side !== first.side || curve.interpolation !== first.interpolation) {
      return err(
        new TeError(
          'TE_ERR_VALIDATION',
          `curve ${i} is ${curve.side}/${curve.interpolation} but curve 0 is ${first.side}/${first.interpolation}`,
          {
            path: `curves[${i}]`,
            hint: 'sum curves of one side and interpolation exactly, or sample mixed curves on a market basis',
          },
        ),
      );
    }
  }
  const prices = [...new Set(curves.flatMap((curve) => curve.points.map((point) => point.price)))].sort(
    (a, b) => a - b,
  );
  const points: CurvePoint[] = prices.map((price) => {
    let quantity = 0;
    for (const curve of curves) quantity += quantityAt(curve, price);
    return { price, quantity };
  });
  return ok({ side: first.side, interpolation: first.interpolation, points });
}
