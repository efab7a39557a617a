/**
 * Every operation of the published OpenADR 3.1.1 document against the VTN, with every status it lists:
 * success, 400, 401, 403, 404, 409 and 500, each request and response checked against the document (and
 * nothing stored on an error). The last test asserts the coverage; statuses that cannot occur are named
 * with the reason.
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
  type VtnRequest,
} from './vtn-test.fixture.js';

interface World {
  readonly program: string;
  readonly openProgram: string;
  readonly event: string;
  readonly ven: string;
  readonly resource: string;
  readonly report: string;
  readonly subscription: string;
}

type Call = VtnRequest & { readonly who: ClientName | undefined; readonly status: number };

/** Statuses a listed operation cannot give here, and why. */
const UNREACHABLE: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  getAuthServerInfo: { 500: 'answers from the request alone, without the store' },
  fetchToken: { 501: 'the VTN implements the token endpoint' },
  listAllNotifiers: { 500: 'answers without the store' },
};
const MQTT_UNREACHABLE = {
  200: 'the MQTT notifier is not enabled yet (OpenADR part 2): its topics are 404',
  500: 'answers without the store',
};
const NO_PARAMETERS = { 400: 'the operation has no parameters or body to get wrong' };

const MQTT_PATHS = [
  '/notifiers/mqtt/topics/programs',
  '/notifiers/mqtt/topics/programs/{programID}',
  '/notifiers/mqtt/topics/events',
  '/notifiers/mqtt/topics/programs/{programID}/events',
  '/notifiers/mqtt/topics/reports',
  '/notifiers/mqtt/topics/subscriptions',
  '/notifiers/mqtt/topics/vens',
  '/notifiers/mqtt/topics/vens/{venID}',
  '/notifiers/mqtt/topics/resources',
  '/notifiers/mqtt/topics/vens/{venID}/events',
  '/notifiers/mqtt/topics/vens/{venID}/programs',
  '/notifiers/mqtt/topics/vens/{venID}/resources',
];

async function seed(v: VtnHarness): Promise<World> {
  const id = async (who: ClientName, url: string, payload: unknown) =>
    (await v.json<{ id: string }>(who, { method: 'POST', url, payload }, 201)).id;
  const program = await id('bl', '/programs', programBody('tariff', ['g1']));
  const openProgram = await id('bl', '/programs', programBody('open'));
  const event = await id('bl', '/events', eventBody(program, { targets: ['g1'] }));
  const ven = await id('bl', '/vens', {
    objectType: 'BL_VEN_REQUEST',
    clientID: 'client-prosumer',
    venName: 'home-1',
    targets: ['g1'],
  });
  const resource = await id('ven1', '/resources', {
    objectType: 'VEN_RESOURCE_REQUEST',
    venID: ven,
    resourceName: 'battery',
  });
  const report = await id('ven1', '/reports', reportBody(event));
  const subscription = await id('ven1', '/subscriptions', subscriptionBody({ programID: openProgram }));
  return { program, openProgram, event, ven, resource, report, subscription };
}

const get = (who: ClientName | undefined, url: string, status: number, invalid = false): Call => ({
  who,
  method: 'GET',
  url,
  status,
  invalid,
});
const write = (
  who: ClientName | undefined,
  method: 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload: unknown,
  status: number,
  invalid = false,
): Call => ({ who, method, url, ...(payload === undefined ? {} : { payload }), status, invalid });

