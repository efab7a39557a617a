import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeError } from '../../core/errors.js';
import type { DERControl } from '../der-control.js';
import { decodeDERControlList } from '../der-control.js';
import { decodeDERCurveList, type DERCurve } from '../der-curve.js';
import {
  decodeDER,
  decodeDERList,
  encodeDERAvailability,
  encodeDERCapability,
  encodeDERSettings,
  encodeDERStatus,
  decodeDERStatus,
} from '../der.js';
import { identityFromCertificate } from '../identity.js';
import { decodeDERProgram, decodeDeviceCapability, decodeEndDevice } from '../resources.js';
import { SEP_XSD, validateSepDocument } from '../../../test/ieee2030-5/sep-xsd.fixture.js';
import {
  InMemorySepDerStateStore,
  InMemorySepDeviceRegistry,
  type SepDevice,
  type SepProgram,
} from './registry.js';
import { codeOf, sepCall, type Reply } from './sep-call.fixture.js';
import { startSepServer, type SepServer } from './server.js';
import { hasOpenssl, makeTestPki, type Pem, type TestPki } from './test-pki.fixture.js';

const NOW_S = Date.UTC(2026, 10, 24, 10, 0, 0) / 1000;
const control = (
  n: number,
  startOffsetS: number,
  currentStatus = 0,
): Omit<DERControl, 'href' | 'replyTo'> => ({
  mRID: `00000000000000000000000000000C0${n}`,
  creationTime: NOW_S - 3600,
  EventStatus: { currentStatus, dateTime: NOW_S - 3600, potentiallySuperseded: false },
  interval: { start: NOW_S + startOffsetS, duration: 600 },
  DERControlBase: { opModMaxLimWInject: { value: 1000 * n, multiplier: 0 } },
});
const curve = (n: number): Omit<DERCurve, 'href'> => ({
  mRID: `000000000000000000000000000C0D0${n}`,
  creationTime: NOW_S - 7200,
  CurveData: [
    { xvalue: 920, yvalue: 30 },
    { xvalue: 1070, yvalue: -30 },
  ],
  curveType: 11,
  xMultiplier: -1,
  yMultiplier: 0,
  yRefType: 2,
});
const PROGRAM: SepProgram = {
  id: 'local',
  mRID: '0000000000000000000000000000D001',
  primacy: 1,
  controls: [
    control(1, -300), // in force now
    control(2, 300), // later
    control(3, -300, 2), // in its interval but cancelled
    control(4, -3600), // over
    control(5, 0, 1), // starts exactly now
  ],
  curves: [curve(1), curve(2)],
};

const w = (value: number, multiplier = 0) => ({ value, multiplier });
const BODIES = {
  dercap: encodeDERCapability({ modesSupported: '00500088', rtgMaxW: w(5, 3), rtgMaxVA: w(5000), type: 83 }),
  derg: encodeDERSettings({ setGradW: 1667, setMaxW: w(5000), updatedTime: NOW_S }),
  ders: encodeDERStatus({
    connectStatus: { dateTime: NOW_S, value: '07' },
    readingTime: NOW_S,
    stateOfChargeStatus: { dateTime: NOW_S, value: 5500 },
  }),
  dera: encodeDERAvailability({ readingTime: NOW_S, statWAvail: w(4000) }),
};

