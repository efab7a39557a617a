/**
 * Security profile 2 (Basic auth over TLS on the API port) and CSMS-initiated calls that time out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { platformWithStation, station, T0, type Cleanups } from './csms.fixture.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for 127.0.0.1 made by the openssl CLI: its files and the PEM text. */
function selfSignedCertificate(): { certFile: string; keyFile: string; pem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-ocpp-tls-'));
  cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat(
      ['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'],
      ['-addext', 'subjectAltName=IP:127.0.0.1'],
    ),
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}

describe('the OCPP CSMS, security profile 2 and call timeouts', () => {
  it.skipIf(!hasOpenssl())(
    'accepts a station over wss:// on the TLS API port, and refuses plain ws://',
    async () => {
      const cert = selfSignedCertificate();
      const platform = await platformWithStation(
        cleanups,
        `  tls:\n    certFile: ${JSON.stringify(cert.certFile)}\n    keyFile: ${JSON.stringify(cert.keyFile)}\n`,
      );
      const cs = station(cleanups, platform, { scheme: 'wss', ca: cert.pem });
      await cs.connect();
      expect(await cs.call('Heartbeat', {})).toEqual({ currentTime: new Date(T0).toISOString() });
      await expect(station(cleanups, platform).connect()).rejects.toThrow();
    },
  );

  it('turns a station that does not answer in time into TE_ERR_OCPP_CALL_FAILED', async () => {
    const platform = await platformWithStation(cleanups);
    const cs = station(cleanups, platform);
    // The scripted station takes a GetCompositeSchedule and never answers.
    cs.handle('GetCompositeSchedule', () => new Promise(() => {}));
    await cs.connect();
    const started = Date.now();
    await expect(
      platform.ocpp.callStation('CS-1', 'GetCompositeSchedule', { duration: 3_600, evseId: 1 }, 200),
    ).rejects.toMatchObject({ code: 'TE_ERR_OCPP_CALL_FAILED' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
