/**
 * The 2030.5 server's program source in the platform: serves a ProgramSnapshot and builds a new one when
 * something it is made of changes: a slot clears (the market event bus), an operating envelope is written
 * (the OpenADR change feed: the envelope route writes events, so nothing there knows of 2030.5), a control
 * starts or ends (a sleep on the platform clock until the next boundary), and every few seconds, because
 * another instance's clearings and envelopes reach this one only through the store. Rebuilds run one at a
 * time; requests during one coalesce into one more; the periodic one runs only when a cheap summary of
 * the inputs changed. Listeners hear the ids of programs that changed.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../live/clock.js';
import type { MarketEventBus } from '../../live/market-events.js';
import { parseMarketEventName } from '../../openadr3/market/market-mapping.js';
import type { OpenAdrChangeFeed } from '../../openadr3/object-changes.js';
import type { StoreSchema } from '../../store/schema.js';
import type { SepDevice, SepProgram, SepProgramSource } from '../server/registry.js';
import { readDispatches, readEnvelopes, readInputsVersion } from './program-inputs.js';
import {
  changedPrograms,
  ProgramSnapshot,
  type DefaultLimits,
  type SiteLimitElements,
} from './program-snapshot.js';

export const DEFAULT_PROGRAM_REFRESH_MS = 5_000;

export interface PlatformProgramSourceOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly defaultControl?: DefaultLimits | undefined;
  /** Which elements carry the envelopes' limits (default 'ieee2030.5'). */
  readonly siteLimits?: SiteLimitElements | undefined;
  /** Real milliseconds between rebuilds that nothing asked for (default 5 s). */
  readonly refreshMs?: number;
  readonly onError?: (error: unknown) => void;
}

type ChangeListener = (programIds: readonly string[]) => void;

export class PlatformSepProgramSource implements SepProgramSource {
  readonly #options: PlatformProgramSourceOptions;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<ChangeListener>();
  readonly #stop = new AbortController();
  readonly #unsubscribes: (() => void)[] = [];
  #snapshot: ProgramSnapshot;
  #running: Promise<void> | undefined;
  /** What the current snapshot was built from (readInputsVersion). */
  #version: string | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #boundaryWatch: AbortController | undefined;

  constructor(options: PlatformProgramSourceOptions) {
    this.#options = options;
    this.#onError = options.onError ?? (() => {});
    this.#snapshot = new ProgramSnapshot({
      nowMs: options.clock.nowMs(),
      envelopes: [],
      dispatches: [],
      defaultControl: options.defaultControl,
      siteLimits: options.siteLimits,
    });
  }

  /** Builds the first snapshot and starts the periodic rebuild. */
  async start(): Promise<void> {
    await this.rebuild();
    this.#timer ??= setInterval(
      () => this.#refreshIfChanged().catch(this.#onError),
      this.#options.refreshMs ?? DEFAULT_PROGRAM_REFRESH_MS,
    );
    this.#timer.unref();
  }

  /** Rebuilds after each cleared slot and each written operating envelope. */
  rebuildOn(events: MarketEventBus, changes: OpenAdrChangeFeed | undefined): void {
    this.#unsubscribes.push(
      events.subscribe((event) => {
        if (event.type === 'slot-cleared') this.requestRebuild();
      }),
    );
    if (changes !== undefined)
      this.#unsubscribes.push(
        changes.subscribe((change) => {
          const name = change.object.name;
          if (
            change.objectType === 'EVENT' &&
            name !== undefined &&
            parseMarketEventName(name)?.kind === 'envelope'
          )
            this.requestRebuild();
        }),
      );
  }

  async close(): Promise<void> {
    this.#stop.abort();
    this.#boundaryWatch?.abort();
    clearInterval(this.#timer);
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe();
    await this.idle();
  }

  requestRebuild(): void {
    if (this.#stop.signal.aborted) return;
    this.rebuild().catch(this.#onError);
  }

  /** The periodic check: rebuilds only when the store holds something the snapshot was not built from. */
  async #refreshIfChanged(): Promise<void> {
    if (this.#stop.signal.aborted || this.#running !== undefined) return;
    const version = await readInputsVersion(this.#options.db, this.#options.clock.nowMs());
    if (version !== this.#version) await this.rebuild();
  }

  /** Resolves when the rebuild in progress and any requested during it are done. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running.catch(() => undefined);
  }

  /** A new snapshot from the store; concurrent calls share one run plus one more after it. */
  rebuild(): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#buildOnce();
        } while (this.#again && !this.#stop.signal.aborted);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  programs(device: SepDevice): readonly SepProgram[] {
    return device.participantId === undefined ? [] : this.#snapshot.programsOf(device.participantId);
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #buildOnce(): Promise<void> {
    const { db, clock } = this.#options;
    const nowMs = clock.nowMs();
    // Read first: a write between it and the inputs makes the next periodic check rebuild again.
    const version = await readInputsVersion(db, nowMs);
    const [dispatches, envelopes] = await Promise.all([readDispatches(db, nowMs), readEnvelopes(db, nowMs)]);
    const next = new ProgramSnapshot({
      nowMs,
      dispatches,
      envelopes,
      defaultControl: this.#options.defaultControl,
      siteLimits: this.#options.siteLimits,
      previous: this.#snapshot,
    });
    const changed = changedPrograms(this.#snapshot, next);
    this.#snapshot = next;
    this.#version = version;
    this.#watchBoundary(next.nextBoundaryMs);
    if (changed.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(changed);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  /** One sleeper on the platform clock, until the next start or end of a control. */
  #watchBoundary(atMs: number | undefined): void {
    this.#boundaryWatch?.abort();
    this.#boundaryWatch = undefined;
    if (atMs === undefined || this.#stop.signal.aborted) return;
    const watch = new AbortController();
    this.#boundaryWatch = watch;
    void this.#options.clock.sleepUntil(atMs, watch.signal).then(() => {
      if (!watch.signal.aborted) this.requestRebuild();
    });
  }
}
