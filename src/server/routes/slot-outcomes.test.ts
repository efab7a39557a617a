/** The slot listing carries each cleared slot's public outcome, so a price history is one request. */
import { afterEach, expect, it } from 'vitest';
import {
  apiHarness,
  describeOnStores,
  MARKET_ID,
  SLOT_START_MS,
  storeExampleClearing,
  type ApiHarness,
} from '../api-test.fixture.js';

let h: ApiHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

describeOnStores('slot outcomes in the listing', (kind) => {
  it('are null until the slot clears, then the price, traded energy and mechanism, for every role', async () => {
    h = await apiHarness(kind);
    const url = `/api/markets/${MARKET_ID}/slots?fromMs=0`;
    const before = await h.call('regulator', { method: 'GET', url });
    expect(before.json()).toMatchObject([
      { startMs: SLOT_START_MS, pricePerKwh: null, tradedEnergyWh: null, mechanism: null },
    ]);
    await storeExampleClearing(h.store.store);
    for (const role of ['regulator', 'prosumer', 'market-operator'] as const) {
      const after = await h.call(role, { method: 'GET', url });
      expect(after.json(), role).toMatchObject([
        {
          startMs: SLOT_START_MS,
          pricePerKwh: 0.1,
          tradedEnergyWh: 250,
          mechanism: 'uniform-price-double-auction',
        },
      ]);
    }
  });
});
