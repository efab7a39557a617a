/**
 * Test helper: a small PKI made with the openssl CLI in a temp dir: a device CA, a server certificate
 * for 127.0.0.1, device certificates, and a second CA whose certificates the server must refuse.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pem {
  readonly cert: string;
  readonly key: string;
}
export interface TestPki {
  readonly ca: Pem;
  readonly server: Pem;
  readonly device: Pem;
  readonly aggregator: Pem;
  readonly unregistered: Pem;
  readonly foreign: Pem;
  /**
   * Device certificates that may also serve TLS (clientAuth and serverAuth), for a device that
   * receives 2030.5 notifications with the certificate it subscribed with.
   */
  readonly subscribers: readonly [Pem, Pem];
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-sep-pki-'));
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const key = (name: string): string => {
    const path = join(dir, `${name}.key`);
    ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path);
    return path;
  };
  const selfSigned = (name: string): Pem => {
    const k = key(name);
    const c = join(dir, `${name}.pem`);
    ssl('req', '-new', '-x509', '-key', k, '-out', c, '-days', '2', '-subj', `/CN=${name}`, '-sha256');
    return { cert: readFileSync(c, 'utf8'), key: readFileSync(k, 'utf8') };
  };
  const issued = (name: string, issuer: string, extensions: string): Pem => {
    const k = key(name);
    const csr = join(dir, `${name}.csr`);
    const c = join(dir, `${name}.pem`);
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, extensions);
    ssl('req', '-new', '-key', k, '-out', csr, '-subj', `/CN=${name}`, '-sha256');
    ssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, `${issuer}.pem`),
      '-CAkey',
      join(dir, `${issuer}.key`),
      '-CAcreateserial',
      '-out',
      c,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      ext,
    );
    return { cert: readFileSync(c, 'utf8'), key: readFileSync(k, 'utf8') };
  };
  try {
    const client = 'extendedKeyUsage=clientAuth\n';
    const ca = selfSigned('ca');
    selfSigned('other-ca');
    return {
      ca,
      // clientAuth too: the server presents this certificate when it POSTs notifications to devices.
      server: issued('server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n'),
      device: issued('device', 'ca', client),
      aggregator: issued('aggregator', 'ca', client),
      unregistered: issued('unregistered', 'ca', client),
      foreign: issued('foreign', 'other-ca', client),
      subscribers: [
        issued('subscriber-a', 'ca', 'extendedKeyUsage=clientAuth,serverAuth\n'),
        issued('subscriber-b', 'ca', 'extendedKeyUsage=clientAuth,serverAuth\n'),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
