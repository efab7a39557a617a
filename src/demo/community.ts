/**
 * The demo community: the scenario's homes as live participants of the platform, over its HTTP API, on a
 * clock (accelerated for `tenet demo`; the clock's time is scenario time). Each slot, every home bids
 * from its frozen state what the simulator's agents bid (one buy and one sell order, its device bids as
 * steps), the market clears, each home reads its fills, its devices are dispatched as the engine
 * dispatches them, the physics steps through the slot and the home's meter reading is posted as the slot
 * ends. Some homes are also OpenADR VENs (openadr-homes.ts): they learn of each clearing from the VTN's
 * price event and report their readings as OpenADR USAGE reports; some homes with PV or a battery run an
 * IEEE 2030.5 inverter client (sep-homes.ts) that follows the platform's DERControls, whose limits act on
 * the home's PV and battery (sep-site-limits.ts). A failed request is
 * retried; a home that misses the gate sits the slot out (its load settles as imbalance); nothing that goes
 * wrong in a slot stops the community.
 */
import { SeededRandom } from '../core/random.js';
import type { Clock } from '../live/clock.js';
import type { WeatherSource } from '../engine/ports.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';
import { PlatformApiClient } from './api-client.js';
import { ApiTransport, type ClientCredentials } from '../http-client/api-transport.js';
import { buildCommunityHomes } from './community-homes.js';
import { CommunitySlots, type CommunityStats, type DeviceTelemetryMode } from './community-slots.js';
import { followMarketEvents } from './event-stream.js';
import { HomeComfort } from './home-comfort.js';
import { registerHomes } from './home-registration.js';
import { createDemoLogins, demoAggregatorOf, registerDemoAggregator } from './demo-logins.js';
import type { DemoLogin } from '../server/routes/demo.js';
import { scenarioMarketRules } from './scenario-market-rules.js';
import { SlotClearings } from './slot-clearings.js';
import { defaultOpenAdrHomeCounts, OpenAdrHomes, type OpenAdrHomeCounts } from './openadr-homes.js';
import { SepHomes, type SepHomesOptions, type SepHomesStats } from './sep-homes.js';
import { SepSiteLimits } from './sep-site-limits.js';

export type { CommunityStats } from './community-slots.js';
export type { ClientCredentials } from '../http-client/api-transport.js';

/** A scenario as `loadScenarioInputs` gives it (cli/scenario-inputs.ts): the scenario and its weather. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly weather: { readonly source: WeatherSource };
}

export interface CommunityOptions {
  /** The platform API, e.g. http://127.0.0.1:8825. */
  readonly baseUrl: string;
  /** A client with the market-operator role: registers the homes and sets the market's rules. */
  readonly operatorCredentials: ClientCredentials;
  readonly scenario: LoadedScenario;
  readonly clock: Clock;
  /** The first this many homes of the scenario's community (default: all). */
  readonly homes?: number;
  readonly marketId: string;
  readonly log: (line: string) => void;
  /** Aborting it stops the community as `stop()` does. */
  readonly signal?: AbortSignal;
  /** Requests in flight at once (default 32). */
  readonly maxInFlight?: number;
  /** One request attempt's time limit, real ms (default 15 s). */
  readonly requestTimeoutMs?: number;
  /** Real ms between result polls while waiting for a clearing the event stream has not told (default 250). */
  readonly resultPollIntervalMs?: number;
  /**
   * How many homes are also OpenADR VENs, polling events over HTTP or listening on MQTT (default: a
   * tenth of the homes each; `{http: 0, mqtt: 0}` for none). docs/demo.md, "VEN homes".
   */
  readonly openAdrHomes?: OpenAdrHomeCounts;
  /** Real ms between an HTTP VEN home's event polls (default 250). */
  readonly openAdrPollIntervalMs?: number;
  /**
   * The platform's IEEE 2030.5 server, when it runs: some homes with PV or a battery then run a 2030.5
   * inverter client against it (sep-homes.ts; docs/demo.md, "2030.5 homes").
   */
  readonly sep?: Pick<SepHomesOptions, 'sepUrl' | 'serverCaPem' | 'deviceCa' | 'count' | 'pollIntervalMs'>;
  /** How the homes post their devices' telemetry (default 'batched': one request per slot). */
  readonly deviceTelemetry?: DeviceTelemetryMode;
  /**
   * Make one login per stakeholder role (demo-logins.ts), with an aggregator representing a tenth of the
   * homes (default false).
   */
  readonly logins?: boolean;
}

export interface RunningCommunity {
  /** Homes registered and trading. */
  readonly homes: number;
  /** One client per stakeholder role once made, when asked for (`logins`); empty otherwise. Never rejects. */
  readonly logins: Promise<readonly DemoLogin[]>;
  /** Stops after the slot in progress; readings of slots already ended are still delivered. */
  stop(): Promise<void>;
  stats(): CommunityStats & Partial<SepHomesStats>;
}

/**
 * Registers the homes and sets the market's rules from the scenario (rejecting if that fails: bad
 * operator credentials, no API), then trades slot by slot in the background until stopped.
 */
