/**
 * Object privacy (Definition, "Object Privacy"), table-driven: every kind of caller against every read,
 * and VENs against each other's objects. Business logic (market operator, utility: read_all; DSO:
 * read_all too) sees every object with all its targets; the regulator holds no OpenADR scope; a VEN sees
 * its own VEN, resources, reports and subscriptions, the untargeted programs and events, and those
 * targeted to it through targets granted to its VEN object or resources and named in its query, showing
 * only those targets. Each request and response is checked against the 3.1.1 document.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnStores } from '../server/api-test.fixture.js';
import {
  eventBody,
  programBody,
  reportBody,
  subscriptionBody,
  vtnHarness,
  type ClientName,
  type VtnHarness,
} from './vtn-test.fixture.js';

type World = Readonly<Record<string, string>>;
/** A status, or the ids returned in order, or ids with the targets each shows. */
type Expectation =
  | number
  | readonly string[]
  | { readonly ids: readonly string[]; readonly targets: readonly (readonly string[] | undefined)[] };

interface Row {
  readonly read: string;
  readonly url: (w: World) => string;
  readonly expect: (w: World) => Readonly<Record<ClientName, Expectation>>;
}

const CALLERS: readonly ClientName[] = ['bl', 'utility', 'dso', 'regulator', 'ven1', 'ven2', 'ven3'];

/** The same for all business logic; 403 for the regulator. */
function forAll(
  businessLogic: Expectation,
  vens: Partial<Record<ClientName, Expectation>>,
): Record<ClientName, Expectation> {
  return {
    bl: businessLogic,
    utility: businessLogic,
    dso: businessLogic,
    regulator: 403,
    ven1: [],
    ven2: [],
    ven3: [],
    ...vens,
  };
}

const ROWS: readonly Row[] = [
  {
    read: 'programs, no targets named',
    url: () => '/programs',
    expect: (w) =>
      forAll([w.pOpen!, w.pG1!, w.pG2!, w.pG2b!], { ven1: [w.pOpen!], ven2: [w.pOpen!], ven3: [w.pOpen!] }),
  },
  {
    read: 'programs targeted g1',
    url: () => '/programs?targets=g1',
    expect: (w) => forAll([w.pG1!], { ven1: { ids: [w.pG1!], targets: [['g1']] } }),
  },
  {
    read: 'programs targeted g1 or g2',
    url: () => '/programs?targets=g1&targets=g2',
    expect: (w) => forAll([w.pG1!, w.pG2!], { ven1: [w.pG1!], ven2: [w.pG2!] }),
  },
  {
    read: 'programs through a target granted on a resource',
    url: () => '/programs?targets=g2b',
    expect: (w) => forAll([w.pG2b!], { ven2: [w.pG2b!] }),
  },
  {
    read: 'one targeted program',
    url: (w) => `/programs/${w.pG1}`,
    expect: (w) => forAll([w.pG1!], { ven1: { ids: [w.pG1!], targets: [['g1']] }, ven2: 404, ven3: 404 }),
  },
  {
    read: 'one untargeted program',
    url: (w) => `/programs/${w.pOpen}`,
    expect: (w) => forAll([w.pOpen!], { ven1: [w.pOpen!], ven2: [w.pOpen!], ven3: [w.pOpen!] }),
  },
  {
    read: 'events, no targets named',
    url: () => '/events',
    expect: (w) =>
      forAll([w.eOpen!, w.eG1!, w.eG2!], { ven1: [w.eOpen!], ven2: [w.eOpen!], ven3: [w.eOpen!] }),
  },
  {
    read: 'events targeted g1, with target hiding',
    url: () => '/events?targets=g1&targets=g2',
    expect: (w) =>
      forAll(
        { ids: [w.eG1!, w.eG2!], targets: [['g1', 'label-only-bl-sees'], ['g2']] },
        { ven1: { ids: [w.eG1!], targets: [['g1']] }, ven2: { ids: [w.eG2!], targets: [['g2']] } },
      ),
  },
  {
    read: 'one targeted event',
    url: (w) => `/events/${w.eG2}`,
    expect: (w) => forAll([w.eG2!], { ven1: 404, ven2: [w.eG2!], ven3: 404 }),
  },
  {
    read: 'reports',
    url: () => '/reports',
    expect: (w) => forAll([w.rep1!, w.rep2!], { ven1: [w.rep1!], ven2: [w.rep2!] }),
  },
  {
    read: "another VEN's report",
    url: (w) => `/reports/${w.rep2}`,
    expect: (w) => forAll([w.rep2!], { ven1: 404, ven2: [w.rep2!], ven3: 404 }),
  },
  {
    read: 'VEN objects (no target hiding on them)',
    url: () => '/vens',
    expect: (w) =>
      forAll([w.v1!, w.v2!], {
        ven1: { ids: [w.v1!], targets: [['g1']] },
        ven2: { ids: [w.v2!], targets: [['g2']] },
      }),
  },
  {
    read: "another VEN's VEN object",
    url: (w) => `/vens/${w.v2}`,
    expect: (w) => forAll([w.v2!], { ven1: 404, ven2: [w.v2!], ven3: 404 }),
  },
  {
    read: 'resources',
    url: () => '/resources',
    expect: (w) => forAll([w.res1!, w.res2!], { ven1: [w.res1!], ven2: [w.res2!] }),
  },
  {
    read: "resources of another VEN's VEN object",
    url: (w) => `/resources?venID=${w.v2}`,
    expect: (w) => forAll([w.res2!], { ven1: 404, ven2: [w.res2!], ven3: 404 }),
  },
  {
    read: 'subscriptions',
    url: () => '/subscriptions',
    expect: (w) => forAll([w.sub1!, w.sub2!], { ven1: [w.sub1!], ven2: [w.sub2!] }),
  },
];

