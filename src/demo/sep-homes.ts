/**
 * The demo's IEEE 2030.5 homes: some of the homes with PV or a battery also have a 2030.5 smart inverter
 * client. Each gets a device certificate from the platform's development CA, is registered through the
 * REST API (`POST /api/sep/devices`, as the market operator), and then polls the platform's 2030.5 server,
 * following the DERControls the platform derives from market results and operating envelopes on a
 * simulated inverter with the home device's rating, and answering them with DERControlResponses. The
 * limits it follows also act on the home's own PV and battery in the community's physics
 * (sep-site-limits.ts); otherwise the devices run the market's dispatch and the home's meter readings
 * still go over REST, so the 2030.5 client does not mirror the meter (it would count the home twice). A
 * home whose registration fails stays a plain home and says so.
 */
import { createHash } from 'node:crypto';
import { SeededRandom } from '../core/random.js';
import { pvAcOutputKw, pvInverterRating, type PvAgent } from '../der/pv.js';
import { batteryInverterRating, type BatteryAgent } from '../der/battery.js';
import { DEFAULT_INVERTER_FUNCTIONS, type InverterSettings } from '../der/inverter/index.js';
import type { Premises, WeatherSource } from '../engine/ports.js';
import type { ApiTransport, ClientCredentials } from '../http-client/api-transport.js';
import { sfdiCheckDigit, identityFromCertificate } from '../ieee2030-5/identity.js';
import { issueDeviceCertificate, type CertificateAuthority } from '../ieee2030-5/pki/index.js';
import { SepClient } from '../ieee2030-5/client/sep-client.js';
import { SepInverterClient } from '../ieee2030-5/client/sep-inverter-client.js';
import { SimulatedSepInverter, type SiteMeasurement } from '../ieee2030-5/client/simulated-inverter.js';
import type { Clock } from '../live/clock.js';
import { describeFailure, type RegisteredHome } from './home-registration.js';
import type { SepSiteLimits } from './sep-site-limits.js';

/** By default a tenth of the homes that have PV or a battery (at least one when any has). */
export function defaultSepHomeCount(homesWithDer: number): number {
  return homesWithDer === 0 ? 0 : Math.max(1, Math.round(homesWithDer * 0.1));
}

export interface SepHomesStats {
  readonly sepHomes: number;
  readonly sepPolls: number;
  readonly sepFailedPolls: number;
  /** Polls in which a home followed at least one DERControl (not only a default). */
  readonly sepPollsFollowingControls: number;
  readonly sepResponsesSent: number;
  /** Energy the homes' 2030.5 limits held back from their PV and batteries, kWh (sep-site-limits.ts). */
  readonly sepCurtailedKwh: number;
}

export interface SepHomesOptions {
  /** The platform's 2030.5 server, e.g. https://127.0.0.1:8826/sep2 (DeviceCapability is at /dcap). */
  readonly sepUrl: string;
  /** The CA that issued the server's certificate (the development CA). */
  readonly serverCaPem: string;
  /** Issues the homes' device certificates (the development CA with its key). */
  readonly deviceCa: CertificateAuthority;
  readonly transport: ApiTransport;
  readonly operator: ClientCredentials;
  readonly premises: readonly Premises[];
  readonly registered: readonly RegisteredHome[];
  /** How many homes with PV or a battery get a 2030.5 client (default: defaultSepHomeCount). */
  readonly count?: number;
  readonly runTag: string;
  readonly clock: Clock;
  readonly weather: WeatherSource;
  /** Scenario ms between polls (default 60 s). */
  readonly pollIntervalMs?: number;
  readonly seed: number;
  readonly log: (line: string) => void;
  readonly stop: AbortSignal;
  /** Where each home's directive is handed to the community's physics (none: the clients only shadow). */
  readonly siteLimits?: SepSiteLimits;
}

type InverterDevice = PvAgent | BatteryAgent;

const inverterDeviceOf = (premises: Premises): InverterDevice | undefined =>
  premises.devices.find((d): d is InverterDevice => d.kind === 'battery' || d.kind === 'pv');

/** The device's own rating and 1547 functions (unity power factor when it has none configured). */
function settingsFor(device: InverterDevice): InverterSettings {
  const functions = device.params.inverter ?? DEFAULT_INVERTER_FUNCTIONS;
  const rating =
    device.kind === 'pv'
      ? pvInverterRating(device.params, functions)
      : batteryInverterRating(device.params, functions);
  return { ...functions, rating };
}

/** The home as its 2030.5 inverter sees it: the device's own wish, what it can give, the rest of the house. */
function siteOf(
  premises: Premises,
  device: InverterDevice,
  weather: WeatherSource,
  nowMs: number,
): SiteMeasurement {
  let siteLoadKw = 0;
  for (const d of premises.devices) if (d !== device) siteLoadKw += d.observe().powerKw;
  if (device.kind === 'pv') {
    const availableKw = pvAcOutputKw(device.params, weather.snapshotAt(nowMs));
    return { vPu: 1, desiredKw: -availableKw, availableGenerationKw: availableKw, siteLoadKw };
  }
  const seen = device.observe();
  const usableKwh = (seen.stateOfChargeKwh ?? 0) - device.params.minSocFraction * device.params.capacityKwh;
  return {
    vPu: 1,
    desiredKw: seen.powerKw,
    availableGenerationKw: usableKwh > 0 ? device.params.maxDischargeKw : 0,
    siteLoadKw,
  };
}

