import { describe, expect, it } from 'vitest';
import type { Subscription } from '../subscription.js';
import { checkNotificationTarget, normalizeAddress, parseNotificationUri } from './notification-target.js';
import type { SepProgram } from './registry.js';
import {
  acceptSubscription,
  InMemorySepSubscriptionStore,
  type NewSepSubscription,
} from './subscriptions.js';

const subscription: Subscription = {
  subscribedResource: '/sep2/derp/local/dc',
  encoding: 0,
  level: '+S1',
  limit: 10,
  notificationURI: 'https://127.0.0.1:9443/notify',
};
const entry = (deviceId: string, programId = 'local'): NewSepSubscription => ({
  deviceId,
  deviceLfdi: 'A'.repeat(40),
  ownerLfdi: 'A'.repeat(40),
  programId,
  kind: 'dc',
  subscription,
  connectAddress: '127.0.0.1',
  createdAtMs: 0,
});
const program = (id: string, withDefault: boolean): SepProgram => ({
  id,
  mRID: '0000000000000000000000000000D001',
  primacy: 1,
  controls: [],
  ...(withDefault
    ? { defaultControl: { mRID: '0000000000000000000000000000DD01', DERControlBase: {} } }
    : {}),
});
const programs = [program('local', true), program('nodefault', false)];

describe('in-memory subscription store', () => {
  it('adds, lists, finds by program and removes per device, never reusing an id', () => {
    const store = new InMemorySepSubscriptionStore();
    const a1 = store.add(entry('d1'));
    const a2 = store.add(entry('d1', 'other'));
    const b1 = store.add(entry('d2'));
    expect([a1.id, a2.id, b1.id]).toEqual([1, 2, 1]);
    expect(store.list('d1').map((s) => s.id)).toEqual([1, 2]);
    expect(store.forPrograms(['local']).map((s) => `${s.deviceId}/${s.id}`)).toEqual(['d1/1', 'd2/1']);
    expect(store.get('d2', 1)?.programId).toBe('local');
    expect(store.remove('d1', 1)).toBe(true);
    expect(store.remove('d1', 1)).toBe(false);
    expect(store.remove('d9', 1)).toBe(false);
    expect(store.add(entry('d1')).id).toBe(3);
    expect(store.list('nobody')).toEqual([]);
  });

  it('refuses a device over its limit with a coded error, leaving others free', () => {
    const store = new InMemorySepSubscriptionStore({ maxPerDevice: 2 });
    store.add(entry('d1'));
    store.add(entry('d1'));
    expect(() => store.add(entry('d1'))).toThrow(
      expect.objectContaining({ code: 'TE_ERR_SEP_SUBSCRIPTION', httpStatus: 400 }),
    );
    expect(store.add(entry('d2')).id).toBe(1);
    store.remove('d1', 1);
    expect(store.add(entry('d1')).id).toBe(3);
  });
});

describe('acceptSubscription', () => {
  it('takes dc, actderc and dderc of a program the device hears, as a path or an absolute URI', () => {
    expect(acceptSubscription(subscription, '/sep2', programs)).toEqual({
      programId: 'local',
      kind: 'dc',
      subscribedResource: '/sep2/derp/local/dc',
    });
    const absolute = {
      ...subscription,
      subscribedResource: 'https://sep.example/sep2/derp/local/actderc?l=5',
    };
    expect(acceptSubscription(absolute, '/sep2', programs).kind).toBe('actderc');
    const dderc = { ...subscription, subscribedResource: '/sep2/derp/local/dderc', limit: 0 };
    expect(acceptSubscription(dderc, '/sep2', programs).subscribedResource).toBe('/sep2/derp/local/dderc');
  });

  it.each([
    ['a program the device does not hear', '/sep2/derp/secret/dc'],
    ['a resource that is not subscribable', '/sep2/edev/d1'],
    ['one control', '/sep2/derp/local/dc/0C01'],
    ['a default control that does not exist', '/sep2/derp/nodefault/dderc'],
    ['another base path', '/other/derp/local/dc'],
    ['a path that climbs out', '/sep2/derp/../derp/x/../../edev/dc'],
    ['an encoded slash', '/sep2/derp/local%2Fdc/dc'],
    ['an empty resource', ''],
  ])('refuses %s', (_what, subscribedResource) => {
    expect(() => acceptSubscription({ ...subscription, subscribedResource }, '/sep2', programs)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_SEP_SUBSCRIPTION', path: '/Subscription/subscribedResource' }),
    );
  });

  it('refuses EXI, a limit over 100 and conditions, each with its path', () => {
    const refusal = (s: Subscription) => () => acceptSubscription(s, '/sep2', programs);
    expect(refusal({ ...subscription, encoding: 1 })).toThrow(
      expect.objectContaining({ path: '/Subscription/encoding' }),
    );
    expect(refusal({ ...subscription, limit: 101 })).toThrow(
      expect.objectContaining({ path: '/Subscription/limit' }),
    );
    expect(acceptSubscription({ ...subscription, limit: 100 }, '/sep2', programs).kind).toBe('dc');
    const Condition = { attributeIdentifier: 0, lowerThreshold: 0, upperThreshold: 1 };
    expect(refusal({ ...subscription, Condition })).toThrow(
      expect.objectContaining({ path: '/Subscription/Condition' }),
    );
  });
});

