import { describe, expect, it } from 'vitest';
import { TeError } from '../../core/errors.js';
import {
  contextTag,
  namedBits,
  objectIdentifier,
  readChildren,
  readElement,
  readObjectIdentifier,
  sequence,
  set,
  smallInteger,
  tlv,
  unsignedInteger,
  utf8String,
  x509Time,
} from './der.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof TeError ? error.code : 'not a TeError';
  }
  return undefined;
}

describe('DER writer', () => {
  it('writes lengths in their shortest form', () => {
    expect(hex(tlv(0x04, Buffer.alloc(127))).slice(0, 4)).toBe('047f');
    expect(hex(tlv(0x04, Buffer.alloc(128))).slice(0, 6)).toBe('048180');
    expect(hex(tlv(0x04, Buffer.alloc(256))).slice(0, 8)).toBe('04820100');
    expect(hex(tlv(0x04, Buffer.alloc(65_536))).slice(0, 10)).toBe('0483010000');
  });

  it('writes minimal non-negative INTEGERs', () => {
    expect(hex(smallInteger(0))).toBe('020100');
    expect(hex(smallInteger(127))).toBe('02017f');
    expect(hex(smallInteger(128))).toBe('02020080');
    expect(hex(smallInteger(256))).toBe('02020100');
    expect(hex(unsignedInteger(Buffer.from([0, 0, 0x01])))).toBe('020101');
    expect(hex(unsignedInteger(Buffer.from([0xff, 0x00])))).toBe('020300ff00');
    expect(codeOf(() => smallInteger(-1))).toBe('TE_ERR_INTERNAL');
  });

  it('writes object identifiers in base 128 and reads them back', () => {
    expect(hex(objectIdentifier('1.2.840.10045.2.1'))).toBe('06072a8648ce3d0201');
    expect(hex(objectIdentifier('2.5.29.17'))).toBe('0603551d11');
    for (const oid of ['1.2.840.10045.4.3.2', '1.3.6.1.5.5.7.3.2', '2.999.1']) {
      expect(readObjectIdentifier(readElement(objectIdentifier(oid)).content)).toBe(oid);
    }
    expect(codeOf(() => objectIdentifier('3.1'))).toBe('TE_ERR_INTERNAL');
    expect(codeOf(() => objectIdentifier('1.40'))).toBe('TE_ERR_INTERNAL');
    expect(codeOf(() => objectIdentifier('1'))).toBe('TE_ERR_INTERNAL');
    expect(codeOf(() => objectIdentifier('1.2.x'))).toBe('TE_ERR_INTERNAL');
  });

  it('writes named bits without trailing zero bits (KeyUsage)', () => {
    expect(hex(namedBits([0]))).toBe('03020780'); // digitalSignature
    expect(hex(namedBits([5, 6]))).toBe('03020106'); // keyCertSign, cRLSign
    expect(hex(namedBits([0, 8]))).toBe('0303078080'); // decipherOnly spills into a second byte
    expect(hex(namedBits([]))).toBe('030100');
  });

  it('sorts the members of a SET OF by their encodings', () => {
    expect(hex(set(utf8String('b'), utf8String('a')))).toBe(hex(set(utf8String('a'), utf8String('b'))));
  });

  it('refuses context tags that would need the long tag form', () => {
    expect(contextTag(3, true)).toBe(0xa3);
    expect(contextTag(7, false)).toBe(0x87);
    expect(codeOf(() => contextTag(31, false))).toBe('TE_ERR_INTERNAL');
  });

  it('writes UTCTime up to 2049 and GeneralizedTime from 2050 (RFC 5280 4.1.2.5)', () => {
    const at = (iso: string): string => {
      const element = readElement(x509Time(Date.parse(iso)));
      return `${element.tag.toString(16)}:${element.content.toString('ascii')}`;
    };
    expect(at('2049-12-31T23:59:59.999Z')).toBe('17:491231235959Z');
    expect(at('2050-01-01T00:00:00Z')).toBe('18:20500101000000Z');
    expect(at('1950-01-01T00:00:00Z')).toBe('17:500101000000Z');
    expect(codeOf(() => x509Time(Date.parse('1949-12-31T23:59:59Z')))).toBe('TE_ERR_VALIDATION');
    expect(codeOf(() => x509Time(Number.NaN))).toBe('TE_ERR_VALIDATION');
    expect(codeOf(() => x509Time(Date.parse('+010000-01-01T00:00:00Z')))).toBe('TE_ERR_VALIDATION');
  });
});

describe('DER reader', () => {
  it('reads back nested elements', () => {
    const encoded = sequence(smallInteger(5), sequence(utf8String('x')), tlv(0x04, Buffer.alloc(300)));
    const [integer, inner, octets] = readChildren(readElement(encoded).content);
    expect(hex(integer?.content ?? Buffer.alloc(0))).toBe('05');
    expect(readChildren(inner?.content ?? Buffer.alloc(0))[0]?.content.toString()).toBe('x');
    expect(octets?.content.length).toBe(300);
  });

  it('refuses truncated, indefinite and overlong encodings', () => {
    expect(codeOf(() => readElement(Buffer.from([0x30])))).toBe('TE_ERR_CERTIFICATE_INVALID');
    expect(codeOf(() => readElement(Buffer.from([0x30, 0x05, 0x01])))).toBe('TE_ERR_CERTIFICATE_INVALID');
    expect(codeOf(() => readElement(Buffer.from([0x30, 0x80, 0x00, 0x00])))).toBe(
      'TE_ERR_CERTIFICATE_INVALID',
    );
    expect(codeOf(() => readElement(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1])))).toBe(
      'TE_ERR_CERTIFICATE_INVALID',
    );
    expect(codeOf(() => readElement(Buffer.from([0x30, 0x82, 0x01])))).toBe('TE_ERR_CERTIFICATE_INVALID');
    expect(codeOf(() => readElement(Buffer.from([0x1f, 0x01, 0x00])))).toBe('TE_ERR_CERTIFICATE_INVALID');
    expect(codeOf(() => readChildren(Buffer.from([0x02, 0x01, 0x00, 0x02])))).toBe(
      'TE_ERR_CERTIFICATE_INVALID',
    );
  });
});
