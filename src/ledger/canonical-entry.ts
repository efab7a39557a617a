/**
 * The canonical serialisation an entry's hash is taken over (docs/ledger.md, "Canonical form"): JSON text
 * with no whitespace, object keys in a fixed order (entry fields as listed, metadata keys sorted by UTF-16
 * code unit), integers as plain decimal digits, no floats, strings escaped as JSON.stringify does, and
 * UTF-8 bytes. Another implementation can rebuild it from the entry and check the chain.
 */
import type { EntryMetadata, LedgerEntry, Sha256 } from './journal-entry.js';

const encoder = new TextEncoder();

function integerText(value: number, field: string, key = ''): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${field}${key} is not a safe integer: ${value}`);
  // -0 would print as 0 but is a different float: normalise so the text is the value.
  return String(value === 0 ? 0 : value);
}

// Printable ASCII other than `"` and `\`: JSON.stringify would return it quoted and unchanged. Ids,
// accounts and currencies almost always are, and skipping JSON.stringify for them halves the sealing time.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function quoted(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

function metadataText(metadata: EntryMetadata): string {
  const keys = Object.keys(metadata).sort();
  let text = '{';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string;
    const value = metadata[key] as EntryMetadata[string];
    text += `${k === 0 ? '' : ','}${quoted(key)}:`;
    if (typeof value === 'string') text += quoted(value);
    else if (typeof value === 'number') text += integerText(value, 'metadata.', key);
    else {
      text += '[';
      for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + quoted(value[i] as string);
      text += ']';
    }
  }
  return `${text}}`;
}

/** The canonical text of an entry without its own hash. */
export function canonicalEntryText(entry: Omit<LedgerEntry, 'hash'>): string {
  let postings = '';
  for (let i = 0; i < entry.postings.length; i++) {
    const p = entry.postings[i] as LedgerEntry['postings'][number];
    postings +=
      `${i === 0 ? '' : ','}{"account":${quoted(p.account)}` +
      `,"amountMinor":${integerText(p.amountMinor, 'amountMinor')},"currency":${quoted(p.currency)}}`;
  }
  return (
    `{"id":${quoted(entry.id)}` +
    `,"sequence":${integerText(entry.sequence, 'sequence')}` +
    `,"slotStartMs":${integerText(entry.slot.startMs, 'slot.startMs')}` +
    `,"slotEndMs":${integerText(entry.slot.endMs, 'slot.endMs')}` +
    `,"timeMs":${integerText(entry.timeMs, 'timeMs')}` +
    `,"kind":${quoted(entry.kind)}` +
    `,"postings":[${postings}]` +
    `,"metadata":${metadataText(entry.metadata)}` +
    `,"prevHash":${quoted(entry.prevHash)}}`
  );
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += HEX[byte] as string;
  return text;
}

// One scratch buffer for the UTF-8 bytes: `encode` allocates an array per entry, and at a million entries
// that allocation (and its garbage) cost more than the hashing. The port reads the bytes during the call.
let scratch = new Uint8Array(4096);

/** Hex SHA-256 of the entry's canonical text (UTF-8). */
export function entryHash(entry: Omit<LedgerEntry, 'hash'>, sha256: Sha256): string {
  const text = canonicalEntryText(entry);
  // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return toHex(sha256(scratch.subarray(0, written)));
}
