/**
 * The VEN client's retries, time limits and abort, through a loopback HTTP proxy in front of the real
 * VTN that fails, stalls or cuts the first requests as a test asks (the VTN's own logic is not imitated:
 * what gets through is answered by it).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../http-client/api-error.js';
import { OPENADR3_BASE_PATH } from '../base-path.js';
import { programBody } from '../vtn-test.fixture.js';
import { liveVtn, type LiveVtn } from './ven-test.fixture.js';
import { VenClient } from './ven-client.js';

type Fault = (req: IncomingMessage, res: ServerResponse) => boolean;

interface Proxy {
  readonly url: string;
  /** Faults for the next requests, in order; a request with none left is forwarded. */
  readonly faults: Fault[];
  readonly seen: string[];
  close(): Promise<void>;
}

async function proxyTo(target: string): Promise<Proxy> {
  const targetUrl = new URL(target);
  const faults: Fault[] = [];
  const seen: string[] = [];
  const stalled = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const fault = faults.shift();
    if (fault !== undefined && fault(req, res)) {
      if (!res.writableEnded && !res.destroyed) stalled.add(res);
      return;
    }
    const upstream = httpRequest(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    seen,
    async close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const answer =
  (status: number, headers: Record<string, string> = {}): Fault =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
    res.end(JSON.stringify({ status, title: 'busy', detail: `injected ${status}` }));
    return true;
  };
const cut: Fault = (req) => {
  req.socket.destroy();
  return true;
};
const stall: Fault = () => true;

describe('the OpenADR VEN client retrying through a faulty proxy to the VTN', () => {
  let vtn: LiveVtn;
  let proxy: Proxy;
  beforeAll(async () => {
    vtn = await liveVtn('sqlite');
    await vtn.bl('POST', '/programs', programBody('retry-program'));
    proxy = await proxyTo(vtn.vtnUrl);
  });
  afterAll(async () => {
    await proxy?.close();
    await vtn?.dispose();
  });

  const client = (extra: Partial<ConstructorParameters<typeof VenClient>[0]> = {}) => {
    const retries: string[] = [];
    const ven = new VenClient({
      vtnUrl: `${proxy.url}${OPENADR3_BASE_PATH}`,
      clientId: 'client-prosumer',
      clientSecret: vtn.api.secrets.prosumer,
      retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
      onRetry: (_what, _attempt, reason) => retries.push(reason),
      ...extra,
    });
    return { ven, retries };
  };

  it('retries 503 and 429, waiting at least the Retry-After asked, and network errors', async () => {
    const { ven, retries } = client();
    await ven.token(); // discovery and token through the proxy, unfaulted
    proxy.faults.push(answer(503, { 'retry-after': '0.3' }), answer(429, { 'retry-after': '0' }), cut);
    const startedMs = performance.now();
    const programs = await ven.searchPrograms();
    const elapsedMs = performance.now() - startedMs;
    expect(programs.map((p) => p.programName)).toContain('retry-program');
    expect(retries).toHaveLength(3);
    expect(retries[0]).toMatch(/503/);
    expect(retries[1]).toMatch(/429/);
    // A lower bound only: the client may not come back before the VTN's Retry-After.
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
  });

  it('does not retry a refusal, and gives up after its attempts with the last problem', async () => {
    const { ven, retries } = client();
    await ven.token();
    proxy.faults.push(answer(400));
    await expect(ven.searchPrograms()).rejects.toMatchObject({ status: 400, detail: 'injected 400' });
    expect(retries).toEqual([]);
    proxy.faults.push(answer(502), answer(502), answer(502), answer(502));
    const error = (await ven.searchPrograms().catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(retries).toHaveLength(3);
  });

  it('ends an attempt that outlasts its time limit and tries again', async () => {
    const { ven, retries } = client({ requestTimeoutMs: 200 });
    await ven.token();
    proxy.faults.push(stall);
    expect((await ven.searchPrograms()).length).toBeGreaterThan(0);
    expect(retries).toHaveLength(1);
  });

  it('stops at once when aborted: a request under way, and a backoff wait', async () => {
    const stop = new AbortController();
    const { ven } = client({ signal: stop.signal, requestTimeoutMs: 60_000 });
    await ven.token();
    proxy.faults.push(stall);
    const stalled = ven.searchPrograms();
    while (!proxy.seen.at(-1)?.includes('/programs')) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    await expect(stalled).rejects.toMatchObject({ status: 0, code: 'TE_ERR_UNAVAILABLE' });

    const later = new AbortController();
    const waiting = client({
      signal: later.signal,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    await waiting.ven.token();
    proxy.faults.push(answer(503, { 'retry-after': '3600' }));
    const backingOff = waiting.ven.searchPrograms();
    while (waiting.retries.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    later.abort();
    await expect(backingOff).rejects.toMatchObject({ code: 'TE_ERR_UNAVAILABLE' });
    await expect(waiting.ven.searchPrograms()).rejects.toMatchObject({ code: 'TE_ERR_UNAVAILABLE' });
  });
});
