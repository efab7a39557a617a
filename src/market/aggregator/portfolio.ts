/**
 * Who an aggregator (virtual power plant) bids for, and what it keeps for doing so. The margin is per kWh
 * on every member kWh it trades, both ways: members buying pay the market price plus the margin, members
 * selling receive the market price minus it.
 */
import { TeError } from '../../core/errors.js';

export interface Portfolio {
  /** Participant indices (into the order table's participant column), or a test on the index. */
  readonly members: readonly number[] | ((participant: number) => boolean);
  /** The participant index the aggregator bids under in the inner market. */
  readonly aggregatorParticipant: number;
  /** Currency per kWh (the market's price unit) the aggregator keeps on each member kWh traded. */
  readonly marginPerKwh: number;
}

/** A fast membership test, built once per portfolio. */
export function membershipTest(portfolio: Portfolio): (participant: number) => boolean {
  const { members } = portfolio;
  if (typeof members === 'function') return members;
  const set = new Set(members);
  return (participant) => set.has(participant);
}

/** Checks a portfolio definition: a whole-number aggregator index and a finite margin ≥ 0. */
export function validatePortfolio(portfolio: Portfolio): TeError | undefined {
  if (!Number.isSafeInteger(portfolio.aggregatorParticipant)) {
    return new TeError(
      'TE_ERR_VALIDATION',
      `aggregatorParticipant is ${String(portfolio.aggregatorParticipant)}, but it must be a whole number`,
      {
        path: 'portfolio.aggregatorParticipant',
        hint: 'give the participant index the aggregator bids under',
      },
    );
  }
  if (!Number.isFinite(portfolio.marginPerKwh)) {
    return new TeError('TE_ERR_NOT_FINITE', `marginPerKwh is ${String(portfolio.marginPerKwh)}`, {
      path: 'portfolio.marginPerKwh',
      hint: 'give the margin per kWh in the market currency, such as 0.005',
    });
  }
  if (portfolio.marginPerKwh < 0) {
    return new TeError(
      'TE_ERR_VALIDATION',
      `marginPerKwh is ${portfolio.marginPerKwh}, but it must be >= 0`,
      {
        path: 'portfolio.marginPerKwh',
        hint: 'the margin is what the aggregator keeps; a subsidy to members is not modelled',
      },
    );
  }
  if (Array.isArray(portfolio.members)) {
    const bad = portfolio.members.findIndex((m) => !Number.isSafeInteger(m));
    if (bad >= 0) {
      return new TeError('TE_ERR_VALIDATION', `members[${bad}] is not a participant index`, {
        path: `portfolio.members[${bad}]`,
        hint: 'list participant indices (whole numbers) or give a test function',
      });
    }
  }
  return undefined;
}
