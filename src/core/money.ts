/**
 * Money in the ledger is an integer count of minor units (cents for USD). Market prices may be floats; the
 * conversion to minor units happens once, here, with an explicit rounding rule: round half to even
 * (banker's rounding), which does not bias sums of many small amounts.
 */
export type MinorUnits = number;

export interface Currency {
  readonly code: string;
  readonly minorUnitsPerMajor: number;
}

export const USD: Currency = { code: 'USD', minorUnitsPerMajor: 100 };

/** Round a float amount in major units to integer minor units, half to even. */
export function toMinorUnits(amountMajor: number, currency: Currency = USD): MinorUnits {
  const scaled = amountMajor * currency.minorUnitsPerMajor;
  // Decide ties on a value snapped to 1e-9 so float noise (0.145*100 = 14.499999…) does not move them.
  const snapped = Math.round(scaled * 1e9) / 1e9;
  const floor = Math.floor(snapped);
  const diff = snapped - floor;
  let rounded: number;
  if (diff > 0.5) rounded = floor + 1;
  else if (diff < 0.5) rounded = floor;
  else rounded = floor % 2 === 0 ? floor : floor + 1;
  if (!Number.isSafeInteger(rounded))
    throw new RangeError(`amount ${amountMajor} overflows safe integer minor units`);
  return rounded === 0 ? 0 : rounded;
}

/**
 * Interval charges are kept in integer micro-units of the major currency (1e-6 USD), because a
 * five-minute charge is often a fraction of a cent: rounding every interval to cents would bias a bill
 * by up to a third. Bills are rounded to minor units once, at the end (half to even).
 */
export const MICRO_UNITS_PER_MAJOR = 1_000_000;
export type MicroUnits = number;

export function toMicroUnits(amountMajor: number): MicroUnits {
  return toMinorUnits(amountMajor, { code: 'micro', minorUnitsPerMajor: MICRO_UNITS_PER_MAJOR });
}

/** A sum of micro-units as a bill in minor units, half to even. */
export function minorUnitsFromMicro(amountMicro: MicroUnits, currency: Currency = USD): MinorUnits {
  return toMinorUnits(amountMicro / MICRO_UNITS_PER_MAJOR, currency);
}

export function fromMinorUnits(amountMinor: MinorUnits, currency: Currency = USD): number {
  return amountMinor / currency.minorUnitsPerMajor;
}

export function formatMoney(amountMinor: MinorUnits, currency: Currency = USD): string {
  const digits = Math.round(Math.log10(currency.minorUnitsPerMajor));
  return `${(amountMinor / currency.minorUnitsPerMajor).toFixed(digits)} ${currency.code}`;
}
