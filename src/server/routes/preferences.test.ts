import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiHarness, describeOnStores, START_MS, type ApiHarness } from '../api-test.fixture.js';
import type { Role } from '../auth/roles.js';

interface Problem {
  code: string;
  status: number;
}

describeOnStores('/api/participants/{id}/preferences', (kind) => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await apiHarness(kind);
  });
  afterEach(async () => {
    await h.dispose();
  });

  const url = (participantId: string) => `/api/participants/${participantId}/preferences`;
  const put = (role: Role, participantId: string, payload: unknown) =>
    h.call(role, { method: 'PUT', url: url(participantId), payload: payload as Record<string, unknown> });

  it('answers the default until set, then the stored slider, publishing preferences-changed', async () => {
    const before = await h.call('prosumer', { method: 'GET', url: url('p1') });
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toEqual({ participantId: 'p1', comfortSlider: 0.5 });
    h.clock.advance(1_000);
    const set = await put('prosumer', 'p1', { comfortSlider: 0.9 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ participantId: 'p1', comfortSlider: 0.9, updatedMs: START_MS + 1_000 });
    expect((await h.call('prosumer', { method: 'GET', url: url('p1') })).json()).toEqual(set.json());
    expect(h.published.filter((p) => p.event.type === 'preferences-changed')).toEqual([
      {
        event: { type: 'preferences-changed', participantId: 'p1', comfortSlider: 0.9 },
        timeMs: START_MS + 1_000,
      },
    ]);
    const audit = await h.call('market-operator', { method: 'GET', url: '/api/audit' });
    expect(audit.body).toContain('preferences-changed');
  });

  it('lets the owner, its aggregator and the market operator in; nobody else', async () => {
    expect((await put('aggregator', 'p2', { comfortSlider: 0 })).statusCode).toBe(200);
    expect((await put('market-operator', 'p9', { comfortSlider: 1 })).statusCode).toBe(200);
    expect((await h.call('aggregator', { method: 'GET', url: url('p2') })).statusCode).toBe(200);
    const refused: [Role, string][] = [
      ['prosumer', 'p9'],
      ['prosumer', 'p2'],
      ['aggregator', 'p1'],
      ['dso', 'p1'],
      ['utility', 'p1'],
      ['regulator', 'p1'],
    ];
    for (const [role, participantId] of refused) {
      const read = await h.call(role, { method: 'GET', url: url(participantId) });
      const write = await put(role, participantId, { comfortSlider: 0.2 });
      expect([read.statusCode, write.statusCode], `${role} ${participantId}`).toEqual([403, 403]);
      expect(write.json<Problem>().code).toBe('TE_ERR_FORBIDDEN');
    }
    expect((await h.call(undefined, { method: 'GET', url: url('p1') })).statusCode).toBe(401);
  });

  it('refuses out-of-range and malformed sliders, and unknown participants, with coded problems', async () => {
    for (const body of [
      { comfortSlider: 1.01 },
      { comfortSlider: -0.1 },
      { comfortSlider: '0.5' },
      { comfortSlider: null },
      {},
      { comfortSlider: 0.5, extra: true },
    ]) {
      const response = await put('prosumer', 'p1', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(['TE_ERR_VALIDATION', 'TE_ERR_UNKNOWN_KEY']).toContain(response.json<Problem>().code);
    }
    const infinite = await h.call('prosumer', {
      method: 'PUT',
      url: url('p1'),
      headers: { 'content-type': 'application/json' },
      payload: '{"comfortSlider":1e400}',
    });
    expect(infinite.statusCode).toBe(400);
    for (const method of ['GET', 'PUT'] as const) {
      const missing = await h.call('market-operator', {
        method,
        url: url('nobody'),
        ...(method === 'PUT' ? { payload: { comfortSlider: 0.5 } } : {}),
      });
      expect(missing.json<Problem>(), method).toMatchObject({ status: 404, code: 'TE_ERR_NOT_FOUND' });
    }
    expect((await h.call('market-operator', { method: 'GET', url: url("p'1") })).statusCode).toBe(400);
    expect(h.published.filter((p) => p.event.type === 'preferences-changed')).toEqual([]);
  });
});

describe('preferences-changed and telemetry-received on the event stream', () => {
  it('shows a change only to callers whose scope covers the participant, and telemetry counts to all', async () => {
    const h = await apiHarness('sqlite', { sseHeartbeatMs: 50 });
    const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const streams = new Map<Role, { text: string; reader: ReadableStreamDefaultReader<Uint8Array> }>();
      for (const role of ['prosumer', 'aggregator', 'regulator', 'dso', 'market-operator'] as const) {
        const response = await fetch(`${base}/api/events`, {
          headers: { authorization: `Bearer ${h.tokens[role]}` },
        });
        expect(response.status, role).toBe(200);
        streams.set(role, { text: '', reader: response.body!.getReader() });
      }
      await put('market-operator', 'p9', 0.1);
      await put('market-operator', 'p2', 0.2);
      await put('prosumer', 'p1', 0.3);
      h.events.publish({ type: 'telemetry-received', count: 4, latestSampleMs: START_MS }, START_MS);
      for (const [role, stream] of streams) {
        while (!stream.text.includes('event: telemetry-received')) {
          const { value, done } = await stream.reader.read();
          if (done) break;
          stream.text += new TextDecoder().decode(value);
        }
        expect(stream.text, role).toMatch(/event: telemetry-received\nid: \d+\ndata: \{[^}]*"count":4/);
        await stream.reader.cancel();
      }
      const seen = (role: Role) =>
        [...(streams.get(role)?.text ?? '').matchAll(/"participantId":"(p\d)","comfortSlider"/g)].map(
          (m) => m[1],
        );
      expect(seen('prosumer')).toEqual(['p1']);
      expect(seen('aggregator')).toEqual(['p2']);
      expect(seen('market-operator')).toEqual(['p9', 'p2', 'p1']);
      expect(seen('dso')).toEqual([]);
      expect(seen('regulator')).toEqual([]);
    } finally {
      await h.dispose();
    }

    async function put(role: Role, participantId: string, comfortSlider: number) {
      const response = await fetch(`${base}/api/participants/${participantId}/preferences`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${h.tokens[role]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ comfortSlider }),
      });
      expect(response.status).toBe(200);
    }
  });
});
