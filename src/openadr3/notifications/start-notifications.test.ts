import { decodeJwt } from 'jose';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describe } from 'vitest';
import { programBody, vtnHarness, type VtnHarness } from '../vtn-test.fixture.js';
import { startOpenAdr3Notifications, type OpenAdr3Notifications } from './start-notifications.js';
import { webhookReceiver, type WebhookReceiver } from './webhook-receiver.fixture.js';

describe('OpenADR notifications started for tenet serve', () => {
  let v: VtnHarness;
  let running: OpenAdr3Notifications;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    v = await vtnHarness('sqlite');
    receiver = await webhookReceiver();
    running = await startOpenAdr3Notifications(
      v.api.app,
      v.api.store.store.db,
      {
        mqtt: { port: 0 },
        webhooks: { backoffMs: 20, callbacks: { allowHttp: true, allowPrivateNetworks: true } },
      },
      {
        verifyToken: async (token) => {
          if (token !== v.tokens.bl) throw new Error('invalid token');
          return { clientId: 'client-market-operator', role: 'market-operator', participantId: undefined };
        },
      },
    );
  });
  afterAll(async () => {
    await running?.close();
    await receiver?.close();
    await v?.dispose();
  });

  it('lists the embedded broker with bearer-token logins, and delivers webhooks', async () => {
    const notifiers = await v.json('ven1', { method: 'GET', url: '/notifiers' }, 200);
    expect(notifiers).toEqual({
      WEBHOOK: true,
      MQTT: {
        URIS: [running.broker?.url],
        serialization: 'JSON',
        authentication: { method: 'OAUTH2_BEARER_TOKEN', username: '{clientID}' },
      },
    });
    await v.json(
      'bl',
      {
        method: 'POST',
        url: '/subscriptions',
        payload: {
          clientName: 'serve',
          objectOperations: [{ objects: ['PROGRAM'], operations: ['CREATE'], callbackUrl: receiver.url }],
        },
      },
      201,
    );
    await v.json('bl', { method: 'POST', url: '/programs', payload: programBody('served') }, 201);
    const [post] = await receiver.waitFor(1);
    expect(post?.body).toMatchObject({ objectType: 'PROGRAM', operation: 'CREATE' });
    await running.mqtt?.idle();
    expect(running.mqtt?.stats.published).toBeGreaterThanOrEqual(2);
  });
});

describe('an embedded-broker login given a token clock', () => {
  let v: VtnHarness;
  let running: OpenAdr3Notifications;
  beforeAll(async () => {
    v = await vtnHarness('sqlite');
    running = await startOpenAdr3Notifications(
      v.api.app,
      v.api.store.store.db,
      { mqtt: { port: 0 }, webhooks: false },
      {
        verifyToken: async (token) => {
          if (token !== v.tokens.bl) throw new Error('invalid token');
          return { clientId: 'client-market-operator', role: 'market-operator', participantId: undefined };
        },
        tokenClock: v.api.clock,
      },
    );
  });
  afterAll(async () => {
    await running?.close();
    await v?.dispose();
  });

  it('is closed when its token expires', async () => {
    const expiresAtMs = (decodeJwt(v.tokens.bl).exp as number) * 1000;
    v.api.clock.set(expiresAtMs - 200);
    const client = await mqtt.connectAsync(running.broker?.url as string, {
      username: 'client-market-operator',
      password: v.tokens.bl,
      reconnectPeriod: 0,
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    // The broker's timer fires 200 ms from now by the token clock; the clock passes the expiry meanwhile.
    v.api.clock.set(expiresAtMs + 1);
    await closed;
    expect(client.connected).toBe(false);
    await client.endAsync(true);
  });
});
