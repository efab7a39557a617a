import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControllableClock } from '../../live/controllable-clock.js';
import { FakeRealTime } from '../../live/fake-real-time.fixture.js';
import { apiHarness, type ApiHarness } from '../api-test.fixture.js';
import { ROLES } from '../auth/roles.js';
import type { DemoController, DemoLogin } from './demo.js';

// The demo routes touch no store, so SQLite alone stands for both.
const START_MS = Date.UTC(2026, 6, 1);
const PERIOD_MS = 900_000;

const LOGINS: DemoLogin[] = [
  { role: 'prosumer', label: 'Prosumer', clientId: 'demo-prosumer', clientSecret: 's1', participantId: 'h1' },
  { role: 'market-operator', label: 'Market operator', clientId: 'demo-operator', clientSecret: 's2' },
];

function demoController(clock: ControllableClock): DemoController {
  return {
    clock,
    info: () => ({ seed: 42, scenario: 'test', homes: 3, marketPeriodMs: PERIOD_MS, startMs: START_MS }),
    logins: () => LOGINS,
  };
}

describe('demo routes', () => {
  let h: ApiHarness;
  let plain: ApiHarness;
  const real = new FakeRealTime();
  const clock = new ControllableClock(START_MS, { speed: 60, realTime: real });
  beforeAll(async () => {
    h = await apiHarness('sqlite', { demo: demoController(clock) });
    plain = await apiHarness('sqlite');
  }, 60_000);
  afterAll(async () => {
    await h.dispose();
    await plain.dispose();
  });

  it('shows every role the clock and the scenario', async () => {
    real.advance(1000);
    for (const role of ROLES) {
      const response = await h.call(role, { method: 'GET', url: '/api/demo' });
      expect(response.statusCode, role).toBe(200);
      expect(response.json()).toEqual({
        paused: false,
        speed: 60,
        nowMs: START_MS + 60_000,
        seed: 42,
        scenario: 'test',
        homes: 3,
        marketPeriodMs: PERIOD_MS,
        startMs: START_MS,
      });
    }
    expect((await h.call(undefined, { method: 'GET', url: '/api/demo' })).statusCode).toBe(401);
  });

  it('lets the market operator pause, step and set the speed, and tells the event stream', async () => {
    const published = h.published.length;
    const paused = await h.call('market-operator', {
      method: 'PUT',
      url: '/api/demo/clock',
      payload: { paused: true },
    });
    expect(paused.statusCode).toBe(200);
    const pausedAtMs = (paused.json() as { nowMs: number }).nowMs;
    expect(paused.json()).toMatchObject({ paused: true, speed: 60 });
    real.advance(10_000);
    // The step runs the clock through the period (here at least 450x: two real seconds at most).
    let answered = false;
    const stepping = h
      .call('market-operator', { method: 'POST', url: '/api/demo/clock/step' })
      .finally(() => (answered = true));
    while (!answered) {
      real.advance(100);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const stepped = await stepping;
    expect(stepped.statusCode).toBe(200);
    expect(stepped.json()).toMatchObject({ paused: true, nowMs: pausedAtMs + PERIOD_MS });
    const resumed = await h.call('market-operator', {
      method: 'PUT',
      url: '/api/demo/clock',
      payload: { paused: false, speed: 3600 },
    });
    expect(resumed.json()).toMatchObject({ paused: false, speed: 3600, nowMs: pausedAtMs + PERIOD_MS });
    const same = await h.call('market-operator', { method: 'PUT', url: '/api/demo/clock', payload: {} });
    expect(same.statusCode).toBe(200);
    expect(h.published.slice(published).map(({ event }) => event)).toEqual([
      { type: 'clock-changed', paused: true, speed: 60, nowMs: pausedAtMs },
      { type: 'clock-changed', paused: false, speed: 450, nowMs: pausedAtMs },
      { type: 'clock-changed', paused: true, speed: 60, nowMs: pausedAtMs + PERIOD_MS },
      { type: 'clock-changed', paused: false, speed: 3600, nowMs: pausedAtMs + PERIOD_MS },
    ]);
  });

  it('refuses a step while the clock runs (409, pause first)', async () => {
    expect(clock.paused).toBe(false);
    const response = await h.call('market-operator', { method: 'POST', url: '/api/demo/clock/step' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'TE_ERR_CLOCK_RUNNING' });
  });

  it('refuses clock changes from every role but the market operator', async () => {
    for (const role of ROLES.filter((r) => r !== 'market-operator')) {
      const put = await h.call(role, { method: 'PUT', url: '/api/demo/clock', payload: { paused: true } });
      expect(put.statusCode, role).toBe(403);
      expect(put.json()).toMatchObject({ code: 'TE_ERR_FORBIDDEN' });
      const step = await h.call(role, { method: 'POST', url: '/api/demo/clock/step' });
      expect(step.statusCode, role).toBe(403);
    }
    expect(clock.paused).toBe(false);
  });

  it('refuses speeds out of range, unknown keys and malformed bodies with coded 4xx problems', async () => {
    const bodies: [unknown, string][] = [
      [{ speed: 0 }, 'TE_ERR_VALIDATION'],
      [{ speed: 0.5 }, 'TE_ERR_VALIDATION'],
      [{ speed: 3601 }, 'TE_ERR_VALIDATION'],
      [{ speed: -1 }, 'TE_ERR_VALIDATION'],
      [{ speed: '60' }, 'TE_ERR_VALIDATION'],
      [{ paused: 'yes' }, 'TE_ERR_VALIDATION'],
      [{ pause: true }, 'TE_ERR_UNKNOWN_KEY'],
      [{ seed: 7 }, 'TE_ERR_UNKNOWN_KEY'],
      [[], 'TE_ERR_VALIDATION'],
    ];
    for (const [payload, code] of bodies) {
      const response = await h.call('market-operator', {
        method: 'PUT',
        url: '/api/demo/clock',
        payload: payload as object,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json(), JSON.stringify(payload)).toMatchObject({ code });
    }
    const malformed = await h.call('market-operator', {
      method: 'PUT',
      url: '/api/demo/clock',
      headers: { 'content-type': 'application/json' },
      payload: '{"speed": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'TE_ERR_INVALID_JSON' });
    const oversized = await h.call('market-operator', {
      method: 'PUT',
      url: '/api/demo/clock',
      payload: { speed: 60, note: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toMatchObject({ code: 'TE_ERR_INPUT_TOO_LARGE' });
    expect(clock.speed).toBe(3600);
  });

  it('gives the logins to a loopback caller without a token, and to nobody else', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const response = await h.app.inject({ method: 'GET', url: '/api/demo/logins', remoteAddress });
      expect(response.statusCode, remoteAddress).toBe(200);
      expect(response.json()).toEqual({ logins: LOGINS });
    }
    for (const remoteAddress of ['192.168.1.20', '10.0.0.1', '::ffff:192.168.1.20', '2001:db8::1']) {
      const response = await h.app.inject({ method: 'GET', url: '/api/demo/logins', remoteAddress });
      expect(response.statusCode, remoteAddress).toBe(403);
      expect(response.json()).toMatchObject({ code: 'TE_ERR_FORBIDDEN' });
      expect(response.body).not.toContain('s1');
    }
  });

  it('answers 404 with a coded problem on a server that is not a demo', async () => {
    const requests = [
      { method: 'GET', url: '/api/demo' },
      { method: 'PUT', url: '/api/demo/clock', payload: { paused: true } },
      { method: 'POST', url: '/api/demo/clock/step' },
      { method: 'GET', url: '/api/demo/logins' },
    ] as const;
    for (const request of requests) {
      const response = await plain.call('market-operator', request);
      expect(response.statusCode, request.url).toBe(404);
      expect(response.json()).toMatchObject({ code: 'TE_ERR_NOT_FOUND' });
    }
    const anonymous = await plain.app.inject({ method: 'GET', url: '/api/demo/logins' });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json()).toMatchObject({ code: 'TE_ERR_NOT_FOUND' });
  });
});
