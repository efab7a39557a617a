import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../core/random.js';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  inverterRatingFor,
  type InverterSettings,
} from '../../der/inverter/index.js';
import { ManualClock } from '../../live/clock.js';
import { SEP_XSD, validateSepDocument } from '../../../test/ieee2030-5/sep-xsd.fixture.js';
import type { SepProgram } from '../server/registry.js';
import { hasOpenssl, makeTestPki, type TestPki } from '../server/test-pki.fixture.js';
import { controlAt, DEVICE_PIN, startLoopbackSep, type LoopbackSep } from './sep-client-test.fixture.js';
import { SepClient } from './sep-client.js';
import { SepInverterClient } from './sep-inverter-client.js';
import { SimulatedSepInverter, type SiteMeasurement } from './simulated-inverter.js';

const T0_MS = Date.UTC(2026, 10, 24, 12, 0, 0);
const T0 = T0_MS / 1000;
const PV: InverterSettings = {
  ...DEFAULT_INVERTER_FUNCTIONS,
  rating: inverterRatingFor(DEFAULT_INVERTER_FUNCTIONS, 5, 5, 0),
};
/** Full sun: the PV could give 4.5 kW; the house draws 1 kW. */
const SUNNY: SiteMeasurement = { vPu: 1, desiredKw: -4.5, availableGenerationKw: 4.5, siteLoadKw: 1 };

const siteProgram = (controls: SepProgram['controls']): SepProgram => ({
  id: 'site',
  mRID: '0000000000000000000000000000D510',
  primacy: 10,
  controls,
  defaultControl: {
    mRID: '0000000000000000000000000000DD10',
    DERControlBase: { opModMaxLimWInject: { value: 5000, multiplier: 0 } },
  },
});
const feederProgram = (controls: SepProgram['controls']): SepProgram => ({
  id: 'feeder',
  mRID: '0000000000000000000000000000D501',
  primacy: 1,
  controls,
});

