/**
 * X.509 v3 certificates (RFC 5280) for IEEE 2030.5, built with node:crypto and the DER writer in
 * `der.ts`: EC P-256 keys and ecdsa-with-SHA256 signatures, the suite 2030.5 mandates
 * (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 needs ECDSA certificates). Meant for development and tests; in
 * production the utility's or manufacturer's CA issues the certificates.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { TeError } from '../../core/errors.js';
import {
  bitString,
  boolean,
  explicit,
  namedBits,
  objectIdentifier,
  octetString,
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
import { subjectAltNames } from './subject-alt-name.js';

/** PEM text of a certificate and its private key (PKCS#8). */
export interface CertificateAndKey {
  readonly certPem: string;
  readonly keyPem: string;
}
/** A CA able to issue: its own certificate must say CA:TRUE and its key must be EC P-256. */
export type CertificateAuthority = CertificateAndKey;

export interface CertificateOptions {
  /** 1 to 64 characters (the X.520 upper bound for a common name). */
  readonly commonName: string;
  /** Whole days from `nowMs`, 1 to 36,500. */
  readonly validDays: number;
  /** Start of validity, ms since the epoch; default now. The certificate is valid from 5 minutes before it. */
  readonly nowMs?: number;
}
export interface ServerCertificateOptions extends CertificateOptions {
  /** DNS names and IP addresses clients connect to (subjectAltName). */
  readonly hosts: readonly string[];
}
export interface DeviceCertificateOptions extends CertificateOptions {
  /** Where the device serves notifications, when it is to be checked by name (subjectAltName); optional. */
  readonly hosts?: readonly string[];
}

const OID = {
  commonName: '2.5.4.3',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** KeyUsage bit numbers (RFC 5280 4.2.1.3). */
const KeyUsageBit = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

const DAY_MS = 86_400_000;
// Tolerates a device clock a little behind the issuer's.
const BACKDATE_MS = 5 * 60_000;

const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));

function checkOptions(options: CertificateOptions): void {
  const { commonName, validDays } = options;
  if (
    typeof commonName !== 'string' ||
    commonName.length < 1 ||
    commonName.length > 64 ||
    [...commonName].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  ) {
    throw new TeError('TE_ERR_VALIDATION', 'commonName must be 1 to 64 printable characters', {
      path: 'commonName',
    });
  }
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > 36_500) {
    throw new TeError(
      'TE_ERR_VALIDATION',
      `validDays ${String(validDays)} must be a whole number from 1 to 36500`,
      {
        path: 'validDays',
      },
    );
  }
  if (options.nowMs !== undefined && !Number.isFinite(options.nowMs)) {
    throw new TeError('TE_ERR_VALIDATION', 'nowMs must be a finite number of ms', { path: 'nowMs' });
  }
}

