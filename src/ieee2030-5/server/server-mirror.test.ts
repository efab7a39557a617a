import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeError } from '../../core/errors.js';
import { identityFromCertificate } from '../identity.js';
import {
  decodeMirrorUsagePoint,
  decodeMirrorUsagePointList,
  encodeMirrorMeterReading,
  encodeMirrorMeterReadingList,
  encodeMirrorUsagePoint,
  type MirrorMeterReading,
  type MirrorUsagePoint,
  type Reading,
} from '../metering-mirror.js';
import { decodeDeviceCapability } from '../resources.js';
import { SEP_XSD, validateSepDocument } from '../../../test/ieee2030-5/sep-xsd.fixture.js';
import {
  InMemorySepDeviceRegistry,
  InMemorySepTelemetrySink,
  type SepDevice,
  type SepTelemetryReading,
  type SepTelemetrySink,
} from './registry.js';
import { MAX_MIRROR_USAGE_POINTS_PER_DEVICE } from './mirror-routes.js';
import { codeOf, sepCall } from './sep-call.fixture.js';
import { startSepServer, type SepServer, type SepServerOptions } from './server.js';
import { hasOpenssl, makeTestPki, type Pem, type TestPki } from './test-pki.fixture.js';

const T0 = 1_790_000_000;
const reading = (start: number, value: number, duration = 300): Reading => ({
  timePeriod: { start, duration },
  value,
});
const IMPORT_MRID = '00000000000000000000000000004D01';
const EXPORT_MRID = '00000000000000000000000000004D02';
const importWh: MirrorMeterReading = {
  mRID: IMPORT_MRID,
  description: 'import Wh',
  ReadingType: { accumulationBehaviour: 4, flowDirection: 1, kind: 12, powerOfTenMultiplier: 0, uom: 72 },
  Reading: reading(T0, 250),
};
const usagePoint = (lfdi: string, mRID = '00000000000000000000000000004E01'): MirrorUsagePoint => ({
  mRID,
  description: 'site meter',
  roleFlags: '0049',
  serviceCategoryKind: 0,
  status: 1,
  deviceLFDI: lfdi,
  MirrorMeterReading: [importWh],
});

