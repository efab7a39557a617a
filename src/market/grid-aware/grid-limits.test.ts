import { describe, expect, it } from 'vitest';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { orderTableFrom } from '../mechanism/order-table.js';
import { areaNetFlowsKw, checkGridLimits } from './grid-limits.js';

const tree = areaTree([
  { name: 'substation', parent: null, capacityKw: 100 },
  { name: 'lateral', parent: 'substation', capacityKw: 4 },
]);
const table = orderTableFrom([
  { side: 'sell', price: 0.1, quantity: 20, participant: 0, area: -1 }, // the supplier, upstream
  { side: 'buy', price: 0.3, quantity: 6, participant: 1, area: 1 },
  { side: 'sell', price: 0.0, quantity: 9, participant: 2, area: 0 },
  { side: 'buy', price: 0.2, quantity: 9, participant: 3, area: 0 },
]);
const context: ClearingContext = {
  slot: { startMs: 0, endMs: 300_000 },
  priceCap: 1,
  bidOffset: 0.0001,
  areas: tree,
  envelopes: {
    importKw: Float64Array.of(Infinity, 10, Infinity, 5),
    exportKw: Float64Array.of(Infinity, 0, 8, 0),
  },
};

describe('grid limits', () => {
  it('sums net flows over each subtree; rows outside the tree count nowhere', () => {
    const filled = Float64Array.of(6, 6, 9, 9);
    expect(Array.from(areaNetFlowsKw(table, tree, filled))).toEqual([6, 6]);
  });

  it('lists every limit broken, areas first, then participants', () => {
    const violations = checkGridLimits(table, context, { filled: Float64Array.of(6, 6, 9, 9) });
    expect(violations).toEqual([
      { kind: 'area', index: 1, direction: 'import', netKw: 6, limitKw: 4 },
      { kind: 'envelope', index: 2, direction: 'export', netKw: -9, limitKw: 8 },
      { kind: 'envelope', index: 3, direction: 'import', netKw: 9, limitKw: 5 },
    ]);
  });

  it('accepts a dispatch within the limits and a millionth of a kW past them', () => {
    const filled = Float64Array.of(4 + 1e-7, 4 + 1e-7, 0, 0);
    expect(checkGridLimits(table, context, { filled })).toEqual([]);
  });
});
