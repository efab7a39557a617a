/**
 * The settlement journal's vocabulary: accounts, postings and entries. Money is an integer number of
 * minor units per currency. Sign convention: a positive amount flows into the account (its holder is paid
 * or owed), a negative amount flows out (its holder pays). Every entry's postings sum to zero per currency.
 */
import type { TimeSlot } from '../core/time.js';

/** An account named by kind and owner, e.g. `participant:p7:energy`, `grid-area:feeder-1:fees`. */
export type AccountName = string;

export interface Posting {
  readonly account: AccountName;
  readonly amountMinor: number;
  /** ISO 4217 code, e.g. `USD`. */
  readonly currency: string;
}

export type EntryKind = 'trade' | 'spread' | 'imbalance' | 'distribution' | 'adjustment';

/**
 * Metadata values are strings, safe integers or lists of strings: never floats, so the canonical form is
 * exact. Energy for the per-slot invariant is carried as `boughtWh` and `soldWh` (non-negative integers).
 */
export type MetadataValue = string | number | readonly string[];
export type EntryMetadata = Readonly<Record<string, MetadataValue>>;

/** What a settlement function proposes; the journal gives it a sequence and hashes. */
export interface EntryDraft {
  readonly id: string;
  readonly slot: TimeSlot;
  /** When the entry was booked (epoch ms), supplied by the caller: the ledger reads no clock. */
  readonly timeMs: number;
  readonly kind: EntryKind;
  readonly postings: readonly Posting[];
  readonly metadata: EntryMetadata;
}

export interface SequencedDraft extends EntryDraft {
  /** 0, 1, 2, ... without gaps. */
  readonly sequence: number;
}

export interface LedgerEntry extends SequencedDraft {
  /** Hex SHA-256 of the previous entry; 64 zeros for the first. */
  readonly prevHash: string;
  /** Hex SHA-256 of this entry's canonical serialisation (which includes prevHash). */
  readonly hash: string;
}

/** A SHA-256 port: the ledger does no I/O and imports no platform crypto; callers inject one. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

export const GENESIS_HASH = '0'.repeat(64);

export const accounts = {
  participantEnergy: (participantId: string): AccountName => `participant:${participantId}:energy`,
  participantDistribution: (participantId: string): AccountName =>
    `participant:${participantId}:distribution`,
  supplier: (supplierId: string): AccountName => `supplier:${supplierId}`,
  marketClearing: 'market:clearing' as AccountName,
  marketOperator: 'market:operator' as AccountName,
  marketImbalance: 'market:imbalance' as AccountName,
  marketRounding: 'market:rounding' as AccountName,
  gridAreaFees: (area: string): AccountName => `grid-area:${area}:fees`,
  aggregatorMargin: (aggregatorId: string): AccountName => `aggregator:${aggregatorId}:margin`,
  distribution: (utility: string): AccountName => `distribution:${utility}`,
} as const;

/** The prefix every account of a participant starts with. */
export function participantAccountPrefix(participantId: string): string {
  return `participant:${participantId}:`;
}
