/**
 * A process of MQTT subscribers for the fan-out bench, driven over IPC (child_process.fork): each VEN it
 * is given logs in as itself (username its clientID, password its bearer token) and subscribes to its
 * own VEN's event topics; it records when each VEN first hears of the event it is told to expect.
 *
 * Messages in: `{ kind: 'connect', brokerUrl, topicPrefix, vens }`, `{ kind: 'expect', eventName, count }`,
 * `{ kind: 'report' }`, `{ kind: 'close' }`. Messages out: `{ kind: 'ready', subscribed, refused }`,
 * `{ kind: 'heard', count }` (once `count` VENs heard), `{ kind: 'times', receivedAtMs }`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { VenOfWorld } from './openadr3-world.js';

type Incoming =
  | { kind: 'connect'; brokerUrl: string; topicPrefix: string; vens: VenOfWorld[] }
  | { kind: 'expect'; eventName: string; count: number }
  | { kind: 'report' }
  | { kind: 'close' };

/** Logins at once: the broker verifies a token per login, so a burst of 5,000 only queues. */
const CONNECTING_AT_ONCE = 100;

const clients: MqttClient[] = [];
let expected: string | undefined;
let receivedAtMs: number[] = [];
let heard = 0;
let heardBy = 0;

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function send(message: unknown): void {
  process.send?.(message);
}

async function connectAll(brokerUrl: string, topicPrefix: string, vens: readonly VenOfWorld[]) {
  let subscribed = 0;
  let refused = 0;
  let next = 0;
  const worker = async () => {
    while (next < vens.length) {
      const ven = vens[next++] as VenOfWorld;
      try {
        const client = await mqtt.connectAsync(brokerUrl, {
          clientId: `${topicPrefix}${ven.clientId}`,
          username: ven.clientId,
          password: ven.token,
          reconnectPeriod: 0,
          keepalive: 600,
          connectTimeout: 60_000,
        });
        clients.push(client);
        const index = clients.length - 1;
        client.on('message', (_topic, payload) => {
          if (expected === undefined || receivedAtMs[index] !== undefined) return;
          const at = nowMs();
          const body = JSON.parse(payload.toString('utf8')) as { object?: { eventName?: string } };
          if (body.object?.eventName !== expected) return;
          receivedAtMs[index] = at;
          heard += 1;
          if (heard === heardBy) send({ kind: 'heard', count: heard });
        });
        await client.subscribeAsync(`${topicPrefix}vens/${ven.venId}/events/+`, { qos: 1 });
        subscribed += 1;
      } catch {
        refused += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTING_AT_ONCE }, worker));
  send({ kind: 'ready', subscribed, refused });
}

process.on('message', (message: Incoming) => {
  switch (message.kind) {
    case 'connect':
      void connectAll(message.brokerUrl, message.topicPrefix, message.vens);
      return;
    case 'expect':
      expected = message.eventName;
      receivedAtMs = [];
      heard = 0;
      heardBy = message.count;
      return;
    case 'report':
      send({ kind: 'times', receivedAtMs: receivedAtMs.filter((t) => t !== undefined) });
      return;
    case 'close':
      void Promise.all(clients.map((c) => c.endAsync(true))).finally(() => process.exit(0));
      return;
  }
});
