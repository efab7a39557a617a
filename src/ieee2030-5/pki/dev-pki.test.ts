import { X509Certificate } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TeError } from '../../core/errors.js';
import { createCertificateAuthority, issueServerCertificate } from './certificates.js';
import { ensureSepPki, SEP_PKI_DIRECTORY } from './dev-pki.js';

const scratch: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-dev-pki-'));
  scratch.push(dir);
  return dir;
}
const readFile = (path: string): string => readFileSync(path, 'utf8');
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function refusal(dir: string): Promise<TeError> {
  try {
    await ensureSepPki(dir);
  } catch (error) {
    if (error instanceof TeError) return error;
    throw error;
  }
  throw new Error('expected ensureSepPki to refuse');
}

describe('ensureSepPki', () => {
  it('creates a CA and a loopback server certificate with private keys, then loads the same ones', async () => {
    const dir = dataDir();
    const first = await ensureSepPki(join(dir, 'not-yet-there'));
    const pkiDir = join(dir, 'not-yet-there', SEP_PKI_DIRECTORY);
    expect(readdirSync(pkiDir).sort()).toEqual(['ca.key', 'ca.pem', 'server.key', 'server.pem']);
    expect(readdirSync(join(dir, 'not-yet-there'))).toEqual([SEP_PKI_DIRECTORY]); // no scratch left
    if (process.platform !== 'win32') {
      expect(statSync(join(pkiDir, 'ca.key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(pkiDir, 'server.key')).mode & 0o777).toBe(0o600);
    }
    const ca = new X509Certificate(first.caCertPem);
    const server = new X509Certificate(first.serverCertPem);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBeDefined();
    expect(server.checkIP('::1')).toBeDefined();
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(await ensureSepPki(join(dir, 'not-yet-there'))).toEqual(first);
  });

  it('gives two concurrent first calls the same CA', async () => {
    const dir = dataDir();
    const [a, b] = await Promise.all([ensureSepPki(dir), ensureSepPki(dir)]);
    expect(a).toEqual(b);
    expect(readdirSync(dir)).toEqual([SEP_PKI_DIRECTORY]);
  });

  it('reissues a deleted server pair from the existing CA', async () => {
    const dir = dataDir();
    const first = await ensureSepPki(dir);
    unlinkSync(join(dir, SEP_PKI_DIRECTORY, 'server.pem'));
    unlinkSync(join(dir, SEP_PKI_DIRECTORY, 'server.key'));
    const second = await ensureSepPki(dir);
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.serverCertPem).not.toBe(first.serverCertPem);
    expect(await ensureSepPki(dir)).toEqual(second);
  });

  it('refuses, naming the file, rather than regenerating', async () => {
    const cases: [string, (pki: string) => void, RegExp][] = [
      ['ca.pem', (pki) => writeFileSync(join(pki, 'ca.pem'), 'garbage'), /not a PEM certificate/],
      ['ca.key', (pki) => writeFileSync(join(pki, 'ca.key'), 'garbage'), /not a PEM private key/],
      ['ca.key', (pki) => unlinkSync(join(pki, 'ca.key')), /missing/],
      ['server.key', (pki) => unlinkSync(join(pki, 'server.key')), /missing/],
      ['server.pem', (pki) => unlinkSync(join(pki, 'server.pem')), /missing/],
      [
        'ca.pem',
        (pki) => {
          unlinkSync(join(pki, 'ca.pem'));
          mkdirSync(join(pki, 'ca.pem')); // present but unreadable as a file, whoever runs the test
        },
        /cannot be read/,
      ],
      [
        'server.key',
        (pki) => {
          const other = createCertificateAuthority({ commonName: 'x', validDays: 2 });
          writeFileSync(join(pki, 'server.key'), other.keyPem);
        },
        /not the key of server\.pem/,
      ],
      [
        'server.pem',
        (pki) => {
          const other = createCertificateAuthority({ commonName: 'x', validDays: 2 });
          const foreign = issueServerCertificate(other, {
            commonName: 's',
            hosts: ['localhost'],
            validDays: 1,
          });
          writeFileSync(join(pki, 'server.pem'), foreign.certPem);
          writeFileSync(join(pki, 'server.key'), foreign.keyPem);
        },
        /not issued by ca\.pem/,
      ],
      [
        'server.pem',
        (pki) => {
          const other = createCertificateAuthority({ commonName: 'x', validDays: 2 });
          const old = issueServerCertificate(other, {
            commonName: 's',
            hosts: ['localhost'],
            validDays: 1,
            nowMs: Date.now() - 3 * 86_400_000,
          });
          writeFileSync(join(pki, 'server.pem'), old.certPem);
          writeFileSync(join(pki, 'server.key'), old.keyPem);
        },
        /expired/,
      ],
      [
        'ca.pem',
        (pki) => {
          // The server certificate where the CA should be: a pair that matches but is no CA.
          writeFileSync(join(pki, 'ca.pem'), readFile(join(pki, 'server.pem')));
          writeFileSync(join(pki, 'ca.key'), readFile(join(pki, 'server.key')));
        },
        /not a CA certificate/,
      ],
    ];
    for (const [file, damage, message] of cases) {
      const dir = dataDir();
      const pki = join(dir, SEP_PKI_DIRECTORY);
      const before = await ensureSepPki(dir);
      damage(pki);
      const error = await refusal(dir);
      expect([error.code, error.path], `${file} ${String(message)}`).toEqual([
        'TE_ERR_CONFIG',
        join(pki, file),
      ]);
      expect(error.message).toMatch(message);
      expect(error.hint).toMatch(/delete/);
      // Nothing was replaced behind the operator's back.
      if (file !== 'ca.pem') expect(readFile(join(pki, 'ca.pem'))).toBe(before.caCertPem);
    }
  });

  it('refuses a data directory it cannot write', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'file'), 'a file, not a directory');
    const error = await refusal(join(dir, 'file'));
    expect(error.code).toBe('TE_ERR_CONFIG');
  });
});
