/**
 * Device identity as IEEE 2030.5 defines it (section 6.3): the certificate fingerprint is the SHA-256 of
 * the DER-encoded certificate; the LFDI is its first 160 bits as 40 hex digits; the SFDI is its first 36
 * bits as a decimal number followed by one check digit that makes the sum of all digits a multiple of 10.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { TeError } from '../core/errors.js';

function certificateDer(certificate: string | Uint8Array): Buffer {
  // PEM text is turned into DER through X509Certificate, which also proves it is a certificate at all.
  try {
    return new X509Certificate(certificate).raw;
  } catch (cause) {
    throw new TeError('TE_ERR_CERTIFICATE_INVALID', 'not an X.509 certificate in PEM or DER form', {
      cause,
      hint: 'pass the client certificate as presented in the TLS handshake (getPeerCertificate().raw)',
    });
  }
}

/** SHA-256 of the DER-encoded certificate, as 64 upper-case hex digits. */
export function certificateFingerprint(certificate: string | Uint8Array): string {
  return createHash('sha256').update(certificateDer(certificate)).digest('hex').toUpperCase();
}

/** The LFDI from a fingerprint: its first 40 hex digits, upper case as the standard prints them. */
export function lfdiFromFingerprint(fingerprint: string): string {
  if (!/^[0-9A-Fa-f]{64}$/.test(fingerprint)) {
    throw new TeError('TE_ERR_VALIDATION', 'a certificate fingerprint is 64 hex digits', {
      hint: 'the SHA-256 of the DER-encoded certificate',
    });
  }
  return fingerprint.slice(0, 40).toUpperCase();
}

/** The check digit that makes the digits of `digits` plus itself sum to a multiple of 10. */
export function sfdiCheckDigit(digits: string): number {
  let sum = 0;
  for (const c of digits) sum += Number(c);
  return (10 - (sum % 10)) % 10;
}

/** The SFDI from an LFDI (or fingerprint): the first 36 bits (9 hex digits) in decimal, then the check digit. */
export function sfdiFromLfdi(lfdi: string): number {
  if (!/^[0-9A-Fa-f]{40}(?:[0-9A-Fa-f]{24})?$/.test(lfdi)) {
    throw new TeError('TE_ERR_VALIDATION', 'an LFDI is 40 hex digits', { hint: 'see lfdiFromCertificate' });
  }
  const digits = String(Number.parseInt(lfdi.slice(0, 9), 16));
  return Number(`${digits}${sfdiCheckDigit(digits)}`);
}

/** True when an SFDI's last digit is the right check digit for the ones before it. */
export function isValidSfdi(sfdi: number): boolean {
  if (!Number.isSafeInteger(sfdi) || sfdi < 0) return false;
  const text = String(sfdi);
  return sfdiCheckDigit(text.slice(0, -1)) === Number(text.slice(-1));
}

export interface DeviceIdentity {
  readonly fingerprint: string;
  readonly lfdi: string;
  readonly sfdi: number;
}

/**
 * The LFDI of a certificate the TLS stack has already parsed and verified, from its DER bytes: a hash and
 * no second parse, because the server needs it on every request.
 */
export function lfdiFromVerifiedDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex').slice(0, 40).toUpperCase();
}

/** Everything the server needs to recognise a device from the certificate it presented. */
export function identityFromCertificate(certificate: string | Uint8Array): DeviceIdentity {
  const fingerprint = certificateFingerprint(certificate);
  const lfdi = lfdiFromFingerprint(fingerprint);
  return { fingerprint, lfdi, sfdi: sfdiFromLfdi(lfdi) };
}
