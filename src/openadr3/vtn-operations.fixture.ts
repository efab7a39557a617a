/**
 * The objects and calls the operation tests use: a world of one of each object, the successful call of
 * every operation, and every operation's path (with the world's ids, or another id).
 */
import {
  eventBody,
  programBody,
  reportBody,
  subscriptionBody,
  type ClientName,
  type VtnHarness,
  type VtnRequest,
} from './vtn-test.fixture.js';

export interface World {
  readonly program: string;
  readonly openProgram: string;
  readonly event: string;
  readonly ven: string;
  readonly resource: string;
  readonly report: string;
  readonly subscription: string;
}

export type Call = VtnRequest & { readonly who: ClientName | undefined; readonly status: number };

export const MQTT_PATHS = [
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

export async function seed(v: VtnHarness): Promise<World> {
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

export const get = (who: ClientName | undefined, url: string, status: number, invalid = false): Call => ({
  who,
  method: 'GET',
  url,
  status,
  invalid,
});
export const write = (
  who: ClientName | undefined,
  method: 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload: unknown,
  status: number,
  invalid = false,
): Call => ({ who, method, url, ...(payload === undefined ? {} : { payload }), status, invalid });

export function successes(w: World): Call[] {
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
export async function deletions(v: VtnHarness, w: World): Promise<Call[]> {
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
export function paths(w: World, id?: string): { method: VtnRequest['method']; url: string }[] {
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

export function mqttUrl(template: string, w: World): string {
  return template.replace('{programID}', w.program).replace('{venID}', w.ven);
}

/** A valid body for an update of `collection`'s objects in this world. */
export function validBody(collection: string, w: World): unknown {
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