export async function startCommunity(options: CommunityOptions): Promise<RunningCommunity> {
  const { scenario } = options.scenario;
  const { log, clock, marketId } = options;
  const stopper = new AbortController();
  const stop =
    options.signal === undefined ? stopper.signal : AbortSignal.any([stopper.signal, options.signal]);
  // Jitter only; its own stream of the scenario's seed, so the homes' draws are untouched.
  const random = new SeededRandom(scenario.seed).fork(0xde30);
  const transport = new ApiTransport({
    baseUrl: options.baseUrl,
    random,
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  const api = new PlatformApiClient(transport);
  const operator = options.operatorCredentials;

  const homes = buildCommunityHomes(scenario, options.homes === undefined ? {} : { homes: options.homes });
  const market = scenarioMarketRules(scenario);
  for (const note of market.notes) log(`demo community: ${note}`);
  await api.putMarketRules(operator, marketId, market.rules);

  const startedMs = Date.now();
  const runTag = clock.nowMs().toString(36);
  if (options.logins === true) await registerDemoAggregator(transport, operator);
  const registration = await registerHomes(
    api,
    operator,
    homes.premises,
    runTag,
    log,
    options.logins === true ? demoAggregatorOf : undefined,
  );
  if (registration.homes.length === 0) {
    throw new Error(`none of the ${homes.premises.length} homes could be registered (see the log)`);
  }
  log(
    `demo community: ${registration.homes.length} homes registered in ${Date.now() - startedMs} ms` +
      (registration.existing > 0 ? ` (${registration.existing} known from an earlier run)` : '') +
      (registration.failed > 0 ? `, ${registration.failed} failed and stay out` : ''),
  );

  // Beside the trading, as the 2030.5 homes are: making clients takes real time the first gates need.
  const logins: Promise<readonly DemoLogin[]> =
    options.logins === true
      ? createDemoLogins({
          transport,
          operator,
          premises: homes.premises,
          registered: registration.homes,
          aggregatedHomes: registration.homes.filter((home) => demoAggregatorOf(home.homeIndex) !== undefined)
            .length,
          runTag,
          log,
        })
      : Promise.resolve([]);

  const counts = options.openAdrHomes ?? defaultOpenAdrHomeCounts(registration.homes.length);
  const openAdr =
    counts.http + counts.mqtt === 0
      ? undefined
      : await OpenAdrHomes.start({
          baseUrl: options.baseUrl,
          transport,
          marketId,
          registered: registration.homes,
          counts,
          runTag,
          pollIntervalMs: options.openAdrPollIntervalMs ?? 250,
          log,
          stop,
        });

  // Started beside the trading, not before it: issuing certificates and registering devices takes real
  // time, which on a fast clock would make the homes miss the first gates.
  let sepHomes: SepHomes | undefined;
  const sepLimits = options.sep === undefined || options.sep.count === 0 ? undefined : new SepSiteLimits();
  const sepStarting =
    options.sep === undefined || options.sep.count === 0
      ? undefined
      : SepHomes.start({
          ...options.sep,
          // Once a market period unless told otherwise: the platform's controls change per slot, and on
          // a fast clock polling every clock minute would load the process the homes trade in.
          pollIntervalMs: options.sep.pollIntervalMs ?? scenario.marketPeriodMs,
          transport,
          operator,
          premises: homes.premises,
          registered: registration.homes,
          runTag,
          clock,
          weather: options.scenario.weather.source,
          seed: scenario.seed,
          log,
          stop,
          ...(sepLimits === undefined ? {} : { siteLimits: sepLimits }),
        })
          .then((started) => {
            sepHomes = started;
          })
          .catch((error: unknown) => log(`demo community: no IEEE 2030.5 homes (${String(error)})`));

  const clearings = new SlotClearings({
    api,
    as: operator,
    marketId,
    clock,
    pollIntervalMs: options.resultPollIntervalMs ?? 250,
  });
  // Sliders set before this run first; changes heard on the stream replace them.
  const comfort = new HomeComfort();
  void comfort.load(api, operator, registration.homes, stop);
  const events = followMarketEvents({
    transport,
    as: operator,
    onEvent: (event) => {
      clearings.onEvent(event);
      comfort.onEvent(event);
    },
    onStatus: (problem) => {
      if (problem !== null && !stop.aborted) log(`demo community: event stream down (${problem}); polling`);
    },
    random,
    signal: stop,
  });
  const slots = new CommunitySlots({
    api,
    transport,
    operator,
    clock,
    marketId,
    scenario,
    weather: options.scenario.weather.source,
    homes,
    registered: registration.homes,
    market,
    clearings,
    log,
    stop,
    ...(openAdr === undefined ? {} : { openAdr }),
    ...(sepLimits === undefined ? {} : { sepLimits }),
    comfort,
    ...(options.deviceTelemetry === undefined ? {} : { deviceTelemetry: options.deviceTelemetry }),
  });
  const running = slots.run();
  let stopping: Promise<void> | undefined;
  return {
    homes: registration.homes.length,
    logins,
    stats: () => ({ ...slots.stats(), ...sepHomes?.stats() }),
    stop: () => {
      stopping ??= (async () => {
        stopper.abort();
        await running;
        await slots.drainReadings();
        await openAdr?.close();
        await sepStarting;
        await logins;
        await sepHomes?.close();
        await events.done;
      })();
      return stopping;
    },
  };
}