async function buildWorld(v: VtnHarness): Promise<World> {
  const id = async (who: ClientName, url: string, payload: unknown) =>
    (await v.json<{ id: string }>(who, { method: 'POST', url, payload }, 201)).id;
  const pOpen = await id('bl', '/programs', programBody('open'));
  const pG1 = await id('bl', '/programs', programBody('for-g1', ['g1', 'label-only-bl-sees']));
  const pG2 = await id('bl', '/programs', programBody('for-g2', ['g2']));
  const pG2b = await id('bl', '/programs', programBody('for-g2b', ['g2b']));
  const eOpen = await id('bl', '/events', eventBody(pOpen));
  const eG1 = await id('bl', '/events', eventBody(pG1, { targets: ['g1', 'label-only-bl-sees'] }));
  const eG2 = await id('bl', '/events', eventBody(pG2, { targets: ['g2'] }));
  const blVen = (clientID: string, venName: string, targets: string[]) => ({
    objectType: 'BL_VEN_REQUEST',
    clientID,
    venName,
    targets,
  });
  const v1 = await id('bl', '/vens', blVen('client-prosumer', 'home-1', ['g1']));
  const v2 = await id('bl', '/vens', blVen('ven-two', 'home-2', ['g2']));
  const res1 = await id('ven1', '/resources', {
    objectType: 'VEN_RESOURCE_REQUEST',
    venID: v1,
    resourceName: 'battery',
  });
  const res2 = await id('bl', '/resources', {
    objectType: 'BL_RESOURCE_REQUEST',
    clientID: 'ven-two',
    venID: v2,
    resourceName: 'pv',
    targets: ['g2b'],
  });
  const rep1 = await id('ven1', '/reports', reportBody(eOpen));
  const rep2 = await id('ven2', '/reports', reportBody(eG2));
  const sub1 = await id('ven1', '/subscriptions', subscriptionBody());
  const sub2 = await id('ven2', '/subscriptions', subscriptionBody({ programID: pG2 }));
  return { pOpen, pG1, pG2, pG2b, eOpen, eG1, eG2, v1, v2, res1, res2, rep1, rep2, sub1, sub2 };
}

