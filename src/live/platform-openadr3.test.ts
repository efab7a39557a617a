/**
 * The platform runs the OpenADR notifiers: by default the MQTT notifier on an embedded broker where a
 * VEN logs in with its bearer token and hears its own events; configured off, or pointed at an
 * external broker (the real Mosquitto with TEST_MQTT_URL); a busy port is a coded configuration error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import { eventNameForSlot } from '../openadr3/market/market-mapping.js';
import { OPERATOR_CREDENTIALS_FILE } from '../server/auth/index.js';
import { ManualClock } from './clock.js';
import { startPlatform, type RunningPlatform } from './platform.js';
import { parseServerConfig, type ServerConfig } from './server-config.js';

const dirs: string[] = [];
const running: RunningPlatform[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const server of servers.splice(0)) server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(text: string): ServerConfig {
  const parsed = parseServerConfig(`server:\n  port: 0\n${text}`, 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.toLine()).join('\n'));
  return parsed.value;
}

async function start(
  text = '',
  lines: string[] = [],
  clock = new ManualClock(1_767_225_600_000),
): Promise<RunningPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-platform-adr-'));
  dirs.push(dataDir);
  const platform = await startPlatform({
    config: config(text),
    dataDir,
    clock,
    log: (line) => lines.push(line),
  });
  running.push(platform);
  return platform;
}

/** A small HTTP client of one platform, acting as its market operator unless given a token. */
async function operatorSession(platform: RunningPlatform, dataDir: string) {
  const credentials = JSON.parse(readFileSync(join(dataDir, OPERATOR_CREDENTIALS_FILE), 'utf8')) as {
    client_id: string;
    client_secret: string;
  };
  const token = async (clientId: string, secret: string) => {
    const response = await fetch(`${platform.url}/openadr3/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
      }).toString(),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const operatorToken = await token(credentials.client_id, credentials.client_secret);
  const post = async <T>(path: string, body: unknown, bearer = operatorToken): Promise<T> => {
    const response = await fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, `${path}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as T;
  };
  const send = (method: string, path: string, body: unknown, bearer = operatorToken) =>
    fetch(`${platform.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const get = async <T>(path: string, bearer = operatorToken): Promise<T> => {
    const response = await fetch(`${platform.url}${path}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  return { token, post, get, send };
}

/** A home's gateway as a VEN: a participant, its client, and the VEN object business logic makes for it. */
async function homeVen(session: Awaited<ReturnType<typeof operatorSession>>) {
  await session.post('/api/participants', { id: 'home-1', role: 'prosumer', name: 'Home 1' });
  const client = await session.post<{ clientSecret: string }>('/api/clients', {
    clientId: 'home-1-gateway',
    role: 'prosumer',
    participantId: 'home-1',
  });
  const ven = await session.post<{ id: string }>('/openadr3/vens', {
    objectType: 'BL_VEN_REQUEST',
    clientID: 'home-1-gateway',
    venName: 'home-1',
    targets: ['feeder-1'],
  });
  const token = await session.token('home-1-gateway', client.clientSecret);
  return { venId: ven.id, token };
}

async function nextMessage(client: mqtt.MqttClient): Promise<{ topic: string; body: unknown }> {
  return new Promise((resolve) => {
    client.once('message', (topic, payload) => resolve({ topic, body: JSON.parse(payload.toString()) }));
  });
}

describe('the platform with OpenADR notifications', () => {
  it('runs the MQTT notifier on an embedded broker where a VEN logs in with its token', async () => {
    const platform = await start();
    const dataDir = dirs.at(-1) as string;
    expect(platform.mqttBrokerUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const session = await operatorSession(platform, dataDir);
    const notifiers = await session.get<{ WEBHOOK: boolean; MQTT: { URIS: string[] } }>(
      '/openadr3/notifiers',
    );
    expect(notifiers.WEBHOOK).toBe(true);
    expect(notifiers.MQTT.URIS).toEqual([platform.mqttBrokerUrl]);

    const { venId, token } = await homeVen(session);
    const refused = mqtt.connectAsync(platform.mqttBrokerUrl as string, {
      username: 'home-1-gateway',
      password: 'not-a-token',
      reconnectPeriod: 0,
    });
    await expect(refused).rejects.toThrow();
    const ven = await mqtt.connectAsync(platform.mqttBrokerUrl as string, {
      username: 'home-1-gateway',
      password: token,
      reconnectPeriod: 0,
    });
    try {
      await ven.subscribeAsync(`vens/${venId}/events/+`, { qos: 1 });
      const heard = nextMessage(ven);
      const program = await session.post<{ id: string }>('/openadr3/programs', { programName: 'tariff' });
      const event = await session.post<{ id: string }>('/openadr3/events', {
        programID: program.id,
        targets: ['feeder-1'],
        intervals: [{ id: 0, payloads: [{ type: 'PRICE', values: [0.21] }] }],
      });
      const message = await heard;
      expect(message.topic).toBe(`vens/${venId}/events/create`);
      expect(message.body).toMatchObject({
        objectType: 'EVENT',
        operation: 'CREATE',
        object: { id: event.id },
      });
    } finally {
      await ven.endAsync();
    }
  }, 30_000);

  it('refuses webhook callbacks to plain http or private addresses unless configured to allow them', async () => {
    const strict = await start();
    const session = await operatorSession(strict, dirs.at(-1) as string);
    const subscription = (callbackUrl: string) => ({
      clientName: 'hooks',
      objectOperations: [{ objects: ['EVENT'], operations: ['CREATE'], callbackUrl }],
    });
    for (const [url, refusal] of [
      ['http://hooks.example.org/adr', 'must use https'],
      ['https://169.254.169.254/latest', 'points at a non-public address (169.254.169.254)'],
    ]) {
      const response = await session.send('POST', '/openadr3/subscriptions', subscription(url as string));
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { detail: string; errors?: unknown };
      expect(JSON.stringify(problem)).toContain(refusal);
      expect(JSON.stringify(problem)).toContain('objectOperations[0].callbackUrl');
    }
    expect(await session.get<unknown[]>('/openadr3/subscriptions')).toEqual([]);

    const open = await start(
      'openadr3:\n  notifications:\n    webhooks:\n      allowHttp: true\n      allowPrivateNetworks: true\n',
    );
    const openSession = await operatorSession(open, dirs.at(-1) as string);
    const created = await openSession.send(
      'POST',
      '/openadr3/subscriptions',
      subscription('http://127.0.0.1:9/adr'),
    );
    expect(created.status).toBe(201);
  });

  it("publishes each cleared slot as a price event in the market's program, which a VEN reads", async () => {
    const clock = new ManualClock(1_767_225_600_000);
    const platform = await start('', [], clock);
    const session = await operatorSession(platform, dirs.at(-1) as string);
    const { token } = await homeVen(session);
    // Five-minute slots with the gate at the start: by 00:11 the slots of 00:00, 00:05 and 00:10 cleared.
    for (let step = 0; step < 11; step += 1) {
      clock.advance(60_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const deadline = Date.now() + 10_000;
    let events: { eventName: string; intervals: { payloads: { type: string }[] }[] }[] = [];
    while (Date.now() < deadline && events.length < 3) {
      events = await session.get('/openadr3/events', token);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const slotEvents = events.filter((e) => e.eventName.startsWith('market:community:slot:'));
    expect(slotEvents.map((e) => e.eventName)).toEqual([
      eventNameForSlot('community', 1_767_225_600_000),
      eventNameForSlot('community', 1_767_225_900_000),
      eventNameForSlot('community', 1_767_226_200_000),
    ]);
    const programs = await session.get<{ programName: string }[]>('/openadr3/programs', token);
    expect(programs.map((p) => p.programName)).toContain('market:community');
  }, 30_000);

  it('runs without MQTT when configured off', async () => {
    const platform = await start('openadr3:\n  notifications:\n    mqtt:\n      enabled: false\n');
    expect(platform.mqttBrokerUrl).toBeUndefined();
    const session = await operatorSession(platform, dirs.at(-1) as string);
    const notifiers = await session.get<Record<string, unknown>>('/openadr3/notifiers');
    expect(notifiers).toEqual({ WEBHOOK: true });
  });

  it('refuses to start on a busy broker port with a coded error naming the setting', async () => {
    const busy = createServer();
    servers.push(busy);
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const lines: string[] = [];
    const failed = start(`openadr3:\n  notifications:\n    mqtt:\n      port: ${port}\n`, lines).catch(
      (error: unknown) => error,
    );
    const error = await failed;
    expect(error).toBeInstanceOf(TeError);
    expect((error as TeError).code).toBe('TE_ERR_CONFIG');
    expect((error as TeError).path).toBe('openadr3.notifications.mqtt.port');
    expect((error as TeError).message).toContain(String(port));
  });

  it('refuses a configuration with an unknown notifier setting, naming the line', () => {
    const parsed = parseServerConfig('openadr3:\n  notifications:\n    mqtt:\n      prot: 1\n', 'bad.yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map((e) => e.toLine()).join('\n')).toMatch(/bad\.yaml:4.*prot/);
  });

  const brokerUrl = process.env.TEST_MQTT_URL;
  describe.skipIf(brokerUrl === undefined)('on an external broker (TEST_MQTT_URL)', () => {
    it('publishes to it and tells VENs so', async () => {
      const prefix = `tenet-test-${process.pid}-${Date.now()}/`;
      const platform = await start(
        `openadr3:\n  notifications:\n    mqtt:\n      brokerUrl: ${brokerUrl}\n      topicPrefix: ${prefix}\n`,
      );
      expect(platform.mqttBrokerUrl).toBe(brokerUrl);
      const session = await operatorSession(platform, dirs.at(-1) as string);
      const listener = await mqtt.connectAsync(brokerUrl as string, { reconnectPeriod: 0 });
      try {
        await listener.subscribeAsync(`${prefix}programs/+`, { qos: 1 });
        const heard = nextMessage(listener);
        const program = await session.post<{ id: string }>('/openadr3/programs', { programName: 'external' });
        const message = await heard;
        expect(message.topic).toBe(`${prefix}programs/create`);
        expect(message.body).toMatchObject({ object: { id: program.id } });
      } finally {
        await listener.endAsync();
      }
    }, 30_000);
  });
});
