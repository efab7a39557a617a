import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DERControl } from '../der-control.js';
import { identityFromCertificate } from '../identity.js';
import {
  decodeDERProgramList,
  decodeDeviceCapability,
  decodeEndDeviceList,
  decodeFunctionSetAssignmentsList,
  decodeRegistration,
  decodeTime,
} from '../resources.js';
import { decodeDERControlList } from '../der-control.js';
import { SEP_XSD, validateSepDocument } from '../../../test/ieee2030-5/sep-xsd.fixture.js';
import {
  InMemorySepDeviceRegistry,
  InMemorySepResponseSink,
  type SepDevice,
  type SepProgram,
} from './registry.js';
import { sepCall, type Reply } from './sep-call.fixture.js';
import { startSepServer, type SepServer } from './server.js';
import { hasOpenssl, makeTestPki, type Pem, type TestPki } from './test-pki.fixture.js';

const NOW_MS = Date.UTC(2026, 10, 24, 10, 0, 0);
const control = (i: number): Omit<DERControl, 'href' | 'replyTo'> => ({
  mRID: `00000000000000000000000000000C0${i}`,
  description: `limit ${i}`,
  responseRequired: '03',
  creationTime: NOW_MS / 1000,
  EventStatus: { currentStatus: 0, dateTime: NOW_MS / 1000, potentiallySuperseded: false },
  interval: { start: NOW_MS / 1000 + i * 300, duration: 300 },
  DERControlBase: { opModMaxLimWInject: { value: 5000 + i, multiplier: 0 } },
});
const PROGRAM: SepProgram = {
  id: 'local',
  mRID: '0000000000000000000000000000D001',
  description: 'site limits',
  primacy: 1,
  controls: [control(1), control(2), control(3)],
  defaultControl: {
    mRID: '0000000000000000000000000000DD01',
    DERControlBase: { opModMaxLimWInject: { value: 10_000, multiplier: 0 } },
  },
};

