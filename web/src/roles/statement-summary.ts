/**
 * A participant's bill from its ledger statement: what it paid for energy, what it earned selling,
 * the other charges and credits (distribution, imbalance, adjustments) and the net. Everything stays in
 * the ledger's integer minor units; the net is the closing minus the opening balance, so it equals the
 * statement's own figure exactly (the totals by kind sum to the lines).
 */
export interface StatementLineLike {
  readonly kind: string;
  readonly amountMinor: number;
}

export interface StatementLike {
  readonly openingBalanceMinor: number;
  readonly closingBalanceMinor: number;
  readonly lines: readonly StatementLineLike[];
}

export interface BillSummary {
  /** Paid for energy bought (trade debits, fees and margin included), positive. */
  readonly energyBoughtMinor: number;
  /** Earned from energy sold (trade credits), positive. */
  readonly energySoldMinor: number;
  /** Other debits (distribution charge, imbalance owed, adjustments), positive. */
  readonly chargesMinor: number;
  /** Other credits (imbalance paid out, adjustments), positive. */
  readonly creditsMinor: number;
  /** Credits minus debits over the period: negative means the participant owes. */
  readonly netMinor: number;
  readonly lines: number;
}

export function billSummary(statement: StatementLike): BillSummary {
  let energyBoughtMinor = 0;
  let energySoldMinor = 0;
  let chargesMinor = 0;
  let creditsMinor = 0;
  for (const line of statement.lines) {
    const amount = line.amountMinor;
    if (line.kind === 'trade') {
      if (amount < 0) energyBoughtMinor -= amount;
      else energySoldMinor += amount;
    } else if (amount < 0) chargesMinor -= amount;
    else creditsMinor += amount;
  }
  return {
    energyBoughtMinor,
    energySoldMinor,
    chargesMinor,
    creditsMinor,
    netMinor: statement.closingBalanceMinor - statement.openingBalanceMinor,
    lines: statement.lines.length,
  };
}
