/**
 * The canonical serialisation an entry's hash is taken over (docs/ledger.md, "Canonical form"): JSON text
 * with no whitespace, object keys in a fixed order (entry fields as listed, metadata keys sorted by UTF-16
 * code unit), integers as plain decimal digits, no floats, strings escaped as JSON.stringify does, and
 * UTF-8 bytes. Another implementation can rebuild it from the entry and check the chain.
 */
import type { EntryMetadata, LedgerEntry, Sha256 } from './journal-entry.js';

const encoder = new TextEncoder();

function integerText(value: number, field: string): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${field} is not a safe integer: ${value}`);
  // -0 would print as 0 but is a different float: normalise so the text is the value.
  return String(value === 0 ? 0 : value);
}

function metadataText(metadata: EntryMetadata): string {
  const keys = Object.keys(metadata).sort();
  const parts = keys.map((key) => {
    const value = metadata[key] as EntryMetadata[string];
    let text: string;
    if (typeof value === 'string') text = JSON.stringify(value);
    else if (typeof value === 'number') text = integerText(value, `metadata.${key}`);
    else text = `[${value.map((item) => JSON.stringify(item)).join(',')}]`;
    return `${JSON.stringify(key)}:${text}`;
  });
  return `{${parts.join(',')}}`;
}

/** The canonical text of an entry without its own hash. */
export function canonicalEntryText(entry: Omit<LedgerEntry, 'hash'>): string {
  const postings = entry.postings.map(
    (p) =>
      `{"account":${JSON.stringify(p.account)},"amountMinor":${integerText(p.amountMinor, 'amountMinor')},"currency":${JSON.stringify(p.currency)}}`,
  );
  return (
    `{"id":${JSON.stringify(entry.id)}` +
    `,"sequence":${integerText(entry.sequence, 'sequence')}` +
    `,"slotStartMs":${integerText(entry.slot.startMs, 'slot.startMs')}` +
    `,"slotEndMs":${integerText(entry.slot.endMs, 'slot.endMs')}` +
    `,"timeMs":${integerText(entry.timeMs, 'timeMs')}` +
    `,"kind":${JSON.stringify(entry.kind)}` +
    `,"postings":[${postings.join(',')}]` +
    `,"metadata":${metadataText(entry.metadata)}` +
    `,"prevHash":${JSON.stringify(entry.prevHash)}}`
  );
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += HEX[byte] as string;
  return text;
}

/** Hex SHA-256 of the entry's canonical text (UTF-8). */
export function entryHash(entry: Omit<LedgerEntry, 'hash'>, sha256: Sha256): string {
  return toHex(sha256(encoder.encode(canonicalEntryText(entry))));
}
