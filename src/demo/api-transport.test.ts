import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { PlatformApiClient, type OrderSubmission } from './api-client.js';
import { ApiError } from '../http-client/api-error.js';
import { ApiTransport } from '../http-client/api-transport.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A real HTTP server on loopback answering with `handler`. */
async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

const HOME = { clientId: 'home-1.c', clientSecret: 's3cret' };
const transportFor = (baseUrl: string, extra: Partial<ConstructorParameters<typeof ApiTransport>[0]> = {}) =>
  new ApiTransport({
    baseUrl,
    random: new SeededRandom(1),
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });

const ORDER: OrderSubmission = {
  marketId: 'm',
  slotStartMs: 300_000,
  participantId: 'home-1',
  clientOrderId: 'home-1-300000-buy',
  side: 'buy',
  steps: [{ price: 1, quantity: 0.5 }],
};

/** Answers the token endpoint; `expiresIn` seconds; counts the tokens issued. */
function tokenEndpoint(expiresIn = 3600) {
  const issued: string[] = [];
  const handle = (req: IncomingMessage, body: string, res: ServerResponse): boolean => {
    if (req.url !== '/oauth/token') return false;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== HOME.clientSecret) {
      json(res, 401, { code: 'TE_ERR_INVALID_CLIENT', title: 'Client authentication failed' });
      return true;
    }
    const token = `t${issued.length + 1}`;
    issued.push(token);
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
    return true;
  };
  return { issued, handle };
}