function successes(w: World): Call[] {
  const ven = (name: string) => ({
    objectType: 'BL_VEN_REQUEST',
    clientID: 'client-prosumer',
    venName: name,
    targets: ['g1'],
  });
  const resource = (name: string) => ({
    objectType: 'VEN_RESOURCE_REQUEST',
    venID: w.ven,
    resourceName: name,
  });
  return [
    get('bl', '/programs', 200),
    write('bl', 'POST', '/programs', programBody('extra'), 201),
    get('ven1', `/programs/${w.program}`, 200),
    write('bl', 'PUT', `/programs/${w.openProgram}`, programBody('open-renamed'), 200),
    get('ven1', '/events?targets=g1', 200),
    write('bl', 'POST', '/events', eventBody(w.openProgram), 201),
    get('ven1', `/events/${w.event}`, 200),
    write('bl', 'PUT', `/events/${w.event}`, eventBody(w.program, { targets: ['g1'], priority: 1 }), 200),
    get('ven1', '/reports', 200),
    write('ven1', 'POST', '/reports', reportBody(w.event, { reportName: 'second' }), 201),
    get('ven1', `/reports/${w.report}`, 200),
    write('ven1', 'PUT', `/reports/${w.report}`, reportBody(w.event, { reportName: 'updated' }), 200),
    get('ven1', '/subscriptions', 200),
    write('ven1', 'POST', '/subscriptions', subscriptionBody(), 201),
    get('ven1', `/subscriptions/${w.subscription}`, 200),
    write(
      'ven1',
      'PUT',
      `/subscriptions/${w.subscription}`,
      subscriptionBody({ clientName: 'home-1b' }),
      200,
    ),
    get('bl', '/vens', 200),
    write('ven2', 'POST', '/vens', { objectType: 'VEN_VEN_REQUEST', venName: 'home-2' }, 201),
    get('ven1', `/vens/${w.ven}`, 200),
    write('bl', 'PUT', `/vens/${w.ven}`, ven('home-1'), 200),
    get('ven1', `/resources?venID=${w.ven}`, 200),
    write('ven1', 'POST', '/resources', resource('heat-pump'), 201),
    get('ven1', `/resources/${w.resource}`, 200),
    write('ven1', 'PUT', `/resources/${w.resource}`, resource('battery'), 200),
    get(undefined, '/auth/server', 200),
    get('ven1', '/notifiers', 200),
  ];
}

/** Deletes last, each of an object made for it. */
async function deletions(v: VtnHarness, w: World): Promise<Call[]> {
  const make = async (who: ClientName, url: string, payload: unknown) =>
    `${url}/${(await v.json<{ id: string }>(who, { method: 'POST', url, payload }, 201)).id}`;
  const ven = await make('ven3', '/vens', { objectType: 'VEN_VEN_REQUEST', venName: 'doomed' });
  const resource = await make('ven1', '/resources', {
    objectType: 'VEN_RESOURCE_REQUEST',
    venID: w.ven,
    resourceName: 'doomed',
  });
  return [
    write('bl', 'DELETE', await make('bl', '/programs', programBody('doomed')), undefined, 200),
    write('bl', 'DELETE', await make('bl', '/events', eventBody(w.program)), undefined, 200),
    write('ven1', 'DELETE', await make('ven1', '/reports', reportBody(w.event)), undefined, 200),
    write('ven1', 'DELETE', await make('ven1', '/subscriptions', subscriptionBody()), undefined, 200),
    write('ven3', 'DELETE', ven, undefined, 200),
    write('ven1', 'DELETE', resource, undefined, 200),
  ];
}

/** Every operation's path with the world's ids (or `id` for the object itself). */
function paths(w: World, id?: string): { method: VtnRequest['method']; url: string }[] {
  const objects: [string, string][] = [
    ['/programs', w.program],
    ['/events', w.event],
    ['/reports', w.report],
    ['/subscriptions', w.subscription],
    ['/vens', w.ven],
    ['/resources', w.resource],
  ];
  return objects.flatMap(([collection, own]) => [
    { method: 'GET' as const, url: collection },
    { method: 'POST' as const, url: collection },
    ...(['GET', 'PUT', 'DELETE'] as const).map((method) => ({ method, url: `${collection}/${id ?? own}` })),
  ]);
}

function mqttUrl(template: string, w: World): string {
  return template.replace('{programID}', w.program).replace('{venID}', w.ven);
}

