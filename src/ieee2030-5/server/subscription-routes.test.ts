import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDERControlList, type DERControl } from '../der-control.js';
import { identityFromCertificate } from '../identity.js';
import { decodeEndDevice } from '../resources.js';
import {
  decodeNotification,
  decodeSubscription,
  decodeSubscriptionList,
  encodeSubscription,
  type Subscription,
} from '../subscription.js';
import { SEP_XSD, validateSepDocument } from '../../../test/ieee2030-5/sep-xsd.fixture.js';
import {
  ChangingProgramSource,
  startSubscriber,
  type Subscriber,
} from './notification-subscriber.fixture.js';
import { InMemorySepDeviceRegistry, type SepDevice, type SepProgram } from './registry.js';
import { sepCall } from './sep-call.fixture.js';
import { startSepServer, type SepServer } from './server.js';
import { InMemorySepSubscriptionStore } from './subscriptions.js';
import { hasOpenssl, makeTestPki, type Pem, type TestPki } from './test-pki.fixture.js';

const NOW_MS = Date.UTC(2026, 10, 24, 10, 0, 0);
const control = (i: number): Omit<DERControl, 'href' | 'replyTo'> => ({
  mRID: `00000000000000000000000000000C0${i}`,
  creationTime: NOW_MS / 1000,
  EventStatus: { currentStatus: 0, dateTime: NOW_MS / 1000, potentiallySuperseded: false },
  interval: { start: NOW_MS / 1000 + i * 300, duration: 300 },
  DERControlBase: { opModMaxLimWInject: { value: 5000 + i, multiplier: 0 } },
});
const program = (n: number): SepProgram => ({
  id: 'local',
  mRID: '0000000000000000000000000000D001',
  primacy: 1,
  controls: [...Array(n).keys()].map((i) => control(i + 1)),
  defaultControl: { mRID: '0000000000000000000000000000DD01', DERControlBase: { opModConnect: true } },
});

