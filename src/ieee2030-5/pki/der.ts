/**
 * The slice of DER (ITU-T X.690 distinguished encoding) that an X.509 certificate needs: definite
 * lengths in their shortest form, minimal INTEGERs, base-128 OBJECT IDENTIFIERs, and a reader for the few
 * fields tenet takes back out of a certificate it issued (the issuer's subject and key identifier).
 */
import { TeError } from '../../core/errors.js';

/** Universal tags (X.690 8.x); context tags are built with `contextTag`. */
export const DerTag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** A context-specific tag `[number]`: constructed for EXPLICIT wrapping, primitive for IMPLICIT strings. */
export function contextTag(number: number, constructed: boolean): number {
  if (!Number.isInteger(number) || number < 0 || number > 30) {
    throw new TeError('TE_ERR_INTERNAL', `context tag [${number}] needs the long tag form`);
  }
  return 0x80 | (constructed ? 0x20 : 0) | number;
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function sequence(...items: readonly Uint8Array[]): Buffer {
  return tlv(DerTag.sequence, Buffer.concat(items));
}

/** A SET OF with its members sorted by their encodings, as DER requires. */
export function set(...items: readonly Uint8Array[]): Buffer {
  const sorted = [...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return tlv(DerTag.set, Buffer.concat(sorted));
}

export function explicit(number: number, inner: Uint8Array): Buffer {
  return tlv(contextTag(number, true), inner);
}

export function boolean(value: boolean): Buffer {
  return tlv(DerTag.boolean, Buffer.from([value ? 0xff : 0x00]));
}

/** A non-negative INTEGER from big-endian magnitude bytes: leading zeros stripped, a 0x00 added if the top bit is set. */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  const trimmed = Buffer.from(magnitude.subarray(start));
  const content = trimmed.length === 0 ? Buffer.from([0]) : trimmed;
  return tlv(DerTag.integer, (content[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), content]) : content);
}

export function smallInteger(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TeError('TE_ERR_INTERNAL', `INTEGER ${value} is not a non-negative safe integer`);
  }
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return unsignedInteger(Buffer.from(bytes));
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first, second, ...rest] = arcs;
  if (
    first === undefined ||
    second === undefined ||
    arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0) ||
    first > 2 ||
    (first < 2 && second > 39)
  ) {
    throw new TeError('TE_ERR_INTERNAL', `${dotted} is not an object identifier`);
  }
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) {
      groups.unshift((high % 128) | 0x80);
    }
    bytes.push(...groups);
  }
  return tlv(DerTag.objectIdentifier, Buffer.from(bytes));
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(DerTag.octetString, content);
}

/** A BIT STRING of whole bytes (keys, signatures). */
export function bitString(content: Uint8Array, unusedBits = 0): Buffer {
  return tlv(DerTag.bitString, Buffer.concat([Buffer.from([unusedBits]), content]));
}

/**
 * A named-bit BIT STRING (such as KeyUsage) from the numbers of the bits that are set, bit 0 being the
 * most significant bit of the first byte; DER drops trailing zero bits and counts them as unused.
 */
export function namedBits(setBits: readonly number[]): Buffer {
  if (setBits.length === 0) return bitString(Buffer.alloc(0));
  const highest = Math.max(...setBits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of setBits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return bitString(bytes, 7 - (highest & 7));
}

export function utf8String(text: string): Buffer {
  return tlv(DerTag.utf8String, Buffer.from(text, 'utf8'));
}

export function ia5String(text: string): Buffer {
  return tlv(DerTag.ia5String, Buffer.from(text, 'ascii'));
}

/**
 * RFC 5280 4.1.2.5: UTCTime (YYMMDDHHMMSSZ) for years 1950 to 2049, GeneralizedTime (YYYYMMDDHHMMSSZ)
 * from 2050; seconds always present, no fractions, always Zulu.
 */
export function x509Time(ms: number): Buffer {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new TeError('TE_ERR_VALIDATION', `certificate time ${ms} ms is not a date`);
  }
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  const year = Number(iso.slice(0, 4));
  if (!Number.isInteger(year) || year < 1950 || year > 9999) {
    throw new TeError('TE_ERR_VALIDATION', `certificate time ${iso} is outside 1950 to 9999`);
  }
  const digits = iso.replace(/[-:T]/g, '').slice(0, 14);
  return year < 2050
    ? tlv(DerTag.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
    : tlv(DerTag.generalizedTime, Buffer.from(`${digits}Z`, 'ascii'));
}

/** One element read back: its tag, its content, and its whole encoding (tag and length included). */
export interface DerElement {
  readonly tag: number;
  readonly content: Buffer;
  readonly encoded: Buffer;
}

/** Reads the element at `offset`; refuses indefinite or overlong lengths and truncation. */
export function readElement(bytes: Buffer, offset = 0): DerElement {
  const fail = (why: string): never => {
    throw new TeError('TE_ERR_CERTIFICATE_INVALID', `DER ${why} at byte ${offset}`);
  };
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) return fail('is truncated');
  if ((tag & 0x1f) === 0x1f) return fail('uses a long-form tag');
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) return fail('has an unsupported length form');
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = bytes[offset + 2 + i];
      if (byte === undefined) return fail('is truncated');
      length = length * 256 + byte;
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) return fail('is truncated');
  return {
    tag,
    content: bytes.subarray(offset + header, end),
    encoded: bytes.subarray(offset, end),
  };
}

/** The elements inside a constructed element's content. */
export function readChildren(content: Buffer): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < content.length;) {
    const child = readElement(content, offset);
    children.push(child);
    offset += child.encoded.length;
  }
  return children;
}

/** The dotted form of an OBJECT IDENTIFIER's content. */
export function readObjectIdentifier(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join('.');
}
