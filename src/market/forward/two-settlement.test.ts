import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MS_PER_MINUTE } from '../../core/time.js';
import {
  EXAMPLE_MARKET,
  EXAMPLE_METERED_KWH,
  EXAMPLE_TENDERS,
  FIRST_QUARTER,
  HOUR_START_MS,
  INTERVAL,
} from './forward-example.fixture.js';
import { clearForwardMarket } from './forward-market.js';
import type { Tender, Transaction } from './tender.js';
import { settleTwoSettlement, type TwoSettlement } from './two-settlement.js';

function forward(tenders: readonly Tender[] = EXAMPLE_TENDERS): readonly Transaction[] {
  const result = clearForwardMarket(tenders, EXAMPLE_MARKET);
  if (!result.ok) throw result.error;
  return result.value.transactions;
}

function settle(
  metered: ReadonlyMap<string, number>,
  transactions = forward(),
  pricePerKwh = 0.25,
): TwoSettlement {
  const result = settleTwoSettlement(transactions, {
    slot: FIRST_QUARTER,
    pricePerKwh,
    realTimeKwhByParty: metered,
  });
  if (!result.ok) throw result.error;
  return result.value;
}

const line = (s: TwoSettlement, party: string) => s.lines.find((l) => l.party === party);

describe('two-settlement: the worked example (docs/designs/forward-tenders.md)', () => {
  const settlement = settle(EXAMPLE_METERED_KWH);

  it('settles each party: forward share at 0.20, deviation at 0.25, half-even cents', () => {
    const rows = settlement.lines.map((l) => [
      l.party,
      l.forwardEnergyKwh,
      l.forwardMinor,
      l.realTimeMinor,
      l.totalMinor,
    ]);
    expect(rows).toEqual([
      ['battery-k', -0.5, -10, -10, -20],
      ['home-a', 1, 20, 0, 20],
      // 0.10 kWh × 0.25 = 2.5 cents: half to even gives 2.
      ['home-b', 0.75, 15, 2, 17],
      // 0.30 kWh × 0.25 = 7.5 cents: half to even gives 8.
      ['solar-s', -1.25, -25, 8, -17],
    ]);
  });

  it('balances: buyers pay what sellers receive plus the operator residual (here 0)', () => {
    expect(settlement.buyersPayMinor).toBe(37);
    expect(settlement.sellersReceiveMinor).toBe(37);
    expect(settlement.operatorResidualMinor).toBe(0);
    expect(settlement.forwardResidualMinor).toBe(0);
    expect(settlement.realTimeResidualMinor).toBe(0);
    expect(settlement.netDeviationKwh).toBeCloseTo(0, 12);
  });

  it('charges a party that consumes exactly its position only the forward price', () => {
    const homeA = line(settlement, 'home-a');
    expect(homeA?.deviationKwh).toBe(0);
    expect(homeA?.realTimeMinor).toBe(0);
    expect(homeA?.totalMinor).toBe(homeA?.forwardMinor);
  });

  it('settles deviations at the real-time price both ways', () => {
    const less = settle(new Map([...EXAMPLE_METERED_KWH, ['home-a', 0.6]]));
    expect(line(less, 'home-a')?.realTimeMinor).toBe(-10); // 0.4 kWh not used is sold back at 0.25
    const more = settle(new Map([...EXAMPLE_METERED_KWH, ['home-a', 1.4]]));
    expect(line(more, 'home-a')?.realTimeMinor).toBe(10); // 0.4 kWh more is bought at 0.25
  });

  it('leaves the operator the net deviation at the real-time price when the parties do not balance', () => {
    // The battery delivers only its position: 0.4 kWh more comes from upstream, bought at 0.25.
    const short = settle(new Map([...EXAMPLE_METERED_KWH, ['battery-k', -0.5]]));
    expect(short.netDeviationKwh).toBeCloseTo(0.4, 12);
    expect([short.buyersPayMinor, short.sellersReceiveMinor, short.operatorResidualMinor]).toEqual([
      37, 27, 10,
    ]);
    expect(short.realTimeResidualMinor).toBe(10);
  });

  it('refuses a slot that crosses a forward interval boundary', () => {
    const crossing = {
      startMs: INTERVAL.endMs - 5 * MS_PER_MINUTE,
      endMs: INTERVAL.endMs + 5 * MS_PER_MINUTE,
    };
    const result = settleTwoSettlement(forward(), {
      slot: crossing,
      pricePerKwh: 0.25,
      realTimeKwhByParty: new Map(),
    });
    expect(!result.ok && result.error.code).toBe('TE_ERR_SLOT_MISALIGNED');
  });
});

describe('two-settlement invariants (random tenders and meters)', () => {
  const tender = fc.record({
    party: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5'),
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    powerKw: fc.integer({ min: 0, max: 200 }).map((q) => q / 10),
    pricePerKwh: fc.integer({ min: 0, max: 100 }).map((c) => c / 100),
  });
  const metered = fc.array(
    fc.integer({ min: -500, max: 500 }).map((w) => w / 100),
    { minLength: 6, maxLength: 6 },
  );
  const price = fc.integer({ min: -20, max: 100 }).map((c) => c / 100);

  it('balances, and the residual is the net deviation at the real-time price within rounding', () => {
    fc.assert(
      fc.property(fc.array(tender, { maxLength: 20 }), metered, price, (raw, kwh, realTimePrice) => {
        const tenders = raw.map((t, i) => ({
          ...t,
          tenderId: `t${i}`,
          interval: INTERVAL,
          expiresMs: HOUR_START_MS,
        }));
        const meters = new Map(kwh.map((k, i) => [`p${i}`, k]));
        const s = settle(meters, forward(tenders), realTimePrice);
        expect(s.buyersPayMinor).toBe(s.sellersReceiveMinor + s.operatorResidualMinor);
        expect(s.operatorResidualMinor).toBe(s.forwardResidualMinor + s.realTimeResidualMinor);
        for (const l of s.lines) expect(Number.isSafeInteger(l.totalMinor)).toBe(true);
        // Each party's amount is rounded once per part: at most half a cent off each.
        const roundingCents = 0.5 * s.lines.length + 1e-6;
        expect(Math.abs(s.forwardResidualMinor)).toBeLessThanOrEqual(roundingCents);
        expect(
          Math.abs(s.realTimeResidualMinor - s.netDeviationKwh * realTimePrice * 100),
        ).toBeLessThanOrEqual(roundingCents);
      }),
      { numRuns: 200 },
    );
  });
});
