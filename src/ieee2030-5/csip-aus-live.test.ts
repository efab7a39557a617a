/**
 * The live platform with `ieee2030_5.siteLimits: csip-aus`: the DSO's envelope PUT through the API and the
 * configured default limits reach a registered device over mutual TLS as CSIP-AUS elements
 * (csipaus:opModExpLimW / opModImpLimW in https://csipaus.org/ns), and the device's own client mapping
 * reads them back as site limits. On SQLite (and PostgreSQL when TEST_DATABASE_URL is set).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';
import { ManualClock } from '../live/clock.js';
import {
  deviceCertificate,
  eventually,
  NEXT_SLOT,
  operatorApi,
  PIN,
  SLOT_MS,
  STORE_KINDS,
  sepPlatforms,
  T0,
} from '../live/platform-sep.fixture.js';
import { resolveDerControls } from './client/control-resolution.js';
import { siteLimitsKw } from './client/inverter-mapping.js';
import { CSIPAUS_NAMESPACE } from './csip-aus.js';
import { decodeDefaultDERControl, decodeDERControlList } from './der-control.js';
import { sepCall } from './server/sep-call.fixture.js';

const platforms = sepPlatforms();
afterEach(() => platforms.dispose());

describe.each(STORE_KINDS)('the platform sending CSIP-AUS limits on %s', (kind) => {
  it('serves the envelope and the default as csipaus elements a CSIP-AUS device reads', async () => {
    const clock = new ManualClock(T0 + 60_000);
    const config =
      'ieee2030_5:\n  siteLimits: csip-aus\n  defaultControl:\n    exportLimitKw: 1.5\n    importLimitKw: 20\n';
    const { platform, dataDir } = await platforms.start(config, {
      clock,
      databaseUrl: await platforms.databaseUrlFor(kind),
    });
    const sep = platform.sep;
    if (sep === undefined) throw new Error('the 2030.5 server did not start');
    const api = await operatorApi(platform, dataDir);
    await api('POST', '/api/participants', { id: 'home', role: 'prosumer', name: 'home' });
    const { pem, lfdi } = await deviceCertificate(dataDir, 'inverter-au');
    await api('POST', '/api/sep/devices', { id: 'inv-au', lfdi, pin: PIN, participantId: 'home' });
    const read = async (path: string) => {
      const reply = await sepCall(sep.port, sep.caCertPem, pem, 'GET', path);
      expect(reply.status, `${path}: ${reply.body}`).toBe(200);
      return reply.body;
    };

    const defaultXml = await read('/sep2/derp/dso/dderc');
    expect(defaultXml).toContain(`xmlns:csipaus="${CSIPAUS_NAMESPACE}"`);
    expect(defaultXml).toContain(
      '<csipaus:opModExpLimW><multiplier>0</multiplier><value>1500</value></csipaus:opModExpLimW>',
    );
    const fallback = decodeDefaultDERControl(defaultXml);
    expect(fallback.DERControlBase).toEqual({
      opModImpLimW: { multiplier: 0, value: 20_000 },
      opModExpLimW: { multiplier: 0, value: 1500 },
    });

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
      envelopes: [{ participantId: 'home', exportLimitKw: 4.2505, importLimitKw: 10 }],
    });
    const listXml = await eventually(
      () => read('/sep2/derp/dso/dc?l=10'),
      (xml) => decodeDERControlList(xml).all === 1,
      'the envelope control',
    );
    const list = decodeDERControlList(listXml);
    const envelope = list.DERControl[0];
    expect(envelope).toMatchObject({
      interval: { start: NEXT_SLOT / 1000, duration: SLOT_MS / 1000 },
      // 4,250.5 W goes as 4,250 W: rounded toward the safe side.
      DERControlBase: {
        opModImpLimW: { multiplier: 0, value: 10_000 },
        opModExpLimW: { multiplier: 0, value: 4250 },
      },
    });
    expect(envelope?.DERControlBase.opModMaxLimWInject).toBeUndefined();
    expect(['valid', 'skipped']).toContain(await validateSepDocument([defaultXml, listXml]));

    // The device's side: the envelope while its slot lasts, the default's 1.5 kW once it has ended.
    const programs = [
      {
        program: { mRID: 'DSO', primacy: 1 },
        controls: list.DERControl,
        defaultControl: fallback,
      },
    ];
    expect(siteLimitsKw(resolveDerControls(programs, NEXT_SLOT / 1000 + 1).base)).toEqual({
      maxExportKw: 4.25,
      maxImportKw: 10,
    });
    expect(siteLimitsKw(resolveDerControls(programs, (NEXT_SLOT + SLOT_MS) / 1000).base)).toEqual({
      maxExportKw: 1.5,
      maxImportKw: 20,
    });
  });
});
