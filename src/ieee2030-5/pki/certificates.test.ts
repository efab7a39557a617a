import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeError } from '../../core/errors.js';
import { identityFromCertificate } from '../identity.js';
import { hasOpenssl } from '../server/test-pki.fixture.js';
import {
  certificateIssuer,
  createCertificateAuthority,
  issueDeviceCertificate,
  issueServerCertificate,
  type CertificateAndKey,
} from './certificates.js';

const OPENSSL = hasOpenssl();
if (!OPENSSL)
  console.warn('openssl CLI not found: the openssl cross-checks of the issued certificates are skipped');

function teErrorOf(run: () => unknown): TeError {
  try {
    run();
  } catch (error) {
    if (error instanceof TeError) return error;
    throw error;
  }
  throw new Error('expected a TeError');
}

const ca = createCertificateAuthority({ commonName: 'tenet test CA', validDays: 30 });
const otherCa = createCertificateAuthority({ commonName: 'another CA', validDays: 30 });
const server = issueServerCertificate(ca, {
  commonName: 'sep server',
  hosts: [
    'localhost',
    '127.0.0.1',
    '::1',
    'sep.example.net',
    '2001:db8::8:800:200c:417a',
    '::ffff:192.0.2.1',
  ],
  validDays: 7,
});
const device = issueDeviceCertificate(ca, { commonName: 'device 1', validDays: 7 });
const foreignDevice = issueDeviceCertificate(otherCa, { commonName: 'device from elsewhere', validDays: 7 });
const caCertificate = new X509Certificate(ca.certPem);

