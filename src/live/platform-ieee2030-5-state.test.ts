/**
 * What a device reports survives a restart of the platform: a device answers the DSO's control and PUTs
 * its DERStatus over mutual TLS; after the platform restarts on the same store, the operator's REST routes
 * still show both, and the device reads its DERStatus back. On SQLite, and on PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';
import { decodeDERControlList } from '../ieee2030-5/der-control.js';
import { encodeDERControlResponse } from '../ieee2030-5/der-curve.js';
import { decodeDERStatus, encodeDERStatus, type DERStatus } from '../ieee2030-5/der.js';
import { sepCall } from '../ieee2030-5/server/sep-call.fixture.js';
import { ManualClock } from './clock.js';
import {
  deviceCertificate,
  eventually,
  NEXT_SLOT,
  operatorApi,
  PIN,
  STORE_KINDS,
  sepPlatforms,
  T0,
} from './platform-sep.fixture.js';

const platforms = sepPlatforms();
afterEach(() => platforms.dispose());

interface ResponsesBody {
  deviceId: string;
  responses: { controlMRID: string; status: number; responseTimeMs?: number; receivedMs: number }[];
}

describe.each(STORE_KINDS)('2030.5 device reports across a platform restart on %s', (kind) => {
  it('keeps control responses and the DERStatus a device PUT', async () => {
    const clock = new ManualClock(T0 + 60_000);
    const databaseUrl = await platforms.databaseUrlFor(kind);
    const { platform, dataDir, lines } = await platforms.start('', { clock, databaseUrl });
    const sep = platform.sep;
    if (sep === undefined) throw new Error('the 2030.5 server did not start');
    const api = await operatorApi(platform, dataDir);
    await api('POST', '/api/participants', { id: 'home', role: 'prosumer', name: 'home' });
    const { pem: device, lfdi } = await deviceCertificate(dataDir, 'inverter-1');
    await api('POST', '/api/sep/devices', { id: 'inv-1', lfdi, pin: PIN, participantId: 'home' });
    const call = (method: string, path: string, body?: string, port = sep.port) =>
      sepCall(port, sep.caCertPem, device, method, path, body);

    await eventually(
      () =>
        api<{ status: string }[]>(
          'GET',
          `/api/markets/community/slots?fromMs=${NEXT_SLOT}&toMs=${NEXT_SLOT + 1}`,
        ),
      (slots) => slots.some((s) => s.status === 'open'),
      'the next slot to open',
    );
    await api('PUT', `/api/markets/community/slots/${NEXT_SLOT}/envelopes`, {
      envelopes: [{ participantId: 'home', exportLimitKw: 4 }],
    });
    const controls = await eventually(
      async () => decodeDERControlList((await call('GET', '/sep2/derp/dso/dc?l=10')).body),
      (list) => list.all === 1,
      'the envelope control',
    );
    const control = controls.DERControl[0];
    if (control?.replyTo === undefined) throw new Error('the control has no replyTo');

    // Received, then started; the received answer sent twice (a retry) is one row.
    const answer = (status: number) =>
      encodeDERControlResponse({
        createdDateTime: (T0 + 60_000) / 1000,
        endDeviceLFDI: lfdi,
        status,
        subject: control.mRID,
      });
    const status: DERStatus = {
      readingTime: (T0 + 60_000) / 1000,
      inverterStatus: { dateTime: (T0 + 60_000) / 1000, value: 4 },
      operationalModeStatus: { dateTime: (T0 + 60_000) / 1000, value: 2 },
      stateOfChargeStatus: { dateTime: (T0 + 60_000) / 1000, value: 5_500 },
    };
    const documents = [answer(1), answer(2), encodeDERStatus(status)];
    expect(['valid', 'skipped']).toContain(await validateSepDocument(documents));
    for (const body of [documents[0], documents[0], documents[1]])
      expect((await call('POST', control.replyTo, body)).status).toBe(204);
    clock.advance(1_000);
    // Refused: the controls are not followed, which the platform logs.
    expect((await call('POST', control.replyTo, answer(252))).status).toBe(204);
    const put = await call('PUT', '/sep2/edev/inv-1/der/0/ders', documents[2]);
    expect(put.status, put.body).toBe(204);
    expect(lines.some((l) => l.includes('with status 252 (not followed)'))).toBe(true);

    await platforms.stop(platform);
    const restarted = (
      await platforms.start('', {
        clock,
        dataDir,
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
      })
    ).platform;
    const next = restarted.sep;
    if (next === undefined) throw new Error('the 2030.5 server did not start again');
    const restartedApi = await operatorApi(restarted, dataDir);

    const responses = await restartedApi<ResponsesBody>('GET', '/api/sep/devices/inv-1/responses');
    expect(responses).toEqual({
      deviceId: 'inv-1',
      responses: [
        { controlMRID: control.mRID, status: 252, responseTimeMs: T0 + 60_000, receivedMs: T0 + 61_000 },
        { controlMRID: control.mRID, status: 2, responseTimeMs: T0 + 60_000, receivedMs: T0 + 60_000 },
        { controlMRID: control.mRID, status: 1, responseTimeMs: T0 + 60_000, receivedMs: T0 + 60_000 },
      ],
    });
    const der = await restartedApi<Record<string, unknown>>('GET', '/api/sep/devices/inv-1/der');
    expect(der).toEqual({ deviceId: 'inv-1', DERStatus: { updatedMs: T0 + 61_000, document: status } });
    const readBack = await call('GET', '/sep2/edev/inv-1/der/0/ders', undefined, next.port);
    expect(readBack.status, readBack.body).toBe(200);
    expect(decodeDERStatus(readBack.body)).toEqual({ ...status, href: '/sep2/edev/inv-1/der/0/ders' });
  }, 60_000);
});