describe.skipIf(!hasOpenssl())('IEEE 2030.5 server: DER resources and active controls', () => {
  let pki: TestPki;
  let server: SepServer;
  const derState = new InMemorySepDerStateStore();
  const call = (client: Pem | undefined, method: string, path: string, body?: string, type?: string) =>
    sepCall(server.port, pki.ca.cert, client, method, path, body, type);
  const get = (client: Pem, path: string): Promise<Reply> => call(client, 'GET', path);

  beforeAll(async () => {
    pki = makeTestPki();
    const id = (pem: Pem) => identityFromCertificate(pem.cert);
    const devices: SepDevice[] = [
      { id: 'd1', lfdi: id(pki.device).lfdi, sfdi: id(pki.device).sfdi, pin: 111115, registeredAt: 1 },
      { id: 'd2', lfdi: '2'.repeat(40), sfdi: 2, pin: 2, registeredAt: 2 },
      {
        id: 'agg',
        lfdi: id(pki.aggregator).lfdi,
        sfdi: id(pki.aggregator).sfdi,
        pin: 222220,
        registeredAt: 3,
        sees: ['d2'],
      },
    ];
    server = await startSepServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry(devices),
      programs: { programs: () => [PROGRAM] },
      derState,
      clock: { nowMs: () => NOW_S * 1000 },
      limits: { maxBodyBytes: 4096 },
    });
  });
  afterAll(async () => server?.close());

  it('links EndDevice → DERList → DER → its four documents; 404 before a PUT, the PUT document after', async () => {
    const docs: string[] = Object.values(BODIES);
    const fetch = async (path: string): Promise<string> => {
      const r = await get(pki.device, path);
      expect(r.status, path).toBe(200);
      docs.push(r.body);
      return r.body;
    };
    const dcap = decodeDeviceCapability(await fetch('/sep2/dcap'));
    expect(dcap.MirrorUsagePointListLink).toEqual({ href: '/sep2/mup', all: 0 });
    const edev = decodeEndDevice(await fetch('/sep2/edev/d1'));
    expect(edev.DERListLink).toEqual({ href: '/sep2/edev/d1/der', all: 1 });
    const list = decodeDERList(await fetch(`${edev.DERListLink!.href}?l=5`));
    expect(list).toMatchObject({ href: '/sep2/edev/d1/der', all: 1, results: 1 });
    expect((await get(pki.device, '/sep2/edev/d1/der?s=1')).body).toContain('results="0"');
    const der = decodeDER(await fetch(list.DER[0]!.href!));
    const links = {
      dercap: der.DERCapabilityLink!.href,
      derg: der.DERSettingsLink!.href,
      ders: der.DERStatusLink!.href,
      dera: der.DERAvailabilityLink!.href,
    };
    expect(links.dercap).toBe('/sep2/edev/d1/der/0/dercap');
    for (const [part, href] of Object.entries(links)) {
      expect((await get(pki.device, href)).status, `${part} before PUT`).toBe(404);
      const put = await call(pki.device, 'PUT', href, BODIES[part as keyof typeof BODIES]);
      expect(put.status, part).toBe(204);
      const body = await fetch(href);
      expect(body).toContain(`href="${href}"`);
    }
    expect(decodeDERStatus((await get(pki.device, links.ders)).body)).toEqual({
      ...decodeDERStatus(BODIES.ders),
      href: links.ders,
    });
    // A second PUT replaces the first.
    const later = encodeDERStatus({ readingTime: NOW_S + 60 });
    expect((await call(pki.device, 'PUT', links.ders, later)).status).toBe(204);
    expect(decodeDERStatus((await get(pki.device, links.ders)).body).readingTime).toBe(NOW_S + 60);
    expect(await validateSepDocument(docs)).toBe(SEP_XSD === undefined ? 'skipped' : 'valid');
  });

  it('serves the program’s controls in force now as the ActiveDERControlList, and its curves', async () => {
    const docs: string[] = [];
    const fetch = async (path: string): Promise<string> => {
      const r = await get(pki.device, path);
      expect(r.status, path).toBe(200);
      docs.push(r.body);
      return r.body;
    };
    const program = decodeDERProgram(await fetch('/sep2/derp/local'));
    expect(program.ActiveDERControlListLink).toEqual({ href: '/sep2/derp/local/actderc', all: 2 });
    expect(program.DERCurveListLink).toEqual({ href: '/sep2/derp/local/dcl', all: 2 });
    const active = decodeDERControlList(await fetch(`${program.ActiveDERControlListLink!.href}?l=10`));
    expect(active).toMatchObject({ href: '/sep2/derp/local/actderc', all: 2, results: 2 });
    expect(active.DERControl.map((c) => c.mRID)).toEqual([control(1, 0).mRID, control(5, 0).mRID]);
    expect(active.DERControl[0]!.href).toBe(`/sep2/derp/local/dc/${control(1, 0).mRID}`);
    await fetch(active.DERControl[0]!.href!);
    const curves = decodeDERCurveList(await fetch(`${program.DERCurveListLink!.href}?s=1&l=5`));
    expect(curves).toMatchObject({ all: 2, results: 1 });
    expect(curves.DERCurve[0]!.href).toBe(`/sep2/derp/local/dcl/${curve(2).mRID}`);
    await fetch(curves.DERCurve[0]!.href!);
    expect((await get(pki.device, '/sep2/derp/local/dcl/FFFF')).status).toBe(404);
    expect((await get(pki.device, '/sep2/derp/nope/actderc')).status).toBe(404);
    expect(await validateSepDocument(docs)).toBe(SEP_XSD === undefined ? 'skipped' : 'valid');
  });

  it('keeps each device’s DER to itself and the aggregator that speaks for it', async () => {
    const ders = '/sep2/edev/d2/der/0/ders';
    expect((await call(pki.device, 'PUT', ders, BODIES.ders)).status).toBe(404);
    expect((await get(pki.device, '/sep2/edev/d2/der')).status).toBe(404);
    expect((await call(pki.aggregator, 'PUT', ders, BODIES.ders)).status).toBe(204);
    expect((await get(pki.aggregator, ders)).status).toBe(200);
    expect((await get(pki.device, ders)).status).toBe(404);
    expect((await call(pki.unregistered, 'PUT', ders, BODIES.ders)).status).toBe(403);
    expect(derState.get({ id: 'd2' } as SepDevice, 'DERStatus')).toBeDefined();
    expect(derState.get({ id: 'd2' } as SepDevice, 'DERCapability')).toBeUndefined();
  });

  it('refuses hostile PUTs with codes and keeps nothing; 405 names the methods a path has', async () => {
    const dercap = '/sep2/edev/d1/der/0/dera';
    const good = BODIES.dera;
    const hostile: [string, string, string?][] = [
      ['TE_ERR_VALIDATION', BODIES.ders], // a DERStatus where a DERAvailability belongs
      ['TE_ERR_VALIDATION', good.replace('<readingTime>', '<readingTime>x')],
      [
        'TE_ERR_XML_FORBIDDEN',
        good.replace('<DERAvailability', '<!DOCTYPE x [<!ENTITY a "b">]><DERAvailability'),
      ],
      ['TE_ERR_XML_MALFORMED', good.slice(0, -3)],
      ['TE_ERR_XML_NAMESPACE', good.replace('urn:ieee:std:2030.5:ns', 'urn:other')],
      ['TE_ERR_INPUT_TOO_LARGE', good + ' '.repeat(5000)],
      ['TE_ERR_UNSUPPORTED_MEDIA_TYPE', good, 'application/xml'],
    ];
    const before = (await get(pki.device, dercap)).body;
    for (const [code, body, type] of hostile) {
      const r = await call(pki.device, 'PUT', dercap, body, type);
      expect(codeOf(r), code).toBe(code);
    }
    expect((await get(pki.device, dercap)).body).toBe(before);
    const del = await call(pki.device, 'DELETE', dercap);
    expect(del.status).toBe(405);
    expect(del.headers['allow']).toBe('GET, PUT');
    expect((await call(pki.device, 'PUT', '/sep2/edev/d1/der', good)).headers['allow']).toBe('GET');
    expect((await call(pki.device, 'PATCH', '/sep2/mup', good)).headers['allow']).toBe('GET, POST');
    expect((await get(pki.device, '/sep2/edev/d1/der/1')).status).toBe(404);
    expect((await get(pki.device, '/sep2/edev/d1/der/0/other')).status).toBe(404);
  });

  it('answers a store’s coded refusal with its status, and a stored document that no longer encodes with 500', async () => {
    const broken = await startSepServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry([
        { id: 'd1', lfdi: identityFromCertificate(pki.device.cert).lfdi, sfdi: 1, pin: 1, registeredAt: 1 },
      ]),
      programs: { programs: () => [] },
      derState: {
        put: () => Promise.reject(new TeError('TE_ERR_UNAVAILABLE', 'database down')),
        get: () => ({ readingTime: 'yesterday' }),
      },
      clock: { nowMs: () => NOW_S * 1000 },
    });
    try {
      const at = (method: string, body?: string) =>
        sepCall(broken.port, pki.ca.cert, pki.device, method, '/sep2/edev/d1/der/0/ders', body);
      const put = await at('PUT', BODIES.ders);
      expect([put.status, codeOf(put)]).toEqual([503, 'TE_ERR_UNAVAILABLE']);
      const got = await at('GET');
      expect([got.status, codeOf(got)]).toEqual([500, 'TE_ERR_INTERNAL']);
    } finally {
      await broken.close();
    }
  });
});
