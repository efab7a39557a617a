/**
 * The development PKI of a tenet data directory: a CA for devices and the 2030.5 server's certificate,
 * made on first use under `{dataDir}/sep-pki/` and loaded afterwards. Files that are there but unreadable
 * or do not belong together are refused with their path rather than replaced, because regenerating the CA
 * would silently lock out every device it issued.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TeError } from '../../core/errors.js';
import {
  createCertificateAuthority,
  issueServerCertificate,
  type CertificateAndKey,
  type CertificateAuthority,
} from './certificates.js';

export interface SepPki {
  readonly caCertPem: string;
  readonly caKeyPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

export const SEP_PKI_DIRECTORY = 'sep-pki';
export const SEP_PKI_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca.key',
  serverCert: 'server.pem',
  serverKey: 'server.key',
} as const;
/** Where the server certificate is valid: loopback by name and by both address families. */
export const SEP_DEV_SERVER_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];
const CA_VALID_DAYS = 3650;
const SERVER_VALID_DAYS = 825;

const DELETE_HINT = `delete ${SEP_PKI_FILES.serverCert} and ${SEP_PKI_FILES.serverKey} to have the server certificate reissued from the CA, or the whole ${SEP_PKI_DIRECTORY} directory to start a new CA (devices issued by the old CA are then refused)`;

function configError(path: string, message: string, cause?: unknown): TeError {
  return new TeError('TE_ERR_CONFIG', message, { path, hint: DELETE_HINT, cause });
}

/** The file's text, undefined when absent, refused when present but unreadable. */
async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw configError(path, `${path} cannot be read`, cause);
  }
}

function parseCertificate(path: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    throw configError(path, `${path} is not a PEM certificate`, cause);
  }
}

function parseKey(path: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw configError(path, `${path} is not a PEM private key`, cause);
  }
}

/** Checks a certificate and key read from disk belong together (and, for the server, to the CA). */
function checkPair(
  dir: string,
  names: { cert: string; key: string },
  pair: CertificateAndKey,
  issuer?: X509Certificate,
): X509Certificate {
  const certPath = join(dir, names.cert);
  const certificate = parseCertificate(certPath, pair.certPem);
  const key = parseKey(join(dir, names.key), pair.keyPem);
  if (!certificate.checkPrivateKey(key)) {
    throw configError(join(dir, names.key), `${names.key} is not the key of ${names.cert}`);
  }
  if (Date.parse(certificate.validTo) <= Date.now()) {
    throw configError(certPath, `${certPath} expired on ${certificate.validTo}`);
  }
  if (issuer === undefined) {
    if (!certificate.ca) throw configError(certPath, `${certPath} is not a CA certificate`);
  } else if (!certificate.checkIssued(issuer) || !certificate.verify(issuer.publicKey)) {
    throw configError(certPath, `${certPath} was not issued by ${SEP_PKI_FILES.caCert}`);
  }
  return certificate;
}

async function writePair(
  dir: string,
  names: { cert: string; key: string },
  pair: CertificateAndKey,
): Promise<void> {
  // `wx`: never overwrite; a key is readable by its owner only.
  await writeFile(join(dir, names.key), pair.keyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(join(dir, names.cert), pair.certPem, { mode: 0o644, flag: 'wx' });
}

const CA_NAMES = { cert: SEP_PKI_FILES.caCert, key: SEP_PKI_FILES.caKey };
const SERVER_NAMES = { cert: SEP_PKI_FILES.serverCert, key: SEP_PKI_FILES.serverKey };

function issueServer(ca: CertificateAuthority): CertificateAndKey {
  return issueServerCertificate(ca, {
    commonName: 'tenet IEEE 2030.5 server (development)',
    hosts: SEP_DEV_SERVER_HOSTS,
    validDays: SERVER_VALID_DAYS,
  });
}

/**
 * Makes the whole PKI in a scratch directory beside the target and renames it into place, so a crash
 * leaves no half-written PKI and two processes starting at once end up sharing the one that won.
 */
async function createAll(dataDir: string, dir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const scratch = await mkdtemp(join(dataDir, `.${SEP_PKI_DIRECTORY}-`));
  try {
    const ca = createCertificateAuthority({
      commonName: 'tenet IEEE 2030.5 development CA',
      validDays: CA_VALID_DAYS,
    });
    await writePair(scratch, CA_NAMES, ca);
    await writePair(scratch, SERVER_NAMES, issueServer(ca));
    await rename(scratch, dir);
  } catch (cause) {
    await rm(scratch, { recursive: true, force: true });
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return; // another process made it first
    if (cause instanceof TeError) throw cause;
    throw configError(dir, `the development PKI could not be written to ${dir}`, cause);
  }
}

/**
 * The development CA and server certificate under `{dataDir}/sep-pki/`, created on the first call. A
 * missing server pair is reissued from the existing CA (which is how the server certificate is renewed);
 * every other partial, unreadable or mismatched state is TE_ERR_CONFIG naming the file.
 */
export async function ensureSepPki(dataDir: string): Promise<SepPki> {
  const dir = join(dataDir, SEP_PKI_DIRECTORY);
  const read = async (name: string): Promise<string | undefined> => readOptional(join(dir, name));
  const load = async (): Promise<(string | undefined)[]> =>
    Promise.all(Object.values(SEP_PKI_FILES).map((name) => read(name)));

  let [caCertPem, caKeyPem, serverCertPem, serverKeyPem] = await load();
  if ([caCertPem, caKeyPem, serverCertPem, serverKeyPem].every((text) => text === undefined)) {
    await createAll(dataDir, dir);
    [caCertPem, caKeyPem, serverCertPem, serverKeyPem] = await load();
  }
  if (caCertPem === undefined || caKeyPem === undefined) {
    const missing = join(dir, caCertPem === undefined ? SEP_PKI_FILES.caCert : SEP_PKI_FILES.caKey);
    throw configError(missing, `${missing} is missing while other PKI files exist`);
  }
  const ca = { certPem: caCertPem, keyPem: caKeyPem };
  const caCertificate = checkPair(dir, CA_NAMES, ca);
  if (serverCertPem === undefined && serverKeyPem === undefined) {
    const server = issueServer(ca);
    try {
      await writePair(dir, SERVER_NAMES, server);
    } catch (cause) {
      throw configError(dir, `the server certificate could not be written to ${dir}`, cause);
    }
    return { caCertPem, caKeyPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem };
  }
  if (serverCertPem === undefined || serverKeyPem === undefined) {
    const missing = join(
      dir,
      serverCertPem === undefined ? SEP_PKI_FILES.serverCert : SEP_PKI_FILES.serverKey,
    );
    throw configError(missing, `${missing} is missing while its pair exists`);
  }
  checkPair(dir, SERVER_NAMES, { certPem: serverCertPem, keyPem: serverKeyPem }, caCertificate);
  return { caCertPem, caKeyPem, serverCertPem, serverKeyPem };
}
