import { describe, expect, it } from 'vitest';
import type { DERControl } from './der-control.js';
import {
  decodeNotification,
  decodeSubscription,
  decodeSubscriptionList,
  encodeNotification,
  encodeSubscription,
  encodeSubscriptionList,
  type Notification,
  type Subscription,
  type SubscriptionList,
} from './subscription.js';
import { SEP_XSD, validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';

const T0 = 1_790_000_000;
const subscription: Subscription = {
  href: '/sep2/edev/d1/sub/1',
  subscribedResource: '/sep2/derp/local/dc',
  encoding: 0,
  level: '+S1',
  limit: 10,
  notificationURI: 'https://192.0.2.10:8443/notify?x=1&y=2',
};
const withCondition: Subscription = {
  subscribedResource: '/sep2/upt/0/mr/0/r',
  Condition: { attributeIdentifier: 0, lowerThreshold: -140_737_488_355_328, upperThreshold: 5000 },
  encoding: 0,
  level: '+S1',
  limit: 1,
  notificationURI: 'https://device.example/n',
};
const list: SubscriptionList = {
  href: '/sep2/edev/d1/sub',
  all: 2,
  results: 2,
  pollRate: 900,
  Subscription: [subscription, withCondition],
};
const control: DERControl = {
  href: '/sep2/derp/local/dc/0C01',
  replyTo: '/sep2/rsps',
  responseRequired: '03',
  mRID: '00000000000000000000000000000C01',
  creationTime: T0,
  EventStatus: { currentStatus: 0, dateTime: T0, potentiallySuperseded: false },
  interval: { start: T0 + 300, duration: 300 },
  DERControlBase: { opModMaxLimWInject: { value: 5000, multiplier: 0 } },
};
const listNotification: Notification = {
  subscribedResource: '/sep2/derp/local/dc',
  createdDateTime: T0,
  Resource: {
    xsiType: 'DERControlList',
    value: { href: '/sep2/derp/local/dc', subscribable: 1, all: 1, results: 1, DERControl: [control] },
  },
  status: 0,
  subscriptionURI: 'https://sep.example:8443/sep2/edev/d1/sub/1',
};
const defaultNotification: Notification = {
  subscribedResource: '/sep2/derp/local/dderc',
  Resource: {
    xsiType: 'DefaultDERControl',
    value: {
      href: '/sep2/derp/local/dderc',
      mRID: '0000000000000000000000000000DD01',
      DERControlBase: { opModMaxLimWInject: { value: 10_000, multiplier: 0 } },
      setGradW: 100,
    },
  },
  status: 0,
  subscriptionURI: 'https://sep.example:8443/sep2/edev/d1/sub/2',
};
const bareNotice: Notification = {
  subscribedResource: '/sep2/derp/local/dc',
  Resource: { xsiType: 'DERControlList', value: { all: 3, results: 0, DERControl: [] } },
  status: 0,
  subscriptionURI: 'https://sep.example:8443/sep2/edev/d1/sub/3',
};
const cancelled: Notification = {
  subscribedResource: '/sep2/derp/gone/dc',
  status: 4,
  subscriptionURI: 'https://sep.example:8443/sep2/edev/d1/sub/4',
};

describe('subscription codecs', () => {
  it('round-trips Subscription, SubscriptionList and Notification', () => {
    expect(decodeSubscription(encodeSubscription(subscription))).toEqual(subscription);
    expect(decodeSubscription(encodeSubscription(withCondition))).toEqual(withCondition);
    expect(decodeSubscriptionList(encodeSubscriptionList(list))).toEqual(list);
    for (const n of [listNotification, defaultNotification, cancelled]) {
      expect(decodeNotification(encodeNotification(n))).toEqual(n);
    }
    // Reading fills an absent repeated element with [] (as every list codec does).
    expect(decodeNotification(encodeNotification(bareNotice))).toEqual(bareNotice);
  });

  it('writes the concrete resource type as xsi:type, declaring the prefix on the root', () => {
    const xml = encodeNotification(listNotification);
    expect(xml).toContain(
      '<Notification xmlns="urn:ieee:std:2030.5:ns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    );
    expect(xml).toContain('<Resource xsi:type="DERControlList" href="/sep2/derp/local/dc"');
    // Types without an xsi-typed element keep the plain root they always had.
    expect(encodeSubscription(subscription)).not.toContain('xmlns:xsi');
  });

  it.skipIf(SEP_XSD === undefined)('writes documents valid against sep.xsd', async () => {
    const docs = [
      encodeSubscription(subscription),
      encodeSubscription(withCondition),
      encodeSubscriptionList(list),
      encodeSubscriptionList({ all: 0, results: 0, Subscription: [] }),
      encodeNotification(listNotification),
      encodeNotification(defaultNotification),
      encodeNotification(bareNotice),
      encodeNotification(cancelled),
    ];
    expect(await validateSepDocument(docs)).toBe('valid');
  });

  it.skipIf(SEP_XSD === undefined)('the schema check looks inside the xsi-typed resource', async () => {
    // The same notification with DERControlList's required `all` removed must fail, or the check
    // above would prove nothing about the resource it carries.
    const broken = encodeNotification(listNotification).replace(' all="1"', '');
    await expect(validateSepDocument(broken)).rejects.toThrow(/all/);
  });

  it('reads a notification written by another implementation (pretty-printed, xsi declared on the element)', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Notification xmlns="urn:ieee:std:2030.5:ns" href="/n/1">
  <subscribedResource>/sep2/derp/local/dderc</subscribedResource>
  <Resource xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="DefaultDERControl">
    <mRID>0000000000000000000000000000DD01</mRID>
    <DERControlBase><opModConnect>false</opModConnect></DERControlBase>
  </Resource>
  <status>0</status>
  <subscriptionURI>https://sep.example/sep2/edev/d1/sub/2</subscriptionURI>
</Notification>`;
    expect(decodeNotification(xml).Resource).toEqual({
      xsiType: 'DefaultDERControl',
      value: { mRID: '0000000000000000000000000000DD01', DERControlBase: { opModConnect: false } },
    });
  });

  it('refuses a Resource without xsi:type, or of a type it does not carry, with the path', () => {
    const typed = encodeNotification(listNotification);
    const untyped = typed.replace(' xsi:type="DERControlList"', '');
    expect(() => decodeNotification(untyped)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/Notification/Resource/@xsi:type' }),
    );
    const other = typed.replace('xsi:type="DERControlList"', 'xsi:type="EndDeviceList"');
    expect(() => decodeNotification(other)).toThrow(/EndDeviceList is not one of DERControlList/);
    const prefixed = typed.replace('xsi:type="DERControlList"', 'xsi:type="sep:DERControlList"');
    expect(() => decodeNotification(prefixed)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION' }),
    );
    expect(() =>
      encodeNotification({
        ...listNotification,
        Resource: { xsiType: 'Time', value: {} } as unknown as Notification['Resource'],
      }),
    ).toThrow(expect.objectContaining({ path: '/Notification/Resource/@xsi:type' }));
  });

  it('refuses out-of-range subscription fields on both sides', () => {
    expect(() => encodeSubscription({ ...subscription, encoding: 256 })).toThrow(
      expect.objectContaining({ path: '/Subscription/encoding' }),
    );
    expect(() => encodeSubscription({ ...subscription, level: '+S1'.repeat(6) })).toThrow(
      expect.objectContaining({ path: '/Subscription/level' }),
    );
    const xml = encodeSubscription(withCondition).replace('-140737488355328', '-140737488355329');
    expect(() => decodeSubscription(xml)).toThrow(
      expect.objectContaining({ path: '/Subscription/Condition/lowerThreshold' }),
    );
    const noUri = encodeSubscription(subscription).replace(/<notificationURI>.*<\/notificationURI>/, '');
    expect(() => decodeSubscription(noUri)).toThrow(
      expect.objectContaining({ path: '/Subscription/notificationURI' }),
    );
  });
});