describe('certificates built with node:crypto', () => {
  it('makes a self-signed CA that node accepts as one', () => {
    expect(caCertificate.ca).toBe(true);
    expect(caCertificate.subject).toBe('CN=tenet test CA');
    expect(caCertificate.checkIssued(caCertificate)).toBe(true);
    expect(caCertificate.verify(caCertificate.publicKey)).toBe(true);
    expect(caCertificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('issues server and device certificates that chain to the CA and not to another', () => {
    for (const issued of [server, device]) {
      const certificate = new X509Certificate(issued.certPem);
      expect(certificate.ca).toBe(false);
      expect(certificate.issuer).toBe('CN=tenet test CA');
      expect(certificate.checkIssued(caCertificate)).toBe(true);
      expect(certificate.verify(caCertificate.publicKey)).toBe(true);
      expect(certificate.verify(new X509Certificate(otherCa.certPem).publicKey)).toBe(false);
    }
  });

  it('names the server hosts in subjectAltName so TLS host checks pass', () => {
    const certificate = new X509Certificate(server.certPem);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkHost('sep.example.net')).toBe('sep.example.net');
    expect(certificate.checkHost('other.example.net')).toBeUndefined();
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkIP('::1')).toBe('::1');
    expect(certificate.checkIP('2001:db8:0:0:8:800:200c:417a')).toBeDefined();
    expect(certificate.checkIP('::ffff:192.0.2.1')).toBeDefined();
    expect(certificate.checkIP('127.0.0.2')).toBeUndefined();
  });

  it('gives each device a distinct 40-hex LFDI and a positive random serial', () => {
    const certificate = new X509Certificate(device.certPem);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1']);
    expect(certificate.subjectAltName).toBeUndefined();
    const identity = identityFromCertificate(device.certPem);
    expect(identity.lfdi).toMatch(/^[0-9A-F]{40}$/);
    const second = issueDeviceCertificate(ca, { commonName: 'device 1', validDays: 7 });
    expect(identityFromCertificate(second.certPem).lfdi).not.toBe(identity.lfdi);
    expect(new X509Certificate(second.certPem).serialNumber).not.toBe(certificate.serialNumber);
    // serialNumber is hex; a top bit set would mean a negative INTEGER.
    expect(Number.parseInt(certificate.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
  });

  it('starts validity 5 minutes before nowMs and ends validDays after it, past 2049 too', () => {
    const nowMs = Date.parse('2049-06-01T12:00:00Z');
    const longCa = createCertificateAuthority({ commonName: 'long CA', validDays: 36_500, nowMs });
    const issued = issueDeviceCertificate(longCa, { commonName: 'd', validDays: 365, nowMs });
    const certificate = new X509Certificate(issued.certPem);
    expect(Date.parse(certificate.validFrom)).toBe(nowMs - 5 * 60_000);
    expect(Date.parse(certificate.validTo)).toBe(Date.parse('2050-06-01T12:00:00Z'));
    expect(certificate.verify(new X509Certificate(longCa.certPem).publicKey)).toBe(true);
  });

  it('issues a batch from one prepared issuer, each chaining to the CA', () => {
    const issuer = certificateIssuer(ca);
    const batch = Array.from({ length: 20 }, (_, i) =>
      issuer.issueDeviceCertificate({ commonName: `batch ${i}`, validDays: 1 }),
    );
    const lfdis = new Set(batch.map((d) => identityFromCertificate(d.certPem).lfdi));
    expect(lfdis.size).toBe(20);
    for (const d of batch) expect(new X509Certificate(d.certPem).verify(caCertificate.publicKey)).toBe(true);
    const issuedServer = issuer.issueServerCertificate({ commonName: 's', hosts: ['::1'], validDays: 1 });
    expect(new X509Certificate(issuedServer.certPem).checkIP('::1')).toBe('::1');
    expect(teErrorOf(() => issuer.issueDeviceCertificate({ commonName: '', validDays: 1 })).path).toBe(
      'commonName',
    );
    expect(teErrorOf(() => certificateIssuer(device)).path).toBe('ca.certPem');
  });

  it.skipIf(!OPENSSL)('passes openssl x509 -text and openssl verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenet-pki-openssl-'));
    try {
      const file = (name: string, pem: string): string => {
        const path = join(dir, name);
        writeFileSync(path, pem);
        return path;
      };
      const caFile = file('ca.pem', ca.certPem);
      const serverFile = file('server.pem', server.certPem);
      const deviceFile = file('device.pem', device.certPem);
      const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', serverFile], {
        encoding: 'utf8',
      });
      expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
      expect(text).toContain('CA:FALSE');
      expect(text).toContain('Digital Signature');
      expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
      expect(text).toMatch(/IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
      const caText = execFileSync('openssl', ['x509', '-noout', '-text', '-in', caFile], {
        encoding: 'utf8',
      });
      expect(caText).toContain('CA:TRUE');
      expect(caText).toContain('Certificate Sign, CRL Sign');
      const verified = execFileSync(
        'openssl',
        ['verify', '-x509_strict', '-CAfile', caFile, serverFile, deviceFile],
        { encoding: 'utf8' },
      );
      expect(verified).toBe(`${serverFile}: OK\n${deviceFile}: OK\n`);
      // Both roles: the server posts notifications as a client, a subscribed device serves them.
      for (const [purpose, path] of [
        ['sslclient', serverFile],
        ['sslserver', deviceFile],
        ['sslclient', deviceFile],
        ['sslserver', serverFile],
      ] as const) {
        const out = execFileSync('openssl', ['verify', '-purpose', purpose, '-CAfile', caFile, path], {
          encoding: 'utf8',
        });
        expect(out, `${purpose} ${path}`).toBe(`${path}: OK\n`);
      }
      const foreignFile = file('foreign.pem', foreignDevice.certPem);
      expect(() =>
        execFileSync('openssl', ['verify', '-CAfile', caFile, foreignFile], { stdio: 'pipe' }),
      ).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('mutual TLS with the issued certificates', () => {
  let https: Server;
  let port: number;
  beforeAll(async () => {
    https = createServer(
      {
        cert: server.certPem,
        key: server.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate(true);
        res.end(identityFromCertificate(peer.raw).lfdi);
      },
    );
    https.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    port = (https.address() as AddressInfo).port;
  });
  afterAll(async () => {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
  });

  const get = (client: CertificateAndKey, trust = ca.certPem): Promise<string> =>
    new Promise((resolve, reject) => {
      request(
        {
          host: '127.0.0.1',
          port,
          path: '/',
          ca: trust,
          cert: client.certPem,
          key: client.keyPem,
          agent: false,
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        },
      )
        .on('error', reject)
        .end();
    });

  it('completes the handshake both ways and the server reads the device LFDI', async () => {
    expect(await get(device)).toBe(identityFromCertificate(device.certPem).lfdi);
  });

  it('refuses a device certificate from another CA', async () => {
    await expect(get(foreignDevice)).rejects.toThrow();
  });

  it('a client that trusts another CA refuses the server', async () => {
    await expect(get(device, otherCa.certPem)).rejects.toThrow(/certificate/i);
  });
});

describe('refusals', () => {
  it('refuses bad names and validity', () => {
    for (const commonName of ['', 'x'.repeat(65), 'line\nbreak']) {
      expect(teErrorOf(() => issueDeviceCertificate(ca, { commonName, validDays: 1 })).path).toBe(
        'commonName',
      );
    }
    for (const validDays of [0, -1, 1.5, Number.NaN, 36_501]) {
      const error = teErrorOf(() => createCertificateAuthority({ commonName: 'x', validDays }));
      expect([error.code, error.path]).toEqual(['TE_ERR_VALIDATION', 'validDays']);
    }
    expect(teErrorOf(() => issueDeviceCertificate(ca, { commonName: 'x', validDays: 31 })).message).toMatch(
      /outlive the CA/,
    );
  });

  it('names the hosts a device serves notifications on when asked, and checks them', () => {
    const serving = issueDeviceCertificate(ca, { commonName: 'd', validDays: 1, hosts: ['192.0.2.7'] });
    expect(new X509Certificate(serving.certPem).checkIP('192.0.2.7')).toBe('192.0.2.7');
    const error = teErrorOf(() =>
      issueDeviceCertificate(ca, { commonName: 'd', validDays: 1, hosts: ['a b'] }),
    );
    expect([error.code, error.path]).toEqual(['TE_ERR_VALIDATION', 'hosts/0']);
  });

  it('refuses hosts that are neither IP addresses nor DNS names, naming the index', () => {
    const hosts = (list: string[]): TeError =>
      teErrorOf(() => issueServerCertificate(ca, { commonName: 's', hosts: list, validDays: 1 }));
    expect(hosts([]).path).toBe('hosts');
    for (const bad of [
      '[::1]',
      '127.0.0.1:443',
      'fe80::1%eth0',
      'bad host',
      '-leading.example',
      'a..b',
      '',
    ]) {
      const error = hosts(['localhost', bad]);
      expect([error.code, error.path]).toEqual(['TE_ERR_VALIDATION', 'hosts/1']);
    }
  });

  it('refuses an issuer that is not a CA, a mismatched or non-P-256 key, and unreadable PEM', () => {
    expect(teErrorOf(() => issueDeviceCertificate(device, { commonName: 'x', validDays: 1 })).path).toBe(
      'ca.certPem',
    );
    const mismatched = { certPem: ca.certPem, keyPem: otherCa.keyPem };
    expect(teErrorOf(() => issueDeviceCertificate(mismatched, { commonName: 'x', validDays: 1 })).path).toBe(
      'ca.keyPem',
    );
    const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const rsa = { certPem: ca.certPem, keyPem: rsaKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    expect(teErrorOf(() => issueDeviceCertificate(rsa, { commonName: 'x', validDays: 1 })).message).toMatch(
      /P-256/,
    );
    const garbage = { certPem: 'not a certificate', keyPem: ca.keyPem };
    expect(teErrorOf(() => issueDeviceCertificate(garbage, { commonName: 'x', validDays: 1 })).code).toBe(
      'TE_ERR_CERTIFICATE_INVALID',
    );
  });
});
