/**
 * Every operation of the published OpenADR 3.1.1 document against the VTN, with every status it lists:
 * success, 400, 401, 403, 404, 409 and 500, each request and response checked against the document (and
 * nothing stored on an error). The last test asserts the coverage; statuses that cannot occur are named
 * with the reason.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnStores } from '../server/api-test.fixture.js';
import {
  deletions,
  get,
  MQTT_PATHS,
  mqttUrl,
  paths,
  seed,
  successes,
  validBody,
  write,
  type Call,
  type World,
} from './vtn-operations.fixture.js';
import {
  eventBody,
  programBody,
  reportBody,
  subscriptionBody,
  vtnHarness,
  type VtnHarness,
} from './vtn-test.fixture.js';

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