describe('notification target (request forgery guard)', () => {
  const target = 'TE_ERR_SEP_NOTIFICATION_TARGET';
  it.each([
    ['plain http', 'http://127.0.0.1/notify'],
    ['another scheme', 'file:///etc/passwd'],
    ['a relative reference', '/notify'],
    ['user info', 'https://user:pw@127.0.0.1/notify'],
    ['an over-long URI', `https://127.0.0.1/${'a'.repeat(1100)}`],
  ])('refuses %s', (_what, uri) => {
    expect(() => parseNotificationUri(uri)).toThrow(expect.objectContaining({ code: target }));
  });

  it('connects back to the subscriber only, pinned to the checked address', async () => {
    const uri = parseNotificationUri('https://127.0.0.1:9443/notify');
    expect(await checkNotificationTarget(uri, '::ffff:127.0.0.1')).toEqual({ connectAddress: '127.0.0.1' });
    for (const other of ['https://10.0.0.1/n', 'https://169.254.169.254/latest', 'https://[::1]:9443/n']) {
      await expect(checkNotificationTarget(parseNotificationUri(other), '127.0.0.1')).rejects.toMatchObject({
        code: target,
      });
    }
    expect(await checkNotificationTarget(parseNotificationUri('https://[::1]/n'), '::1')).toEqual({
      connectAddress: '::1',
    });
  });

  it('resolves a host name and accepts it only when one of its addresses is the subscriber', async () => {
    const lookup = (host: string) =>
      Promise.resolve(host === 'device.local' ? ['192.0.2.7', '2001:db8::7'] : ['198.51.100.1']);
    const device = parseNotificationUri('https://device.local:8443/n');
    expect(await checkNotificationTarget(device, '192.0.2.7', {}, lookup)).toEqual({
      connectAddress: '192.0.2.7',
    });
    const rebound = parseNotificationUri('https://evil.example/n');
    await expect(checkNotificationTarget(rebound, '192.0.2.7', {}, lookup)).rejects.toMatchObject({
      code: target,
    });
    const hang = () => new Promise<readonly string[]>(() => undefined);
    await expect(
      checkNotificationTarget(device, '192.0.2.7', { lookupTimeoutMs: 20 }, hang),
    ).rejects.toMatchObject({ code: target, message: expect.stringContaining('does not resolve') });
    const fail = () => Promise.reject(new Error('ENOTFOUND'));
    await expect(checkNotificationTarget(device, '192.0.2.7', {}, fail)).rejects.toMatchObject({
      code: target,
    });
  });

  it('lets the operator allow named hosts, or any host, resolved at each delivery', async () => {
    const gateway = parseNotificationUri('https://Gateway.example:8443/n');
    await expect(checkNotificationTarget(gateway, '192.0.2.7')).rejects.toMatchObject({ code: target });
    expect(await checkNotificationTarget(gateway, '192.0.2.7', { allowHosts: ['gateway.example'] })).toEqual(
      {},
    );
    const anywhere = parseNotificationUri('https://10.1.2.3/n');
    expect(await checkNotificationTarget(anywhere, '192.0.2.7', { allowAnyHost: true })).toEqual({});
  });

  it('normalises addresses the way Node reports peers', () => {
    expect(normalizeAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(normalizeAddress('[2001:DB8::1]')).toBe('2001:db8::1');
  });
});
