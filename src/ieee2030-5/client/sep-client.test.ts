import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTeError, type TeError } from '../../core/errors.js';
import { SeededRandom } from '../../core/random.js';
import { decodeDeviceCapability, encodeDeviceCapability } from '../resources.js';
import { hasOpenssl, makeTestPki, type TestPki } from '../server/test-pki.fixture.js';
import { walkSepTree } from './discovery.js';
import { DEVICE_PIN, startLoopbackSep, type LoopbackSep } from './sep-client-test.fixture.js';
import { SepClient } from './sep-client.js';

const NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0);
const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

async function failure(promise: Promise<unknown>): Promise<TeError> {
  try {
    await promise;
  } catch (error) {
    if (isTeError(error)) return error;
    throw error;
  }
  throw new Error('expected a coded error');
}

/** An HTTPS server (server certificate from the test PKI, no client check) answering with `handler`. */
async function fakeServer(
  pki: TestPki,
  handler: Parameters<typeof createHttpsServer>[1],
): Promise<{ server: Server; url: string }> {
  const server = createHttpsServer({ cert: pki.server.cert, key: pki.server.key }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/sep2/dcap` };
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe.skipIf(!hasOpenssl())('SepClient over mutual TLS', () => {
  let pki: TestPki;
  let sep: LoopbackSep;
  const clientFor = (url: string, extra: Partial<ConstructorParameters<typeof SepClient>[0]> = {}) =>
    new SepClient({
      dcapUrl: url,
      tls: { cert: pki.device.cert, key: pki.device.key, ca: pki.ca.cert },
      retry: FAST_RETRY,
      random: new SeededRandom(7),
      ...extra,
    });

  beforeAll(async () => {
    pki = makeTestPki();
    sep = await startLoopbackSep(pki, () => NOW_MS);
  });
  afterAll(async () => sep?.server.close());

  it('reads DeviceCapability with the device certificate and keeps the connection alive', async () => {
    const client = sep.client();
    try {
      const dcap = await client.get(client.dcapUrl, decodeDeviceCapability);
      expect(dcap.TimeLink?.href).toBe('/sep2/tm');
      await client.get(client.dcapUrl, decodeDeviceCapability);
      expect(client.requests).toBe(2);
      expect(client.retries).toBe(0);
      expect(client.identity.lfdi).toBe(sep.device.lfdi);
    } finally {
      client.close();
    }
  });

  it('refuses a plain http dcap URL', () => {
    expect(() => clientFor('http://127.0.0.1:1/dcap')).toThrow(/https/);
  });

  it('names the href and status of a refusal, without retrying a 4xx', async () => {
    const client = sep.client({ retry: FAST_RETRY });
    try {
      const error = await failure(client.get('/sep2/derp/nothing-here', decodeDeviceCapability));
      expect(error.code).toBe('TE_ERR_SEP_CLIENT_STATUS');
      expect(error.message).toContain('/sep2/derp/nothing-here');
      expect(error.message).toContain('HTTP 404');
      expect(error.message).toContain('TE_ERR_NOT_FOUND');
      expect(client.retries).toBe(0);
    } finally {
      client.close();
    }
  });

  it('a certificate the server does not know gets a coded refusal', async () => {
    const client = new SepClient({
      dcapUrl: `${sep.server.url}/dcap`,
      tls: { cert: pki.unregistered.cert, key: pki.unregistered.key, ca: pki.ca.cert },
      retry: FAST_RETRY,
    });
    try {
      const error = await failure(walkSepTree(client, { pin: DEVICE_PIN, nowMs: () => NOW_MS }));
      expect(error.code).toBe('TE_ERR_SEP_CLIENT_STATUS');
      expect(error.message).toContain('403');
    } finally {
      client.close();
    }
  });

  it('refuses an href that leads off the server, before sending anything', async () => {
    const client = sep.client();
    try {
      for (const href of ['https://elsewhere.example/sep2/rsps', 'http://127.0.0.1/sep2/rsps', '//evil/x']) {
        const error = await failure(client.post(href, '<x/>'));
        expect(error.code).toBe('TE_ERR_SEP_CLIENT_RESOURCE');
      }
      const port = `https://127.0.0.1:${sep.server.port + 1}/sep2/dcap`;
      expect((await failure(client.get(port, decodeDeviceCapability))).message).toContain('leads off');
      expect(client.requests).toBe(0);
    } finally {
      client.close();
    }
  });

  it('retries a 503 with backoff and then succeeds', async () => {
    let calls = 0;
    const { server, url } = await fakeServer(pki, (_req, res) => {
      calls += 1;
      if (calls <= 2) {
        res.writeHead(503).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/sep+xml' })
        .end(encodeDeviceCapability({ href: '/x' }));
    });
    const retried: number[] = [];
    const client = clientFor(url, { onRetry: (_href, attempt) => retried.push(attempt) });
    try {
      expect((await client.get(url, decodeDeviceCapability)).href).toBe('/x');
      expect(retried).toEqual([1, 2]);
    } finally {
      client.close();
      await closeServer(server);
    }
  });

  it('gives up on a server that keeps failing with 500, naming the status', async () => {
    const { server, url } = await fakeServer(pki, (_req, res) => void res.writeHead(500).end());
    const client = clientFor(url);
    try {
      const error = await failure(client.get(url, decodeDeviceCapability));
      expect(error.code).toBe('TE_ERR_SEP_CLIENT_STATUS');
      expect(error.message).toMatch(/HTTP 500/);
      expect(client.requests).toBe(FAST_RETRY.maxAttempts);
    } finally {
      client.close();
      await closeServer(server);
    }
  });

  it('a server that is down: retries, then TE_ERR_SEP_CLIENT_UNREACHABLE naming the href', async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = clientFor(`https://127.0.0.1:${port}/sep2/dcap`);
    try {
      const error = await failure(client.get(client.dcapUrl, decodeDeviceCapability));
      expect(error.code).toBe('TE_ERR_SEP_CLIENT_UNREACHABLE');
      expect(error.message).toContain(`127.0.0.1:${port}/sep2/dcap`);
      expect(error.message).toContain('after 3 attempts');
      expect(client.retries).toBe(2);
    } finally {
      client.close();
    }
  });

  it('a server that never answers: each attempt times out, the whole call ends in bounded time', async () => {
    const { server, url } = await fakeServer(pki, () => undefined);
    const client = clientFor(url, { requestTimeoutMs: 100 });
    const started = Date.now();
    try {
      const error = await failure(client.get(url, decodeDeviceCapability));
      expect(error.code).toBe('TE_ERR_SEP_CLIENT_UNREACHABLE');
      expect(error.message).toContain('no answer within 100 ms');
      // Three attempts of 100 ms plus two short backoffs.
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      client.close();
      await closeServer(server);
    }
  });

  it('abort ends the request under way at once', async () => {
    const { server, url } = await fakeServer(pki, () => undefined);
    const stop = new AbortController();
    const client = clientFor(url, { requestTimeoutMs: 10_000, signal: stop.signal });
    const started = Date.now();
    try {
      setTimeout(() => stop.abort(), 50);
      const error = await failure(client.get(url, decodeDeviceCapability));
      expect(error.code).toBe('TE_ERR_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      client.close();
      await closeServer(server);
    }
  });

  it('refuses an oversized answer and a malformed one with coded errors naming the href', async () => {
    const { server, url } = await fakeServer(pki, (req, res) => {
      if (req.url === '/big') res.writeHead(200).end('<a>'.padEnd(200_000, 'x'));
      else res.writeHead(200).end('<DeviceCapability xmlns="urn:ieee:std:2030.5:ns"><unclosed>');
    });
    const client = clientFor(url);
    try {
      const big = await failure(client.get('/big', decodeDeviceCapability));
      expect(big.code).toBe('TE_ERR_INPUT_TOO_LARGE');
      const bad = await failure(client.get('/bad', decodeDeviceCapability));
      expect(bad.code).toBe('TE_ERR_XML_MALFORMED');
      expect(bad.message).toContain('GET /bad');
      expect(client.retries).toBe(0);
    } finally {
      client.close();
      await closeServer(server);
    }
  });
});
