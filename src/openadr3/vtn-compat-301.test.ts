/**
 * An OpenADR 3.0.1 client against the VTN: where the 3.0.1 and 3.1.1 documents agree, its session
 * validates against the 3.0.1 document (requests and responses alike), including 3.0.1's program
 * properties and `/vens/{venID}/resources` paths; where they differ, the VTN does what
 * docs/protocols/openadr3.md says (target objects refused with a hint, `targetValues` read as targets).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnStores } from '../server/api-test.fixture.js';
import { SpecContract } from './contract/spec-contract.fixture.js';
import {
  eventBody,
  vtnHarness,
  type ClientName,
  type VtnHarness,
  type VtnRequest,
} from './vtn-test.fixture.js';

type Body = Record<string, unknown> & { id: string };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeOnStores('an OpenADR 3.0.1 client', (kind) => {
  let v: VtnHarness;
  const v301 = new SpecContract('3.0.1');
  beforeAll(async () => {
    v = await vtnHarness(kind);
  });
  afterAll(async () => {
    await v.dispose();
  });
  /** A call checked against the 3.0.1 document. */
  const old = <T = Body>(
    who: ClientName | undefined,
    request: Omit<VtnRequest, 'contract'>,
    status: number,
  ) => v.json<T>(who, { ...request, contract: v301 }, status);

  it('gets tokens, and reads token errors as 3.0.1 authError', async () => {
    const secret = encodeURIComponent(v.api.secrets.prosumer);
    const payload = `grant_type=client_credentials&client_id=client-prosumer&client_secret=${secret}`;
    await old(undefined, { method: 'POST', url: '/auth/token', payload, headers: FORM }, 200);
    const refused = await old<{ error: string }>(
      undefined,
      {
        method: 'POST',
        url: '/auth/token',
        payload: 'grant_type=password&client_id=a&client_secret=b',
        headers: FORM,
        invalid: true,
      },
      400,
    );
    expect(refused.error).toBe('unsupported_grant_type');
  });

  it('runs a program, its events, reports and subscriptions as 3.0.1 describes them', async () => {
    const program = await old(
      'bl',
      {
        method: 'POST',
        url: '/programs',
        payload: {
          programName: 'legacy-tou',
          programLongName: 'Residential TOU',
          retailerName: 'ACME',
          country: 'US',
          principalSubdivision: 'CO',
          timeZoneOffset: 'PT0S',
          bindingEvents: false,
          localPrice: false,
        },
      },
      201,
    );
    expect(program).toMatchObject({ retailerName: 'ACME', bindingEvents: false, objectType: 'PROGRAM' });
    // A 3.0.1 client sends back the object it read: the metadata in it is ignored.
    const renamed = await old(
      'bl',
      {
        method: 'PUT',
        url: `/programs/${program.id}`,
        payload: { ...program, programType: 'PRICING_TARIFF' },
      },
      200,
    );
    expect(renamed).toMatchObject({
      id: program.id,
      createdDateTime: program['createdDateTime'],
      programType: 'PRICING_TARIFF',
    });
    const event = await old('bl', { method: 'POST', url: '/events', payload: eventBody(program.id) }, 201);
    await old('ven1', { method: 'GET', url: `/events?programID=${program.id}&skip=0&limit=10` }, 200);
    await old('ven1', { method: 'GET', url: `/programs/${program.id}` }, 200);
    const report = await old(
      'ven1',
      {
        method: 'POST',
        url: '/reports',
        payload: {
          programID: program.id,
          eventID: event.id,
          clientName: 'home-1',
          resources: [
            { resourceName: 'meter', intervals: [{ id: 0, payloads: [{ type: 'USAGE', values: [1.5] }] }] },
          ],
        },
      },
      201,
    );
    expect(report).toMatchObject({ programID: program.id, clientID: 'client-prosumer' });
    await old('ven1', { method: 'GET', url: `/reports?programID=${program.id}&clientName=home-1` }, 200);
    const subscription = await old(
      'ven1',
      {
        method: 'POST',
        url: '/subscriptions',
        payload: {
          clientName: 'home-1',
          programID: program.id,
          objectOperations: [
            { objects: ['EVENT'], operations: ['CREATE'], callbackUrl: 'https://home.example/cb' },
          ],
        },
      },
      201,
    );
    await old('ven1', { method: 'DELETE', url: `/subscriptions/${subscription.id}` }, 200);
    await old('bl', { method: 'DELETE', url: `/programs/${program.id}` }, 200);
  });

  it("manages a VEN's resources under /vens/{venID}/resources", async () => {
    const ven = await v.json<Body>(
      'bl',
      {
        method: 'POST',
        url: '/vens',
        payload: { objectType: 'BL_VEN_REQUEST', clientID: 'client-prosumer', venName: 'legacy-home' },
      },
      201,
    );
    await old('ven1', { method: 'GET', url: `/vens/${ven.id}` }, 200);
    const base = `/vens/${ven.id}/resources`;
    const resource = await old(
      'ven1',
      { method: 'POST', url: base, payload: { resourceName: 'water-heater', attributes: [] } },
      201,
    );
    expect(resource).toMatchObject({ venID: ven.id, clientID: 'client-prosumer', objectType: 'RESOURCE' });
    expect(
      await old<Body[]>('ven1', { method: 'GET', url: `${base}?resourceName=water-heater` }, 200),
    ).toEqual([resource]);
    await old(
      'ven1',
      { method: 'PUT', url: `${base}/${resource.id}`, payload: { resourceName: 'boiler' } },
      200,
    );
    await old('ven1', { method: 'GET', url: `${base}/${resource.id}` }, 200);
    await old('ven1', { method: 'POST', url: base, payload: { resourceName: 'boiler' } }, 409);
    await old('ven2', { method: 'GET', url: `${base}/${resource.id}` }, 404);
    await old('ven1', { method: 'DELETE', url: `${base}/${resource.id}` }, 200);
    await old('ven1', { method: 'GET', url: `${base}/${resource.id}` }, 404);
  });

  it('differs where the documents differ: target objects refused, targetValues read as targets', async () => {
    const targeted = { programName: 'by-group', targets: [{ type: 'GROUP', values: ['g1'] }] };
    const refused = await old<{ hint: string }>(
      'bl',
      { method: 'POST', url: '/programs', payload: targeted },
      400,
    );
    expect(refused.hint).toContain('targets are strings');
    const program = await v.json<Body>(
      'bl',
      { method: 'POST', url: '/programs', payload: { programName: 'by-group', targets: ['g1'] } },
      201,
    );
    const ven = await v.json<Body>(
      'bl',
      {
        method: 'POST',
        url: '/vens',
        payload: { objectType: 'BL_VEN_REQUEST', clientID: 'ven-two', venName: 'grouped', targets: ['g1'] },
      },
      201,
    );
    // The answer carries 3.1 target strings, which the 3.0.1 document does not describe: checked against 3.1.1.
    const found = await v.json<Body[]>(
      'ven2',
      { method: 'GET', url: '/programs?targetType=GROUP&targetValues=g1', invalid: true },
      200,
    );
    expect(found.map((p) => p.id)).toEqual([program.id]);
    const legacyTargets = await old<{ path: string }>(
      'ven2',
      {
        method: 'POST',
        url: `/vens/${ven.id}/resources`,
        payload: { resourceName: 'x', targets: [{ type: 'GROUP', values: ['g2'] }] },
      },
      400,
    );
    expect(legacyTargets.path).toBe('targets');
    const untyped = await old<{ path: string }>(
      'ven2',
      { method: 'POST', url: '/vens', payload: { venName: 'no-type' } },
      400,
    );
    expect(untyped.path).toBe('objectType');
  });
});