describe.skipIf(!hasOpenssl())('IEEE 2030.5 server over mutual TLS', () => {
  let pki: TestPki;
  let server: SepServer;
  let device: SepDevice;
  const sink = new InMemorySepResponseSink();
  const get = (client: Pem | undefined, path: string): Promise<Reply> =>
    sepCall(server.port, pki.ca.cert, client, 'GET', path);

  beforeAll(async () => {
    pki = makeTestPki();
    const id = (pem: Pem) => identityFromCertificate(pem.cert);
    device = {
      id: 'd1',
      lfdi: id(pki.device).lfdi,
      sfdi: id(pki.device).sfdi,
      pin: 111115,
      registeredAt: 1_700_000_000,
    };
    const others: SepDevice[] = [2, 3, 4].map((n) => ({
      id: `d${n}`,
      lfdi: `${n}`.repeat(40),
      sfdi: n,
      pin: n,
      registeredAt: 1_700_000_000 + n,
    }));
    const aggregator: SepDevice = {
      id: 'agg',
      lfdi: id(pki.aggregator).lfdi,
      sfdi: id(pki.aggregator).sfdi,
      pin: 222220,
      registeredAt: 1_700_000_001,
      sees: ['d2', 'd3', 'd4'],
    };
    server = await startSepServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry([device, ...others, aggregator]),
      programs: { programs: () => [PROGRAM] },
      responses: sink,
      clock: { nowMs: () => NOW_MS },
      limits: { maxBodyBytes: 4096 },
    });
  });
  afterAll(async () => server?.close());

  it('walks dcap → edev → rg/fsa/fsa[0] → derp → dc, every document schema-valid and every href served', async () => {
    const docs: string[] = [];
    const fetch = async (path: string): Promise<string> => {
      const r = await get(pki.device, path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe('application/sep+xml');
      docs.push(r.body);
      return r.body;
    };
    const dcap = decodeDeviceCapability(await fetch('/sep2/dcap'));
    expect(dcap.href).toBe('/sep2/dcap');
    expect(decodeTime(await fetch(dcap.TimeLink!.href)).currentTime).toBe(NOW_MS / 1000);
    const edevs = decodeEndDeviceList(await fetch(`${dcap.EndDeviceListLink!.href}?l=10`));
    expect(edevs).toMatchObject({ all: 1, results: 1, href: '/sep2/edev' });
    const self = edevs.EndDevice[0]!;
    expect(self.lFDI).toBe(identityFromCertificate(pki.device.cert).lfdi);
    expect(self.sFDI).toBe(identityFromCertificate(pki.device.cert).sfdi);
    await fetch(self.href!);
    const rg = decodeRegistration(await fetch(self.RegistrationLink!.href));
    expect(rg).toEqual({ href: '/sep2/edev/d1/rg', dateTimeRegistered: 1_700_000_000, pIN: 111115 });
    const fsa = decodeFunctionSetAssignmentsList(await fetch(self.FunctionSetAssignmentsListLink!.href));
    expect(fsa.results).toBe(1);
    await fetch(fsa.FunctionSetAssignments[0]!.href!);
    const derpLink = fsa.FunctionSetAssignments[0]!.DERProgramListLink!;
    const derps = decodeDERProgramList(await fetch(derpLink.href));
    expect(derps.all).toBe(derpLink.all);
    const program = derps.DERProgram[0]!;
    await fetch(program.href!);
    await fetch(program.DefaultDERControlLink!.href);
    const dc = decodeDERControlList(await fetch(`${program.DERControlListLink!.href}?s=1&l=5`));
    expect(dc).toMatchObject({ href: '/sep2/derp/local/dc', all: 3, results: 2 });
    expect(dc.DERControl.map((c) => c.mRID)).toEqual([control(2).mRID, control(3).mRID]);
    expect(dc.DERControl[0]!.replyTo).toBe('/sep2/rsps');
    await fetch(dc.DERControl[0]!.href!);
    expect(await validateSepDocument(docs)).toBe(SEP_XSD === undefined ? 'skipped' : 'valid');
    expect(docs).toHaveLength(12);
  });

  it('pages an aggregator’s EndDeviceList with s and l (default l is 1)', async () => {
    const page = async (q: string) => decodeEndDeviceList((await get(pki.aggregator, `/sep2/edev${q}`)).body);
    expect((await page('')).EndDevice.map((d) => d.href)).toEqual(['/sep2/edev/agg']);
    const p = await page('?s=1&l=2');
    expect(p).toMatchObject({ all: 4, results: 2 });
    expect(p.EndDevice.map((d) => d.href)).toEqual(['/sep2/edev/d2', '/sep2/edev/d3']);
    expect((await page('?s=9&l=2')).results).toBe(0);
    expect((await get(pki.aggregator, '/sep2/edev?l=-1')).status).toBe(400);
    expect((await get(pki.aggregator, '/sep2/edev/d4/rg')).status).toBe(200);
    // A plain device cannot read another device's resources.
    expect((await get(pki.device, '/sep2/edev/d4/rg')).status).toBe(404);
  });

  it('refuses a registered CA’s certificate that is not registered with 403 and no resource', async () => {
    const r = await get(pki.unregistered, '/sep2/dcap');
    expect(r.status).toBe(403);
    expect(r.headers['x-tenet-error']).toBe('TE_ERR_FORBIDDEN');
    expect(r.body).not.toContain('DeviceCapability');
  });

  it('refuses another CA’s certificate and no certificate at the TLS handshake', async () => {
    await expect(get(pki.foreign, '/sep2/dcap')).rejects.toThrow();
    await expect(get(undefined, '/sep2/dcap')).rejects.toThrow();
    expect((await get(pki.device, '/sep2/tm')).status).toBe(200); // still serving
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    for (const path of ['/sep2/nothing', '/sep2/derp/nope/dc', '/other/dcap', '/sep2/edev/d1/rg/x']) {
      expect((await get(pki.device, path)).status, path).toBe(404);
    }
    const put = await sepCall(server.port, pki.ca.cert, pki.device, 'PUT', '/sep2/dcap', '<x/>');
    expect(put.status).toBe(405);
    expect(put.headers['allow']).toBe('GET');
    expect((await get(pki.device, '/sep2/rsps')).status).toBe(405);
  });

  it('answers 500 TE_ERR_INTERNAL when the program source throws, and keeps serving', async () => {
    const lfdi = identityFromCertificate(pki.device.cert);
    const broken = await startSepServer({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry([{ ...device, sfdi: lfdi.sfdi }]),
      programs: {
        programs: () => {
          throw new Error('platform down');
        },
      },
      clock: { nowMs: () => NOW_MS },
    });
    try {
      const r = await sepCall(broken.port, pki.ca.cert, pki.device, 'GET', '/sep2/derp');
      expect(r.status).toBe(500);
      expect(r.headers['x-tenet-error']).toBe('TE_ERR_INTERNAL');
      expect(r.body).not.toContain('platform down');
      expect((await sepCall(broken.port, pki.ca.cert, pki.device, 'GET', '/sep2/dcap')).status).toBe(200);
      expect(broken.url).toBe(`https://127.0.0.1:${broken.port}/sep2`);
    } finally {
      await broken.close();
    }
  });

  it('keeps a good DERControlResponse and refuses hostile or foreign ones with a code, keeping nothing', async () => {
    const lfdi = identityFromCertificate(pki.device.cert).lfdi;
    const xml = (inner: string) =>
      `<DERControlResponse xmlns="urn:ieee:std:2030.5:ns">${inner}</DERControlResponse>`;
    const good = xml(
      `<createdDateTime>1</createdDateTime><endDeviceLFDI>${lfdi}</endDeviceLFDI>` +
        `<status>1</status><subject>${control(1).mRID}</subject>`,
    );
    const post = (body: string, type?: string) =>
      sepCall(server.port, pki.ca.cert, pki.device, 'POST', '/sep2/rsps', body, type);
    const hostile: [string, string, string?][] = [
      ['TE_ERR_XML_FORBIDDEN', `<!DOCTYPE x [<!ENTITY a "b">]>${good}`],
      ['TE_ERR_XML_FORBIDDEN', '<a>'.repeat(40) + '</a>'.repeat(40)],
      ['TE_ERR_XML_MALFORMED', good.slice(0, -5)],
      ['TE_ERR_VALIDATION', xml('<status>1</status>')],
      ['TE_ERR_FORBIDDEN', good.replace(lfdi, '1'.repeat(40))],
      ['TE_ERR_INPUT_TOO_LARGE', good + ' '.repeat(5000)],
      ['TE_ERR_UNSUPPORTED_MEDIA_TYPE', good, 'application/json'],
    ];
    for (const [code, body, type] of hostile) {
      const r = await post(body, type);
      expect(r.headers['x-tenet-error'], code).toBe(code);
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    expect(sink.list()).toEqual([]);
    expect((await post(good)).status).toBe(204);
    expect(sink.list()).toEqual([
      {
        deviceId: 'd1',
        response: { createdDateTime: 1, endDeviceLFDI: lfdi, status: 1, subject: control(1).mRID },
      },
    ]);
  });

  it("keeps an idle connection open for keepAliveTimeoutMs, not for Node's 5 s default", async () => {
    const idleFor = async (keepAliveTimeoutMs: number | undefined): Promise<boolean> => {
      const short = await startSepServer({
        host: '127.0.0.1',
        port: 0,
        tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
        devices: new InMemorySepDeviceRegistry([device]),
        programs: { programs: () => [PROGRAM] },
        clock: { nowMs: () => NOW_MS },
        ...(keepAliveTimeoutMs === undefined ? {} : { limits: { keepAliveTimeoutMs } }),
      });
      const agent = new Agent({ keepAlive: true, ...pki.device, ca: pki.ca.cert });
      try {
        let closed = false;
        await new Promise<void>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: short.port, path: '/sep2/tm', agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('socket', (socket) => socket.once('close', () => (closed = true)));
          req.on('error', reject);
          req.end();
        });
        await new Promise((resolve) => setTimeout(resolve, 400));
        return !closed;
      } finally {
        agent.destroy();
        await short.close();
      }
    };
    expect(await idleFor(100)).toBe(false);
    expect(await idleFor(undefined)).toBe(true);
  });
});

describe('InMemorySepDeviceRegistry', () => {
  const d: SepDevice = { id: 'a', lfdi: 'ab'.repeat(20), sfdi: 1, pin: 1, registeredAt: 0 };
  it('finds devices by LFDI in either case and refuses bad ids, bad LFDIs and duplicates with codes', () => {
    const registry = new InMemorySepDeviceRegistry([d]);
    expect(registry.byLfdi('AB'.repeat(20))?.id).toBe('a');
    expect(registry.visibleTo('cd'.repeat(20))).toEqual([]);
    const code = (f: () => void): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return undefined;
    };
    expect(code(() => registry.add({ ...d, id: '../x', lfdi: 'cd'.repeat(20) }))).toBe('TE_ERR_CONFIG');
    expect(code(() => registry.add({ ...d, id: 'b', lfdi: 'xyz' }))).toBe('TE_ERR_CONFIG');
    expect(code(() => registry.add({ ...d, id: 'b' }))).toBe('TE_ERR_ALREADY_EXISTS');
  });
});
