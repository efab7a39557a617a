import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../core/errors.js';
import { countMeterReadings } from '../store/meter-reading-repository.js';
import { apiHarness, MARKET_ID, orderBody, SLOT_START_MS, type ApiHarness } from './api-test.fixture.js';

describe('errors, limits and headers', () => {
  let h: ApiHarness;
  let shuttingDown = false;
  beforeAll(async () => {
    h = await apiHarness('sqlite', {
      bodyLimitBytes: 4096,
      readingsBodyLimitBytes: 4096,
      isShuttingDown: () => shuttingDown,
    });
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('answers every error as an RFC 9457 problem with a catalogue code', async () => {
    const cases = [
      { options: { method: 'GET' as const, url: '/api/nowhere' }, status: 404, code: 'TE_ERR_NOT_FOUND' },
      {
        options: { method: 'GET' as const, url: '/api/participants/%E0%A4%A' },
        status: 400,
        code: 'TE_ERR_VALIDATION',
      },
      {
        options: { method: 'GET' as const, url: `/api/participants/${'x'.repeat(300)}` },
        status: 400,
        code: 'TE_ERR_VALIDATION',
      },
      { options: { method: 'DELETE' as const, url: '/api/markets' }, status: 404, code: 'TE_ERR_NOT_FOUND' },
      {
        options: {
          method: 'POST' as const,
          url: '/api/orders',
          headers: { 'content-type': 'application/json' },
          payload: '{"marketId": ',
        },
        status: 400,
        code: 'TE_ERR_INVALID_JSON',
      },
      {
        options: {
          method: 'POST' as const,
          url: '/api/orders',
          headers: { 'content-type': 'application/json' },
          payload: '{"__proto__": {"x": 1}}',
        },
        status: 400,
        code: 'TE_ERR_INVALID_JSON',
      },
      {
        options: {
          method: 'POST' as const,
          url: '/api/orders',
          headers: { 'content-type': 'application/json' },
          payload: '{"price": NaN}',
        },
        status: 400,
        code: 'TE_ERR_INVALID_JSON',
      },
      {
        options: {
          method: 'POST' as const,
          url: '/api/orders',
          headers: { 'content-type': 'text/plain' },
          payload: 'hello',
        },
        status: 415,
        code: 'TE_ERR_UNSUPPORTED_MEDIA_TYPE',
      },
      {
        options: {
          method: 'POST' as const,
          url: '/api/orders',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'a=1',
        },
        status: 415,
        code: 'TE_ERR_UNSUPPORTED_MEDIA_TYPE',
      },
      {
        options: {
          method: 'POST' as const,
          url: '/api/orders',
          payload: { ...orderBody(), note: 'x'.repeat(5000) },
        },
        status: 413,
        code: 'TE_ERR_INPUT_TOO_LARGE',
      },
      {
        options: { method: 'POST' as const, url: '/api/orders', payload: { ...orderBody(), colour: 'red' } },
        status: 400,
        code: 'TE_ERR_UNKNOWN_KEY',
      },
      {
        options: {
          method: 'POST' as const,
          url: '/api/orders',
          payload: { ...orderBody(), slotStartMs: String(SLOT_START_MS) },
        },
        status: 400,
        code: 'TE_ERR_VALIDATION',
      },
      {
        options: { method: 'GET' as const, url: `/api/orders?marketId=${MARKET_ID}&extra=1` },
        status: 400,
        code: 'TE_ERR_UNKNOWN_KEY',
      },
    ];
    for (const { options, status, code } of cases) {
      const response = await h.call('prosumer', options);
      const label = `${options.method} ${options.url} ${String(options.payload ?? '').slice(0, 30)}`;
      expect(response.statusCode, label).toBe(status);
      expect(response.headers['content-type'], label).toBe('application/problem+json; charset=utf-8');
      const problem = response.json();
      expect(problem, label).toMatchObject({
        type: `https://tenet.energy/errors/${code}`,
        title: ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].title,
        status,
        code,
        instance: options.url.split('?')[0],
      });
      expect(typeof problem.detail).toBe('string');
      expect(typeof problem.hint, label).toBe('string');
    }
    const unknown = await h.call('prosumer', {
      method: 'POST',
      url: '/api/orders',
      payload: { ...orderBody(), sied: 'buy' },
    });
    expect(unknown.json()).toMatchObject({ path: 'sied', hint: "did you mean 'side'?" });
    const orders = await h.call('market-operator', {
      method: 'GET',
      url: `/api/orders?marketId=${MARKET_ID}`,
    });
    expect(orders.json()).toEqual([]);
  });

  it('accepts a full reading batch under its own, larger body limit', async () => {
    const readings = Array.from({ length: 60 }, (_, k) => ({
      meterId: 'p1',
      timeMs: SLOT_START_MS + k * 1000,
      energyWh: k,
    }));
    const body = JSON.stringify({ readings });
    expect(body.length).toBeGreaterThan(2048);
    const response = await h.call('prosumer', {
      method: 'POST',
      url: '/api/meter-readings',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
  });

  it('sets security headers and no x-powered-by', async () => {
    const response = await h.call('prosumer', { method: 'GET', url: '/api/markets' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers 503 with Retry-After while shutting down', async () => {
    shuttingDown = true;
    try {
      const response = await h.call('prosumer', { method: 'GET', url: '/api/markets' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().code).toBe('TE_ERR_UNAVAILABLE');
    } finally {
      shuttingDown = false;
    }
  });

  it('hides unexpected failures behind TE_ERR_INTERNAL, without stack or message', async () => {
    const broken = await apiHarness('sqlite');
    await broken.store.store.close();
    const response = await broken.call('prosumer', { method: 'GET', url: '/api/participants' });
    expect(response.statusCode).toBe(500);
    const problem = response.json();
    expect(problem).toMatchObject({ code: 'TE_ERR_INTERNAL', status: 500 });
    expect(JSON.stringify(problem)).not.toMatch(/destroyed|kysely|at .*\.js|Error:/i);
    await broken.app.close();
    await broken.store.dispose().catch(() => {});
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After per client, others unaffected', async () => {
    // 12 a minute: the harness's nine token requests (one IP) fit, then each client has its own budget.
    const h = await apiHarness('sqlite', { rateLimitPerMinute: 12 });
    try {
      const codes: number[] = [];
      for (let k = 0; k < 13; k++)
        codes.push((await h.call('prosumer', { method: 'GET', url: '/api/markets' })).statusCode);
      expect(codes).toEqual([...Array<number>(12).fill(200), 429]);
      const limited = await h.call('prosumer', { method: 'GET', url: '/api/markets' });
      expect(limited.json()).toMatchObject({ code: 'TE_ERR_RATE_LIMITED', status: 429 });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await h.call('dso', { method: 'GET', url: '/api/markets' })).statusCode).toBe(200);
    } finally {
      await h.dispose();
    }
  });
});

describe('over a real socket', () => {
  it('serves tokens, orders and a Server-Sent Events stream that closes with the server', async () => {
    const h = await apiHarness('sqlite', { sseHeartbeatMs: 50 });
    const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const token = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'client-prosumer',
          client_secret: h.secrets.prosumer,
        }),
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const stream = await fetch(`${base}/api/events?access_token=${encodeURIComponent(access_token)}`);
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = stream.body!.getReader();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
        }
      };
      const order = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(orderBody({ clientOrderId: 'socket' })),
      });
      expect(order.status).toBe(201);
      await readUntil('event: order-accepted');
      h.events.publish(
        {
          type: 'order-accepted',
          marketId: MARKET_ID,
          slotStartMs: SLOT_START_MS,
          participantId: 'p9',
          clientOrderId: 'x',
          outcome: 'accepted',
        },
        0,
      );
      h.events.publish(
        { type: 'slot-closed', marketId: MARKET_ID, slotStartMs: SLOT_START_MS, orderCount: 1 },
        1,
      );
      await readUntil('event: slot-closed');
      await readUntil(': heartbeat');
      expect(text).toMatch(/event: order-accepted\nid: \d+\ndata: \{.*"clientOrderId":"socket".*\}\n\n/);
      expect(text).not.toContain('"participantId":"p9"');
      const unauthorised = await fetch(`${base}/api/events?access_token=forged`);
      expect(unauthorised.status).toBe(401);
      await h.app.close();
      await readUntil('\u0000never');
      expect(h.events.listenerCount).toBe(1);
    } finally {
      await h.dispose();
    }
  });

  it('speaks HTTPS when given a certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenet-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'cert.pem'));
      const h = await apiHarness('sqlite', { tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
      const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const body = await new Promise<string>((resolve, reject) => {
          const request = httpsRequest(`${base}/healthz`, { ca: cert }, (response) => {
            let data = '';
            response.on('data', (chunk: Buffer) => (data += chunk.toString()));
            response.on('end', () => resolve(data));
          });
          request.on('error', reject);
          request.end();
        });
        expect(base.startsWith('https://')).toBe(true);
        expect(JSON.parse(body)).toEqual({ status: 'ok' });
      } finally {
        await h.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores nothing from a refused request', async () => {
    const h = await apiHarness('sqlite');
    try {
      const before = await countMeterReadings(h.store.store.db);
      await h.call('prosumer', {
        method: 'POST',
        url: '/api/meter-readings',
        payload: {
          readings: [
            { meterId: 'p1', timeMs: 1, energyWh: 1 },
            { meterId: 'p9', timeMs: 1, energyWh: 1 },
          ],
        },
      });
      expect(await countMeterReadings(h.store.store.db)).toBe(before);
    } finally {
      await h.dispose();
    }
  });
});
