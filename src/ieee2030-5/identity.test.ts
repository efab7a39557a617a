import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import {
  certificateFingerprint,
  identityFromCertificate,
  isValidSfdi,
  lfdiFromFingerprint,
  lfdiFromVerifiedDer,
  sfdiCheckDigit,
  sfdiFromLfdi,
} from './identity.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed device certificate made by the openssl CLI, as PEM text. */
function opensslCertificate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-sep-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], {
      stdio: 'ignore',
    });
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-key',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=tenet-test-device',
        '-sha256',
      ],
      { stdio: 'ignore' },
    );
    return readFileSync(cert, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('IEEE 2030.5 device identity', () => {
  it("reproduces the standard's worked example (fingerprint 3E4F45AB… → SFDI 167261211391)", () => {
    // The fingerprint printed in IEEE 2030.5 section 6.3.
    const fingerprint = '3E4F45AB31EDFE5B67E343E5E4562E31984E23E5349E2AD745672ED145EE213A';
    const lfdi = lfdiFromFingerprint(fingerprint);
    expect(lfdi).toBe('3E4F45AB31EDFE5B67E343E5E4562E31984E23E5');
    expect(sfdiFromLfdi(lfdi)).toBe(167261211391);
    expect(sfdiFromLfdi(lfdi.toLowerCase())).toBe(167261211391);
    expect(isValidSfdi(167261211391)).toBe(true);
    expect(isValidSfdi(167261211390)).toBe(false);
  });

  it('makes the digits sum to a multiple of ten', () => {
    expect(sfdiCheckDigit('16726121139')).toBe(1);
    expect(sfdiCheckDigit('0')).toBe(0);
    expect(sfdiCheckDigit('19')).toBe(0);
    expect(sfdiCheckDigit('11')).toBe(8);
  });

  it.skipIf(!hasOpenssl())('derives LFDI and SFDI from a certificate made by the openssl CLI', () => {
    const pem = opensslCertificate();
    const der = new X509Certificate(pem).raw;
    const expected = createHash('sha256').update(der).digest('hex').toUpperCase();
    const fromPem = identityFromCertificate(pem);
    expect(fromPem.fingerprint).toBe(expected);
    expect(fromPem.lfdi).toBe(expected.slice(0, 40));
    expect(fromPem.sfdi).toBe(
      Number(
        `${Number.parseInt(expected.slice(0, 9), 16)}${sfdiCheckDigit(String(Number.parseInt(expected.slice(0, 9), 16)))}`,
      ),
    );
    expect(isValidSfdi(fromPem.sfdi)).toBe(true);
    // DER and PEM forms of one certificate are one device.
    expect(identityFromCertificate(der)).toEqual(fromPem);
    // The server's per-request path (DER from the TLS stack) gives the same LFDI.
    expect(lfdiFromVerifiedDer(der)).toBe(fromPem.lfdi);
    // The openssl CLI's own SHA-256 fingerprint agrees.
    const cli = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], {
      input: pem,
    }).toString();
    expect(cli.split('=')[1]?.trim().replaceAll(':', '')).toBe(expected);
  });

  it('refuses a private key (made with node:crypto) and junk bytes as certificates', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => certificateFingerprint(keyPem)).toThrow(TeError);
    try {
      certificateFingerprint(Buffer.from('not a certificate'));
      expect.unreachable();
    } catch (error) {
      expect((error as TeError).code).toBe('TE_ERR_CERTIFICATE_INVALID');
    }
  });

  it('refuses malformed fingerprints and LFDIs with coded errors', () => {
    expect(() => lfdiFromFingerprint('3E4F')).toThrow(expect.objectContaining({ code: 'TE_ERR_VALIDATION' }));
    expect(() => sfdiFromLfdi('zz'.repeat(20))).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION' }),
    );
  });
});
