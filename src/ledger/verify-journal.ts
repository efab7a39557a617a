/**
 * Checks a journal read back from anywhere (a store, a file, another implementation): the hash chain, the
 * balance of every entry per currency, and the energy invariant per slot (Σ boughtWh = Σ soldWh over the
 * slot's entries). Reports the first break of each kind, or ok with counts and totals.
 */
import { entryHash } from './canonical-entry.js';
import { firstImbalance } from './entry-validation.js';
import { GENESIS_HASH, type LedgerEntry, type Sha256 } from './journal-entry.js';

export interface ChainBreak {
  /** Position in the sequence given to the verifier. */
  readonly position: number;
  readonly entryId: string;
  readonly field: 'sequence' | 'prevHash' | 'hash';
  readonly expected: string;
  readonly found: string;
}

export interface BalanceBreak {
  readonly position: number;
  readonly entryId: string;
  readonly currency: string;
  /** What the postings sum to (NaN when an amount is not an integer at all). */
  readonly sumMinor: number;
  readonly reason: 'unbalanced' | 'not-integer' | 'empty';
}

export interface EnergyBreak {
  readonly slotStartMs: number;
  readonly slotEndMs: number;
  readonly boughtWh: number;
  readonly soldWh: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly entryCount: number;
  readonly postingCount: number;
  readonly slotCount: number;
  /** Per currency, Σ of the positive postings: the money that moved. */
  readonly turnoverMinorByCurrency: Readonly<Record<string, number>>;
  readonly energyBoughtWh: number;
  readonly energySoldWh: number;
  readonly lastHash: string;
  readonly chainBreak?: ChainBreak;
  readonly balanceBreak?: BalanceBreak;
  readonly energyBreak?: EnergyBreak;
}

function recomputedHash(entry: LedgerEntry, sha256: Sha256): string {
  try {
    return entryHash(entry, sha256);
  } catch {
    // A field that cannot be serialised canonically (a float amount) cannot match any stored hash.
    return 'not serialisable';
  }
}

function balanceBreakOf(entry: LedgerEntry, position: number): BalanceBreak | undefined {
  if (entry.postings.length === 0) {
    return { position, entryId: entry.id, currency: '', sumMinor: 0, reason: 'empty' };
  }
  const fractional = entry.postings.find((p) => !Number.isSafeInteger(p.amountMinor));
  if (fractional !== undefined) {
    return {
      position,
      entryId: entry.id,
      currency: fractional.currency,
      sumMinor: Number.NaN,
      reason: 'not-integer',
    };
  }
  const imbalance = firstImbalance(entry.postings);
  return imbalance === undefined
    ? undefined
    : { position, entryId: entry.id, ...imbalance, reason: 'unbalanced' };
}

function energyOf(entry: LedgerEntry, key: 'boughtWh' | 'soldWh'): number {
  const value = entry.metadata[key];
  return typeof value === 'number' ? value : 0;
}

export function verifyJournal(entries: readonly LedgerEntry[], sha256: Sha256): VerifyReport {
  let chainBreak: ChainBreak | undefined;
  let balanceBreak: BalanceBreak | undefined;
  let postingCount = 0;
  let energyBoughtWh = 0;
  let energySoldWh = 0;
  const turnover: Record<string, number> = {};
  // Slots keyed by start and end; a Map keeps first-appearance order for "the first break".
  const slots = new Map<string, { startMs: number; endMs: number; boughtWh: number; soldWh: number }>();
  let previousHash = GENESIS_HASH;
  for (const [position, entry] of entries.entries()) {
    if (chainBreak === undefined) {
      const hash = recomputedHash(entry, sha256);
      if (entry.sequence !== position) {
        chainBreak = {
          position,
          entryId: entry.id,
          field: 'sequence',
          expected: String(position),
          found: String(entry.sequence),
        };
      } else if (entry.prevHash !== previousHash) {
        chainBreak = {
          position,
          entryId: entry.id,
          field: 'prevHash',
          expected: previousHash,
          found: entry.prevHash,
        };
      } else if (hash !== entry.hash) {
        chainBreak = { position, entryId: entry.id, field: 'hash', expected: hash, found: entry.hash };
      }
    }
    previousHash = entry.hash;
    balanceBreak ??= balanceBreakOf(entry, position);
    postingCount += entry.postings.length;
    for (const posting of entry.postings) {
      if (posting.amountMinor > 0)
        turnover[posting.currency] = (turnover[posting.currency] ?? 0) + posting.amountMinor;
    }
    const boughtWh = energyOf(entry, 'boughtWh');
    const soldWh = energyOf(entry, 'soldWh');
    energyBoughtWh += boughtWh;
    energySoldWh += soldWh;
    const key = `${entry.slot.startMs}/${entry.slot.endMs}`;
    const slot = slots.get(key);
    if (slot === undefined)
      slots.set(key, { startMs: entry.slot.startMs, endMs: entry.slot.endMs, boughtWh, soldWh });
    else {
      slot.boughtWh += boughtWh;
      slot.soldWh += soldWh;
    }
  }
  let energyBreak: EnergyBreak | undefined;
  for (const slot of slots.values()) {
    if (slot.boughtWh !== slot.soldWh) {
      energyBreak = {
        slotStartMs: slot.startMs,
        slotEndMs: slot.endMs,
        boughtWh: slot.boughtWh,
        soldWh: slot.soldWh,
      };
      break;
    }
  }
  return {
    ok: chainBreak === undefined && balanceBreak === undefined && energyBreak === undefined,
    entryCount: entries.length,
    postingCount,
    slotCount: slots.size,
    turnoverMinorByCurrency: turnover,
    energyBoughtWh,
    energySoldWh,
    lastHash: previousHash,
    ...(chainBreak === undefined ? {} : { chainBreak }),
    ...(balanceBreak === undefined ? {} : { balanceBreak }),
    ...(energyBreak === undefined ? {} : { energyBreak }),
  };
}
