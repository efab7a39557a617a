/** A slot's orders for many homes against a real HTTP server: late and refused homes sit out, the rest trade. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { ManualClock } from '../live/clock.js';
import { PlatformApiClient } from './api-client.js';
import { ApiTransport } from '../http-client/api-transport.js';
import type { HomeOrders } from './home-orders.js';
import { submitHomeOrders, type TradingHome } from './home-trading.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const SLOT_START = 600_000;

function home(n: number): TradingHome {
  const participantId = `home-${n}`;
  const orders: HomeOrders = {
    homeIndex: n,
    participantId,
    orders: (['buy', 'sell'] as const).map((side, k) => ({
      submission: {
        marketId: 'm',
        slotStartMs: SLOT_START,
        participantId,
        clientOrderId: `${participantId}-${SLOT_START}-${side}`,
        side,
        steps: [{ price: side === 'buy' ? 1 : 0.02, quantity: 1 }],
      },
      rows: [2 * n + k],
    })),
  };
  return { orders, credentials: { clientId: participantId, clientSecret: 'x' } };
}

describe('submitHomeOrders', () => {
  it('sends every home its orders; a refused home sits out, a slot not yet open is waited for', async () => {
    let notOpenAnswers = 3;
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/oauth/token') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }));
          return;
        }
        const order = JSON.parse(body) as { clientOrderId: string; participantId: string };
        const problem = (status: number, code: string) => {
          res.writeHead(status, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ status, code, title: code, detail: code }));
        };
        if (notOpenAnswers > 0) {
          notOpenAnswers--;
          return problem(404, 'TE_ERR_UNKNOWN_SLOT');
        }
        if (order.participantId === 'home-3') return problem(409, 'TE_ERR_ORDER_LATE');
        if (order.clientOrderId === 'home-5-600000-sell') return problem(429, 'TE_ERR_RATE_LIMITED');
        received.push(order.clientOrderId);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ order, outcome: 'accepted' }));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new PlatformApiClient(
      new ApiTransport({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        random: new SeededRandom(9),
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      }),
    );
    const clock = new ManualClock(SLOT_START - 60_000);
    const homes = Array.from({ length: 8 }, (_, n) => home(n));
    const summary = await submitHomeOrders(api, homes, clock, SLOT_START, new AbortController().signal);
    expect(summary.ordersSent).toBe(13);
    expect(summary.missed).toBe(2);
    expect(Object.fromEntries(summary.refusals)).toEqual({ TE_ERR_ORDER_LATE: 1, TE_ERR_RATE_LIMITED: 1 });
    const byHome = new Map(summary.submissions.map((s) => [s.home.orders.participantId, s]));
    expect(byHome.get('home-3')?.accepted).toEqual([]);
    expect(byHome.get('home-5')?.accepted.map((o) => o.submission.side)).toEqual(['buy']);
    expect(byHome.get('home-0')?.accepted).toHaveLength(2);
    expect(new Set(received).size).toBe(13);
  });

  it('gives up at the gate: homes still waiting for the slot to open sit it out', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/oauth/token') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }));
          return;
        }
        res.writeHead(409, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ status: 409, code: 'TE_ERR_SLOT_NOT_OPEN', title: 'not open' }));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new PlatformApiClient(
      new ApiTransport({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        random: new SeededRandom(9),
      }),
    );
    const clock = new ManualClock(SLOT_START - 60_000);
    setTimeout(() => clock.set(SLOT_START), 150);
    const summary = await submitHomeOrders(
      api,
      [home(0), home(1)],
      clock,
      SLOT_START,
      new AbortController().signal,
    );
    expect(summary.ordersSent).toBe(0);
    expect(summary.missed).toBe(2);
    expect(Object.fromEntries(summary.refusals)).toEqual({ TE_ERR_ORDER_LATE: 2 });
  });
});
