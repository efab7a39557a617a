/**
 * tenet's own 2030.5 DER client (a simulated PV inverter) against the live platform: registered through
 * the API, it follows the configured default, then the DSO's export limit for a slot once the slot starts,
 * answers the controls, and its mirrored site meter settles on its participant's meter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  inverterRatingFor,
  type InverterSettings,
} from '../der/inverter/index.js';
import { SepClient } from '../ieee2030-5/client/sep-client.js';
import { SepInverterClient } from '../ieee2030-5/client/sep-inverter-client.js';
import { SimulatedSepInverter, type SiteMeasurement } from '../ieee2030-5/client/simulated-inverter.js';
import { decodeDERControlList } from '../ieee2030-5/der-control.js';
import { sepCall } from '../ieee2030-5/server/sep-call.fixture.js';
import { readMeterReadings } from '../store/meter-reading-repository.js';
import { ManualClock } from './clock.js';
import {
  deviceCertificate,
  eventually,
  NEXT_SLOT,
  operatorApi,
  PIN,
  sepPlatforms,
  T0,
} from './platform-sep.fixture.js';

const platforms = sepPlatforms();
afterEach(() => platforms.dispose());

const PV: InverterSettings = {
  ...DEFAULT_INVERTER_FUNCTIONS,
  rating: inverterRatingFor(DEFAULT_INVERTER_FUNCTIONS, 5, 5, 0),
};
/** Full sun: the PV could give 4.5 kW; the house draws 1 kW, so 3.5 kW would be exported. */
const SUNNY: SiteMeasurement = { vPu: 1, desiredKw: -4.5, availableGenerationKw: 4.5, siteLoadKw: 1 };

describe('the tenet 2030.5 client on the live platform', () => {
  it('follows the default, then the DSO export limit of the slot, and its telemetry settles', async () => {
    const clock = new ManualClock(T0 + 60_000);
    const { platform, dataDir } = await platforms.start(
      'ieee2030_5:\n  defaultControl:\n    exportLimitKw: 5\n',
      { clock },
    );
    const sep = platform.sep;
    if (sep === undefined) throw new Error('the 2030.5 server did not start');
    const api = await operatorApi(platform, dataDir);
    await api('POST', '/api/participants', { id: 'home', role: 'prosumer', name: 'home' });
    const { pem, lfdi } = await deviceCertificate(dataDir, 'pv-inverter');
    await api('POST', '/api/sep/devices', { id: 'pv-1', lfdi, pin: PIN, participantId: 'home' });

    const client = new SepClient({
      dcapUrl: `${sep.url}/dcap`,
      tls: { cert: pem.cert, key: pem.key, ca: sep.caCertPem },
      random: new SeededRandom(7),
    });
    const inverter = new SimulatedSepInverter(PV);
    const device = new SepInverterClient({
      client,
      clock,
      pin: PIN,
      inverter,
      site: () => SUNNY,
      fullWalkEvery: 1,
    });
    try {
      await device.pollOnce();
      // The default's 5 kW export cap does not bind: the house's 1 kW, 3.5 kW exported.
      expect(inverter.output.pKw).toBeCloseTo(-4.5);
      expect(inverter.output.siteKw).toBeCloseTo(-3.5);

      await api('PUT', `/api/markets/community/slots/${NEXT_SLOT}/envelopes`, {
        envelopes: [{ participantId: 'home', exportLimitKw: 1.5 }],
      });
      await eventually(
        async () =>
          decodeDERControlList((await sepCall(sep.port, sep.caCertPem, pem, 'GET', '/sep2/derp/dso/dc')).body)
            .all,
        (all) => all === 1,
        'the envelope control',
      );
      clock.set(NEXT_SLOT + 60_000);
      const limited = await eventually(
        () => device.pollOnce(),
        (outcome) => outcome.resolution.sources.opModMaxLimWInject !== undefined,
        'the client to follow the envelope',
      );
      expect(limited.resolution.base.opModMaxLimWInject).toEqual({ multiplier: 0, value: 1500 });
      expect(inverter.output.siteKw).toBeCloseTo(-1.5);
      expect(inverter.output.pKw).toBeCloseTo(-2.5);

      clock.set(NEXT_SLOT + 120_000);
      await device.pollOnce();
      expect(device.stats.failedPolls).toBe(0);
      expect(device.stats.responsesSent).toBeGreaterThan(0);
      expect(device.stats.responseFailures).toBe(0);
      expect(device.stats.readingsPosted).toBeGreaterThan(0);
      const readings = await readMeterReadings(platform.store.db, 'home', T0, NEXT_SLOT + 300_000);
      // 3.5 kW exported from 12:01 to 12:06, cut at the 12:05 slot boundary; 1.5 kW from 12:06 to 12:07.
      expect(readings.map((r) => [(r.timeMs - T0) / 60_000, r.energyWh])).toEqual([
        [1, -234],
        [5, -58],
        [6, -25],
      ]);
    } finally {
      client.close();
    }
  }, 60_000);
});
