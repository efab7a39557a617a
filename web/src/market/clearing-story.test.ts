import { describe, expect, it } from 'vitest';
import { clearingStory, totalKw } from './clearing-story';
import type { SlotCurves } from './contracts';

const base: SlotCurves = {
  slotStartMs: 0,
  mechanism: 'uniform-price-double-auction',
  status: 'ok',
  supply: [
    { pricePerKwh: 0.05, quantityKw: 100 },
    { pricePerKwh: 0.087, quantityKw: 500 },
  ],
  demand: [
    { pricePerKwh: 1, quantityKw: 389 },
    { pricePerKwh: 0.06, quantityKw: 23 },
    { pricePerKwh: 0.04, quantityKw: 23 },
  ],
  clearing: { pricePerKwh: 0.087, quantityKw: 412, type: 'crossing' },
  marginal: { side: 'supply', pricePerKwh: 0.087, quantityKw: 500 },
};

describe('what the market decided and why', () => {
  it('names the substation as the marginal supply when its offer set the price', () => {
    expect(clearingStory(base, { supplierPricePerKwh: 0.087 })).toBe(
      "Cleared 412.0 kW at 0.0870 USD/kWh: the price was set by the marginal supply step (the substation's wholesale offer), 23.0 kW of flexible demand was priced out.",
    );
  });

  it('names a community offer or a demand bid otherwise', () => {
    expect(clearingStory(base, { supplierPricePerKwh: 0.1 })).toContain('(an offer from the community)');
    expect(
      clearingStory({ ...base, marginal: { side: 'demand', pricePerKwh: 0.06, quantityKw: 23 } }),
    ).toContain('marginal demand step');
    expect(clearingStory({ ...base, marginal: undefined })).toContain(
      'where the supply and demand curves cross',
    );
  });

  it('says why nothing traded', () => {
    const none = { ...base, clearing: { pricePerKwh: 0, quantityKw: 0, type: 'no-cross' } };
    expect(clearingStory(none)).toBe(
      'Nothing traded: the highest bid (1.0000 USD/kWh) was below the cheapest offer (0.0500 USD/kWh).',
    );
    expect(clearingStory({ ...none, clearing: { ...none.clearing, type: 'no-orders' } })).toMatch(
      /no orders/,
    );
    expect(clearingStory({ ...none, clearing: { ...none.clearing, type: 'no-supply' } })).toMatch(
      /435.0 kW was bid but no supply/,
    );
    expect(clearingStory({ ...none, clearing: { ...none.clearing, type: 'no-demand' } })).toMatch(
      /nobody bid/,
    );
  });

  it('describes the price cap, discriminatory designs and unknown types', () => {
    const cap = { ...base, clearing: { pricePerKwh: 1, quantityKw: 600, type: 'price-cap' } };
    expect(clearingStory(cap)).toMatch(/^Cleared 600.0 kW at the price cap, 1.0000 USD\/kWh/);
    expect(clearingStory({ ...base, clearing: { ...base.clearing, type: 'pay-as-bid' } })).toMatch(
      /pay-as-bid/,
    );
    expect(clearingStory({ ...base, clearing: { ...base.clearing, type: 'bilateral' } })).toMatch(
      /peer-to-peer/,
    );
    expect(clearingStory({ ...base, clearing: { ...base.clearing, type: 'continuous' } })).toMatch(
      /continuously/,
    );
    expect(clearingStory({ ...base, clearing: { ...base.clearing, type: 'midpoint' } })).toMatch(
      /\(midpoint\)/,
    );
  });

  it('sums step quantities, ignoring negative ones', () => {
    expect(
      totalKw([
        { pricePerKwh: 1, quantityKw: 2 },
        { pricePerKwh: 1, quantityKw: -1 },
      ]),
    ).toBe(2);
  });
});