describeOnStores('OpenADR object privacy', (kind) => {
  let v: VtnHarness;
  let w: World;
  beforeAll(async () => {
    v = await vtnHarness(kind);
    w = await buildWorld(v);
  });
  afterAll(async () => {
    await v.dispose();
  });

  for (const row of ROWS) {
    it(`${row.read}: each caller sees what privacy allows`, async () => {
      const expected = row.expect(w);
      for (const who of CALLERS) {
        const response = await v.call(who, { method: 'GET', url: row.url(w) });
        const label = `${who} GET ${row.url(w)}: ${response.body.slice(0, 300)}`;
        const wanted = expected[who];
        if (typeof wanted === 'number') {
          expect(response.statusCode, label).toBe(wanted);
          continue;
        }
        expect(response.statusCode, label).toBe(200);
        const body = response.json() as
          { id: string; targets?: string[] } | { id: string; targets?: string[] }[];
        const objects = Array.isArray(body) ? body : [body];
        const ids = 'ids' in wanted ? wanted.ids : wanted;
        expect(
          objects.map((o) => o.id),
          label,
        ).toEqual(ids);
        if ('targets' in wanted)
          expect(
            objects.map((o) => o.targets),
            label,
          ).toEqual(wanted.targets);
      }
    });
  }

  it('grants each VEN its own participant and, to an aggregator, the participants it represents', async () => {
    // ven1 acts for p1, ven2 for p9, ven3 (aggregator agg1) for agg1 and p2; nobody else for p3.
    const forParticipant = async (participantId: string) =>
      (
        await v.json<{ id: string }>(
          'bl',
          {
            method: 'POST',
            url: '/events',
            payload: eventBody(w.pOpen!, { targets: [`participant:${participantId}`] }),
          },
          201,
        )
      ).id;
    const byParticipant = {
      p1: await forParticipant('p1'),
      p2: await forParticipant('p2'),
      p3: await forParticipant('p3'),
      p9: await forParticipant('p9'),
    };
    const sees: Record<'ven1' | 'ven2' | 'ven3', string[]> = {
      ven1: ['p1'],
      ven2: ['p9'],
      ven3: ['p2'],
    };
    const query = Object.keys(byParticipant)
      .map((p) => `targets=participant:${p}`)
      .join('&');
    for (const [who, participants] of Object.entries(sees) as [keyof typeof sees, string[]][]) {
      const found = await v.json<{ id: string; targets: string[] }[]>(
        who,
        { method: 'GET', url: `/events?${query}` },
        200,
      );
      expect(
        found.map((e) => e.id),
        who,
      ).toEqual(participants.map((p) => byParticipant[p as keyof typeof byParticipant]));
      expect(
        found.map((e) => e.targets),
        who,
      ).toEqual(participants.map((p) => [`participant:${p}`]));
      for (const [p, eventId] of Object.entries(byParticipant)) {
        const one = await v.call(who, { method: 'GET', url: `/events/${eventId}` });
        expect(one.statusCode, `${who} GET event for ${p}`).toBe(participants.includes(p) ? 200 : 404);
      }
    }
  });

  it("keeps a VEN from changing another VEN's objects or using what is not targeted to it", async () => {
    const refused: [string, ClientName, 'POST' | 'PUT' | 'DELETE', string, unknown, number][] = [
      ['report on a report of another', 'ven1', 'PUT', `/reports/${w.rep2}`, reportBody(w.eOpen!), 404],
      ['delete a VEN object of another', 'ven1', 'DELETE', `/vens/${w.v2}`, undefined, 404],
      [
        'update a subscription of another',
        'ven1',
        'PUT',
        `/subscriptions/${w.sub2}`,
        subscriptionBody(),
        404,
      ],
      ['delete a resource of another', 'ven1', 'DELETE', `/resources/${w.res2}`, undefined, 404],
      [
        'add a resource to a VEN object of another',
        'ven1',
        'POST',
        '/resources',
        { objectType: 'VEN_RESOURCE_REQUEST', venID: w.v2, resourceName: 'x' },
        404,
      ],
      ['report on an event not targeted to it', 'ven1', 'POST', '/reports', reportBody(w.eG2!), 409],
      [
        'subscribe to a program not targeted to it',
        'ven1',
        'POST',
        '/subscriptions',
        subscriptionBody({ programID: w.pG2 }),
        409,
      ],
      [
        'grant itself targets',
        'ven1',
        'PUT',
        `/vens/${w.v1}`,
        { objectType: 'BL_VEN_REQUEST', clientID: 'client-prosumer', venName: 'home-1', targets: ['g2'] },
        403,
      ],
      [
        'report without a VEN object on a targeted event',
        'ven3',
        'POST',
        '/reports',
        reportBody(w.eG1!),
        409,
      ],
    ];
    for (const [what, who, method, url, payload, status] of refused) {
      const response = await v.call(who, { method, url, ...(payload === undefined ? {} : { payload }) });
      expect(response.statusCode, `${what}: ${response.body.slice(0, 200)}`).toBe(status);
    }
    const own = await v.json<{ targets: string[] }>('ven1', { method: 'GET', url: `/vens/${w.v1}` }, 200);
    expect(own.targets).toEqual(['g1']);
  });
});
