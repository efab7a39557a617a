import { describe, expect, it } from 'vitest';
import { billSummary } from './statement-summary';

describe('billSummary', () => {
  it('splits trade debits and credits from other charges and credits, and nets to the balance change', () => {
    const summary = billSummary({
      openingBalanceMinor: 100,
      closingBalanceMinor: 100 - 250 + 80 - 40 + 5,
      lines: [
        { kind: 'trade', amountMinor: -250 },
        { kind: 'trade', amountMinor: 80 },
        { kind: 'distribution', amountMinor: -40 },
        { kind: 'imbalance', amountMinor: 5 },
      ],
    });
    expect(summary).toEqual({
      energyBoughtMinor: 250,
      energySoldMinor: 80,
      chargesMinor: 40,
      creditsMinor: 5,
      netMinor: -205,
      lines: 4,
    });
  });

  it('is all zero for an empty statement', () => {
    expect(billSummary({ openingBalanceMinor: -7, closingBalanceMinor: -7, lines: [] }).netMinor).toBe(0);
  });
});
