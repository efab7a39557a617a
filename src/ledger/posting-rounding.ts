/**
 * The rounding rule of settlement: each posting is computed in integer micro-units (core/money.ts), so the
 * micro-unit postings of an entry sum to exactly zero; each is rounded once to minor units, half to even;
 * what rounding leaves over goes to `market:rounding` so the entry balances exactly. Each rounding moves a
 * posting by at most half a minor unit, so the residual is at most ⌊n/2⌋ minor units for n postings.
 */
import { MICRO_UNITS_PER_MAJOR, toMinorUnits, type Currency, type MicroUnits } from '../core/money.js';
import { accounts, type AccountName, type Posting } from './journal-entry.js';

export interface MicroPosting {
  readonly account: AccountName;
  readonly amountMicro: MicroUnits;
}

const WATT_HOURS: Currency = { code: 'Wh', minorUnitsPerMajor: 1000 };

/** kWh as integer watt-hours, half to even (the energy unit of the ledger's metadata). */
export function kwhToWh(energyKwh: number): number {
  return toMinorUnits(energyKwh, WATT_HOURS);
}

/**
 * Micro-units to minor units, half to even: the rule of core/money.ts `minorUnitsFromMicro`, done in
 * integer arithmetic so it stays exact for any safe integer (the float path snaps ties at 1e-9, which
 * loses precision above ~10^7 major units).
 */
export function microToMinorHalfEven(amountMicro: MicroUnits, currency: Currency): number {
  const microPerMinor = MICRO_UNITS_PER_MAJOR / currency.minorUnitsPerMajor;
  const quotient = Math.floor(amountMicro / microPerMinor);
  const twiceRemainder = 2 * (amountMicro - quotient * microPerMinor);
  let rounded = quotient;
  if (twiceRemainder > microPerMinor) rounded += 1;
  else if (twiceRemainder === microPerMinor && quotient % 2 !== 0) rounded += 1;
  return rounded === 0 ? 0 : rounded;
}

/**
 * Postings in minor units from micro-unit postings that sum to zero. A posting that rounds to zero is
 * kept: the entry still shows every account it touched, and the residual bound ⌊n/2⌋ holds over the
 * postings one can see.
 */
export function roundPostings(micro: readonly MicroPosting[], currency: Currency): Posting[] {
  // Merge repeated accounts first so one account gets one posting, rounded once.
  const byAccount = new Map<AccountName, number>();
  for (const p of micro) byAccount.set(p.account, (byAccount.get(p.account) ?? 0) + p.amountMicro);
  const postings: Posting[] = [];
  let sumMinor = 0;
  for (const [account, amountMicro] of byAccount) {
    const amountMinor = microToMinorHalfEven(amountMicro, currency);
    postings.push({ account, amountMinor, currency: currency.code });
    sumMinor += amountMinor;
  }
  if (sumMinor !== 0) {
    postings.push({ account: accounts.marketRounding, amountMinor: -sumMinor, currency: currency.code });
  }
  return postings;
}
