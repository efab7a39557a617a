import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../server/auth/tokens.js';
import type { Role } from '../../server/auth/roles.js';
import {
  CLIENTS,
  eventBody,
  programBody,
  vtnHarness,
  type ClientName,
  type VtnHarness,
} from '../vtn-test.fixture.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { MqttNotifier } from './mqtt-notifier.js';
import { maySubscribeToTopic } from './notification-audience.js';

const EXTERNAL_URL = process.env['TEST_MQTT_URL'];
const MQTT_SKIP_MESSAGE =
  'TEST_MQTT_URL is not set: the external-broker (Mosquitto) notifier tests are skipped; set TEST_MQTT_URL=mqtt://127.0.0.1:1883 to run them';

interface Received {
  readonly topic: string;
  readonly body: { objectType: string; operation: string; object: Record<string, unknown> };
}

/** A subscribed client that records what arrives. */
async function listener(url: string, topics: string[], password?: string) {
  const client: MqttClient = await mqtt.connectAsync(url, {
    clientId: `test-${randomUUID()}`,
    reconnectPeriod: 0,
    ...(password === undefined ? {} : { username: '{clientID}', password }),
  });
  const received: Received[] = [];
  client.on('message', (topic, payload) =>
    received.push({ topic, body: JSON.parse(payload.toString('utf8')) as Received['body'] }),
  );
  // One SUBSCRIBE per filter: mqtt.js rejects a whole SUBACK that refuses any of its filters.
  const granted: boolean[] = [];
  for (const topic of topics)
    granted.push(
      await client.subscribeAsync(topic, { qos: 1 }).then(
        () => true,
        () => false,
      ),
    );
  return { client, received, granted };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function suite(
  name: string,
  brokerOf: () => Promise<{
    url: string;
    close(): Promise<void>;
    login?: { username: string; password: string };
  }>,
) {
  describe(name, () => {
    let v: VtnHarness;
    let broker: Awaited<ReturnType<typeof brokerOf>>;
    let notifier: MqttNotifier;
    let venId: string;
    const prefix = `tenet-test-${randomUUID()}/`;

    beforeAll(async () => {
      v = await vtnHarness('sqlite');
      broker = await brokerOf();
      notifier = await MqttNotifier.start(v.api.store.store.db, v.api.app.openadr3Changes, {
        brokerUrl: broker.url,
        topicPrefix: prefix,
        ...(broker.login === undefined ? {} : broker.login),
      });
      v.api.app.openadr3Mqtt = notifier.binding;
      venId = await create('bl', '/vens', {
        objectType: 'BL_VEN_REQUEST',
        clientID: 'client-prosumer',
        venName: 'mqtt-home',
        targets: ['g1'],
      });
    });
    afterAll(async () => {
      await notifier?.close();
      await broker?.close();
      await v?.dispose();
    });

    async function create(who: ClientName, url: string, payload: unknown): Promise<string> {
      return (await v.json<{ id: string }>(who, { method: 'POST', url, payload }, 201)).id;
    }

    it('lists the MQTT binding and answers topic names as the spec names them', async () => {
      const notifiers = await v.json('ven1', { method: 'GET', url: '/notifiers' }, 200);
      expect(notifiers).toEqual({
        WEBHOOK: true,
        MQTT: { URIS: [broker.url], serialization: 'JSON', authentication: { method: 'ANONYMOUS' } },
      });
      const programs = await v.json('bl', { method: 'GET', url: '/notifiers/mqtt/topics/programs' }, 200);
      expect(programs).toEqual({
        topics: {
          CREATE: `${prefix}programs/create`,
          UPDATE: `${prefix}programs/update`,
          DELETE: `${prefix}programs/delete`,
          ALL: `${prefix}programs/+`,
        },
      });
      const venEvents = await v.json(
        'ven1',
        { method: 'GET', url: `/notifiers/mqtt/topics/vens/${venId}/events` },
        200,
      );
      expect(venEvents).toMatchObject({ topics: { CREATE: `${prefix}vens/${venId}/events/create` } });
    });

    it("publishes each change on its collections' topics, and on a VEN's only what it may read", async () => {
      const bl = await listener(broker.url, [
        `${prefix}programs/+`,
        `${prefix}events/+`,
        `${prefix}programs/+/events/+`,
      ]);
      const ven = await listener(broker.url, [
        `${prefix}vens/${venId}/events/+`,
        `${prefix}vens/${venId}/programs/+`,
      ]);
      try {
        const programId = await create('bl', '/programs', programBody('mqtt-program'));
        const toG1 = await create('bl', '/events', eventBody(programId, { targets: ['g1', 'bl-only'] }));
        const toG2 = await create('bl', '/events', eventBody(programId, { targets: ['g2'] }));
        await v.json(
          'bl',
          { method: 'PUT', url: `/programs/${programId}`, payload: programBody('mqtt-program-2') },
          200,
        );
        await notifier.idle();
        await until(() => bl.received.length >= 6, 'business logic messages');
        await until(() => ven.received.length >= 3, "the VEN's messages");
        const blTopics = bl.received.map((m) => m.topic).sort();
        expect(blTopics).toEqual(
          [
            `${prefix}events/create`,
            `${prefix}events/create`,
            `${prefix}programs/${programId}/events/create`,
            `${prefix}programs/${programId}/events/create`,
            `${prefix}programs/create`,
            `${prefix}programs/update`,
          ].sort(),
        );
        const created = bl.received.find((m) => m.topic === `${prefix}programs/create`);
        expect(created?.body).toMatchObject({
          objectType: 'PROGRAM',
          operation: 'CREATE',
          object: { id: programId },
        });
        expect(v.contract.schemaErrors('#/components/schemas/notification', created?.body)).toEqual([]);
        const venEvents = ven.received.filter((m) => m.topic.includes('/events/'));
        expect(venEvents.map((m) => m.body.object['id'])).toEqual([toG1]);
        expect(venEvents[0]?.body.object['targets']).toEqual(['g1']);
        expect(ven.received.map((m) => m.body.object['id'])).not.toContain(toG2);
        await v.json('bl', { method: 'DELETE', url: `/programs/${programId}` }, 200);
      } finally {
        await bl.client.endAsync();
        await ven.client.endAsync();
      }
    });
  });
}

suite('OpenADR MQTT notifier on the embedded broker', async () => {
  const broker: EmbeddedBroker = await startEmbeddedBroker({ port: 0 });
  return { url: broker.url, close: () => broker.close(), login: broker.publisher };
});

if (EXTERNAL_URL === undefined) {
  describe('OpenADR MQTT notifier on an external broker', () => {
    it.skip(MQTT_SKIP_MESSAGE, () => {});
  });
} else {
  suite('OpenADR MQTT notifier on an external broker (TEST_MQTT_URL)', async () => ({
    url: EXTERNAL_URL,
    close: async () => {},
  }));
}

describe('the embedded broker with bearer-token logins', () => {
  let v: VtnHarness;
  let broker: EmbeddedBroker;
  let venId: string;
  beforeAll(async () => {
    v = await vtnHarness('sqlite');
    const db = v.api.store.store.db;
    const callers = new Map<string, Caller>(
      (Object.keys(CLIENTS) as ClientName[]).map((name) => [
        v.tokens[name],
        { clientId: CLIENTS[name].clientId, role: CLIENTS[name].role as Role, participantId: undefined },
      ]),
    );
    broker = await startEmbeddedBroker({
      port: 0,
      authorize: {
        verifyToken: async (token) => callers.get(token),
        maySubscribe: (caller, topic) => maySubscribeToTopic(db, caller, topic),
      },
    });
    venId = (
      await v.json<{ id: string }>(
        'bl',
        {
          method: 'POST',
          url: '/vens',
          payload: {
            objectType: 'BL_VEN_REQUEST',
            clientID: 'client-prosumer',
            venName: 'mqtt-auth-home',
            targets: [],
          },
        },
        201,
      )
    ).id;
  });
  afterAll(async () => {
    await broker?.close();
    await v?.dispose();
  });

  it('refuses a login without a valid token', async () => {
    await expect(listener(broker.url, ['programs/+'], 'not-a-token')).rejects.toThrow();
  });

  it("lets a VEN subscribe only to its own VEN's topics, business logic to any, and nobody but the VTN publish", async () => {
    const ven = await listener(
      broker.url,
      [`vens/${venId}/events/+`, 'programs/+', 'vens/+/events/+'],
      v.tokens.ven1,
    );
    const other = await listener(broker.url, [`vens/${venId}/events/+`], v.tokens.ven2);
    const bl = await listener(broker.url, ['programs/+', '#'], v.tokens.bl);
    try {
      // MQTT 3.1.1 answers a refused subscription with 128 in SUBACK; the connection stays up.
      expect(ven.granted).toEqual([true, false, false]);
      expect(other.granted).toEqual([false]);
      expect(bl.granted).toEqual([true, true]);
      // The broker drops a client that publishes; QoS 0 so nothing waits for an acknowledgement.
      ven.client.publish('programs/create', '{}', { qos: 0 });
      await new Promise((r) => setTimeout(r, 100));
      expect(bl.received).toEqual([]);
    } finally {
      await Promise.all([ven.client.endAsync(true), other.client.endAsync(), bl.client.endAsync()]);
    }
  });
});
