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

/**
 * Verification one entry at a time, so a journal of millions of entries can be checked page by page from
 * a store without holding it in memory: `add` the entries in sequence order, then `report`.
 */
export class JournalVerifier {
  readonly #sha256: Sha256;
  #position = 0;
  #chainBreak: ChainBreak | undefined;
  #balanceBreak: BalanceBreak | undefined;
  #postingCount = 0;
  #energyBoughtWh = 0;
  #energySoldWh = 0;
  readonly #turnover: Record<string, number> = {};
  // Slots keyed by start and end; a Map keeps first-appearance order for "the first break".
  readonly #slots = new Map<string, { startMs: number; endMs: number; boughtWh: number; soldWh: number }>();
  #previousHash = GENESIS_HASH;

  constructor(sha256: Sha256) {
    this.#sha256 = sha256;
  }

  add(entry: LedgerEntry): void {
    const position = this.#position++;
    if (this.#chainBreak === undefined) {
      const previousHash = this.#previousHash;
      if (entry.sequence !== position) {
        this.#chainBreak = {
          position,
          entryId: entry.id,
          field: 'sequence',
          expected: String(position),
          found: String(entry.sequence),
        };
      } else if (entry.prevHash !== previousHash) {
        this.#chainBreak = {
          position,
          entryId: entry.id,
          field: 'prevHash',
          expected: previousHash,
          found: entry.prevHash,
        };
      } else {
        const hash = recomputedHash(entry, this.#sha256);
        if (hash !== entry.hash) {
          this.#chainBreak = {
            position,
            entryId: entry.id,
            field: 'hash',
            expected: hash,
            found: entry.hash,
          };
        }
      }
    }
    this.#previousHash = entry.hash;
    this.#balanceBreak ??= balanceBreakOf(entry, position);
    this.#postingCount += entry.postings.length;
    for (const posting of entry.postings) {
      if (posting.amountMinor > 0)
        this.#turnover[posting.currency] = (this.#turnover[posting.currency] ?? 0) + posting.amountMinor;
    }
    const boughtWh = energyOf(entry, 'boughtWh');
    const soldWh = energyOf(entry, 'soldWh');
    this.#energyBoughtWh += boughtWh;
    this.#energySoldWh += soldWh;
    const key = `${entry.slot.startMs}/${entry.slot.endMs}`;
    const slot = this.#slots.get(key);
    if (slot === undefined)
      this.#slots.set(key, { startMs: entry.slot.startMs, endMs: entry.slot.endMs, boughtWh, soldWh });
    else {
      slot.boughtWh += boughtWh;
      slot.soldWh += soldWh;
    }
  }

  report(): VerifyReport {
    let energyBreak: EnergyBreak | undefined;
    for (const slot of this.#slots.values()) {
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
    const chainBreak = this.#chainBreak;
    const balanceBreak = this.#balanceBreak;
    return {
      ok: chainBreak === undefined && balanceBreak === undefined && energyBreak === undefined,
      entryCount: this.#position,
      postingCount: this.#postingCount,
      slotCount: this.#slots.size,
      turnoverMinorByCurrency: { ...this.#turnover },
      energyBoughtWh: this.#energyBoughtWh,
      energySoldWh: this.#energySoldWh,
      lastHash: this.#previousHash,
      ...(chainBreak === undefined ? {} : { chainBreak }),
      ...(balanceBreak === undefined ? {} : { balanceBreak }),
      ...(energyBreak === undefined ? {} : { energyBreak }),
    };
  }
}

export function verifyJournal(entries: readonly LedgerEntry[], sha256: Sha256): VerifyReport {
  const verifier = new JournalVerifier(sha256);
  for (const entry of entries) verifier.add(entry);
  return verifier.report();
}
