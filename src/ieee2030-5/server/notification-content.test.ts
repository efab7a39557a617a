import { describe, expect, it } from 'vitest';
import type { DERControl } from '../der-control.js';
import { buildNotification, isActiveControl, nextActiveChangeS } from './notification-content.js';
import type { SepProgram } from './registry.js';
import type { SepSubscriptionRecord } from './subscriptions.js';

const control = (start: number, duration: number, status = 0): Omit<DERControl, 'href' | 'replyTo'> => ({
  mRID: `0C${start}`,
  creationTime: 0,
  EventStatus: { currentStatus: status, dateTime: 0, potentiallySuperseded: false },
  interval: { start, duration },
  DERControlBase: {},
});
const program = (controls: SepProgram['controls']): SepProgram => ({
  id: 'p',
  mRID: 'D001',
  primacy: 1,
  controls,
});
const record = (kind: SepSubscriptionRecord['kind'], limit: number): SepSubscriptionRecord => ({
  id: 7,
  deviceId: 'd1',
  deviceLfdi: 'A'.repeat(40),
  ownerLfdi: 'A'.repeat(40),
  programId: 'p',
  kind,
  subscription: {
    subscribedResource: `/sep2/derp/p/${kind}`,
    encoding: 0,
    level: '+S1',
    limit,
    notificationURI: 'https://x/n',
  },
  createdAtMs: 0,
});
const ctx = { base: '/sep2', origin: 'https://sep.example:8443', nowMs: 1000_000 };

describe('notification content', () => {
  it('treats a control as active over [start, start + duration) unless cancelled or superseded', () => {
    expect(isActiveControl(control(1000, 10), 1000)).toBe(true);
    expect(isActiveControl(control(1000, 10), 1009.9)).toBe(true);
    expect(isActiveControl(control(1000, 10), 1010)).toBe(false);
    expect(isActiveControl(control(1000, 10), 999)).toBe(false);
    for (const status of [2, 3, 4]) expect(isActiveControl(control(1000, 10, status), 1005)).toBe(false);
    expect(isActiveControl(control(1000, 10, 1), 1005)).toBe(true);
  });

  it('finds the next start or end, skipping cancelled controls and the past', () => {
    const p = program([control(900, 50), control(1200, 60), control(1010, 100, 2), control(990, 30)]);
    expect(nextActiveChangeS(p, 1000)).toBe(1020);
    expect(nextActiveChangeS(p, 1020)).toBe(1200);
    expect(nextActiveChangeS(p, 1200)).toBe(1260);
    expect(nextActiveChangeS(p, 1260)).toBeUndefined();
    expect(nextActiveChangeS(program([]), 0)).toBeUndefined();
  });

  it('cuts lists to the limit, keeps all as the full count, and cancels when the resource is gone', () => {
    const p = program([control(900, 200), control(1100, 10), control(1200, 10)]);
    const dc = buildNotification(record('dc', 2), p, ctx).notification;
    expect(dc.subscriptionURI).toBe('https://sep.example:8443/sep2/edev/d1/sub/7');
    expect(
      dc.Resource?.xsiType === 'DERControlList' && [dc.Resource.value.all, dc.Resource.value.results],
    ).toEqual([3, 2]);
    const bare = buildNotification(record('dc', 0), p, ctx).notification;
    expect(bare.Resource?.xsiType === 'DERControlList' && bare.Resource.value.results).toBe(0);
    const act = buildNotification(record('actderc', 10), p, ctx).notification;
    expect(act.Resource?.xsiType === 'DERControlList' && act.Resource.value.all).toBe(1);
    const gone = buildNotification(record('dderc', 1), p, ctx);
    expect(gone).toMatchObject({ cancels: true, notification: { status: 4 } });
    expect(gone.notification.Resource).toBeUndefined();
    expect(buildNotification(record('dc', 1), undefined, ctx).cancels).toBe(true);
  });
});
