/**
 * The platform runs the IEEE 2030.5 server: a device registered through the API connects with a
 * certificate from the platform's development CA over mutual TLS, hears the market's dispatch and the
 * DSO's envelope as DERControls after a clearing and an envelope PUT, and its mirrored telemetry lands as
 * meter readings. An unregistered or foreign certificate is refused; disabled, nothing listens; a busy port
 * is a coded configuration error. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';
import { decodeDERControlList, decodeDefaultDERControl } from '../ieee2030-5/der-control.js';
import {
  encodeMirrorMeterReading,
  encodeMirrorUsagePoint,
  type MirrorUsagePoint,
} from '../ieee2030-5/metering-mirror.js';
import { createCertificateAuthority, issueDeviceCertificate } from '../ieee2030-5/pki/index.js';
import { decodeDERProgramList } from '../ieee2030-5/resources.js';
import { encodeSubscription } from '../ieee2030-5/subscription.js';
import { sepCall } from '../ieee2030-5/server/sep-call.fixture.js';
import type { Pem } from '../ieee2030-5/server/test-pki.fixture.js';
import { readMeterReadings } from '../store/meter-reading-repository.js';
import { ManualClock } from './clock.js';
import {
  databaseUrlOf,
  deviceCertificate,
  eventually,
  NEXT_SLOT,
  operatorApi,
  PIN,
  SLOT_MS,
  STORE_KINDS,
  sepPlatforms,
  T0,
} from './platform-sep.fixture.js';

const platforms = sepPlatforms();
afterEach(() => platforms.dispose());
const start = platforms.start;
const kinds = STORE_KINDS;

describe.each(kinds)('the platform with IEEE 2030.5 on %s', (kind) => {
  it('serves a registered device its dso and market controls over mutual TLS and settles its telemetry', async () => {
    const clock = new ManualClock(T0 + 60_000);
    const { platform, dataDir } = await start('ieee2030_5:\n  defaultControl:\n    exportLimitKw: 5\n', {
      clock,
      databaseUrl: await platforms.databaseUrlFor(kind),
    });
    const sep = platform.sep;
    if (sep === undefined) throw new Error('the 2030.5 server did not start');
    expect(sep.url).toBe(`https://127.0.0.1:${sep.port}/sep2`);
    const api = await operatorApi(platform, dataDir);
    for (const id of ['home', 'neighbour'])
      await api('POST', '/api/participants', { id, role: 'prosumer', name: id });

    // A device certificate from the platform's development CA, registered for `home` by its LFDI.
    const pki = await deviceCertificate(dataDir, 'inverter-1');
    expect(pki.caCertPem).toBe(sep.caCertPem);
    const { pem: device, lfdi } = pki;
    await api('POST', '/api/sep/devices', { id: 'inv-1', lfdi, pin: PIN, participantId: 'home' });
    const get = async (path: string, client: Pem = device) =>
      sepCall(sep.port, sep.caCertPem, client, 'GET', path);
    const documents: string[] = [];
    const read = async (path: string) => {
      const reply = await get(path);
      expect(reply.status, `${path}: ${reply.body}`).toBe(200);
      documents.push(reply.body);
      return reply.body;
    };
    const programs = decodeDERProgramList(await read('/sep2/derp?l=10'));
    expect(programs.DERProgram.map((p) => [p.href, p.primacy])).toEqual([
      ['/sep2/derp/dso', 1],
      ['/sep2/derp/market', 2],
    ]);
    expect(decodeDefaultDERControl(await read('/sep2/derp/dso/dderc')).DERControlBase).toEqual({
      opModMaxLimWInject: { multiplier: 0, value: 5000 },
    });

    // The DSO limits the next slot; the home sells 3 kW into it and the neighbour buys 2 kW.
    await eventually(
      () =>
        api<{ startMs: number; status: string }[]>(
          'GET',
          `/api/markets/community/slots?fromMs=${NEXT_SLOT}&toMs=${NEXT_SLOT + 1}`,
        ),
      (slots) => slots.some((s) => s.status === 'open'),
      'the next slot to open',
    );
    await api('PUT', `/api/markets/community/slots/${NEXT_SLOT}/envelopes`, {
      envelopes: [{ participantId: 'home', exportLimitKw: 4, importLimitKw: 10 }],
    });
    const order = (participantId: string, side: string, price: number, quantity: number) =>
      api('POST', '/api/orders', {
        marketId: 'community',
        slotStartMs: NEXT_SLOT,
        participantId,
        clientOrderId: `${participantId}-${side}`,
        side,
        steps: [{ price, quantity }],
      });
    await order('home', 'sell', 0.05, 3);
    await order('neighbour', 'buy', 0.3, 2);
    const dso = await eventually(
      async () => decodeDERControlList(await read('/sep2/derp/dso/dc?l=10')),
      (list) => list.all === 1,
      'the envelope control',
    );
    expect(dso.DERControl[0]).toMatchObject({
      interval: { start: NEXT_SLOT / 1000, duration: SLOT_MS / 1000 },
      DERControlBase: {
        opModMaxLimWAbsorb: { multiplier: 0, value: 10_000 },
        opModMaxLimWInject: { multiplier: 0, value: 4000 },
      },
    });

    clock.set(NEXT_SLOT);
    const market = await eventually(
      async () => decodeDERControlList(await read('/sep2/derp/market/dc?l=10')),
      (list) => list.all === 1,
      'the market control after clearing',
    );
    const target = market.DERControl[0]?.DERControlBase.opModTargetW;
    // The home sold: it injects, which 2030.5 counts positive. How much cleared depends on the auction.
    expect(target?.value).toBeGreaterThan(0);
    expect(target?.multiplier).toBe(0);
    const result = await api<{
      fills: { rows: { participantId: string; side: string; filledKw: number }[] };
    }>('GET', `/api/markets/community/slots/${NEXT_SLOT}/result`);
    const sold = result.fills.rows
      .filter((f) => f.participantId === 'home')
      .reduce((s, f) => s + f.filledKw, 0);
    expect(target?.value).toBe(Math.round(sold * 1000));
    expect(['valid', 'skipped']).toContain(await validateSepDocument(documents));

    // The inverter mirrors its site meter: 5 minutes of 250 Wh export becomes a reading on home's meter.
    const usagePoint: MirrorUsagePoint = {
      mRID: '00000000000000000000000000004E01',
      description: 'site meter',
      roleFlags: '0049',
      serviceCategoryKind: 0,
      status: 1,
      deviceLFDI: lfdi,
      MirrorMeterReading: [
        {
          mRID: '00000000000000000000000000004D02',
          description: 'export Wh',
          ReadingType: {
            accumulationBehaviour: 4,
            flowDirection: 19,
            kind: 12,
            powerOfTenMultiplier: 0,
            uom: 72,
          },
          Reading: { timePeriod: { start: T0 / 1000, duration: 300 }, value: 250 },
        },
      ],
    };
    const body = encodeMirrorUsagePoint(usagePoint);
    const posted = await sepCall(sep.port, sep.caCertPem, device, 'POST', '/sep2/mup', body);
    expect(posted.status, posted.body).toBe(201);
    expect(await readMeterReadings(platform.store.db, 'home', T0, NEXT_SLOT)).toEqual([
      { meterId: 'home', timeMs: T0, energyWh: -250 },
    ]);
    // Sent again (a retry): stored once.
    expect((await sepCall(sep.port, sep.caCertPem, device, 'POST', '/sep2/mup', body)).status).toBeLessThan(
      300,
    );
    expect(await readMeterReadings(platform.store.db, 'home', T0, NEXT_SLOT)).toHaveLength(1);

    // The device subscribes to its market controls (notifications back to its own address).
    const subscription = encodeSubscription({
      subscribedResource: '/sep2/derp/market/dc',
      encoding: 0,
      level: '+S1',
      limit: 10,
      notificationURI: 'https://127.0.0.1:9/notify',
    });
    const subscribed = await sepCall(
      sep.port,
      sep.caCertPem,
      device,
      'POST',
      '/sep2/edev/inv-1/sub',
      subscription,
    );
    expect(subscribed.status, subscribed.body).toBe(201);
    expect(subscribed.headers['location']).toMatch(/^\/sep2\/edev\/inv-1\/sub\/\w+$/);

    // A certificate of the same CA that nobody registered, and one of another CA.
    const stranger = issueDeviceCertificate(
      { certPem: pki.caCertPem, keyPem: pki.caKeyPem },
      { commonName: 'stranger', validDays: 2 },
    );
    const refused = await get('/sep2/dcap', { cert: stranger.certPem, key: stranger.keyPem });
    expect([refused.status, refused.headers['x-tenet-error']]).toEqual([403, 'TE_ERR_FORBIDDEN']);
    const otherCa = createCertificateAuthority({ commonName: 'other CA', validDays: 10 });
    const foreign = issueDeviceCertificate(otherCa, { commonName: 'foreign', validDays: 2 });
    await expect(get('/sep2/dcap', { cert: foreign.certPem, key: foreign.keyPem })).rejects.toThrow();

    // After a restart the device posts its next interval to the Location it was given.
    const location = String(posted.headers['location']);
    const databaseUrl = kind === 'postgres' ? platforms.databases.at(-1) : undefined;
    await platforms.stop(platform);
    const restarted = (
      await start('', {
        clock,
        dataDir,
        ...(databaseUrl === undefined ? {} : { databaseUrl: databaseUrlOf(databaseUrl) }),
      })
    ).platform;
    const next = restarted.sep;
    if (next === undefined) throw new Error('the 2030.5 server did not start again');
    const interval = encodeMirrorMeterReading({
      ...usagePoint.MirrorMeterReading![0]!,
      Reading: { timePeriod: { start: T0 / 1000 + 300, duration: 300 }, value: 100 },
    });
    const after = await sepCall(next.port, next.caCertPem, device, 'POST', location, interval);
    expect(after.status, after.body).toBe(204);
    expect(await readMeterReadings(restarted.store.db, 'home', NEXT_SLOT, NEXT_SLOT + SLOT_MS)).toEqual([
      { meterId: 'home', timeMs: NEXT_SLOT, energyWh: -100 },
    ]);

    // Deleted through the API: the certificate is refused at once.
    const restartedApi = await operatorApi(restarted, dataDir);
    await restartedApi('DELETE', '/api/sep/devices/inv-1');
    const gone = await sepCall(next.port, next.caCertPem, device, 'GET', '/sep2/dcap');
    expect(gone.status).toBe(403);
  }, 60_000);
});

describe('the platform with IEEE 2030.5 configured', () => {
  it('starts no listener when disabled', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { platform } = await start(`ieee2030_5:\n  enabled: false\n  port: ${port}\n`);
    expect(platform.sep).toBeUndefined();
    const refused = await new Promise<string>((resolve) => {
      const socket = createServer().listen(port, '127.0.0.1', () => {
        socket.close();
        resolve('free');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('free');
  });

  it('reports a busy port as TE_ERR_CONFIG at ieee2030_5.port', async () => {
    const busy = createServer();
    platforms.servers.push(busy);
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    await expect(start(`ieee2030_5:\n  port: ${port}\n`)).rejects.toMatchObject({
      code: 'TE_ERR_CONFIG',
      path: 'ieee2030_5.port',
    });
  });

  it('refuses a configured certificate file that cannot be read', async () => {
    await expect(
      start(
        'ieee2030_5:\n  tls:\n    certFile: /nonexistent/server.pem\n    keyFile: k.pem\n    caFile: ca.pem\n',
      ),
    ).rejects.toMatchObject({ code: 'TE_ERR_CONFIG', path: 'ieee2030_5.tls.certFile' });
  });
});
