import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../http-client/api-error.js';
import { WallClock } from '../../live/clock.js';
import { describeOnStores } from '../../server/api-test.fixture.js';
import { eventBody, programBody } from '../vtn-test.fixture.js';
import type { Notification } from './ven-types.js';
import { VenMqttListener } from './ven-mqtt-listener.js';
import { liveVtn, type LiveVtn } from './ven-test.fixture.js';

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeOnStores('a VEN listening to the MQTT notifier on the embedded broker', (kind) => {
  let vtn: LiveVtn;
  let programID: string;
  beforeAll(async () => {
    vtn = await liveVtn(kind, { mqtt: true });
    programID = (await vtn.bl<{ id: string }>('POST', '/programs', programBody('mqtt-program'))).id;
  });
  afterAll(async () => {
    await vtn?.dispose();
  });

  it("receives its events' creates and updates on its own topics, typed", async () => {
    const client = vtn.venClient('prosumer');
    const ven = await client.ensureVen('mqtt-home');
    const received: Notification[] = [];
    const listener = await VenMqttListener.start({
      client,
      venID: ven.id,
      onNotification: (notification) => received.push(notification),
    });
    try {
      expect(listener.topics).toEqual([`vens/${ven.id}/events/+`, `vens/${ven.id}/programs/+`]);
      const event = await vtn.bl<{ id: string }>(
        'POST',
        '/events',
        eventBody(programID, { eventName: 'slot-1' }),
      );
      await vtn.bl('PUT', `/events/${event.id}`, eventBody(programID, { eventName: 'slot-1', priority: 1 }));
      await until(
        () => received.filter((n) => n.objectType === 'EVENT').length >= 2,
        'two event notifications',
      );
      const events = received.filter((n) => n.objectType === 'EVENT');
      expect(events.map((n) => n.operation)).toEqual(['CREATE', 'UPDATE']);
      const updated = events[1];
      if (updated?.objectType !== 'EVENT') throw new Error('not an event');
      expect(updated.object).toMatchObject({ id: event.id, eventName: 'slot-1', priority: 1 });
      expect(listener.stats).toMatchObject({ connects: 1, unreadable: 0 });
    } finally {
      await listener.close();
    }
    expect(listener.connected).toBe(false);
  });

  it("is refused another client's VEN topics", async () => {
    const other = await vtn.venClient('aggregator').ensureVen('aggregator-ven');
    const error = await VenMqttListener.start({
      client: vtn.venClient('prosumer'),
      venID: other.id,
      onNotification: () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'TE_ERR_FORBIDDEN' });
  });
});

describe('a VEN listening to the MQTT notifier while its tokens expire', () => {
  let vtn: LiveVtn;
  beforeAll(async () => {
    // Two-second tokens on the wall clock: the broker closes each login when its token expires.
    vtn = await liveVtn('sqlite', { mqtt: true, tokenTtlSeconds: 2, tokenClock: new WallClock() });
  });
  afterAll(async () => {
    await vtn?.dispose();
  });

  it('logs in again with a fresh token and keeps receiving', async () => {
    const programID = (await vtn.bl<{ id: string }>('POST', '/programs', programBody('expiring'))).id;
    const client = vtn.venClient('prosumer');
    const ven = await client.ensureVen('expiring-home');
    const names: string[] = [];
    const errors: unknown[] = [];
    const listener = await VenMqttListener.start({
      client,
      venID: ven.id,
      collections: ['events'],
      reconnectDelayMs: 20,
      onNotification: (n) => {
        if (n.objectType === 'EVENT') names.push(n.object.eventName ?? '');
      },
      onError: (error) => errors.push(error),
    });
    try {
      await vtn.bl('POST', '/events', eventBody(programID, { eventName: 'before' }));
      await until(() => names.includes('before'), 'the first event');
      await until(() => listener.stats.connects >= 2 && listener.connected, 'a second login', 10_000);
      await vtn.bl('POST', '/events', eventBody(programID, { eventName: 'after' }));
      await until(() => names.includes('after'), 'the event after the new login');
      expect(names).toEqual(['before', 'after']);
    } finally {
      await listener.close();
    }
  }, 20_000);
});

const EXTERNAL_MQTT_URL = process.env['TEST_MQTT_URL'] ?? '';

describe.skipIf(EXTERNAL_MQTT_URL === '')(
  'a VEN listening on an external broker (Mosquitto, TEST_MQTT_URL)',
  () => {
    let vtn: LiveVtn;
    const topicPrefix = `tenet-ven-test-${randomUUID()}/`;
    beforeAll(async () => {
      vtn = await liveVtn('sqlite', { mqtt: { brokerUrl: EXTERNAL_MQTT_URL, topicPrefix } });
    });
    afterAll(async () => {
      await vtn?.dispose();
    });

    it("logs in anonymously as the binding says and hears its events under the VTN's topic prefix", async () => {
      const programID = (await vtn.bl<{ id: string }>('POST', '/programs', programBody('external'))).id;
      const client = vtn.venClient('prosumer');
      const ven = await client.ensureVen('external-home');
      const names: string[] = [];
      const listener = await VenMqttListener.start({
        client,
        venID: ven.id,
        collections: ['events'],
        onNotification: (n) => {
          if (n.objectType === 'EVENT') names.push(n.object.eventName ?? '');
        },
      });
      try {
        expect(listener.topics).toEqual([`${topicPrefix}vens/${ven.id}/events/+`]);
        await vtn.bl('POST', '/events', eventBody(programID, { eventName: 'via-mosquitto' }));
        await until(() => names.includes('via-mosquitto'), 'the event through Mosquitto');
      } finally {
        await listener.close();
      }
    });
  },
);
