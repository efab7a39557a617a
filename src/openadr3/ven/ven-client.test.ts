import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../http-client/api-error.js';
import { describeOnStores } from '../../server/api-test.fixture.js';
import { eventBody, programBody, reportBody } from '../vtn-test.fixture.js';
import type { ReportRequest } from './ven-types.js';
import { liveVtn, type LiveVtn } from './ven-test.fixture.js';

/** A fetch that records the URLs it was asked for. */
function countingFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    },
  };
}

describeOnStores('the OpenADR VEN client against the VTN', (kind) => {
  let vtn: LiveVtn;
  let programID: string;
  const EVENTS = 120;

  beforeAll(async () => {
    vtn = await liveVtn(kind);
    programID = (await vtn.bl<{ id: string }>('POST', '/programs', programBody('ven-client-program'))).id;
    for (let i = 0; i < EVENTS; i++) {
      await vtn.bl('POST', '/events', eventBody(programID, { eventName: `event-${i}` }));
    }
  }, 60_000);
  afterAll(async () => {
    await vtn?.dispose();
  });

  it('discovers the token endpoint, gets one token for many requests, and reads programs', async () => {
    const counted = countingFetch();
    const client = vtn.venClient('prosumer', { fetch: counted.fetch });
    expect(await client.tokenUrl()).toBe(`${vtn.vtnUrl}/auth/token`);
    const programs = await client.searchPrograms();
    expect(programs.map((p) => p.programName)).toContain('ven-client-program');
    expect((await client.getProgram(programID)).id).toBe(programID);
    await client.searchEvents({ programID, limit: 5 });
    expect(counted.urls.filter((url) => url.endsWith('/auth/server'))).toHaveLength(1);
    expect(counted.urls.filter((url) => url.endsWith('/auth/token'))).toHaveLength(1);
  });

  it('pages through more than 50 events, and a page is at most 50', async () => {
    const client = vtn.venClient('prosumer');
    expect(await client.searchEvents({ programID })).toHaveLength(50);
    const names: string[] = [];
    for await (const event of client.allEvents({ programID })) names.push(event.eventName ?? '');
    expect(names).toHaveLength(EVENTS);
    expect(new Set(names).size).toBe(EVENTS);
    const [first] = await client.searchEvents({ programID, limit: 1 });
    expect((await client.getEvent(first?.id ?? '')).eventName).toBe(first?.eventName);
  });

  it('filters events by targets and by whether they are still active, sent as the spec spells them', async () => {
    const counted = countingFetch();
    const client = vtn.venClient('prosumer', { fetch: counted.fetch });
    await vtn.bl('POST', '/vens', {
      objectType: 'BL_VEN_REQUEST',
      clientID: 'client-prosumer',
      venName: 'targeted-home',
      targets: ['feeder-7', 'zone-b'],
    });
    const program = (await vtn.bl<{ id: string }>('POST', '/programs', programBody('filters'))).id;
    await vtn.bl('POST', '/events', eventBody(program, { eventName: 'feeder', targets: ['feeder-7'] }));
    await vtn.bl('POST', '/events', eventBody(program, { eventName: 'everyone' }));
    await vtn.bl(
      'POST',
      '/events',
      eventBody(program, {
        eventName: 'over',
        intervalPeriod: { start: '2025-06-01T00:00:00Z', duration: 'PT1H' },
      }),
    );
    const names = async (query: Parameters<typeof client.searchEvents>[0]) =>
      (await client.searchEvents({ programID: program, ...query })).map((e) => e.eventName).sort();
    // Without targets a VEN gets the untargeted events; with them, those of its granted targets named.
    expect(await names({})).toEqual(['everyone', 'over']);
    expect(await names({ targets: ['feeder-7', 'zone-b'] })).toEqual(['feeder']);
    expect(await names({ targets: ['zone-c'] })).toEqual([]);
    expect(await names({ active: true })).toEqual(['everyone']);
    expect(await names({ skip: 1, limit: 1 })).toHaveLength(1);
    expect(counted.urls.some((url) => url.includes('targets=feeder-7&targets=zone-b'))).toBe(true);
  });

  it('registers its VEN object once, whoever asks again', async () => {
    const first = await vtn.venClient('prosumer').ensureVen('home-p1', [{ type: 'LOCATION', values: ['x'] }]);
    const again = await vtn.venClient('prosumer').ensureVen('home-p1');
    expect(again.id).toBe(first.id);
    expect(first.clientID).toBe('client-prosumer');
    const updated = await vtn
      .venClient('prosumer')
      .updateVen(first.id, { venName: 'home-p1', attributes: null });
    expect(updated.id).toBe(first.id);
    // Another client's name is a 409 it cannot read back: the error stands.
    const error = await vtn
      .venClient('aggregator')
      .ensureVen('home-p1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(409);
  });

  it('creates, finds and updates its reports; resources and subscriptions too', async () => {
    const client = vtn.venClient('prosumer');
    const [event] = await client.searchEvents({ programID, limit: 1 });
    // A status report: USAGE would be read as meter readings, which is the market's business.
    const body = reportBody(event?.id ?? '', {
      payloadDescriptors: [{ objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'OPERATING_STATE' }],
      resources: [
        {
          resourceName: 'heat-pump',
          intervals: [{ id: 0, payloads: [{ type: 'OPERATING_STATE', values: ['NORMAL'] }] }],
        },
      ],
    }) as ReportRequest;
    const report = await client.createReport(body);
    expect(report).toMatchObject({ objectType: 'REPORT', eventID: event?.id, clientID: 'client-prosumer' });
    expect((await client.searchReports({ eventID: event?.id ?? '' })).map((r) => r.id)).toEqual([report.id]);
    const updated = await client.updateReport(report.id, { ...body, reportName: 'usage, corrected' });
    expect(updated.reportName).toBe('usage, corrected');
    expect(updated.modificationDateTime >= report.modificationDateTime).toBe(true);

    const ven = await client.ensureVen('home-p1');
    const resource = await client.createResource({ resourceName: 'meter', venID: ven.id });
    expect((await client.searchResources({ venID: ven.id })).map((r) => r.id)).toEqual([resource.id]);
    await client.deleteResource(resource.id);

    const subscription = await client.createSubscription({
      clientName: 'home-p1',
      objectOperations: [
        { objects: ['EVENT'], operations: ['CREATE'], callbackUrl: 'https://home-p1.example/openadr' },
      ],
    });
    expect((await client.searchSubscriptions()).map((s) => s.id)).toContain(subscription.id);
    await client.deleteSubscription(subscription.id);
    expect((await client.searchSubscriptions()).map((s) => s.id)).not.toContain(subscription.id);
    expect(await client.listNotifiers()).toEqual({ WEBHOOK: true });
  });

  it("surfaces the VTN's problem as an ApiError with status, title and detail", async () => {
    const client = vtn.venClient('prosumer');
    const error = await client.getEvent('no-such-event').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const problem = error as ApiError;
    expect(problem.status).toBe(404);
    expect(problem.code).toBe('TE_ERR_NOT_FOUND');
    expect(problem.title).toEqual(expect.any(String));
    expect(problem.detail).toEqual(expect.any(String));
    const refused = await client
      .createReport({ eventID: 'no-such-event', clientName: 'x', resources: [] })
      .then(() => undefined)
      .catch((e: unknown) => e as ApiError);
    expect(refused?.status).toBeGreaterThanOrEqual(400);
    const wrongSecret = vtn.venClient('prosumer', { clientSecret: 'wrong' });
    await expect(wrongSecret.searchPrograms()).rejects.toMatchObject({ status: 401 });
  });

  // Last: the server's token clock moves an hour on, and every token issued before expires.
  it('refreshes its token before it expires, and once when the VTN refuses it', async () => {
    const ahead = countingFetch();
    const onServerTime = vtn.venClient('prosumer', { fetch: ahead.fetch, now: () => vtn.api.clock.nowMs() });
    const behind = countingFetch();
    const onOwnTime = vtn.venClient('prosumer', { fetch: behind.fetch });
    await onServerTime.searchPrograms();
    await onOwnTime.searchPrograms();
    const tokenRequests = (urls: string[]) => urls.filter((url) => url.endsWith('/auth/token')).length;
    expect([tokenRequests(ahead.urls), tokenRequests(behind.urls)]).toEqual([1, 1]);

    vtn.api.clock.advance(3_601_000);
    // Knows the time: a new token before the request, never a 401.
    await onServerTime.searchPrograms();
    expect(tokenRequests(ahead.urls)).toBe(2);
    expect(ahead.urls.filter((url) => url.endsWith('/programs'))).toHaveLength(2);
    // Does not: its request is refused (401), it gets a new token, and the request goes again.
    await onOwnTime.searchPrograms();
    expect(tokenRequests(behind.urls)).toBe(2);
    expect(behind.urls.filter((url) => url.endsWith('/programs'))).toHaveLength(3);
  });
});
