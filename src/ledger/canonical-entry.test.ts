import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEntryText } from './canonical-entry.js';
import type { EntryMetadata, LedgerEntry } from './journal-entry.js';

/** The canonical form as docs/ledger.md states it, written the plain way: JSON.stringify for every string. */
function referenceText(entry: Omit<LedgerEntry, 'hash'>): string {
  const integer = (value: number) => String(value === 0 ? 0 : value);
  const metadata = (m: EntryMetadata) =>
    `{${Object.keys(m)
      .sort()
      .map((key) => {
        const value = m[key] as EntryMetadata[string];
        const text =
          typeof value === 'string'
            ? JSON.stringify(value)
            : typeof value === 'number'
              ? integer(value)
              : `[${value.map((item) => JSON.stringify(item)).join(',')}]`;
        return `${JSON.stringify(key)}:${text}`;
      })
      .join(',')}}`;
  const postings = entry.postings.map(
    (p) =>
      `{"account":${JSON.stringify(p.account)},"amountMinor":${integer(p.amountMinor)},"currency":${JSON.stringify(p.currency)}}`,
  );
  return (
    `{"id":${JSON.stringify(entry.id)},"sequence":${integer(entry.sequence)}` +
    `,"slotStartMs":${integer(entry.slot.startMs)},"slotEndMs":${integer(entry.slot.endMs)}` +
    `,"timeMs":${integer(entry.timeMs)},"kind":${JSON.stringify(entry.kind)}` +
    `,"postings":[${postings.join(',')}],"metadata":${metadata(entry.metadata)}` +
    `,"prevHash":${JSON.stringify(entry.prevHash)}}`
  );
}

// Any UTF-16 text: quotes, backslashes, control characters, non-ASCII and lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);
const integer = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(-0));

const entry = fc.record({
  id: text,
  sequence: fc.nat(),
  slot: fc.record({ startMs: fc.nat(), endMs: fc.nat() }),
  timeMs: fc.nat(),
  kind: fc.constantFrom('trade', 'spread', 'imbalance', 'distribution', 'adjustment' as const),
  postings: fc.array(fc.record({ account: text, amountMinor: integer, currency: text }), { maxLength: 4 }),
  metadata: fc.dictionary(text, fc.oneof(text, integer, fc.array(text, { maxLength: 3 })), { maxKeys: 5 }),
  prevHash: text,
});

describe('canonicalEntryText', () => {
  it('is the documented canonical form for any strings and integers', () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(canonicalEntryText(e)).toBe(referenceText(e));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a float where an integer belongs, naming the field', () => {
    const e = {
      id: 'x',
      sequence: 0,
      slot: { startMs: 0, endMs: 1 },
      timeMs: 1,
      kind: 'trade' as const,
      postings: [],
      metadata: { boughtWh: 1.5 },
      prevHash: '',
    };
    expect(() => canonicalEntryText(e)).toThrow(/metadata\.boughtWh is not a safe integer/);
  });
});
