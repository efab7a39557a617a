/**
 * A 2030.5 DER client on a clock: every poll it walks the server's tree, resolves the control in force at
 * server time, applies it to its simulated inverter, posts the DERControlResponses it owes, PUTs its DER
 * status, and posts the interval's site energy to its MirrorUsagePoint. run() never throws: a failed poll
 * is counted and reported and the next one comes on time; only a registration mismatch stops it (the
 * device is not talking to the server it was installed for).
 */
import { isTeError, TeError } from '../../core/errors.js';
import type { Clock } from '../../live/clock.js';
import { encodeDERControlResponse } from '../der-curve.js';
import { resolveDerControls, type ControlResolution } from './control-resolution.js';
import { ControlResponses } from './control-responses.js';
import { DerReports } from './der-reports.js';
import { refreshSepPrograms, walkSepTree, type SepTree, type WalkOptions } from './discovery.js';
import { inverterDirective } from './inverter-mapping.js';
import { SepStatusError, type SepClient } from './sep-client.js';
import type { SimulatedSepInverter, SiteMeasurement } from './simulated-inverter.js';
import { SepTelemetry, type IntervalEnergy } from './telemetry.js';

export interface SepInverterClientOptions {
  readonly client: SepClient;
  /** Scenario time: the demo's accelerated clock, a test's manual clock, or the wall clock. */
  readonly clock: Clock;
  /** The registration PIN the device was installed with. */
  readonly pin: number;
  readonly inverter: SimulatedSepInverter;
  /** The site around the inverter at a time on `clock`. */
  readonly site: (nowMs: number) => SiteMeasurement;
  /** Scenario ms between polls (default 60 s). */
  readonly pollIntervalMs?: number;
  readonly walk?: Pick<WalkOptions, 'pageSize' | 'maxListItems'>;
  /**
   * Every how many polls the whole tree is walked again (DeviceCapability, Time, the EndDevice and its
   * Registration PIN, the function set assignments); the polls between read only the programs. Default
   * 10; 1 walks the whole tree every poll. After a failed poll the next one always walks it all.
   */
  readonly fullWalkEvery?: number;
  /**
   * Whether to mirror the site meter to the server (default true). Off where the site's meter readings
   * reach the platform another way (the demo's homes post them over REST), so they are not counted twice.
   */
  readonly telemetry?: boolean;
  /** Told of each failed poll or post (the loop goes on). */
  readonly onError?: (error: TeError) => void;
}

export interface SepInverterClientStats {
  polls: number;
  failedPolls: number;
  responsesSent: number;
  responseFailures: number;
  readingsPosted: number;
  /** Intervals dropped unsent because the server was away longer than the backlog holds. */
  readingsDropped: number;
  derPuts: number;
  /** Polls in which at least one DERControl (not only a default) was followed. */
  pollsFollowingControls: number;
  /** The code that stopped the loop, when one did. */
  stoppedBy?: string;
}

export interface PollOutcome {
  readonly tree: SepTree;
  readonly serverNowS: number;
  readonly resolution: ControlResolution;
}

/** Telemetry intervals kept while the server is away (a day of one-minute polls). */
export const MAX_UNSENT_INTERVALS = 1440;

const asTeError = (error: unknown): TeError =>
  isTeError(error) ? error : new TeError('TE_ERR_INTERNAL', 'the 2030.5 client failed', { cause: error });

export class SepInverterClient {
  readonly stats: SepInverterClientStats = {
    polls: 0,
    failedPolls: 0,
    responsesSent: 0,
    responseFailures: 0,
    readingsPosted: 0,
    readingsDropped: 0,
    derPuts: 0,
    pollsFollowingControls: 0,
  };
  readonly #responses = new ControlResponses();
  readonly #telemetry: SepTelemetry;
  readonly #der: DerReports;
  readonly #pollIntervalMs: number;
  #lastStepMs: number;
  /** The last tree read, and how many polls ago its device part was walked; undefined after a failure. */
  #tree: { tree: SepTree; pollsSinceFullWalk: number } | undefined;
  /** Where the telemetry interval not yet posted began, on the client's clock. */
  #intervalStartMs: number;
  readonly #unsent: IntervalEnergy[] = [];

  constructor(private readonly options: SepInverterClientOptions) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 60_000;
    if (!(this.#pollIntervalMs > 0)) {
      throw new TeError('TE_ERR_CONFIG', `pollIntervalMs must be positive, got ${this.#pollIntervalMs}`, {
        path: 'pollIntervalMs',
      });
    }
    this.#telemetry = new SepTelemetry(options.client, Math.max(1, Math.round(this.#pollIntervalMs / 1000)));
    this.#der = new DerReports(options.client, options.inverter);
    this.#lastStepMs = options.clock.nowMs();
    this.#intervalStartMs = this.#lastStepMs;
  }