describe.skipIf(!hasOpenssl())('SepInverterClient against the server core', () => {
  let pki: TestPki;
  let sep: LoopbackSep;
  let clock: ManualClock;

  beforeAll(async () => {
    pki = makeTestPki();
    clock = new ManualClock(T0_MS);
    sep = await startLoopbackSep(pki, () => clock.nowMs());
  });
  afterAll(async () => sep?.server.close());
  beforeEach(() => {
    sep.programs.current = [];
  });

  it('follows an export limit, then a higher-priority setpoint, then the default; responds and reports', async () => {
    const exportLimit = controlAt(T0 + 60, 120, { opModMaxLimWInject: { value: 15, multiplier: 2 } });
    const setpoint = controlAt(T0 + 120, 60, { opModFixedW: 2000 });
    sep.programs.current = [siteProgram([exportLimit]), feederProgram([setpoint])];
    const client = sep.client({ random: new SeededRandom(1) });
    const inverter = new SimulatedSepInverter(PV);
    const device = new SepInverterClient({ client, clock, pin: DEVICE_PIN, inverter, site: () => SUNNY });
    const responsesBefore = sep.responses.list().length;
    try {
      await device.pollOnce();
      expect(inverter.output.pKw).toBeCloseTo(-4.5); // the default's 5 kW export cap does not bind
      clock.set((T0 + 60) * 1000);
      const atLimit = await device.pollOnce();
      expect(atLimit.resolution.sources.opModMaxLimWInject?.mRID).toBe(exportLimit.mRID);
      expect(inverter.output.pKw).toBeCloseTo(-2.5); // 1.5 kW export + 1 kW house
      expect(inverter.output.siteKw).toBeCloseTo(-1.5);
      clock.set((T0 + 120) * 1000);
      await device.pollOnce();
      expect(inverter.output.pKw).toBeCloseTo(-1); // 20 % of 5 kW, under the export cap
      clock.set((T0 + 200) * 1000);
      await device.pollOnce();
      expect(inverter.output.pKw).toBeCloseTo(-4.5);
      clock.set((T0 + 260) * 1000);
      await device.pollOnce();

      const statuses = (mRID: string) =>
        sep.responses
          .list()
          .slice(responsesBefore)
          .filter((r) => r.response.subject === mRID)
          .map((r) => r.response.status);
      expect(statuses(exportLimit.mRID)).toEqual([1, 2, 3]);
      expect(statuses(setpoint.mRID)).toEqual([1, 2, 3]);
      expect(sep.responses.list().every((r) => r.response.endDeviceLFDI === sep.device.lfdi)).toBe(true);
      expect(device.stats).toMatchObject({ polls: 5, failedPolls: 0, responsesSent: 6, responseFailures: 0 });

      // Telemetry: one MirrorUsagePoint, then each interval's import and export at the site meter.
      const readings = sep.telemetry.list();
      expect(readings.length).toBeGreaterThan(0);
      // 60 s at −3.5 kW (before the limit) = 58.3 Wh exported.
      const first = readings.find((r) => r.reading.startS === T0 && r.reading.energyWh < 0);
      expect(first?.reading.energyWh).toBeCloseTo(-58, 0);
      expect(device.stats.readingsPosted).toBe(4);

      // The DER documents the server links, PUT once (nameplate) and each poll (status).
      expect(device.stats.derPuts).toBeGreaterThanOrEqual(3);
      expect(sep.derState.get(sep.device, 'DERCapability')).toBeDefined();

      if (SEP_XSD !== undefined) {
        await validateSepDocument(client.sent.map((s) => s.body));
        const kinds = new Set(client.sent.map((s) => /<(\w+) xmlns/.exec(s.body)?.[1]));
        expect(kinds).toEqual(
          new Set([
            'DERControlResponse',
            'MirrorUsagePoint',
            'MirrorMeterReadingList',
            'DERCapability',
            'DERSettings',
            'DERStatus',
          ]),
        );
      }
    } finally {
      client.close();
    }
  });

  it('follows a volt-var curve the program links, and answers a curve it cannot follow with 252', async () => {
    const curve = (mRID: string, points: [number, number][]) => ({
      mRID,
      creationTime: T0 - 600,
      CurveData: points.map(([xvalue, yvalue]) => ({ xvalue, yvalue })),
      curveType: 11,
      xMultiplier: 0,
      yMultiplier: 0,
      yRefType: 2,
    });
    const good = curve('0000000000000000000000000000CC01', [
      [92, 100],
      [98, 0],
      [102, 0],
      [108, -100],
    ]);
    const bad = curve('0000000000000000000000000000CC02', [
      [90, 100],
      [110, -100],
    ]);
    const follow = controlAt(T0 - 30, 600, { opModVoltVar: { href: `/sep2/derp/site/dcl/${good.mRID}` } });
    sep.programs.current = [{ ...siteProgram([follow]), curves: [good, bad] }];
    const client = sep.client();
    const inverter = new SimulatedSepInverter(PV);
    const lowVoltage = { ...SUNNY, vPu: 0.92 };
    const device = new SepInverterClient({
      client,
      clock,
      pin: DEVICE_PIN,
      inverter,
      site: () => lowVoltage,
    });
    try {
      clock.set(T0_MS);
      await device.pollOnce();
      expect(inverter.directive.settings.reactive.kind).toBe('volt-var');
      clock.advance(60_000);
      await device.pollOnce();
      // At 0.92 pu the curve asks for all the injection the rating allows (qPu < 0: injecting).
      expect(inverter.output.qKvar).toBeLessThan(-1);

      const refusedControl = controlAt(T0 + 30, 600, {
        opModVoltVar: { href: `/sep2/derp/feeder/dcl/${bad.mRID}` },
      });
      sep.programs.current = [
        { ...siteProgram([follow]), curves: [good, bad] },
        { ...feederProgram([refusedControl]), curves: [bad] },
      ];
      await device.pollOnce();
      const answered = sep.responses.list().filter((r) => r.response.subject === refusedControl.mRID);
      expect(answered.map((r) => r.response.status)).toEqual([1, 252]);
      // The refused curve is not run: the device keeps its own (unity power factor) reactive mode.
      expect(inverter.directive.settings.reactive.kind).toBe('constant-power-factor');
    } finally {
      client.close();
    }
  });

  it('keeps telemetry the server could not store and sends it, oldest first, once it can', async () => {
    const client = sep.client({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const errors: string[] = [];
    const device = new SepInverterClient({
      client,
      clock,
      pin: DEVICE_PIN,
      inverter: new SimulatedSepInverter(PV),
      site: () => SUNNY,
      onError: (e) => errors.push(e.code),
    });
    const start = clock.nowMs();
    const before = sep.telemetry.list().length;
    try {
      await device.pollOnce(); // creates the usage point; no interval yet
      sep.telemetry.failing = true;
      for (let i = 1; i <= 2; i++) {
        clock.set(start + i * 60_000);
        await device.pollOnce();
      }
      expect(device.stats.readingsPosted).toBe(0);
      expect(errors).toEqual(['TE_ERR_SEP_CLIENT_STATUS', 'TE_ERR_SEP_CLIENT_STATUS']);
      sep.telemetry.failing = false;
      clock.set(start + 3 * 60_000);
      await device.pollOnce();
      expect(device.stats.readingsPosted).toBe(3);
      const starts = sep.telemetry
        .list()
        .slice(before)
        .map((r) => r.reading.startS);
      // Import and export of each interval (zero import included), in order.
      expect([...new Set(starts)]).toEqual([0, 1, 2].map((i) => Math.floor(start / 1000) + i * 60));
    } finally {
      client.close();
    }
  });

  it("resolves at server time: a server clock an hour ahead of the device's", async () => {
    const ahead = await startLoopbackSep(pki, () => clock.nowMs() + 3_600_000);
    const client = ahead.client();
    const inverter = new SimulatedSepInverter(PV);
    try {
      clock.set(T0_MS + 10 * 60_000);
      const serverNowS = Math.floor(clock.nowMs() / 1000) + 3600;
      // Active in the server's hour, not yet in the device's.
      const later = controlAt(serverNowS - 60, 600, { opModMaxLimW: 2000 });
      ahead.programs.current = [siteProgram([later])];
      const device = new SepInverterClient({ client, clock, pin: DEVICE_PIN, inverter, site: () => SUNNY });
      const outcome = await device.pollOnce();
      expect(Math.abs(outcome.tree.clockOffsetMs - 3_600_000)).toBeLessThan(1000);
      expect(outcome.serverNowS).toBeGreaterThanOrEqual(serverNowS - 1);
      expect(outcome.resolution.following.map((c) => c.mRID)).toEqual([later.mRID]);
      expect(inverter.output.pKw).toBeCloseTo(-1); // 20 % of 5 kW
    } finally {
      client.close();
      await ahead.server.close();
    }
  });

  it('walks the whole tree every fullWalkEvery polls and only the programs between', async () => {
    sep.programs.current = [siteProgram([controlAt(T0 - 30, 3600, { opModMaxLimW: 5000 })])];
    const client = sep.client();
    const device = new SepInverterClient({
      client,
      clock,
      pin: DEVICE_PIN,
      inverter: new SimulatedSepInverter(PV),
      site: () => SUNNY,
      telemetry: false,
      fullWalkEvery: 3,
    });
    const getsPerPoll: number[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const before = client.requests - client.sent.length;
        await device.pollOnce();
        getsPerPoll.push(client.requests - client.sent.length - before);
      }
      // dcap, tm, edev, rg and fsa are read on the first and fourth polls only (the DER list once).
      expect(getsPerPoll[1]).toBe((getsPerPoll[0] ?? 0) - 6);
      expect(getsPerPoll[2]).toBe(getsPerPoll[1]);
      expect(getsPerPoll[3]).toBe((getsPerPoll[0] ?? 0) - 1);
    } finally {
      client.close();
    }
  });

  it('run() stops on a registration PIN mismatch without throwing', async () => {
    const client = sep.client();
    const errors: string[] = [];
    const device = new SepInverterClient({
      client,
      clock,
      pin: 999990,
      inverter: new SimulatedSepInverter(PV),
      site: () => SUNNY,
      onError: (e) => errors.push(e.code),
    });
    try {
      await device.run(new AbortController().signal);
      expect(device.stats.stoppedBy).toBe('TE_ERR_SEP_CLIENT_REGISTRATION');
      expect(errors).toEqual(['TE_ERR_SEP_CLIENT_REGISTRATION']);
    } finally {
      client.close();
    }
  });

  it('run() keeps polling through a server that is down, counting failures', async () => {
    const downClient = new SepClient({
      dcapUrl: 'https://127.0.0.1:9/sep2/dcap',
      tls: { cert: pki.device.cert, key: pki.device.key, ca: pki.ca.cert },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const stop = new AbortController();
    const errors: string[] = [];
    const device = new SepInverterClient({
      client: downClient,
      clock,
      pin: DEVICE_PIN,
      inverter: new SimulatedSepInverter(PV),
      site: () => SUNNY,
      pollIntervalMs: 60_000,
      onError: (e) => {
        errors.push(e.code);
        // Let the scenario clock move on to the next poll, three times, then stop.
        if (errors.length >= 3) stop.abort();
        else setTimeout(() => clock.advance(60_000), 5);
      },
    });
    try {
      await device.run(stop.signal);
      expect(errors).toEqual(Array(3).fill('TE_ERR_SEP_CLIENT_UNREACHABLE'));
      expect(device.stats.failedPolls).toBe(3);
    } finally {
      downClient.close();
    }
  });
});
