/**
 * The append-only settlement journal. Appending validates the entry (coded errors, nothing half-written),
 * chains it to the previous entry by hash and freezes it; past entries never change.
 */
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { entryHash } from './canonical-entry.js';
import { validateDraft } from './entry-validation.js';
import {
  GENESIS_HASH,
  type EntryDraft,
  type LedgerEntry,
  type SequencedDraft,
  type Sha256,
} from './journal-entry.js';

export class Journal {
  readonly #entries: LedgerEntry[] = [];
  readonly #ids = new Set<string>();
  readonly #sha256: Sha256;

  constructor(sha256: Sha256) {
    this.#sha256 = sha256;
  }

  get length(): number {
    return this.#entries.length;
  }

  get nextSequence(): number {
    return this.#entries.length;
  }

  get lastHash(): string {
    return this.#entries.at(-1)?.hash ?? GENESIS_HASH;
  }

  /** The entries in sequence order: a read-only view, not a copy (entries are frozen). */
  entries(): readonly LedgerEntry[] {
    return this.#entries;
  }

  append(draft: SequencedDraft): Result<LedgerEntry, TeError> {
    const invalid = validateDraft(draft);
    if (invalid !== undefined) return err(invalid);
    if (this.#ids.has(draft.id)) {
      return err(
        new TeError('TE_ERR_LEDGER_DUPLICATE_ENTRY', `entry id ${draft.id} is already in the journal`, {
          path: `entry ${draft.id}`,
          hint: 'entry ids are unique; derive them from the slot and trade ids',
        }),
      );
    }
    if (draft.sequence !== this.nextSequence) {
      return err(
        new TeError(
          'TE_ERR_LEDGER_SEQUENCE',
          `entry ${draft.id} has sequence ${draft.sequence}, the journal expects ${this.nextSequence}`,
          { path: `entry ${draft.id}.sequence`, hint: 'append entries in sequence, without gaps' },
        ),
      );
    }
    return ok(this.#seal(draft));
  }

  /** Chain and freeze a draft that passed the checks. */
  #seal(draft: SequencedDraft): LedgerEntry {
    const unhashed = {
      id: draft.id,
      sequence: draft.sequence,
      slot: Object.freeze({ startMs: draft.slot.startMs, endMs: draft.slot.endMs }),
      timeMs: draft.timeMs,
      kind: draft.kind,
      postings: Object.freeze(draft.postings.map((p) => Object.freeze({ ...p }))),
      metadata: Object.freeze({ ...draft.metadata }),
      prevHash: this.lastHash,
    };
    const entry: LedgerEntry = Object.freeze({ ...unhashed, hash: entryHash(unhashed, this.#sha256) });
    this.#entries.push(entry);
    this.#ids.add(entry.id);
    return entry;
  }

  /**
   * Append drafts at the next sequences, all or nothing: every draft is checked before any is appended,
   * so a refused batch leaves the journal as it was.
   */
  post(drafts: readonly EntryDraft[]): Result<readonly LedgerEntry[], TeError> {
    const batchIds = new Set<string>();
    for (const draft of drafts) {
      const invalid = validateDraft(draft);
      if (invalid !== undefined) return err(invalid);
      if (this.#ids.has(draft.id) || batchIds.has(draft.id)) {
        return err(
          new TeError('TE_ERR_LEDGER_DUPLICATE_ENTRY', `entry id ${draft.id} is already in the journal`, {
            path: `entry ${draft.id}`,
          }),
        );
      }
      batchIds.add(draft.id);
    }
    // Every draft passed the checks above, so sealing them one by one cannot half-apply the batch.
    return ok(drafts.map((draft) => this.#seal({ ...draft, sequence: this.nextSequence })));
  }
}