function nameWithCommonName(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(oid), boolean(true), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits. */
function keyIdentifier(spki: Buffer): Buffer {
  const [, publicKeyBits] = readChildren(readElement(spki).content);
  if (publicKeyBits === undefined) {
    throw new TeError('TE_ERR_CERTIFICATE_INVALID', 'SubjectPublicKeyInfo has no key');
  }
  return createHash('sha1').update(publicKeyBits.content.subarray(1)).digest();
}

function randomSerial(): Buffer {
  // 16 random bytes, top bit clear so the INTEGER stays positive and within RFC 5280's 20 octets.
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  return serial;
}

interface Issuer {
  readonly name: Buffer;
  readonly keyId: Buffer;
  readonly key: KeyObject;
  readonly notAfterMs: number;
}

interface Subject {
  readonly name: Buffer;
  readonly spki: Buffer;
  readonly extensions: readonly Buffer[];
}

function buildCertificate(issuer: Issuer, subject: Subject, options: CertificateOptions): string {
  const nowMs = options.nowMs ?? Date.now();
  const notAfterMs = nowMs + options.validDays * DAY_MS;
  if (notAfterMs > issuer.notAfterMs) {
    throw new TeError(
      'TE_ERR_VALIDATION',
      `validDays ${options.validDays} would outlive the CA certificate`,
      {
        path: 'validDays',
        hint: `the CA is valid until ${new Date(issuer.notAfterMs).toISOString()}`,
      },
    );
  }
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(randomSerial()),
    signatureAlgorithm,
    issuer.name,
    sequence(x509Time(nowMs - BACKDATE_MS), x509Time(notAfterMs)),
    subject.name,
    subject.spki,
    explicit(3, sequence(...subject.extensions)),
  );
  // node signs ECDSA as a DER Ecdsa-Sig-Value, which is what the certificate's BIT STRING carries.
  const signature = sign('sha256', tbs, issuer.key);
  const der = sequence(tbs, signatureAlgorithm, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function newKeyPair(): { spki: Buffer; privateKey: KeyObject; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function basicConstraints(ca: boolean): Buffer {
  return extension(OID.basicConstraints, true, ca ? sequence(boolean(true)) : sequence());
}

function keyUsage(bits: readonly number[]): Buffer {
  return extension(OID.keyUsage, true, namedBits(bits));
}

function extendedKeyUsage(...purposes: readonly string[]): Buffer {
  return extension(OID.extendedKeyUsage, false, sequence(...purposes.map((p) => objectIdentifier(p))));
}

function keyIdentifiers(subjectKeyId: Buffer, authorityKeyId: Buffer): Buffer[] {
  return [
    extension(OID.subjectKeyIdentifier, false, octetString(subjectKeyId)),
    // [0] IMPLICIT KeyIdentifier
    extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, authorityKeyId))),
  ];
}

export function createCertificateAuthority(options: CertificateOptions): CertificateAuthority {
  checkOptions(options);
  const keys = newKeyPair();
  const name = nameWithCommonName(options.commonName);
  const keyId = keyIdentifier(keys.spki);
  const certPem = buildCertificate(
    { name, keyId, key: keys.privateKey, notAfterMs: Number.POSITIVE_INFINITY },
    {
      name,
      spki: keys.spki,
      extensions: [
        basicConstraints(true),
        keyUsage([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign]),
        ...keyIdentifiers(keyId, keyId),
      ],
    },
    options,
  );
  return { certPem, keyPem: keys.keyPem };
}

/** The issuer's subject and key identifier as encoded in its certificate, so chains match byte for byte. */
function readIssuer(ca: CertificateAuthority): Issuer {
  let certificate: X509Certificate;
  let key: KeyObject;
  try {
    certificate = new X509Certificate(ca.certPem);
    key = createPrivateKey(ca.keyPem);
  } catch (cause) {
    throw new TeError('TE_ERR_CERTIFICATE_INVALID', 'the CA certificate or key cannot be read', {
      cause,
      path: 'ca',
      hint: 'PEM text, as createCertificateAuthority returns it',
    });
  }
  if (!certificate.ca) {
    throw new TeError('TE_ERR_VALIDATION', 'the issuing certificate is not a CA (basicConstraints CA:TRUE)', {
      path: 'ca.certPem',
    });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TeError('TE_ERR_VALIDATION', 'the CA key must be EC P-256 (prime256v1)', {
      path: 'ca.keyPem',
      hint: 'IEEE 2030.5 uses ECDSA P-256 throughout',
    });
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new TeError('TE_ERR_VALIDATION', 'the CA key does not belong to the CA certificate', {
      path: 'ca.keyPem',
    });
  }
  const tbs = readChildren(readChildren(readElement(certificate.raw).content)[0]?.content ?? Buffer.alloc(0));
  const first = tbs[0]?.tag === 0xa0 ? 1 : 0; // [0] version is present in v3
  const subject = tbs[first + 4];
  const spki = tbs[first + 5];
  if (subject === undefined || spki === undefined) {
    throw new TeError('TE_ERR_CERTIFICATE_INVALID', 'the CA certificate has no subject', {
      path: 'ca.certPem',
    });
  }
  const extensions = tbs.find((element) => element.tag === 0xa3);
  let keyId: Buffer | undefined;
  for (const ext of extensions === undefined ? [] : readChildren(readElement(extensions.content).content)) {
    const [oid, ...rest] = readChildren(ext.content);
    const value = rest.at(-1);
    if (
      oid !== undefined &&
      value !== undefined &&
      readObjectIdentifier(oid.content) === OID.subjectKeyIdentifier
    ) {
      keyId = Buffer.from(readElement(value.content).content);
    }
  }
  return {
    name: Buffer.from(subject.encoded),
    keyId: keyId ?? keyIdentifier(Buffer.from(spki.encoded)),
    key,
    notAfterMs: Date.parse(certificate.validTo),
  };
}