describe.skipIf(!hasOpenssl())('IEEE 2030.5 subscription routes over mutual TLS', () => {
  let pki: TestPki;
  let server: SepServer;
  let plain: SepServer;
  let deviceA: SepDevice;
  const source = new ChangingProgramSource([program(1)]);
  const store = new InMemorySepSubscriptionStore({ maxPerDevice: 3 });
  const subscribers: Subscriber[] = [];
  const as = (pem: Pem, method: string, path: string, body?: string) =>
    sepCall(server.port, pki.ca.cert, pem, method, path, body);
  const subscription = (notificationURI: string, extra: Partial<Subscription> = {}): string =>
    encodeSubscription({
      subscribedResource: '/sep2/derp/local/dc',
      encoding: 0,
      level: '+S1',
      limit: 5,
      notificationURI,
      ...extra,
    });

  beforeAll(async () => {
    pki = makeTestPki();
    const register = (id: string, pem: Pem): SepDevice => {
      const { lfdi, sfdi } = identityFromCertificate(pem.cert);
      return { id, lfdi, sfdi, pin: 111115, registeredAt: 1_700_000_000 };
    };
    deviceA = register('dA', pki.subscribers[0]);
    const devices = new InMemorySepDeviceRegistry([deviceA, register('dB', pki.subscribers[1])]);
    const common = {
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices,
      programs: source,
      clock: { nowMs: () => NOW_MS },
    };
    server = await startSepServer({
      ...common,
      subscriptions: {
        store,
        // Names resolve without DNS in the test: the device's own name, and one that points elsewhere.
        lookup: (host) => Promise.resolve(host === 'device-a.test' ? ['127.0.0.1'] : ['10.9.9.9']),
        notifier: { limits: { attemptTimeoutMs: 1000, retries: 0 } },
      },
    });
    plain = await startSepServer(common);
    for (const pem of pki.subscribers) subscribers.push(await startSubscriber(pem, pki.ca.cert));
  });
  afterAll(async () => {
    await Promise.all([server?.close(), plain?.close(), ...subscribers.map((s) => s.close())]);
  });

  it('links the SubscriptionList from the EndDevice and marks DER controls subscribable', async () => {
    const edev = await as(pki.subscribers[0], 'GET', '/sep2/edev/dA');
    expect(decodeEndDevice(edev.body).SubscriptionListLink).toEqual({ href: '/sep2/edev/dA/sub', all: 0 });
    const dc = await as(pki.subscribers[0], 'GET', '/sep2/derp/local/dc');
    expect(decodeDERControlList(dc.body).subscribable).toBe(1);
    const dderc = await as(pki.subscribers[0], 'GET', '/sep2/derp/local/dderc');
    expect(dderc.body).toContain('subscribable="1"');
    const without = await sepCall(plain.port, pki.ca.cert, pki.subscribers[0], 'GET', '/sep2/edev/dA');
    expect(decodeEndDevice(without.body).SubscriptionListLink).toBeUndefined();
    const none = await sepCall(plain.port, pki.ca.cert, pki.subscribers[0], 'GET', '/sep2/edev/dA/sub');
    expect(none.status).toBe(404);
    if (SEP_XSD !== undefined)
      expect(await validateSepDocument([edev.body, dc.body, dderc.body])).toBe('valid');
  });

  it('subscribes, notifies on change with the new list, and stops after DELETE', async () => {
    const [a, b] = subscribers as [Subscriber, Subscriber];
    const created = await as(pki.subscribers[0], 'POST', '/sep2/edev/dA/sub', subscription(a.url));
    expect(created.status).toBe(201);
    const location = String(created.headers.location);
    expect(location).toMatch(/^\/sep2\/edev\/dA\/sub\/\d+$/);
    await as(pki.subscribers[1], 'POST', '/sep2/edev/dB/sub', subscription(b.url));

    const list = await as(pki.subscribers[0], 'GET', '/sep2/edev/dA/sub?l=10');
    expect(decodeSubscriptionList(list.body)).toMatchObject({ all: 1, results: 1 });
    const one = await as(pki.subscribers[0], 'GET', location);
    expect(decodeSubscription(one.body)).toMatchObject({ href: location, notificationURI: a.url, limit: 5 });
    if (SEP_XSD !== undefined) expect(await validateSepDocument([list.body, one.body])).toBe('valid');

    source.set([program(3)]);
    await a.waitFor(1);
    const n = decodeNotification(a.received[0]?.body ?? '');
    expect(n.subscriptionURI).toBe(`${new URL(server.url).origin}${location}`);
    expect(n.Resource?.xsiType).toBe('DERControlList');
    const value = n.Resource?.xsiType === 'DERControlList' ? n.Resource.value : undefined;
    expect([value?.all, value?.results]).toEqual([3, 3]);
    if (SEP_XSD !== undefined) expect(await validateSepDocument(a.received[0]?.body ?? '')).toBe('valid');

    expect((await as(pki.subscribers[0], 'DELETE', location)).status).toBe(204);
    expect((await as(pki.subscribers[0], 'GET', location)).status).toBe(404);
    expect((await as(pki.subscribers[0], 'DELETE', location)).status).toBe(404);
    const bBefore = b.received.length;
    source.set([program(2)]);
    await b.waitFor(bBefore + 1);
    await server.notifier?.idle();
    expect(a.received.length).toBe(1);
  });

  it('accepts a host name that resolves to the subscriber, and a repeat replaces the earlier subscription', async () => {
    const uri = 'https://device-a.test:1/notify';
    const first = await as(pki.subscribers[0], 'POST', '/sep2/edev/dA/sub', subscription(uri));
    const again = await as(pki.subscribers[0], 'POST', '/sep2/edev/dA/sub', subscription(uri, { limit: 1 }));
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.location).not.toBe(first.headers.location);
    const held = store.list('dA');
    expect(held.map((s) => s.subscription.limit)).toEqual([1]);
    expect(held[0]?.connectAddress).toBe('127.0.0.1');
    await as(pki.subscribers[0], 'DELETE', String(again.headers.location));
  });

  it.each([
    ['plain http', subscription('http://127.0.0.1:9/n'), 'TE_ERR_SEP_NOTIFICATION_TARGET'],
    ['another address', subscription('https://10.0.0.1/n'), 'TE_ERR_SEP_NOTIFICATION_TARGET'],
    [
      'cloud metadata',
      subscription('https://169.254.169.254/latest/meta-data'),
      'TE_ERR_SEP_NOTIFICATION_TARGET',
    ],
    [
      'a name that resolves elsewhere',
      subscription('https://internal.test/n'),
      'TE_ERR_SEP_NOTIFICATION_TARGET',
    ],
    [
      'the server itself by another loopback',
      subscription('https://127.0.0.2/n'),
      'TE_ERR_SEP_NOTIFICATION_TARGET',
    ],
    [
      'another resource',
      subscription('https://127.0.0.1/n', { subscribedResource: '/sep2/edev/dB' }),
      'TE_ERR_SEP_SUBSCRIPTION',
    ],
    [
      'an unknown program',
      subscription('https://127.0.0.1/n', { subscribedResource: '/sep2/derp/other/dc' }),
      'TE_ERR_SEP_SUBSCRIPTION',
    ],
    ['EXI', subscription('https://127.0.0.1/n', { encoding: 1 }), 'TE_ERR_SEP_SUBSCRIPTION'],
    ['a limit over 100', subscription('https://127.0.0.1/n', { limit: 101 }), 'TE_ERR_SEP_SUBSCRIPTION'],
    ['malformed XML', '<Subscription xmlns="urn:ieee:std:2030.5:ns">', 'TE_ERR_XML_MALFORMED'],
    ['a DTD', '<!DOCTYPE x [<!ENTITY e "e">]><Subscription/>', 'TE_ERR_XML_FORBIDDEN'],
    [
      'another document type',
      '<DERControlList xmlns="urn:ieee:std:2030.5:ns" all="0" results="0"/>',
      'TE_ERR_VALIDATION',
    ],
  ])('refuses %s with a coded 400, storing nothing', async (_what, body, code) => {
    const reply = await as(pki.subscribers[0], 'POST', '/sep2/edev/dA/sub', body);
    expect([reply.status, reply.headers['x-tenet-error']]).toEqual([400, code]);
    expect(store.list('dA')).toEqual([]);
  });

  it('keeps devices to their own EndDevice and to their limit; unknown methods get 405', async () => {
    const uri = subscribers[0]?.url ?? '';
    const foreign = await as(pki.subscribers[0], 'POST', '/sep2/edev/dB/sub', subscription(uri));
    expect(foreign.status).toBe(404);
    expect((await as(pki.subscribers[0], 'GET', '/sep2/edev/dB/sub')).status).toBe(404);
    const dB = store.list('dB')[0];
    expect((await as(pki.subscribers[0], 'DELETE', `/sep2/edev/dB/sub/${dB?.id}`)).status).toBe(404);
    expect(store.list('dB')).toHaveLength(1);
    for (const kind of ['dc', 'actderc', 'dderc']) {
      const r = await as(
        pki.subscribers[0],
        'POST',
        '/sep2/edev/dA/sub',
        subscription(uri, { subscribedResource: `/sep2/derp/local/${kind}` }),
      );
      expect(r.status).toBe(201);
    }
    const over = await as(pki.subscribers[0], 'POST', '/sep2/edev/dA/sub', subscription(`${uri}/4`));
    expect([over.status, over.headers['x-tenet-error']]).toEqual([400, 'TE_ERR_SEP_SUBSCRIPTION']);
    const put = await as(pki.subscribers[0], 'PUT', '/sep2/edev/dA/sub', subscription(uri));
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, POST']);
    expect((await as(pki.subscribers[0], 'GET', '/sep2/edev/dA/sub/x1')).status).toBe(404);
    for (const s of store.list('dA')) store.remove('dA', s.id);
  });

  it('arms the ActiveDERControlList notification when a device subscribes to actderc', async () => {
    const t0 = Date.now();
    const soon: SepProgram = {
      ...program(0),
      controls: [{ ...control(1), interval: { start: NOW_MS / 1000 + 1, duration: 600 } }],
    };
    const own = await startSepServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry([deviceA]),
      programs: new ChangingProgramSource([soon]),
      clock: { nowMs: () => NOW_MS + (Date.now() - t0) },
      subscriptions: {},
    });
    try {
      const a = subscribers[0] as Subscriber;
      const before = a.received.length;
      const body = subscription(a.url, { subscribedResource: '/sep2/derp/local/actderc' });
      const created = await sepCall(
        own.port,
        pki.ca.cert,
        pki.subscribers[0],
        'POST',
        '/sep2/edev/dA/sub',
        body,
      );
      expect(created.status).toBe(201);
      await a.waitFor(before + 1, 3000); // no program change: the control's start is the trigger
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      const n = decodeNotification(a.received[before]?.body ?? '');
      expect(n.Resource?.xsiType === 'DERControlList' && n.Resource.value.all).toBe(1);
      await own.notifier?.idle();
      expect(own.notifier?.stats().armed).toBe(1); // the control's end
      const location = String(created.headers.location);
      expect((await sepCall(own.port, pki.ca.cert, pki.subscribers[0], 'DELETE', location)).status).toBe(204);
      expect(own.notifier?.stats().armed).toBe(0);
    } finally {
      await own.close();
    }
  });

  it('lets an aggregator subscribe for a device it speaks for, notifying the aggregator', async () => {
    const lfdiOf = (pem: Pem) => identityFromCertificate(pem.cert);
    const aggregator: SepDevice = {
      id: 'agg',
      lfdi: lfdiOf(pki.subscribers[1]).lfdi,
      sfdi: lfdiOf(pki.subscribers[1]).sfdi,
      pin: 111115,
      registeredAt: 1_700_000_000,
      sees: ['dA'],
    };
    const programs = new ChangingProgramSource([program(1)]);
    const own = await startSepServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry([deviceA, aggregator]),
      programs,
      clock: { nowMs: () => NOW_MS },
      subscriptions: {},
    });
    try {
      const b = subscribers[1] as Subscriber;
      const before = b.received.length;
      const created = await sepCall(
        own.port,
        pki.ca.cert,
        pki.subscribers[1],
        'POST',
        '/sep2/edev/dA/sub',
        subscription(b.url),
      );
      expect([created.status, created.headers.location]).toEqual([201, '/sep2/edev/dA/sub/1']);
      // The device itself sees the subscription made for it.
      const list = await sepCall(own.port, pki.ca.cert, pki.subscribers[0], 'GET', '/sep2/edev/dA/sub');
      expect(decodeSubscriptionList(list.body).all).toBe(1);
      programs.set([program(2)]);
      await b.waitFor(before + 1);
      expect(decodeNotification(b.received[before]?.body ?? '').subscriptionURI).toMatch(
        /\/sep2\/edev\/dA\/sub\/1$/,
      );
      await own.notifier?.idle();
      expect(own.notifier?.stats()).toMatchObject({ sent: 1, failedAttempts: 0 });
    } finally {
      await own.close();
    }
  });

  it('refuses a public base URL that is not absolute https before listening', async () => {
    for (const publicBaseUrl of [
      'http://sep.example/sep2',
      'sep.example/sep2',
      'https://sep.example/sep2?x=1',
    ]) {
      await expect(
        startSepServer({
          host: '127.0.0.1',
          port: 0,
          tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
          devices: new InMemorySepDeviceRegistry([]),
          programs: source,
          clock: { nowMs: () => NOW_MS },
          subscriptions: { publicBaseUrl },
        }),
      ).rejects.toMatchObject({ code: 'TE_ERR_CONFIG', path: 'subscriptions.publicBaseUrl' });
    }
  });

  it('closes its notifier with the server', async () => {
    const own = await startSepServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry([deviceA]),
      programs: source,
      clock: { nowMs: () => NOW_MS },
      subscriptions: {},
    });
    const listening = source.listeners;
    await own.close();
    expect(source.listeners).toBe(listening - 1);
  });
});
