import { describe, expect, it } from 'vitest';
import type { DERControl } from '../der-control.js';
import { resolveDerControls } from './control-resolution.js';
import { ControlResponses, type OwedResponse } from './control-responses.js';

const T0 = 1_800_000_000;
const control = (
  mRID: string,
  start: number,
  duration: number,
  extra: Partial<DERControl> = {},
): DERControl => ({
  mRID,
  replyTo: '/sep2/rsps',
  responseRequired: '03',
  creationTime: T0 - 100,
  EventStatus: { currentStatus: 0, dateTime: T0 - 100, potentiallySuperseded: false },
  interval: { start, duration },
  DERControlBase: { opModMaxLimW: 5000 },
  ...extra,
});

/** One poll: what is owed, all of it marked sent; returns [subject, status] pairs. */
function poll(
  responses: ControlResponses,
  seen: DERControl[],
  nowS: number,
  refused = new Map<string, number>(),
): [string, number][] {
  const resolution = resolveDerControls([{ program: { mRID: 'P', primacy: 1 }, controls: seen }], nowS);
  const owed = responses.owed(seen, resolution, refused, nowS);
  owed.forEach((o) => responses.markSent(o));
  return owed.map((o: OwedResponse) => [o.subject, o.status]);
}

describe('ControlResponses', () => {
  it('sends received, started and completed once each over a control’s life', () => {
    const r = new ControlResponses();
    const c = control('A', T0 + 60, 120);
    expect(poll(r, [c], T0)).toEqual([['A', 1]]);
    expect(poll(r, [c], T0 + 30)).toEqual([]);
    expect(poll(r, [c], T0 + 60)).toEqual([['A', 2]]);
    expect(poll(r, [c], T0 + 120)).toEqual([]);
    // An active list drops the control when it ends: completion is still owed, and then it is forgotten.
    expect(poll(r, [], T0 + 180)).toEqual([['A', 3]]);
    expect(poll(r, [], T0 + 240)).toEqual([]);
    expect(r.size).toBe(0);
  });

  it('sends received and started together for a control first seen while active', () => {
    const r = new ControlResponses();
    expect(poll(r, [control('A', T0 - 10, 60)], T0)).toEqual([
      ['A', 1],
      ['A', 2],
    ]);
  });

  it('answers a cancellation and a server supersession, and nothing after', () => {
    const r = new ControlResponses();
    const a = control('A', T0 + 60, 60);
    const b = control('B', T0 + 60, 60);
    poll(r, [a, b], T0);
    const cancelled = { ...a, EventStatus: { ...a.EventStatus, currentStatus: 2 } };
    const superseded = { ...b, EventStatus: { ...b.EventStatus, currentStatus: 4 } };
    expect(poll(r, [cancelled, superseded], T0 + 10)).toEqual([
      ['A', 6],
      ['B', 7],
    ]);
    expect(poll(r, [cancelled, superseded], T0 + 70)).toEqual([]);
  });

  it('says superseded for an older control of the same program that a newer one overrides', () => {
    const r = new ControlResponses();
    const older = control('OLD', T0 - 10, 600, { creationTime: T0 - 500 });
    const newer = control('NEW', T0 - 5, 600, { creationTime: T0 - 50 });
    expect(poll(r, [older, newer], T0)).toEqual([
      ['OLD', 1],
      ['OLD', 7],
      ['NEW', 1],
      ['NEW', 2],
    ]);
  });

  it('sends a refusal status instead of started when a mode cannot be followed', () => {
    const r = new ControlResponses();
    const c = control('A', T0 - 10, 60);
    expect(poll(r, [c], T0, new Map([['A', 252]]))).toEqual([
      ['A', 1],
      ['A', 252],
    ]);
    expect(poll(r, [c], T0 + 100)).toEqual([]);
  });

  it('follows responseRequired: 00 or absent asks for nothing, 01 only for received', () => {
    const r = new ControlResponses();
    const none = control('N', T0 - 10, 60, { responseRequired: '00' });
    const { responseRequired: _dropped, ...absent } = control('X', T0 - 10, 60);
    const receivedOnly = control('R', T0 - 10, 60, { responseRequired: '01' });
    expect(poll(r, [none, absent, receivedOnly], T0)).toEqual([['R', 1]]);
  });

  it('owes a response again when it was not delivered', () => {
    const r = new ControlResponses();
    const c = control('A', T0 + 60, 60);
    const resolution = resolveDerControls([{ program: { mRID: 'P', primacy: 1 }, controls: [c] }], T0);
    expect(r.owed([c], resolution, new Map(), T0)).toHaveLength(1);
    expect(r.owed([c], resolution, new Map(), T0)).toHaveLength(1);
  });
});