  /** One poll. Throws its coded error (run() catches it); responses and telemetry failures are counted. */
  async pollOnce(): Promise<PollOutcome> {
    const { clock, inverter } = this.options;
    this.#stepInverter();
    this.stats.polls += 1;
    const tree = await this.#readTree();
    const serverNowS = Math.floor((clock.nowMs() + tree.clockOffsetMs) / 1000);
    const resolution = resolveDerControls(
      tree.programs.map((p) => ({
        program: p.program,
        controls: p.controls,
        ...(p.defaultControl === undefined ? {} : { defaultControl: p.defaultControl }),
      })),
      serverNowS,
    );
    const directive = inverterDirective(resolution.base, tree.curves, inverter.device);
    inverter.apply(directive);
    this.#stepInverter();
    if (resolution.following.length > 0) this.stats.pollsFollowingControls += 1;

    const refused = new Map<string, number>();
    for (const r of directive.refused) {
      const source = resolution.sources[r.mode];
      if (source?.kind === 'control') refused.set(source.mRID, r.status);
    }
    await this.#respond(
      tree.programs.flatMap((p) => p.controls),
      resolution,
      refused,
      serverNowS,
    );
    await this.#report(tree, serverNowS);
    return { tree, serverNowS, resolution };
  }

  /** Polls every interval until `signal` aborts; never throws. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    while (!signal.aborted) {
      const startedMs = clock.nowMs();
      try {
        await this.pollOnce();
      } catch (error) {
        if (signal.aborted) return;
        const coded = asTeError(error);
        this.stats.failedPolls += 1;
        this.options.onError?.(coded);
        if (coded.code === 'TE_ERR_SEP_CLIENT_REGISTRATION') {
          this.stats.stoppedBy = coded.code;
          return;
        }
      }
      await clock.sleepUntil(startedMs + this.#pollIntervalMs, signal);
    }
  }

  /** The whole tree every `fullWalkEvery` polls and after a failure, else only its programs again. */
  async #readTree(): Promise<SepTree> {
    const { client, clock } = this.options;
    const previous = this.#tree;
    this.#tree = undefined;
    const fullWalk =
      previous === undefined || previous.pollsSinceFullWalk + 1 >= (this.options.fullWalkEvery ?? 10);
    const tree = fullWalk
      ? await walkSepTree(client, { pin: this.options.pin, nowMs: () => clock.nowMs(), ...this.options.walk })
      : await refreshSepPrograms(client, previous.tree, this.options.walk ?? {});
    this.#tree = { tree, pollsSinceFullWalk: fullWalk ? 0 : (previous?.pollsSinceFullWalk ?? 0) + 1 };
    return tree;
  }

  /** Advances the inverter to the clock's time under the directive in force. */
  #stepInverter(): void {
    const nowMs = this.options.clock.nowMs();
    const dtS = Math.max(0, (nowMs - this.#lastStepMs) / 1000);
    this.options.inverter.step(dtS, this.options.site(nowMs));
    this.#lastStepMs = nowMs;
  }

  async #respond(
    seen: Parameters<ControlResponses['owed']>[0],
    resolution: ControlResolution,
    refused: ReadonlyMap<string, number>,
    serverNowS: number,
  ): Promise<void> {
    const { client } = this.options;
    for (const owed of this.#responses.owed(seen, resolution, refused, serverNowS)) {
      try {
        await client.post(
          owed.replyTo,
          encodeDERControlResponse({
            createdDateTime: serverNowS,
            endDeviceLFDI: client.identity.lfdi,
            status: owed.status,
            subject: owed.subject,
          }),
        );
        this.#responses.markSent(owed);
        this.stats.responsesSent += 1;
      } catch (error) {
        // Owed again after the next poll.
        this.stats.responseFailures += 1;
        this.options.onError?.(asTeError(error));
      }
    }
  }

  async #report(tree: SepTree, serverNowS: number): Promise<void> {
    try {
      const before = this.#der.puts;
      await this.#der.report(tree.endDevice, serverNowS);
      this.stats.derPuts += this.#der.puts - before;
    } catch (error) {
      this.options.onError?.(asTeError(error));
    }
    const mupList = tree.deviceCapability.MirrorUsagePointListLink;
    if (mupList === undefined || this.options.telemetry === false) return;
    // Readings carry server time, like everything the server sees.
    const startS = Math.floor((this.#intervalStartMs + tree.clockOffsetMs) / 1000);
    const endS = Math.floor((this.#lastStepMs + tree.clockOffsetMs) / 1000);
    if (endS > startS) {
      this.#unsent.push({ startS, durationS: endS - startS, ...this.options.inverter.takeEnergy() });
      this.#intervalStartMs = this.#lastStepMs;
      // A server away for long: the oldest intervals go first, so memory stays bounded.
      if (this.#unsent.length > MAX_UNSENT_INTERVALS) {
        this.stats.readingsDropped += this.#unsent.length - MAX_UNSENT_INTERVALS;
        this.#unsent.splice(0, this.#unsent.length - MAX_UNSENT_INTERVALS);
      }
    }
    try {
      await this.#telemetry.ensureUsagePoint(mupList.href);
      // Oldest first; a failure leaves the rest for the next poll (a resent interval is a duplicate the
      // server recognises, so sending again after a lost answer is safe).
      while (this.#unsent[0] !== undefined) {
        try {
          await this.#telemetry.postInterval(this.#unsent[0]);
          this.stats.readingsPosted += 1;
        } catch (error) {
          // A refusal (4xx) would be refused again: that interval is dropped, the rest go on.
          if (!(error instanceof SepStatusError && error.status < 500)) throw error;
          this.stats.readingsDropped += 1;
          this.options.onError?.(error);
        }
        this.#unsent.shift();
      }
    } catch (error) {
      this.options.onError?.(asTeError(error));
    }
  }
}