/** A six-digit registration PIN whose last digit is the check digit, from the home's id. */
function pinFor(participantId: string): number {
  const digits = String(
    10_000 + (createHash('sha256').update(participantId).digest().readUInt32BE(0) % 90_000),
  );
  return Number(`${digits}${sfdiCheckDigit(digits)}`);
}

export class SepHomes {
  readonly #clients: { inverter: SepInverterClient; client: SepClient }[] = [];
  readonly #running: Promise<void>[] = [];

  private constructor(private readonly options: SepHomesOptions) {}

  static async start(options: SepHomesOptions): Promise<SepHomes> {
    const homes = new SepHomes(options);
    await homes.#startHomes();
    return homes;
  }

  get size(): number {
    return this.#clients.length;
  }

  stats(): SepHomesStats {
    const sum = (pick: (s: SepInverterClient['stats']) => number) =>
      this.#clients.reduce((total, c) => total + pick(c.inverter.stats), 0);
    return {
      sepHomes: this.#clients.length,
      sepPolls: sum((s) => s.polls),
      sepFailedPolls: sum((s) => s.failedPolls),
      sepPollsFollowingControls: sum((s) => s.pollsFollowingControls),
      sepResponsesSent: sum((s) => s.responsesSent),
      // Watt-hours are enough for a stats line, and keep it short.
      sepCurtailedKwh: Math.round((this.options.siteLimits?.curtailedKwh ?? 0) * 1000) / 1000,
    };
  }

  /** Waits for the polling loops (after `stop` has been aborted) and closes the connections. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#running);
    for (const { client } of this.#clients) client.close();
  }

  async #startHomes(): Promise<void> {
    const { options } = this;
    const candidates = options.registered.flatMap((home) => {
      const premises = options.premises[home.homeIndex];
      const device = premises === undefined ? undefined : inverterDeviceOf(premises);
      return premises === undefined || device === undefined ? [] : [{ home, premises, device }];
    });
    const chosen = candidates.slice(0, options.count ?? defaultSepHomeCount(candidates.length));
    const random = new SeededRandom(options.seed).fork(0x2030);
    let failed = 0;
    let reason = '';
    await Promise.all(
      chosen.map(async ({ home, premises, device }, index) => {
        try {
          this.#startHome(home, premises, device, await this.#register(home, index), random.fork(index));
        } catch (caught) {
          failed += 1;
          reason = describeFailure(caught);
        }
      }),
    );
    options.log(
      `demo community: ${this.#clients.length} homes run an IEEE 2030.5 inverter client against ${options.sepUrl}` +
        (failed > 0 ? `; ${failed} could not register a 2030.5 device (${reason})` : ''),
    );
  }

  /** A device certificate from the development CA and the device registered for the home's participant. */
  async #register(home: RegisteredHome, index: number): Promise<{ cert: string; key: string; pin: number }> {
    const { options } = this;
    const issued = issueDeviceCertificate(options.deviceCa, {
      commonName: `tenet demo ${home.participantId}`.slice(0, 64),
      validDays: 7,
    });
    const pin = pinFor(home.participantId);
    await options.transport.request({
      method: 'POST',
      path: '/api/sep/devices',
      json: {
        id: `demo-${options.runTag}-${index}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64),
        lfdi: identityFromCertificate(issued.certPem).lfdi,
        pin,
        participantId: home.participantId,
      },
      as: options.operator,
      what: `register the 2030.5 device of ${home.participantId}`,
      signal: options.stop,
    });
    return { cert: issued.certPem, key: issued.keyPem, pin };
  }

  #startHome(
    home: RegisteredHome,
    premises: Premises,
    device: InverterDevice,
    registration: { cert: string; key: string; pin: number },
    random: SeededRandom,
  ): void {
    const { options } = this;
    // Each home's requests and sleeps listen on a signal of its own: on the shared one, ten homes'
    // listeners at once trip Node's possible-leak warning although every listener is removed.
    const stop = AbortSignal.any([options.stop]);
    const client = new SepClient({
      dcapUrl: `${options.sepUrl.replace(/\/+$/, '')}/dcap`,
      tls: { cert: registration.cert, key: registration.key, ca: options.serverCaPem },
      signal: stop,
      random,
    });
    const simulated = new SimulatedSepInverter(settingsFor(device));
    const inverter = new SepInverterClient({
      client,
      clock: options.clock,
      pin: registration.pin,
      inverter: simulated,
      site: (nowMs) => siteOf(premises, device, options.weather, nowMs),
      pollIntervalMs: options.pollIntervalMs ?? 60_000,
      telemetry: false,
      onError: (error) => this.#onError(home, error.toLine()),
    });
    this.#clients.push({ inverter, client });
    options.siteLimits?.follow(premises, () => simulated.directive);
    this.#running.push(inverter.run(stop));
  }

  #lastErrorLogMs = 0;

  /** Poll errors, at most one line a second (they come in bursts when the server goes away). */
  #onError(home: RegisteredHome, line: string): void {
    if (this.options.stop.aborted) return;
    const now = Date.now();
    if (now - this.#lastErrorLogMs < 1000) return;
    this.#lastErrorLogMs = now;
    this.options.log(`demo community: ${home.participantId} (IEEE 2030.5): ${line}`);
  }
}