describeOnStores('OpenADR 3.1.1 operations', (kind) => {
  let v: VtnHarness;
  let w: World;
  beforeAll(async () => {
    v = await vtnHarness(kind);
    w = await seed(v);
  });
  afterAll(async () => {
    await v.dispose();
  });

  const run = async (calls: readonly Call[]) => {
    for (const { who, status, ...request } of calls) {
      const response = await v.call(who, request);
      expect(
        response.statusCode,
        `${who} ${request.method} ${request.url}: ${response.body.slice(0, 300)}`,
      ).toBe(status);
    }
  };

  it('answers every operation with its success status', async () => {
    await run(successes(w));
    await run(await deletions(v, w));
  });

  it('answers 401 without a token, and 403 to a caller without the scope', async () => {
    const secured = [
      ...paths(w),
      { method: 'GET' as const, url: '/notifiers' },
      ...MQTT_PATHS.map((p) => ({ method: 'GET' as const, url: mqttUrl(p, w) })),
    ];
    await run(secured.map((r) => ({ ...r, who: undefined, status: 401 })));
    await run(secured.map((r) => ({ ...r, who: 'regulator' as const, status: 403 })));
    await run([
      write('ven1', 'POST', '/programs', programBody('mine'), 403),
      write('ven1', 'PUT', `/events/${w.event}`, eventBody(w.program), 403),
      write('bl', 'POST', '/reports', reportBody(w.event), 403),
      write(
        'ven1',
        'POST',
        '/vens',
        { objectType: 'BL_VEN_REQUEST', clientID: 'client-prosumer', venName: 'x' },
        403,
      ),
      write(
        'ven1',
        'POST',
        '/resources',
        { objectType: 'BL_RESOURCE_REQUEST', clientID: 'client-prosumer', venID: w.ven, resourceName: 'x' },
        403,
      ),
      get('ven1', '/notifiers/mqtt/topics/events', 403),
    ]);
  });

  it('answers 400 to requests that break the document', async () => {
    const bad = paths(w, 'bad$id').filter((p) => p.url.endsWith('bad$id'));
    await run(
      bad.map((r) => ({
        ...r,
        who: r.url.startsWith('/reports') ? ('ven1' as const) : ('bl' as const),
        status: 400,
        invalid: true,
      })),
    );
    const collections = ['/programs', '/events', '/reports', '/subscriptions', '/vens', '/resources'];
    await run(collections.map((c) => get(c === '/reports' ? 'ven1' : 'bl', `${c}?limit=51`, 400, true)));
    await run(
      collections.map((c) =>
        write(c === '/reports' ? 'ven1' : 'bl', 'POST', c, { unexpected: true }, 400, true),
      ),
    );
    await run([
      write('bl', 'PUT', `/programs/${w.program}`, { programName: '' }, 400, true),
      write('bl', 'PUT', `/events/${w.event}`, eventBody(w.program, { priority: -1 }), 400, true),
      write('ven1', 'PUT', `/reports/${w.report}`, reportBody(w.event, { resources: [{}] }), 400, true),
      write(
        'ven1',
        'PUT',
        `/subscriptions/${w.subscription}`,
        subscriptionBody({ objectOperations: [{ objects: ['EVENT'] }] }),
        400,
        true,
      ),
      write('bl', 'PUT', `/vens/${w.ven}`, { objectType: 'BL_VEN_REQUEST', venName: 'no-client' }, 400, true),
      write(
        'ven1',
        'PUT',
        `/resources/${w.resource}`,
        { objectType: 'VEN_RESOURCE_REQUEST', resourceName: 'x' },
        400,
        true,
      ),
      ...MQTT_PATHS.filter((p) => p.includes('{')).map((p) =>
        get('bl', p.replace(/\{\w+\}/, 'bad$id'), 400, true),
      ),
    ]);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    await run([
      {
        who: undefined,
        method: 'POST',
        url: '/auth/token',
        payload: 'grant_type=password&client_id=a&client_secret=b',
        headers: form,
        status: 400,
        invalid: true,
      },
      {
        who: undefined,
        method: 'POST',
        url: '/auth/token',
        payload: 'grant_type=client_credentials&client_id=client-prosumer&client_secret=wrong',
        headers: form,
        status: 401,
      },
    ]);
  });

  it('answers 404 for ids that do not exist', async () => {
    const missing = paths(w, 'nope').filter((p) => p.url.endsWith('/nope'));
    await run(
      missing.map((r) => {
        const who =
          r.url.startsWith('/reports') || r.url.startsWith('/subscriptions')
            ? ('ven1' as const)
            : ('bl' as const);
        const collection = r.url.slice(0, r.url.lastIndexOf('/'));
        const payload = r.method === 'PUT' ? validBody(collection, w) : undefined;
        return { ...r, who, status: 404, ...(payload === undefined ? {} : { payload }) };
      }),
    );
    await run([
      get('bl', '/resources?venID=nope', 404),
      write(
        'bl',
        'POST',
        '/resources',
        { objectType: 'VEN_RESOURCE_REQUEST', venID: 'nope', resourceName: 'x' },
        404,
      ),
      ...MQTT_PATHS.map((p) => get('bl', mqttUrl(p, w), 404)),
    ]);
  });

  it('answers 409 for names taken and references to nothing', async () => {
    const blVen = (venName: string) => ({
      objectType: 'BL_VEN_REQUEST',
      clientID: 'client-prosumer',
      venName,
    });
    await run([
      write('bl', 'POST', '/programs', programBody('tariff'), 409),
      write('bl', 'PUT', `/programs/${w.openProgram}`, programBody('tariff'), 409),
      write('bl', 'POST', '/events', eventBody('nope'), 409),
      write('bl', 'PUT', `/events/${w.event}`, eventBody(w.ven), 409),
      write('ven1', 'POST', '/reports', reportBody('nope'), 409),
      write('ven1', 'PUT', `/reports/${w.report}`, reportBody(w.program), 409),
      write('ven1', 'POST', '/subscriptions', subscriptionBody({ programID: 'nope' }), 409),
      write('ven1', 'PUT', `/subscriptions/${w.subscription}`, subscriptionBody({ programID: w.event }), 409),
      write('ven2', 'POST', '/vens', { objectType: 'VEN_VEN_REQUEST', venName: 'home-1' }, 409),
      write('bl', 'POST', '/vens', blVen('home-3'), 201),
      write('bl', 'PUT', `/vens/${w.ven}`, blVen('home-3'), 409),
      write(
        'ven1',
        'POST',
        '/resources',
        { objectType: 'VEN_RESOURCE_REQUEST', venID: w.ven, resourceName: 'battery' },
        409,
      ),
      write(
        'ven1',
        'PUT',
        `/resources/${w.resource}`,
        { objectType: 'VEN_RESOURCE_REQUEST', venID: w.ven, resourceName: 'heat-pump' },
        409,
      ),
    ]);
  });

  it('answers 500 as a problem when the store fails, without detail', async () => {
    const broken = await vtnHarness(kind, v.contract);
    try {
      const world = await seed(broken);
      const calls = paths(world).map((r) => {
        const who = r.url.startsWith('/reports') ? ('ven1' as const) : ('bl' as const);
        const collection = `/${r.url.split('/')[1]}`;
        const payload =
          r.method === 'GET' || r.method === 'DELETE' ? undefined : validBody(collection, world);
        return { ...r, who, ...(payload === undefined ? {} : { payload }) };
      });
      await broken.api.store.store.close();
      for (const { who, ...request } of [
        ...calls,
        {
          who: undefined,
          method: 'POST' as const,
          url: '/auth/token',
          payload: 'grant_type=client_credentials&client_id=a&client_secret=b',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ]) {
        const response = await broken.call(who, { ...request, storeClosed: true });
        expect(response.statusCode, `${request.method} ${request.url}`).toBe(500);
        expect(response.json()).toMatchObject({ code: 'TE_ERR_INTERNAL', status: 500 });
        expect(response.body).not.toMatch(/sqlite|postgres|kysely|pool|destroyed|at .*\.js/i);
      }
    } finally {
      await broken.api.app.close();
      await broken.api.store.dispose().catch(() => {});
    }
  });

  it('has met every operation of the document with every status it lists', () => {
    const unmet: string[] = [];
    for (const operationId of v.contract.operationIds()) {
      const mqtt = operationId.startsWith('listAllMqttNotifierTopics');
      const exempt = {
        ...(UNREACHABLE[operationId] ?? {}),
        ...(mqtt ? MQTT_UNREACHABLE : {}),
        ...(mqtt && !/Program$|ProgramEvents$|Ven$|Ven[A-Z]/.test(operationId) ? NO_PARAMETERS : {}),
      } as Record<number, string>;
      const seen = v.contract.seen.get(operationId) ?? new Set<number>();
      for (const status of v.contract.listedStatuses(operationId)) {
        if (!seen.has(status) && exempt[status] === undefined) unmet.push(`${operationId} ${status}`);
      }
    }
    expect(unmet).toEqual([]);
    expect(v.contract.operationIds().length).toBe(45);
  });
});

/** A valid body for an update of `collection`'s objects in this world. */
function validBody(collection: string, w: World): unknown {
  const bodies: Record<string, unknown> = {
    '/programs': programBody(`p-${Math.random().toString(36).slice(2)}`),
    '/events': eventBody(w.program),
    '/reports': reportBody(w.event),
    '/subscriptions': subscriptionBody(),
    '/vens': {
      objectType: 'BL_VEN_REQUEST',
      clientID: 'client-prosumer',
      venName: `v-${Math.random().toString(36).slice(2)}`,
    },
    '/resources': {
      objectType: 'VEN_RESOURCE_REQUEST',
      venID: w.ven,
      resourceName: `r-${Math.random().toString(36).slice(2)}`,
    },
  };
  return bodies[collection];
}
