import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DERControl, DERControlList } from '../der-control.js';
import { identityFromCertificate } from '../identity.js';
import { decodeNotification, type Notification } from '../subscription.js';
import { SEP_XSD, validateSepDocument } from '../../../test/ieee2030-5/sep-xsd.fixture.js';
import { startSepNotifier, type SepNotifier, type SepNotifierOptions } from './notifier.js';
import { InMemorySepDeviceRegistry, type SepDevice, type SepProgram } from './registry.js';
import {
  ChangingProgramSource,
  startSubscriber,
  type Subscriber,
} from './notification-subscriber.fixture.js';
import { InMemorySepSubscriptionStore, type SubscribableKind } from './subscriptions.js';
import { hasOpenssl, makeTestPki, type Pem, type TestPki } from './test-pki.fixture.js';

/** The DERControlList a notification carries; fails the test when it carries anything else. */
function controlList(n: Notification | undefined): DERControlList {
  if (n?.Resource?.xsiType !== 'DERControlList')
    throw new Error(`expected a DERControlList in ${JSON.stringify(n)}`);
  return n.Resource.value;
}

const NOW_MS = Date.UTC(2026, 10, 24, 10, 0, 0);
const NOW_S = NOW_MS / 1000;
const control = (i: number, start = NOW_S + i * 300, status = 0): Omit<DERControl, 'href' | 'replyTo'> => ({
  mRID: `00000000000000000000000000000C0${i}`,
  creationTime: NOW_S,
  EventStatus: { currentStatus: status, dateTime: NOW_S, potentiallySuperseded: false },
  interval: { start, duration: 300 },
  DERControlBase: { opModMaxLimWInject: { value: 5000 + i, multiplier: 0 } },
});
const program = (controls: number[], withDefault = true): SepProgram => ({
  id: 'local',
  mRID: '0000000000000000000000000000D001',
  primacy: 1,
  controls: controls.map((i) => control(i)),
  ...(withDefault
    ? {
        defaultControl: {
          mRID: '0000000000000000000000000000DD01',
          DERControlBase: { opModMaxLimWInject: { value: 10_000, multiplier: 0 } },
        },
      }
    : {}),
});

