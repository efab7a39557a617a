import { describe, expect, it } from 'vitest';
import { bidSummary, marginOf, representedMembers, telemetryByKind } from './portfolio';

describe('portfolio', () => {
  it('lists the participants that name the aggregator, not the aggregator itself', () => {
    const participants = [
      { id: 'agg', name: 'Aggregator', aggregatorId: null },
      { id: 'h1', name: 'Home 1', aggregatorId: 'agg' },
      { id: 'h2', name: 'Home 2', aggregatorId: 'other' },
    ];
    expect(representedMembers(participants, 'agg').map((p) => p.id)).toEqual(['h1']);
    expect(representedMembers(participants, undefined)).toEqual([]);
  });

  it('sums the latest telemetry by device kind', () => {
    const summary = telemetryByKind([
      { kind: 'battery', participantId: 'h1', sample: { powerKw: -2, socPct: 40, timeMs: 5 } },
      { kind: 'battery', participantId: 'h2', sample: { powerKw: 1, socPct: 60, timeMs: 9 } },
      { kind: 'ac', participantId: 'h1', sample: { powerKw: 3, timeMs: 7 } },
    ]);
    expect(summary).toEqual([
      { kind: 'ac', devices: 1, powerKw: 3, meanSocPct: undefined, latestMs: 7 },
      { kind: 'battery', devices: 2, powerKw: -1, meanSocPct: 50, latestMs: 9 },
    ]);
  });

  it('sums live bids, must-run steps at the cap apart from flexible ones', () => {
    const summary = bidSummary(
      [
        {
          participantId: 'h1',
          side: 'buy',
          status: 'live',
          steps: [
            { price: 1, quantity: 2 },
            { price: 0.1, quantity: 3 },
          ],
        },
        { participantId: 'h1', side: 'sell', status: 'live', steps: [{ price: 0, quantity: 4 }] },
        { participantId: 'h2', side: 'buy', status: 'cancelled', steps: [{ price: 0.1, quantity: 9 }] },
      ],
      1,
    );
    expect(summary).toEqual({ orders: 2, participants: 1, buyKw: 5, sellKw: 4, flexibleBuyKw: 3 });
  });

  it('charges the margin on every kWh members bought or sold', () => {
    const result = marginOf(
      [
        {
          durationMs: 300_000,
          rows: [
            { participantId: 'h1', filledKw: 12 },
            { participantId: 'x', filledKw: 50 },
          ],
        },
        { durationMs: 300_000, rows: [{ participantId: 'h1', filledKw: -6 }, { filledKw: 100 }] },
      ],
      new Set(['h1']),
      0.01,
    );
    expect(result.tradedKwh).toBeCloseTo(1.5);
    expect(result.margin).toBeCloseTo(0.015);
  });
});