describe('ApiTransport and PlatformApiClient', () => {
  it('gets one token for many requests and sends it as a bearer token', async () => {
    const tokens = tokenEndpoint();
    const seen: string[] = [];
    const url = await serve((req, body, res) => {
      if (tokens.handle(req, body, res)) return;
      seen.push(req.headers.authorization ?? '');
      json(res, 200, { price: 0.05, status: 'cleared', fills: { rows: [], trades: [] } });
    });
    const api = new PlatformApiClient(transportFor(url));
    await Promise.all(Array.from({ length: 10 }, () => api.slotResult(HOME, 'm', 300_000)));
    expect(tokens.issued).toEqual(['t1']);
    expect(new Set(seen)).toEqual(new Set(['Bearer t1']));
  });

  it('refreshes a token before it expires, and once more when the server refuses it', async () => {
    const tokens = tokenEndpoint(0.2);
    let refuseNext = false;
    const url = await serve((req, body, res) => {
      if (tokens.handle(req, body, res)) return;
      if (refuseNext) {
        refuseNext = false;
        json(res, 401, { code: 'TE_ERR_UNAUTHORIZED', title: 'Authentication required' });
        return;
      }
      json(res, 200, { price: 0.05, status: 'cleared', fills: { rows: [], trades: [] } });
    });
    const api = new PlatformApiClient(transportFor(url));
    await api.slotResult(HOME, 'm', 0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await api.slotResult(HOME, 'm', 0);
    expect(tokens.issued).toEqual(['t1', 't2']);
    refuseNext = true;
    await api.slotResult(HOME, 'm', 0);
    expect(tokens.issued).toEqual(['t1', 't2', 't3']);
  });

  it('retries 503 and 429 after the Retry-After the server asks for', async () => {
    const tokens = tokenEndpoint();
    const answers = [503, 429, 200];
    const times: number[] = [];
    const url = await serve((req, body, res) => {
      if (tokens.handle(req, body, res)) return;
      times.push(Date.now());
      const status = answers.shift() ?? 200;
      if (status === 200) json(res, 200, { price: 0.05, status: 'cleared', fills: { rows: [], trades: [] } });
      else
        json(
          res,
          status,
          { code: status === 429 ? 'TE_ERR_RATE_LIMITED' : 'TE_ERR_UNAVAILABLE' },
          { 'retry-after': '1' },
        );
    });
    const transport = transportFor(url);
    const result = await new PlatformApiClient(transport).slotResult(HOME, 'm', 0);
    expect(result.price).toBe(0.05);
    expect(transport.retries).toBe(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(990);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(990);
  }, 10_000);

  it('resends an order whose answer was lost; the server recognises its client order id', async () => {
    const tokens = tokenEndpoint();
    const stored = new Map<string, unknown>();
    let dropFirst = true;
    const url = await serve((req, body, res) => {
      if (tokens.handle(req, body, res)) return;
      const order = JSON.parse(body) as OrderSubmission;
      const replay = stored.has(order.clientOrderId);
      stored.set(order.clientOrderId, order);
      // The order is stored, then the connection dies before the answer: a lost acknowledgement.
      if (dropFirst) {
        dropFirst = false;
        res.socket?.destroy();
        return;
      }
      json(res, replay ? 200 : 201, { order, outcome: replay ? 'already-accepted' : 'accepted' });
    });
    const transport = transportFor(url);
    const accepted = await new PlatformApiClient(transport).submitOrder(HOME, ORDER);
    expect(accepted).toMatchObject({ outcome: 'already-accepted', replayed: true });
    expect(stored.size).toBe(1);
    expect(transport.retries).toBe(1);
  });

  it('surfaces a problem response as an ApiError with its code, without retrying it', async () => {
    const tokens = tokenEndpoint();
    let calls = 0;
    const url = await serve((req, body, res) => {
      if (tokens.handle(req, body, res)) return;
      calls++;
      json(res, 409, {
        type: 'about:blank',
        title: 'Order after gate closure',
        status: 409,
        code: 'TE_ERR_ORDER_LATE',
        detail: 'the gate closed',
      });
    });
    const error = await new PlatformApiClient(transportFor(url))
      .submitOrder(HOME, ORDER)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'TE_ERR_ORDER_LATE' });
    expect((error as ApiError).is('TE_ERR_ORDER_LATE')).toBe(true);
    expect(calls).toBe(1);
  });

  it('refuses wrong credentials with the server code', async () => {
    const tokens = tokenEndpoint();
    const url = await serve((req, body, res) => {
      if (!tokens.handle(req, body, res)) json(res, 500, {});
    });
    const api = new PlatformApiClient(transportFor(url));
    await expect(api.slotResult({ clientId: 'x', clientSecret: 'wrong' }, 'm', 0)).rejects.toMatchObject({
      code: 'TE_ERR_INVALID_CLIENT',
    });
  });

  it('gives up on an unreachable server with TE_ERR_UNAVAILABLE after its attempts', async () => {
    const url = await serve(() => {});
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const transport = transportFor(url);
    await expect(new PlatformApiClient(transport).slotResult(HOME, 'm', 0)).rejects.toMatchObject({
      status: 0,
      code: 'TE_ERR_UNAVAILABLE',
    });
    expect(transport.retries).toBe(3);
  });

  it('keeps at most maxInFlight requests in flight', async () => {
    const tokens = tokenEndpoint();
    let inFlight = 0;
    let peak = 0;
    const url = await serve((req, body, res) => {
      if (tokens.handle(req, body, res)) return;
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, { price: 0.05, status: 'cleared', fills: { rows: [], trades: [] } });
      }, 5);
    });
    const api = new PlatformApiClient(transportFor(url, { maxInFlight: 4 }));
    await Promise.all(Array.from({ length: 40 }, () => api.slotResult(HOME, 'm', 0)));
    expect(peak).toBe(4);
  });

  it('treats a 409 on registration as already registered', async () => {
    const tokens = tokenEndpoint();
    const known = new Set<string>();
    const url = await serve((req, body, res) => {
      if (tokens.handle(req, body, res)) return;
      const { id } = JSON.parse(body) as { id: string };
      if (known.has(id)) return json(res, 409, { code: 'TE_ERR_VALIDATION', detail: 'exists' });
      known.add(id);
      json(res, 201, { id });
    });
    const api = new PlatformApiClient(transportFor(url));
    const participant = { id: 'home-1', role: 'prosumer' as const, name: 'Home 1' };
    expect(await api.createParticipant(HOME, participant)).toBe('created');
    expect(await api.createParticipant(HOME, participant)).toBe('exists');
  });
});
