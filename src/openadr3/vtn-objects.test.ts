/**
 * What the VTN does with objects beyond their shape: metadata it assigns, what it keeps of a request,
 * updates, the owner it stamps, deletes with what belongs to the deleted object, the change feed and
 * the audit trail. Every request and response is checked against the published 3.1.1 document.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnStores, START_MS } from '../server/api-test.fixture.js';
import { listAuditRecords } from '../store/audit-repository.js';
import type { OpenAdrChange } from './object-changes.js';
import {
  eventBody,
  programBody,
  reportBody,
  subscriptionBody,
  vtnHarness,
  type VtnHarness,
} from './vtn-test.fixture.js';

type Body = Record<string, unknown> & { id: string };

describeOnStores('OpenADR VTN objects', (kind) => {
  let v: VtnHarness;
  const changes: OpenAdrChange[] = [];
  beforeAll(async () => {
    v = await vtnHarness(kind);
    v.api.app.openadr3Changes.subscribe((change) => changes.push(change));
  });
  afterAll(async () => {
    await v.dispose();
  });
  const post = (who: 'bl' | 'ven1' | 'ven2', url: string, payload: unknown, invalid = false) =>
    v.json<Body>(who, { method: 'POST', url, payload, invalid }, 201);

  it('assigns id, times and objectType, and keeps only what the schema defines', async () => {
    const program = await post('bl', '/programs', {
      programName: 'metadata',
      id: 'chosen-by-client',
      createdDateTime: '2000-01-01T00:00:00Z',
      objectType: 'EVENT',
      myPrivateObject: 'whatever I want',
      payloadDescriptors: [{ objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'PRICE', extra: 1 }],
      retailerName: 'ACME',
      bindingEvents: true,
    });
    expect(program.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(program).toEqual({
      id: program.id,
      createdDateTime: new Date(START_MS).toISOString(),
      modificationDateTime: new Date(START_MS).toISOString(),
      objectType: 'PROGRAM',
      programName: 'metadata',
      payloadDescriptors: [{ objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'PRICE' }],
      retailerName: 'ACME',
      bindingEvents: true,
    });
    const event = await post(
      'bl',
      '/events',
      eventBody(program.id, { intervals: [{ id: 0, payloads: [], note: 1 }] }),
    );
    expect(event['intervals']).toEqual([{ id: 0, payloads: [] }]);
  });

  it("stores the User Guide's 'beginning of time' start as an RFC 3339 date-time", async () => {
    const program = await post('bl', '/programs', programBody('alerts'));
    const event = await post(
      'bl',
      '/events',
      eventBody(program.id, { intervalPeriod: { start: '0001-01-01', duration: 'P9999Y' } }),
      true,
    );
    expect(event['intervalPeriod']).toEqual({ start: '0001-01-01T00:00:00Z', duration: 'P9999Y' });
  });

  it('replaces an object on PUT, keeping id and creation time and moving the modification time', async () => {
    const program = await post('bl', '/programs', programBody('replaced', ['g1']));
    v.api.clock.advance(60_000);
    const updated = await v.json<Body>(
      'bl',
      { method: 'PUT', url: `/programs/${program.id}`, payload: { programName: 'replaced', id: 'x' } },
      200,
    );
    expect(updated).toEqual({
      id: program.id,
      createdDateTime: program['createdDateTime'],
      modificationDateTime: new Date(v.api.clock.nowMs()).toISOString(),
      objectType: 'PROGRAM',
      programName: 'replaced',
    });
    expect(await v.json('bl', { method: 'GET', url: `/programs/${program.id}` }, 200)).toEqual(updated);
  });

  it("stamps the VEN's clientID on its reports with the event's programID, and keeps them when the event goes", async () => {
    const program = await post('bl', '/programs', programBody('reported'));
    const event = await post('bl', '/events', eventBody(program.id));
    const report = await post('ven1', '/reports', {
      ...reportBody(event.id),
      clientID: 'someone-else',
      programID: 'wrong',
    });
    expect(report).toMatchObject({ clientID: 'client-prosumer', programID: program.id, eventID: event.id });
    await v.json('bl', { method: 'DELETE', url: `/programs/${program.id}` }, 200);
    await v.json('bl', { method: 'GET', url: `/events/${event.id}` }, 404);
    expect(await v.json('bl', { method: 'GET', url: `/reports/${report.id}` }, 200)).toEqual(report);
  });

  it('keeps the owner of a subscription when business logic updates it', async () => {
    const subscription = await post('ven1', '/subscriptions', subscriptionBody());
    const updated = await v.json<Body>(
      'bl',
      {
        method: 'PUT',
        url: `/subscriptions/${subscription.id}`,
        payload: subscriptionBody({ clientName: 'renamed' }),
      },
      200,
    );
    expect(updated).toMatchObject({ clientID: 'client-prosumer', clientName: 'renamed' });
    await v.json('ven1', { method: 'GET', url: `/subscriptions/${subscription.id}` }, 200);
  });

  it('lets a VEN rename its VEN object but keeps the clientID and targets business logic granted', async () => {
    const ven = await post('bl', '/vens', {
      objectType: 'BL_VEN_REQUEST',
      clientID: 'ven-two',
      venName: 'granted',
      targets: ['zone-9'],
    });
    const renamed = await v.json<Body>(
      'ven2',
      {
        method: 'PUT',
        url: `/vens/${ven.id}`,
        payload: { objectType: 'VEN_VEN_REQUEST', venName: 'mine', targets: ['all'] },
      },
      200,
    );
    expect(renamed).toMatchObject({ clientID: 'ven-two', venName: 'mine', targets: ['zone-9'] });
    const own = await post('ven2', '/vens', {
      objectType: 'VEN_VEN_REQUEST',
      venName: 'self-made',
      clientID: 'forged',
    });
    expect(own).toMatchObject({ clientID: 'ven-two', objectType: 'VEN' });
    expect(own).not.toHaveProperty('targets');
  });

  it('keeps a resource with the clientID of its VEN', async () => {
    const ven = await post('bl', '/vens', {
      objectType: 'BL_VEN_REQUEST',
      clientID: 'client-prosumer',
      venName: 'house',
    });
    const wrongOwner = {
      objectType: 'BL_RESOURCE_REQUEST',
      clientID: 'ven-two',
      venID: ven.id,
      resourceName: 'ev',
    };
    const refused = await v.json('bl', { method: 'POST', url: '/resources', payload: wrongOwner }, 400);
    expect(refused).toMatchObject({ code: 'TE_ERR_VALIDATION', path: 'clientID' });
    const resource = await post('bl', '/resources', {
      ...wrongOwner,
      clientID: 'client-prosumer',
      targets: ['feeder-1'],
    });
    expect(resource).toMatchObject({
      clientID: 'client-prosumer',
      venID: ven.id,
      targets: ['feeder-1'],
      objectType: 'RESOURCE',
    });
    const mine = await v.json<Body>(
      'ven1',
      {
        method: 'PUT',
        url: `/resources/${resource.id}`,
        payload: { objectType: 'VEN_RESOURCE_REQUEST', venID: ven.id, resourceName: 'car' },
      },
      200,
    );
    expect(mine).toMatchObject({ resourceName: 'car', targets: ['feeder-1'] });
    const moveOwner = { objectType: 'BL_VEN_REQUEST', clientID: 'ven-two', venName: 'house' };
    const blocked = await v.json('bl', { method: 'PUT', url: `/vens/${ven.id}`, payload: moveOwner }, 400);
    expect(blocked).toMatchObject({ path: 'clientID' });
    await v.json('bl', { method: 'DELETE', url: `/vens/${ven.id}` }, 200);
    await v.json('bl', { method: 'GET', url: `/resources/${resource.id}` }, 404);
  });

  it('publishes each committed change once (a delete also for what went with it), and nothing on errors', async () => {
    changes.length = 0;
    const program = await post('bl', '/programs', programBody('published'));
    const event = await post('bl', '/events', eventBody(program.id));
    await v.json(
      'bl',
      { method: 'PUT', url: `/events/${event.id}`, payload: eventBody(program.id, { priority: 2 }) },
      200,
    );
    await v.json('bl', { method: 'POST', url: '/programs', payload: programBody('published') }, 409);
    await v.json('bl', { method: 'DELETE', url: `/programs/${program.id}` }, 200);
    expect(changes.map((c) => `${c.operation} ${c.objectType} ${c.object.id}`)).toEqual([
      `CREATE PROGRAM ${program.id}`,
      `CREATE EVENT ${event.id}`,
      `UPDATE EVENT ${event.id}`,
      `DELETE PROGRAM ${program.id}`,
      `DELETE EVENT ${event.id}`,
    ]);
    expect(JSON.parse(changes[2]!.object.bodyText)).toMatchObject({ priority: 2 });
  });

  it('leaves an audit record naming the client for every change', async () => {
    const program = await post('bl', '/programs', programBody('audited'));
    await v.json('bl', { method: 'DELETE', url: `/programs/${program.id}` }, 200);
    const audit = (await listAuditRecords(v.api.store.store.db)).filter(
      (a) => a.target === `openadr3:program:${program.id}`,
    );
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['openadr3-program-created', 'client-market-operator (market-operator)'],
      ['openadr3-program-deleted', 'client-market-operator (market-operator)'],
    ]);
  });

  it("explains 3.0.1 target objects, and names the field of a VEN request's discriminator", async () => {
    const old = await v.json(
      'bl',
      {
        method: 'POST',
        url: '/programs',
        payload: { programName: 'old', targets: [{ type: 'GROUP', values: ['g1'] }] },
        invalid: true,
      },
      400,
    );
    expect(old).toMatchObject({ path: 'targets[0]', hint: expect.stringContaining('targets are strings') });
    const untyped = await v.json(
      'ven1',
      { method: 'POST', url: '/vens', payload: { venName: 'no-type' }, invalid: true },
      400,
    );
    expect(untyped).toMatchObject({ path: 'objectType', detail: "required key 'objectType' is missing" });
    const nested = await v.json(
      'bl',
      {
        method: 'POST',
        url: '/programs',
        payload: { programName: 'pd', payloadDescriptors: [{ payloadType: 'PRICE' }] },
        invalid: true,
      },
      400,
    );
    expect(nested).toMatchObject({ path: 'payloadDescriptors[0].objectType' });
  });
});