describe.skipIf(!hasOpenssl())('IEEE 2030.5 server: metering mirror over mutual TLS', () => {
  let pki: TestPki;
  let server: SepServer;
  let options: SepServerOptions;
  let lfdi: string;
  const sink = new InMemorySepTelemetrySink();
  const docs: string[] = [];
  const call = (client: Pem, method: string, path: string, body?: string, type?: string) =>
    sepCall(server.port, pki.ca.cert, client, method, path, body, type);
  const post = async (client: Pem, path: string, body: string) => {
    docs.push(body);
    return call(client, 'POST', path, body);
  };
  const fetch = async (client: Pem, path: string): Promise<string> => {
    const r = await call(client, 'GET', path);
    expect(r.status, path).toBe(200);
    docs.push(r.body);
    return r.body;
  };
  const recorded = (): SepTelemetryReading[] => sink.list().map((r) => r.reading);

  beforeAll(async () => {
    pki = makeTestPki();
    const id = (pem: Pem) => identityFromCertificate(pem.cert);
    lfdi = id(pki.device).lfdi;
    const devices: SepDevice[] = [
      { id: 'd1', lfdi, sfdi: id(pki.device).sfdi, pin: 111115, registeredAt: 1, participantId: 'p1' },
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
    options = {
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      devices: new InMemorySepDeviceRegistry(devices),
      programs: { programs: () => [] },
      telemetry: sink,
      clock: { nowMs: () => T0 * 1000 },
      // Room for 1,001 readings (about 100 bytes each), so the reading limit is what refuses them.
      limits: { maxBodyBytes: 256 * 1024 },
    };
    server = await startSepServer(options);
  });
  afterAll(async () => server?.close());

  it('creates a MirrorUsagePoint (201 + Location), finds it again by mRID, and records its readings', async () => {
    const created = await post(pki.device, '/sep2/mup', encodeMirrorUsagePoint(usagePoint(lfdi)));
    expect(created.status).toBe(201);
    expect(created.headers['location']).toBe('/sep2/mup/0');
    expect(recorded()).toEqual([
      { mirrorUsagePointMRID: usagePoint(lfdi).mRID, startS: T0, durationS: 300, energyWh: 250 },
    ]);
    expect(sink.list()[0]!.deviceId).toBe('d1');
    // The same mRID again (a client restarting): the same location, no second usage point.
    const again = await post(
      pki.device,
      '/sep2/mup',
      encodeMirrorUsagePoint({ ...usagePoint(lfdi), description: 'renamed', MirrorMeterReading: [] }),
    );
    expect([again.status, again.headers['location']]).toEqual([201, '/sep2/mup/0']);
    const dcap = decodeDeviceCapability(await fetch(pki.device, '/sep2/dcap'));
    expect(dcap.MirrorUsagePointListLink).toEqual({ href: '/sep2/mup', all: 1 });
    const list = decodeMirrorUsagePointList(await fetch(pki.device, '/sep2/mup?l=10'));
    expect(list).toMatchObject({ href: '/sep2/mup', all: 1, results: 1 });
    const mup = decodeMirrorUsagePoint(await fetch(pki.device, list.MirrorUsagePoint[0]!.href!));
    expect(mup).toMatchObject({ href: '/sep2/mup/0', description: 'renamed', deviceLFDI: lfdi });
    // The reading type is kept, the readings are not.
    expect(mup.MirrorMeterReading).toEqual([
      {
        mRID: IMPORT_MRID,
        description: 'import Wh',
        ReadingType: importWh.ReadingType,
        MirrorReadingSet: [],
      },
    ]);
  });

  it('takes MirrorMeterReadings and lists of them at the usage point, with the stored or a new ReadingType', async () => {
    const before = recorded().length;
    const sets: MirrorMeterReading = {
      mRID: IMPORT_MRID,
      MirrorReadingSet: [
        {
          mRID: '00000000000000000000000000005301',
          timePeriod: { start: T0, duration: 600 },
          Reading: [reading(T0, 120), reading(T0 + 300, 130)],
        },
      ],
    };
    expect((await post(pki.device, '/sep2/mup/0', encodeMirrorMeterReading(sets))).status).toBe(204);
    const exportW: MirrorMeterReading = {
      mRID: EXPORT_MRID,
      ReadingType: { dataQualifier: 2, flowDirection: 19, kind: 37, powerOfTenMultiplier: 3, uom: 38 },
      Reading: reading(T0, 3, 1800), // 3 kW for half an hour
    };
    const list = encodeMirrorMeterReadingList({
      all: 2,
      results: 2,
      MirrorMeterReading: [exportW, importWh],
    });
    expect((await post(pki.device, '/sep2/mup/0', list)).status).toBe(204);
    expect(
      recorded()
        .slice(before)
        .map((r) => [r.startS, r.durationS, r.energyWh]),
    ).toEqual([
      [T0, 300, 120],
      [T0 + 300, 300, 130],
      [T0, 1800, -1500],
      [T0, 300, 250],
    ]);
    const mup = decodeMirrorUsagePoint(await fetch(pki.device, '/sep2/mup/0'));
    expect(mup.MirrorMeterReading!.map((m) => m.mRID)).toEqual([IMPORT_MRID, EXPORT_MRID]);
    expect(await validateSepDocument(docs)).toBe(SEP_XSD === undefined ? 'skipped' : 'valid');
  });

  it('keeps usage points to their device and the aggregator that speaks for it', async () => {
    expect(
      codeOf(await post(pki.device, '/sep2/mup', encodeMirrorUsagePoint(usagePoint('2'.repeat(40))))),
    ).toBe('TE_ERR_FORBIDDEN');
    const aggregated = await post(
      pki.aggregator,
      '/sep2/mup',
      encodeMirrorUsagePoint(usagePoint('2'.repeat(40))),
    );
    expect([aggregated.status, aggregated.headers['location']]).toEqual([201, '/sep2/mup/1']);
    expect(sink.list().at(-1)!.deviceId).toBe('d2');
    expect((await call(pki.device, 'GET', '/sep2/mup/1')).status).toBe(404);
    expect((await call(pki.device, 'POST', '/sep2/mup/1', encodeMirrorMeterReading(importWh))).status).toBe(
      404,
    );
    expect(decodeMirrorUsagePointList(await fetch(pki.device, '/sep2/mup?l=10')).all).toBe(1);
    expect(decodeMirrorUsagePointList(await fetch(pki.aggregator, '/sep2/mup?l=10')).all).toBe(1);
    expect((await call(pki.aggregator, 'GET', '/sep2/mup/0')).status).toBe(404);
    expect((await call(pki.device, 'GET', '/sep2/mup/99')).status).toBe(404);
  });

  it('refuses readings it cannot convert and hostile bodies with codes, recording nothing', async () => {
    const before = sink.list().length;
    const one = (r: Partial<MirrorMeterReading>) => encodeMirrorMeterReading({ ...importWh, ...r });
    const valid = one({});
    const many = (n: number) =>
      one({
        Reading: reading(T0, 1),
        MirrorReadingSet: [
          {
            mRID: '00000000000000000000000000005302',
            timePeriod: { start: T0, duration: 300 * n },
            Reading: Array.from({ length: n - 1 }, (_, i) => reading(T0 + 300 * i, 1)),
          },
        ],
      });
    const hostile: [string, string, string?][] = [
      ['TE_ERR_SEP_MIRROR', one({ ReadingType: { flowDirection: 1, uom: 33 } })],
      ['TE_ERR_SEP_MIRROR', one({ ReadingType: { flowDirection: 0, uom: 72 } })],
      ['TE_ERR_SEP_MIRROR', one({ Reading: { value: 5 } })], // a register, no interval
      ['TE_ERR_SEP_MIRROR', one({ Reading: reading(T0, 5, 0) })],
      ['TE_ERR_VALIDATION', valid.replace('<duration>300</duration>', '<duration>-300</duration>')],
      ['TE_ERR_SEP_MIRROR', one({ mRID: '0F', ReadingType: undefined })], // no reading type known
      ['TE_ERR_SEP_MIRROR', many(1001)],
      ['TE_ERR_VALIDATION', encodeMirrorUsagePoint(usagePoint(lfdi))], // not a reading
      [
        'TE_ERR_XML_FORBIDDEN',
        valid.replace('<MirrorMeterReading', '<!DOCTYPE m [<!ENTITY a "b">]><MirrorMeterReading'),
      ],
      ['TE_ERR_XML_MALFORMED', valid.slice(0, -4)],
      ['TE_ERR_INPUT_TOO_LARGE', valid + ' '.repeat(300 * 1024)],
      ['TE_ERR_UNSUPPORTED_MEDIA_TYPE', valid, 'text/xml'],
    ];
    for (const [code, body, type] of hostile) {
      const r = await call(pki.device, 'POST', '/sep2/mup/0', body, type);
      expect(codeOf(r), `${code}: ${body.slice(0, 200)}`).toBe(code);
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    expect(sink.list().length).toBe(before);
    // One reading fewer is taken whole.
    expect((await call(pki.device, 'POST', '/sep2/mup/0', many(1000))).status).toBe(204);
    expect(sink.list().length).toBe(before + 1000);
  });

  it('caps the usage points per device, and passes on a sink’s refusal or absence as its status', async () => {
    for (let n = 1; n < MAX_MIRROR_USAGE_POINTS_PER_DEVICE; n++) {
      const mRID = `00000000000000000000000000004F${String(n).padStart(2, '0')}`;
      const r = await call(
        pki.device,
        'POST',
        '/sep2/mup',
        encodeMirrorUsagePoint({ ...usagePoint(lfdi, mRID), MirrorMeterReading: [] }),
      );
      expect(r.status).toBe(201);
    }
    const over = await call(pki.device, 'POST', '/sep2/mup', encodeMirrorUsagePoint(usagePoint(lfdi, 'FF')));
    expect(codeOf(over)).toBe('TE_ERR_SEP_MIRROR');

    const failing: SepTelemetrySink = {
      record: () => Promise.reject(new TeError('TE_ERR_UNKNOWN_PARTICIPANT', 'no meter for this device')),
    };
    for (const telemetry of [failing, undefined]) {
      const other = await startSepServer({ ...options, telemetry });
      try {
        const r = await sepCall(
          other.port,
          pki.ca.cert,
          pki.device,
          'POST',
          '/sep2/mup',
          encodeMirrorUsagePoint(usagePoint(lfdi)),
        );
        expect(codeOf(r)).toBe(telemetry === undefined ? 'TE_ERR_UNAVAILABLE' : 'TE_ERR_UNKNOWN_PARTICIPANT');
        expect(r.status).toBe(telemetry === undefined ? 503 : 404);
        // A usage point without readings needs no sink.
        const bare = { ...usagePoint(lfdi, '0E'), MirrorMeterReading: [] };
        const created = await sepCall(
          other.port,
          pki.ca.cert,
          pki.device,
          'POST',
          '/sep2/mup',
          encodeMirrorUsagePoint(bare),
        );
        expect(created.status).toBe(201);
      } finally {
        await other.close();
      }
    }
  });
});