function issueEndEntity(
  issuer: Issuer,
  options: CertificateOptions,
  purposeExtensions: readonly Buffer[],
): CertificateAndKey {
  const keys = newKeyPair();
  const certPem = buildCertificate(
    issuer,
    {
      name: nameWithCommonName(options.commonName),
      spki: keys.spki,
      extensions: [
        basicConstraints(false),
        keyUsage([KeyUsageBit.digitalSignature]),
        ...purposeExtensions,
        ...keyIdentifiers(keyIdentifier(keys.spki), issuer.keyId),
      ],
    },
    options,
  );
  return { certPem, keyPem: keys.keyPem };
}

/** Issues end-entity certificates from one CA, read and checked once. */
export interface CertificateIssuer {
  /**
   * The 2030.5 server's certificate, naming `hosts` in its subjectAltName: serverAuth, and clientAuth
   * too, because the server is the TLS client when it posts notifications to a device.
   */
  issueServerCertificate(options: ServerCertificateOptions): CertificateAndKey;
  /**
   * A device certificate: clientAuth, and serverAuth too, because a subscribed device serves the
   * notifications posted to it. The device's LFDI is derived from it (identity.ts).
   */
  issueDeviceCertificate(options: DeviceCertificateOptions): CertificateAndKey;
}

/**
 * An issuer for many certificates: reading the CA and proving its key matches takes about two thirds of
 * one certificate's time, so a batch (a fleet of test devices) does it once.
 */
export function certificateIssuer(ca: CertificateAuthority): CertificateIssuer {
  const issuer = readIssuer(ca);
  return {
    issueServerCertificate(options) {
      checkOptions(options);
      const names = subjectAltNames(options.hosts, 'hosts');
      return issueEndEntity(issuer, options, [
        extendedKeyUsage(OID.serverAuth, OID.clientAuth),
        extension(OID.subjectAltName, false, names),
      ]);
    },
    issueDeviceCertificate(options) {
      checkOptions(options);
      const names = options.hosts === undefined ? [] : [subjectAltNames(options.hosts, 'hosts')];
      return issueEndEntity(issuer, options, [
        extendedKeyUsage(OID.clientAuth, OID.serverAuth),
        ...names.map((n) => extension(OID.subjectAltName, false, n)),
      ]);
    },
  };
}

/** The 2030.5 server's certificate (serverAuth and clientAuth), naming `hosts` in its subjectAltName. */
export function issueServerCertificate(
  ca: CertificateAuthority,
  options: ServerCertificateOptions,
): CertificateAndKey {
  checkOptions(options);
  subjectAltNames(options.hosts, 'hosts'); // bad hosts are reported before a bad CA
  return certificateIssuer(ca).issueServerCertificate(options);
}

/** A device certificate (clientAuth and serverAuth); the device's LFDI is derived from it (identity.ts). */
export function issueDeviceCertificate(
  ca: CertificateAuthority,
  options: DeviceCertificateOptions,
): CertificateAndKey {
  checkOptions(options);
  if (options.hosts !== undefined) subjectAltNames(options.hosts, 'hosts');
  return certificateIssuer(ca).issueDeviceCertificate(options);
}
