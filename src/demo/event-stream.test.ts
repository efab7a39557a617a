import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import type { MarketEvent } from '../live/market-events.js';
import { ApiTransport } from '../http-client/api-transport.js';
import { followMarketEvents, serverSentEvents } from './event-stream.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const cleared = (slotStartMs: number): MarketEvent => ({
  type: 'slot-cleared',
  marketId: 'm',
  slotStartMs,
  mechanism: 'uniform-price-double-auction',
  pricePerKwh: 0.05,
  status: 'marginal-seller',
  tradedEnergyWh: 1000,
});

function send(res: ServerResponse, id: number, event: MarketEvent) {
  res.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

describe('followMarketEvents', () => {
  it('parses the SSE wire format: fields, comments, multi-line data, CRLF', async () => {
    const text = ': hello\r\nevent: slot-opened\r\ndata: {"a":\r\ndata: 1}\r\nid: 7\r\n\r\ndata: x\n\n';
    const body = new Blob([text]).stream();
    const messages = [];
    for await (const m of serverSentEvents(body)) messages.push(m);
    expect(messages).toEqual([
      { event: 'slot-opened', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'x', id: '7' },
    ]);
  });

  it('hands events on, reconnects after the stream drops and sends Last-Event-ID', async () => {
    const connections: { auth: string | undefined; lastEventId: string | undefined }[] = [];
    const server = createServer((req, res) => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      connections.push({
        auth: req.headers.authorization,
        lastEventId: req.headers['last-event-id'] as string | undefined,
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connections.length === 1) {
        send(res, 1, cleared(0));
        setTimeout(() => res.destroy(), 20);
      } else {
        res.write(': keep-alive\n\n');
        send(res, 2, cleared(300_000));
      }
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = new ApiTransport({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      random: new SeededRandom(3),
    });
    const stop = new AbortController();
    const received: MarketEvent[] = [];
    const problems: (string | null)[] = [];
    const stream = followMarketEvents({
      transport,
      as: { clientId: 'op', clientSecret: 'x' },
      onEvent: (e) => received.push(e),
      onStatus: (p) => problems.push(p),
      random: new SeededRandom(4),
      signal: stop.signal,
    });
    for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await stream.done;
    expect(received).toEqual([cleared(0), cleared(300_000)]);
    expect(connections).toEqual([
      { auth: 'Bearer tok', lastEventId: undefined },
      { auth: 'Bearer tok', lastEventId: '1' },
    ]);
    expect(problems.filter((p) => p !== null).length).toBeGreaterThanOrEqual(1);
    expect(stream.connected).toBe(false);
  });
});
