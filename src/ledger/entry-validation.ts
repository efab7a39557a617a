/**
 * The rules an entry must meet before the journal accepts it: postings present, amounts safe integers of
 * minor units, every currency summing to zero, metadata free of floats. Shared by the journal (refuse on
 * append) and the verifier (report on read).
 */
import { TeError } from '../core/errors.js';
import type { EntryDraft, Posting } from './journal-entry.js';

/** Σ amountMinor per currency, in the order currencies first appear. */
export function sumsByCurrency(postings: readonly Posting[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const posting of postings) {
    sums.set(posting.currency, (sums.get(posting.currency) ?? 0) + posting.amountMinor);
  }
  return sums;
}

/** The first currency whose postings do not sum to zero, with its sum. */
export function firstImbalance(
  postings: readonly Posting[],
): { currency: string; sumMinor: number } | undefined {
  for (const [currency, sumMinor] of sumsByCurrency(postings)) {
    if (sumMinor !== 0) return { currency, sumMinor };
  }
  return undefined;
}

export function validateDraft(draft: EntryDraft): TeError | undefined {
  const path = `entry ${draft.id}`;
  if (typeof draft.id !== 'string' || draft.id.length === 0) {
    return new TeError('TE_ERR_VALIDATION', 'a ledger entry needs a non-empty id', { path: 'entry.id' });
  }
  for (const [field, value] of [
    ['slot.startMs', draft.slot.startMs],
    ['slot.endMs', draft.slot.endMs],
    ['timeMs', draft.timeMs],
  ] as const) {
    if (!Number.isSafeInteger(value)) {
      return new TeError('TE_ERR_VALIDATION', `${field} must be integer epoch milliseconds, got ${value}`, {
        path: `${path}.${field}`,
      });
    }
  }
  if (draft.postings.length === 0) {
    return new TeError('TE_ERR_LEDGER_EMPTY_ENTRY', `entry ${draft.id} has no postings`, {
      path,
      hint: 'an entry moves money between at least two accounts',
    });
  }
  for (const [index, posting] of draft.postings.entries()) {
    if (!Number.isSafeInteger(posting.amountMinor)) {
      return new TeError(
        'TE_ERR_LEDGER_AMOUNT',
        `posting ${index} of entry ${draft.id} is ${String(posting.amountMinor)}, not a safe integer of minor units`,
        { path: `${path}.postings[${index}]`, hint: 'round to minor units before posting (core/money.ts)' },
      );
    }
    if (posting.account.length === 0 || posting.currency.length === 0) {
      return new TeError(
        'TE_ERR_LEDGER_AMOUNT',
        `posting ${index} of entry ${draft.id} lacks an account or currency`,
        {
          path: `${path}.postings[${index}]`,
        },
      );
    }
  }
  for (const [currency, sumMinor] of sumsByCurrency(draft.postings)) {
    if (!Number.isSafeInteger(sumMinor)) {
      return new TeError('TE_ERR_LEDGER_AMOUNT', `the ${currency} postings of entry ${draft.id} overflow`, {
        path,
      });
    }
    if (sumMinor !== 0) {
      return new TeError(
        'TE_ERR_LEDGER_UNBALANCED',
        `entry ${draft.id} does not balance: its ${currency} postings sum to ${sumMinor} minor units`,
        { path: `${path}.postings`, hint: 'every entry must sum to zero in each currency' },
      );
    }
  }
  for (const [key, value] of Object.entries(draft.metadata)) {
    const ok =
      typeof value === 'string' ||
      (typeof value === 'number' && Number.isSafeInteger(value)) ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string'));
    if (!ok) {
      return new TeError(
        'TE_ERR_VALIDATION',
        `metadata ${key} of entry ${draft.id} must be a string, a safe integer or a list of strings`,
        {
          path: `${path}.metadata.${key}`,
          hint: 'carry quantities as integers (watt-hours, minor units), never floats',
        },
      );
    }
  }
  for (const key of ['boughtWh', 'soldWh']) {
    const value = draft.metadata[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
      return new TeError(
        'TE_ERR_VALIDATION',
        `metadata ${key} of entry ${draft.id} must be a non-negative integer`,
        {
          path: `${path}.metadata.${key}`,
        },
      );
    }
  }
  return undefined;
}