describe.skipIf(!hasOpenssl())('IEEE 2030.5 notifier over mutual TLS', () => {
  let pki: TestPki;
  let devices: InMemorySepDeviceRegistry;
  let deviceA: SepDevice;
  let deviceB: SepDevice;
  const open: { close(): Promise<void> }[] = [];
  const logs: string[] = [];

  beforeAll(() => {
    pki = makeTestPki();
    const register = (id: string, pem: Pem): SepDevice => {
      const { lfdi, sfdi } = identityFromCertificate(pem.cert);
      return { id, lfdi, sfdi, pin: 111115, registeredAt: 1_700_000_000 };
    };
    deviceA = register('dA', pki.subscribers[0]);
    deviceB = register('dB', pki.subscribers[1]);
    devices = new InMemorySepDeviceRegistry([deviceA, deviceB]);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
    logs.length = 0;
  });
  afterAll(async () => Promise.all(open.map((o) => o.close())));

  const setup = async (
    source: ChangingProgramSource,
    limits: SepNotifierOptions['limits'] = {},
  ): Promise<{ notifier: SepNotifier; store: InMemorySepSubscriptionStore }> => {
    const store = new InMemorySepSubscriptionStore();
    const notifier = startSepNotifier({
      subscriptions: store,
      devices,
      programs: source,
      publicBaseUrl: 'https://sep.example:8443/sep2',
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      clock: { nowMs: () => NOW_MS },
      limits: { attemptTimeoutMs: 1000, retries: 1, backoffMs: 10, ...limits },
      log: (line) => logs.push(line),
    });
    open.push(notifier);
    return { notifier, store };
  };
  const subscribe = (
    store: InMemorySepSubscriptionStore,
    device: SepDevice,
    subscriber: Subscriber,
    kind: SubscribableKind = 'dc',
    limit = 10,
  ) =>
    store.add({
      deviceId: device.id,
      deviceLfdi: device.lfdi,
      ownerLfdi: device.lfdi,
      programId: 'local',
      kind,
      subscription: {
        subscribedResource: `/sep2/derp/local/${kind}`,
        encoding: 0,
        level: '+S1',
        limit,
        notificationURI: subscriber.url,
      },
      connectAddress: '127.0.0.1',
      createdAtMs: NOW_MS,
    });
  const endpoint = async (pem: Pem, behaviour?: 'accept' | 'hang' | 500): Promise<Subscriber> => {
    const s = await startSubscriber(pem, pki.ca.cert, behaviour);
    open.push(s);
    return s;
  };

  it('POSTs a schema-valid Notification with the changed list, presenting the server certificate', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source);
    const a = await endpoint(pki.subscribers[0]);
    const record = subscribe(store, deviceA, a);
    source.set([program([1, 2, 3])]);
    await a.waitFor(1);
    const [got] = a.received;
    expect(got?.contentType).toBe('application/sep+xml');
    expect(got?.clientLfdi).toBe(identityFromCertificate(pki.server.cert).lfdi);
    const n = decodeNotification(got?.body ?? '');
    expect(n.subscriptionURI).toBe(`https://sep.example:8443/sep2/edev/dA/sub/${record.id}`);
    expect(n.subscribedResource).toBe('/sep2/derp/local/dc');
    expect(n.status).toBe(0);
    expect(n.Resource?.xsiType).toBe('DERControlList');
    const list = controlList(n);
    expect([list.all, list.results]).toEqual([3, 3]);
    expect(list.DERControl.map((c) => c.href)).toEqual([
      '/sep2/derp/local/dc/00000000000000000000000000000C01',
      '/sep2/derp/local/dc/00000000000000000000000000000C02',
      '/sep2/derp/local/dc/00000000000000000000000000000C03',
    ]);
    if (SEP_XSD !== undefined) expect(await validateSepDocument(got?.body ?? '')).toBe('valid');
    await notifier.idle();
    expect(notifier.stats()).toMatchObject({ sent: 1, failedAttempts: 0, dropped: 0, removed: 0 });
  });

  it('honours limit, sends active controls for actderc and a bare notice for dderc with limit 0', async () => {
    const active = {
      ...program([]),
      controls: [control(1, NOW_S - 60), control(2), control(3, NOW_S - 60, 2)],
    };
    const source = new ChangingProgramSource([active]);
    const { notifier, store } = await setup(source);
    const a = await endpoint(pki.subscribers[0]);
    subscribe(store, deviceA, a, 'dc', 2);
    subscribe(store, deviceA, a, 'actderc');
    subscribe(store, deviceA, a, 'dderc', 0);
    subscribe(store, deviceA, a, 'dderc', 1);
    notifier.notify(['local']);
    await a.waitFor(4);
    const all = a.received.map((r) => decodeNotification(r.body));
    const dc = controlList(all.find((n) => n.subscribedResource.endsWith('/dc')));
    expect([dc.all, dc.results]).toEqual([3, 2]);
    const act = controlList(all.find((n) => n.subscribedResource.endsWith('/actderc')));
    expect(act.DERControl.map((c) => c.mRID)).toEqual(['00000000000000000000000000000C01']);
    const dderc = all.filter((n) => n.subscribedResource.endsWith('/dderc'));
    expect(dderc.map((n) => n.Resource?.xsiType).sort()).toEqual(['DefaultDERControl', undefined]);
    if (SEP_XSD !== undefined) expect(await validateSepDocument(a.received.map((r) => r.body))).toBe('valid');
  });

  it('coalesces a burst of changes into the latest state, and stops after unsubscribe', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source, { concurrency: 1 });
    const a = await endpoint(pki.subscribers[0]);
    const b = await endpoint(pki.subscribers[1]);
    const ra = subscribe(store, deviceA, a);
    subscribe(store, deviceB, b);
    for (const n of [2, 3, 4, 5, 6]) source.set([program([...Array(n).keys()].map((i) => i + 1))]);
    await notifier.idle();
    // One notification went out at once, the other four changes became one more.
    expect(a.received.length).toBeLessThanOrEqual(2);
    const last = decodeNotification(a.received.at(-1)?.body ?? '');
    expect(controlList(last).all).toBe(6);
    const before = a.received.length;
    expect(store.remove('dA', ra.id)).toBe(true);
    const bBefore = b.received.length;
    source.set([program([1])]);
    await b.waitFor(bBefore + 1);
    await notifier.idle();
    expect(a.received.length).toBe(before);
  });

  it('keeps serving others while a subscriber hangs, and drops the dead one after its failures', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source, {
      concurrency: 2,
      attemptTimeoutMs: 400,
      retries: 1,
      maxFailedDeliveries: 2,
    });
    const dead = await endpoint(pki.subscribers[0], 'hang');
    const alive = await endpoint(pki.subscribers[1]);
    const deadRecord = subscribe(store, deviceA, dead);
    subscribe(store, deviceB, alive);
    const started = Date.now();
    source.set([program([1, 2])]);
    await alive.waitFor(1);
    expect(Date.now() - started).toBeLessThan(400);
    await notifier.idle();
    expect(store.get('dA', deadRecord.id)).toBeDefined(); // one failed notification is not enough
    source.set([program([1, 2, 3])]);
    await alive.waitFor(2);
    await notifier.idle();
    expect(store.get('dA', deadRecord.id)).toBeUndefined();
    expect(notifier.stats()).toMatchObject({ sent: 2, failedAttempts: 4, dropped: 2, removed: 1 });
    expect(logs.some((l) => l.includes('dA/sub/1 removed: 2 notifications in a row failed'))).toBe(true);
  });

  it('refuses a subscriber presenting another device certificate, or one from another CA', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source, { retries: 0, maxFailedDeliveries: 5 });
    const impostor = await endpoint(pki.subscribers[1]); // B's certificate at A's notificationURI
    subscribe(store, deviceA, impostor);
    const foreign = await startSubscriber(pki.foreign, pki.ca.cert);
    open.push(foreign);
    subscribe(store, deviceB, foreign);
    notifier.notify(['local']);
    await notifier.idle();
    expect(impostor.received).toEqual([]);
    expect(foreign.received).toEqual([]);
    expect(notifier.stats()).toMatchObject({ sent: 0, failedAttempts: 2, dropped: 2 });
    expect(logs.join('\n')).toMatch(/not the subscribing device's/);
  });

  it('counts a 5xx answer as a failure and retries it', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source, { retries: 2 });
    const failing = await endpoint(pki.subscribers[0], 500);
    subscribe(store, deviceA, failing);
    notifier.notify(['local']);
    await notifier.idle();
    expect(failing.received.length).toBe(3);
    expect(notifier.stats()).toMatchObject({ sent: 0, failedAttempts: 3, dropped: 1 });
  });

  it('cancels a subscription whose resource is gone with status 4, and survives a failing program source', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source);
    const a = await endpoint(pki.subscribers[0]);
    const dc = subscribe(store, deviceA, a);
    const dderc = subscribe(store, deviceA, a, 'dderc');
    source.set([program([1], false)]); // the default control is withdrawn
    await a.waitFor(2);
    await notifier.idle();
    const byKind = a.received.map((r) => decodeNotification(r.body));
    expect(byKind.find((n) => n.subscribedResource.endsWith('dderc'))).toMatchObject({ status: 4 });
    expect(byKind.find((n) => n.subscribedResource.endsWith('/dc'))).toMatchObject({ status: 0 });
    expect(store.get('dA', dderc.id)).toBeUndefined();
    expect(store.get('dA', dc.id)).toBeDefined();
    source.set([program([1])], true);
    await notifier.idle();
    expect(a.received.length).toBe(2);
    expect(logs.join('\n')).toMatch(/could not be read: program store unreachable/);
    source.set([]);
    source.emit(['local']); // the program itself is withdrawn
    await a.waitFor(3);
    expect(decodeNotification(a.received[2]?.body ?? '').status).toBe(4);
    await notifier.idle();
    expect(store.list('dA')).toEqual([]);
  });

  it('notifies an ActiveDERControlList subscriber when a control starts and ends by the clock', async () => {
    const t0 = Date.now();
    const clock = { nowMs: () => NOW_MS + (Date.now() - t0) };
    const source = new ChangingProgramSource([
      {
        ...program([]),
        controls: [{ ...control(1), interval: { start: NOW_S + 1, duration: 1 } }, control(2, NOW_S + 9_000)],
      },
    ]);
    const store = new InMemorySepSubscriptionStore();
    const notifier = startSepNotifier({
      subscriptions: store,
      devices,
      programs: source,
      publicBaseUrl: 'https://sep.example:8443/sep2',
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      clock,
    });
    open.push(notifier);
    const a = await endpoint(pki.subscribers[0]);
    notifier.subscribed(subscribe(store, deviceA, a, 'actderc'));
    notifier.subscribed(subscribe(store, deviceA, a, 'dc')); // no clock-driven notices for the full list
    expect(notifier.stats().armed).toBe(1);
    await a.waitFor(1, 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const started = controlList(decodeNotification(a.received[0]?.body ?? ''));
    expect(started.DERControl.map((c) => c.mRID)).toEqual(['00000000000000000000000000000C01']);
    await a.waitFor(2, 3000); // it ends a second later
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(controlList(decodeNotification(a.received[1]?.body ?? '')).all).toBe(0);
    await notifier.idle();
    expect(a.received.every((r) => decodeNotification(r.body).subscribedResource.endsWith('/actderc'))).toBe(
      true,
    );
    expect(notifier.stats().armed).toBe(1); // the next change: control 2's start
    const [act] = store.list('dA');
    store.remove('dA', act?.id ?? 0);
    notifier.forget('dA', act?.id ?? 0);
    expect(notifier.stats().armed).toBe(0);
  });

  it('drops notifications beyond the queue bound and says so', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source, { concurrency: 1, maxQueued: 1 });
    const a = await endpoint(pki.subscribers[0]);
    for (let i = 0; i < 3; i += 1) subscribe(store, deviceA, a);
    notifier.notify(['local']); // one in flight, one queued, one over the bound
    await notifier.idle();
    expect(a.received.length).toBe(2);
    expect(notifier.stats()).toMatchObject({ sent: 2, dropped: 1 });
    expect(logs.join('\n')).toMatch(/queue full \(1\), notification for dA\/3 dropped/);
  });

  it('closes promptly while requests hang, and stops following the program source', async () => {
    const source = new ChangingProgramSource([program([1])]);
    const { notifier, store } = await setup(source, { attemptTimeoutMs: 30_000 });
    const dead = await endpoint(pki.subscribers[0], 'hang');
    subscribe(store, deviceA, dead);
    expect(source.listeners).toBe(1);
    notifier.notify(['local']);
    await new Promise((r) => setTimeout(r, 100));
    expect(notifier.stats().inFlight).toBe(1);
    const started = Date.now();
    await notifier.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(source.listeners).toBe(0);
    notifier.notify(['local']);
    expect(notifier.stats()).toMatchObject({ queued: 0, inFlight: 0, retrying: 0 });
    await notifier.idle();
  });
});
