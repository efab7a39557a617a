/**
 * Sealing drafts into entries that continue a stored chain. The in-memory `Journal` keeps every entry it
 * ever sealed, which a long-running server cannot afford; a store keeps the chain instead, and only its
 * tail (next sequence, last hash) is needed to continue it. `sealEntries` produces exactly the entries a
 * `Journal` holding that chain would produce for the same drafts (entry-sealing.test.ts compares them).
 * Uniqueness of ids across the whole chain is the store's to enforce (its unique key on the entry id).
 */
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { entryHash } from './canonical-entry.js';
import { validateDraft } from './entry-validation.js';
import { GENESIS_HASH, type EntryDraft, type LedgerEntry, type Sha256 } from './journal-entry.js';

/** Where a chain stands: the sequence its next entry takes and the hash that entry chains to. */
export interface ChainTail {
  readonly nextSequence: number;
  readonly previousHash: string;
}

export const EMPTY_CHAIN: ChainTail = { nextSequence: 0, previousHash: GENESIS_HASH };

/** The tail after `last`, or the empty chain's when there is no entry yet. */
export function chainTailAfter(
  last: { readonly sequence: number; readonly hash: string } | undefined,
): ChainTail {
  return last === undefined ? EMPTY_CHAIN : { nextSequence: last.sequence + 1, previousHash: last.hash };
}

/**
 * Checks every draft (as `Journal.post` does) and seals them in order after `tail`. All or nothing: a
 * refused batch seals nothing.
 */
export function sealEntries(
  drafts: readonly EntryDraft[],
  tail: ChainTail,
  sha256: Sha256,
): Result<LedgerEntry[], TeError> {
  if (!Number.isSafeInteger(tail.nextSequence) || tail.nextSequence < 0) {
    return err(
      new TeError('TE_ERR_LEDGER_SEQUENCE', `the chain's next sequence ${tail.nextSequence} is not valid`, {
        path: 'nextSequence',
        hint: 'continue after the last stored entry (0 for an empty journal)',
      }),
    );
  }
  const batchIds = new Set<string>();
  for (const draft of drafts) {
    const invalid = validateDraft(draft);
    if (invalid !== undefined) return err(invalid);
    if (batchIds.has(draft.id)) {
      return err(
        new TeError('TE_ERR_LEDGER_DUPLICATE_ENTRY', `entry id ${draft.id} appears twice in the batch`, {
          path: `entry ${draft.id}`,
          hint: 'entry ids are unique; derive them from the slot and trade ids',
        }),
      );
    }
    batchIds.add(draft.id);
  }
  const entries: LedgerEntry[] = [];
  let sequence = tail.nextSequence;
  let prevHash = tail.previousHash;
  for (const draft of drafts) {
    // The same fields in the same order as Journal's seal, so both give equal entries and equal JSON. Not
    // frozen: the Journal freezes because it hands out its history, whereas these entries are written to the
    // store once and dropped, and freezing was half the sealing time (docs/benchmarks.md, "Settlement").
    const entry = {
      id: draft.id,
      sequence,
      slot: { startMs: draft.slot.startMs, endMs: draft.slot.endMs },
      timeMs: draft.timeMs,
      kind: draft.kind,
      postings: draft.postings.map((p) => ({ ...p })),
      metadata: { ...draft.metadata },
      prevHash,
      // Filled in below, in place: the canonical text leaves the hash out, and copying every entry once
      // more just to add it was a measurable share of sealing.
      hash: '',
    };
    entry.hash = entryHash(entry, sha256);
    entries.push(entry);
    sequence += 1;
    prevHash = entry.hash;
  }
  return ok(entries);
}
