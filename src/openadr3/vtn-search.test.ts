/**
 * Searches: skip and limit (the spec's maximum of 50, which is also the default), creation order, and
 * every filter of every search, additive, each request and response checked against the 3.1.1 document.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnStores, START_MS } from '../server/api-test.fixture.js';
import {
  eventBody,
  programBody,
  reportBody,
  subscriptionBody,
  vtnHarness,
  type ClientName,
  type VtnHarness,
} from './vtn-test.fixture.js';

type Body = Record<string, unknown> & { id: string };
const HOUR_MS = 3_600_000;

describeOnStores('OpenADR VTN searches', (kind) => {
  let v: VtnHarness;
  let program: string;
  let other: string;
  const events: string[] = [];
  beforeAll(async () => {
    v = await vtnHarness(kind);
    program = (await post('bl', '/programs', programBody('paged'))).id;
    other = (await post('bl', '/programs', programBody('other'))).id;
    for (let k = 0; k < 57; k++)
      events.push((await post('bl', '/events', eventBody(program, { eventName: `e${k}` }))).id);
  });
  afterAll(async () => {
    await v.dispose();
  });
  const post = (who: ClientName, url: string, payload: unknown) =>
    v.json<Body>(who, { method: 'POST', url, payload }, 201);
  const ids = async (who: ClientName, url: string) =>
    (await v.json<Body[]>(who, { method: 'GET', url }, 200)).map((o) => o.id);

  it('pages in creation order: 50 by default and at most, skip to go on', async () => {
    const byProgram = `/events?programID=${program}`;
    expect(await ids('bl', byProgram)).toEqual(events.slice(0, 50));
    expect(await ids('bl', `${byProgram}&skip=50`)).toEqual(events.slice(50));
    expect(await ids('bl', `${byProgram}&skip=10&limit=5`)).toEqual(events.slice(10, 15));
    expect(await ids('bl', `${byProgram}&limit=0`)).toEqual([]);
    expect(await ids('bl', `${byProgram}&skip=2147483647`)).toEqual([]);
    for (const bad of ['limit=51', 'skip=-1', 'limit=-1', 'skip=2147483648', 'limit=ten']) {
      const problem = await v.json('bl', { method: 'GET', url: `/events?${bad}`, invalid: true }, 400);
      expect(problem).toMatchObject({ code: 'TE_ERR_VALIDATION' });
    }
    const misspelt = await v.json('bl', { method: 'GET', url: '/events?programId=x', invalid: true }, 400);
    expect(misspelt).toMatchObject({ code: 'TE_ERR_UNKNOWN_KEY', hint: "did you mean 'programID'?" });
  });

  it('filters events by program and, with active=true, leaves out those that have ended', async () => {
    const ended = await post(
      'bl',
      '/events',
      eventBody(other, { intervalPeriod: { start: '2020-01-01T00:00:00Z', duration: 'PT1H' } }),
    );
    // One hourly interval that started half an hour ago.
    const start = new Date(START_MS - HOUR_MS / 2).toISOString();
    const oneInterval = [{ id: 0, payloads: [{ type: 'PRICE', values: [0.2] }] }];
    const running = await post(
      'bl',
      '/events',
      eventBody(other, { intervalPeriod: { start, duration: 'PT1H' }, intervals: oneInterval }),
    );
    const forever = await post('bl', '/events', eventBody(other, { intervals: [], duration: 'P9999Y' }));
    expect(await ids('bl', `/events?programID=${other}`)).toEqual([ended.id, running.id, forever.id]);
    expect(await ids('bl', `/events?programID=${other}&active=true`)).toEqual([running.id, forever.id]);
    expect(await ids('bl', `/events?programID=${other}&active=false`)).toEqual([
      ended.id,
      running.id,
      forever.id,
    ]);
    // It ends half an hour from now (and the tokens last an hour from the start).
    v.api.clock.advance(HOUR_MS / 2);
    expect(await ids('bl', `/events?programID=${other}&active=true`)).toEqual([forever.id]);
  });

  it('filters programs, events and VENs by targets (any of them), for business logic', async () => {
    const a = await post('bl', '/programs', programBody('ta', ['north', 'east']));
    const b = await post('bl', '/programs', programBody('tb', ['south']));
    expect(await ids('bl', '/programs?targets=north')).toEqual([a.id]);
    expect(await ids('bl', '/programs?targets=east&targets=south')).toEqual([a.id, b.id]);
    expect(await ids('bl', '/programs?targets=west')).toEqual([]);
    const ven = await post('bl', '/vens', {
      objectType: 'BL_VEN_REQUEST',
      clientID: 'ven-two',
      venName: 'targeted',
      targets: ['south'],
    });
    expect(await ids('bl', '/vens?targets=south')).toEqual([ven.id]);
    expect(await ids('bl', '/vens?venName=targeted')).toEqual([ven.id]);
    expect(await ids('bl', '/vens?venName=targeted&targets=north')).toEqual([]);
  });

  it('filters reports by program, event and clientName; subscriptions by program, clientName and objects', async () => {
    const first = await post('ven1', '/reports', reportBody(events[0]!, { clientName: 'meter-a' }));
    const second = await post('ven1', '/reports', reportBody(events[1]!, { clientName: 'meter-b' }));
    expect(await ids('bl', `/reports?programID=${program}`)).toEqual([first.id, second.id]);
    expect(await ids('bl', `/reports?eventID=${events[1]}`)).toEqual([second.id]);
    expect(await ids('bl', `/reports?programID=${program}&clientName=meter-a`)).toEqual([first.id]);
    expect(await ids('bl', `/reports?programID=${other}`)).toEqual([]);
    const events1 = await post(
      'ven1',
      '/subscriptions',
      subscriptionBody({ clientName: 's1', programID: program }),
    );
    const reports = await post(
      'ven1',
      '/subscriptions',
      subscriptionBody({
        clientName: 's2',
        objectOperations: [
          { objects: ['REPORT', 'VEN'], operations: ['CREATE'], callbackUrl: 'https://x.example/cb' },
        ],
      }),
    );
    expect(await ids('ven1', '/subscriptions?objects=EVENT')).toEqual([events1.id]);
    expect(await ids('ven1', '/subscriptions?objects=VEN&objects=EVENT')).toEqual([events1.id, reports.id]);
    expect(await ids('ven1', `/subscriptions?programID=${program}`)).toEqual([events1.id]);
    expect(await ids('ven1', '/subscriptions?clientName=s2')).toEqual([reports.id]);
  });

  it('filters resources by VEN and name', async () => {
    const ven = await post('ven1', '/vens', { objectType: 'VEN_VEN_REQUEST', venName: 'with-resources' });
    const make = (resourceName: string) =>
      post('ven1', '/resources', { objectType: 'VEN_RESOURCE_REQUEST', venID: ven.id, resourceName });
    const battery = await make('battery');
    const pv = await make('pv');
    expect(await ids('ven1', `/resources?venID=${ven.id}`)).toEqual([battery.id, pv.id]);
    expect(await ids('ven1', `/resources?venID=${ven.id}&resourceName=pv`)).toEqual([pv.id]);
    expect(await ids('ven1', '/resources?resourceName=battery')).toEqual([battery.id]);
  });
});
