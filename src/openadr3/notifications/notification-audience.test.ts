/**
 * The notifiers' audience of a change read for all VENs at once (`venViewsOf`, `grantedTargetsOfAll`)
 * against what one VEN at a time would read (`objectViewFor`, `grantedTargetsOf`): several VENs with
 * different grants (their VEN objects, a resource, their participant, an aggregator's represented
 * participant) and a disabled client, each seeing exactly its objects with target hiding.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnStores } from '../../server/api-test.fixture.js';
import { hashClientSecret } from '../../server/auth/client-secrets.js';
import { createApiClient, setApiClientDisabled } from '../../store/api-client-repository.js';
import { getOpenAdrObject, type StoredOpenAdrObject } from '../../store/openadr-object-repository.js';
import { grantedTargetsOf, grantedTargetsOfAll } from '../granted-targets.js';
import { CLIENTS, eventBody, programBody, vtnHarness, type VtnHarness } from '../vtn-test.fixture.js';
import { callerForClient, objectViewFor, venViewsOf } from './notification-audience.js';

describeOnStores('the notifiers’ audience, read for all VENs at once', (kind) => {
  let v: VtnHarness;
  const vens: Record<'home1' | 'home2' | 'aggregator' | 'disabled', string> = {
    home1: '',
    home2: '',
    aggregator: '',
    disabled: '',
  };
  const events: Record<string, StoredOpenAdrObject> = {};

  const id = async (url: string, payload: unknown) =>
    (await v.json<{ id: string }>('bl', { method: 'POST', url, payload }, 201)).id;
  const blVen = (clientID: string, venName: string, targets: string[]) =>
    id('/vens', { objectType: 'BL_VEN_REQUEST', clientID, venName, targets });

  beforeAll(async () => {
    v = await vtnHarness(kind);
    const db = v.api.store.store.db;
    const created = await createApiClient(db, {
      clientId: 'ven-disabled',
      role: 'prosumer',
      participantId: 'p3',
      secretHash: await hashClientSecret('unused'),
      createdMs: v.api.clock.nowMs(),
    });
    if (!created.ok) throw created.error;
    vens.home1 = await blVen(CLIENTS.ven1.clientId, 'home-1', ['g1']);
    vens.home2 = await blVen(CLIENTS.ven2.clientId, 'home-2', ['g2']);
    vens.aggregator = await blVen(CLIENTS.ven3.clientId, 'aggregator', []);
    vens.disabled = await blVen('ven-disabled', 'disabled-home', ['g1']);
    await setApiClientDisabled(db, 'ven-disabled', true);
    await id('/resources', {
      objectType: 'BL_RESOURCE_REQUEST',
      clientID: CLIENTS.ven2.clientId,
      venID: vens.home2,
      resourceName: 'pv',
      targets: ['r2'],
    });
    const program = await id('/programs', programBody('audience'));
    const targeted: Record<string, string[] | undefined> = {
      open: undefined,
      g1g2: ['g1', 'g2', 'bl-only'],
      resource: ['r2'],
      home2: ['participant:p9'],
      represented: ['participant:p2', 'bl-only'],
      nobody: ['bl-only'],
    };
    for (const [name, targets] of Object.entries(targeted)) {
      const eventId = await id(
        '/events',
        eventBody(program, { eventName: name, ...(targets === undefined ? {} : { targets }) }),
      );
      events[name] = (await getOpenAdrObject(db, 'EVENT', eventId)) as StoredOpenAdrObject;
    }
  });
  afterAll(async () => {
    await v?.dispose();
  });

  /** VEN id → the targets its view shows ('all' for an untargeted object shown whole). */
  async function audienceOf(name: string): Promise<Record<string, unknown>> {
    const views = await venViewsOf(v.api.store.store.db, events[name] as StoredOpenAdrObject);
    return Object.fromEntries(
      views.map(({ venId, view }) => [venId, JSON.parse(view).targets ?? 'all'] as const),
    );
  }

  it('gives each VEN exactly the events granted to it, with only its targets shown', async () => {
    expect(await audienceOf('open')).toEqual({
      [vens.home1]: 'all',
      [vens.home2]: 'all',
      [vens.aggregator]: 'all',
    });
    expect(await audienceOf('g1g2')).toEqual({ [vens.home1]: ['g1'], [vens.home2]: ['g2'] });
    expect(await audienceOf('resource')).toEqual({ [vens.home2]: ['r2'] });
    expect(await audienceOf('home2')).toEqual({ [vens.home2]: ['participant:p9'] });
    expect(await audienceOf('represented')).toEqual({ [vens.aggregator]: ['participant:p2'] });
    expect(await audienceOf('nobody')).toEqual({});
  });

  it('reads what one VEN at a time reads, view for view, and grants what grantedTargetsOf grants', async () => {
    const db = v.api.store.store.db;
    const grantedToAll = await grantedTargetsOfAll(db);
    const owners = {
      [vens.home1]: CLIENTS.ven1.clientId,
      [vens.home2]: CLIENTS.ven2.clientId,
      [vens.aggregator]: CLIENTS.ven3.clientId,
    };
    for (const clientId of Object.values(owners)) {
      const caller = await callerForClient(db, clientId);
      if (caller === undefined) throw new Error(`no client ${clientId}`);
      expect(grantedToAll(caller)).toEqual(await grantedTargetsOf(db, caller));
    }
    for (const event of Object.values(events)) {
      const oneByOne: Record<string, string> = {};
      for (const [venId, clientId] of Object.entries(owners)) {
        const view = await objectViewFor(db, (await callerForClient(db, clientId))!, event);
        if (view !== undefined) oneByOne[venId] = view;
      }
      const atOnce = Object.fromEntries((await venViewsOf(db, event)).map((d) => [d.venId, d.view]));
      expect(atOnce).toEqual(oneByOne);
    }
  });
});
