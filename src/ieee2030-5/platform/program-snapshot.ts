/**
 * What each participant's 2030.5 devices hear, built once from the platform's market results and operating
 * envelopes (never per request: thousands of devices poll it). Pure: the inputs are read from the store by
 * program-inputs.ts, the time is passed in.
 *
 * - Program `dso` (primacy 1): each operating envelope of the participant that has not ended becomes a
 *   DERControl over the slot with opModMaxLimWInject (the export limit) and opModMaxLimWAbsorb (the import
 *   limit), or with CSIP-AUS's csipaus:opModExpLimW and csipaus:opModImpLimW when `siteLimits` is 'csip-aus'
 *   (whole watts rounded down, csip-aus.ts); the configured default limits are its DefaultDERControl.
 * - Program `market` (primacy 2): the participant's net cleared fills of each slot that has not ended
 *   become a DERControl over the slot with opModTargetW. 2030.5 counts active power positive when it is
 *   injected into the grid; the platform counts import positive (docs/conventions.md), so the target is
 *   the negated net import: a participant that sold 3 kW more than it bought gets opModTargetW = +3000 W.
 *
 * mRIDs are hashes of what a control is (market, slot, participant, kind), so a rebuild, a restart or
 * another instance produces the same ones; creationTime is when the envelope event was created or the
 * slot cleared, so it is stable too.
 */
import { createHash } from 'node:crypto';
import { limitFromWatts } from '../csip-aus.js';
import type { ActivePower, DefaultDERControl, DERControl, DERControlBase } from '../der-control.js';
import type { SepProgram } from '../server/registry.js';

export type ControlKind = 'envelope' | 'market';

/** One participant's envelope for one slot; limits in kW as magnitudes, null: no limit. */
export interface EnvelopeInput {
  readonly marketId: string;
  readonly participantId: string;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
  readonly importLimitKw: number | null;
  readonly exportLimitKw: number | null;
  readonly createdMs: number;
}

/** One participant's net result of one cleared slot: kW, import positive (the platform's convention). */
export interface DispatchInput {
  readonly marketId: string;
  readonly participantId: string;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
  readonly netImportKw: number;
  readonly clearedAtMs: number;
}

export interface DefaultLimits {
  readonly exportLimitKw?: number | undefined;
  readonly importLimitKw?: number | undefined;
}

/**
 * Which elements carry an envelope's limits: the 2023 edition's opModMaxLimWInject / Absorb, or the
 * CSIP-AUS extension's opModExpLimW / opModImpLimW that Australian utilities' servers send.
 */
export type SiteLimitElements = 'ieee2030.5' | 'csip-aus';

export interface ProgramSnapshotInput {
  readonly nowMs: number;
  /** Default 'ieee2030.5'. */
  readonly siteLimits?: SiteLimitElements | undefined;
  readonly envelopes: readonly EnvelopeInput[];
  readonly dispatches: readonly DispatchInput[];
  readonly defaultControl?: DefaultLimits | undefined;
  /**
   * The snapshot this one replaces: controls and programs that did not change are taken over as they are
   * (the same objects), so a rebuild costs little when little changed and the change check compares
   * identities.
   */
  readonly previous?: ProgramSnapshot | undefined;
}

export const DSO_PROGRAM_ID = 'dso';
export const MARKET_PROGRAM_ID = 'market';
export const PROGRAM_IDS: readonly string[] = [DSO_PROGRAM_ID, MARKET_PROGRAM_ID];

/** Bits 0 and 1: the device answers when it received the control and when it started or ended it. */
const RESPONSE_REQUIRED = '03';
const EVENT_SCHEDULED = 0;
const EVENT_ACTIVE = 1;

/** A 128-bit mRID (32 upper-case hex digits) from the parts that identify the object. */
export function mridOf(...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32).toUpperCase();
}

/**
 * Watts as value × 10^multiplier with the value in range (Int16 signed, UInt16 unsigned): the smallest
 * multiplier that fits, so 3,200 W is 3200 × 10^0 and 250 kW is 25000 × 10^1.
 */
export function activePowerOf(watts: number, signed: boolean): ActivePower {
  const max = signed ? 32_767 : 65_535;
  let multiplier = 0;
  let value = Math.round(watts);
  while (Math.abs(value) > max) {
    multiplier += 1;
    value = Math.round(watts / 10 ** multiplier);
  }
  return { multiplier, value: value === 0 ? 0 : value };
}

function limitsBase(
  importLimitKw: number | null | undefined,
  exportLimitKw: number | null | undefined,
  elements: SiteLimitElements,
): DERControlBase {
  if (elements === 'csip-aus') {
    const importLimit = importLimitKw == null ? undefined : limitFromWatts(importLimitKw * 1000);
    const exportLimit = exportLimitKw == null ? undefined : limitFromWatts(exportLimitKw * 1000);
    return {
      ...(importLimit === undefined ? {} : { opModImpLimW: importLimit }),
      ...(exportLimit === undefined ? {} : { opModExpLimW: exportLimit }),
    };
  }
  return {
    ...(importLimitKw === null || importLimitKw === undefined
      ? {}
      : { opModMaxLimWAbsorb: activePowerOf(importLimitKw * 1000, false) }),
    ...(exportLimitKw === null || exportLimitKw === undefined
      ? {}
      : { opModMaxLimWInject: activePowerOf(exportLimitKw * 1000, false) }),
  };
}

type ProgramControl = SepProgram['controls'][number];

interface SlotOf {
  readonly marketId: string;
  readonly participantId: string;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
}

function control(
  kind: ControlKind,
  slot: SlotOf,
  createdMs: number,
  nowMs: number,
  base: DERControlBase,
  mRID: string,
): ProgramControl {
  const startS = Math.floor(slot.slotStartMs / 1000);
  const creationTime = Math.floor(createdMs / 1000);
  const active = nowMs >= slot.slotStartMs;
  const status: DERControl['EventStatus'] = {
    currentStatus: active ? EVENT_ACTIVE : EVENT_SCHEDULED,
    // When the status last changed: the start once active, else when the control was made.
    dateTime: active ? Math.max(startS, creationTime) : creationTime,
    potentiallySuperseded: false,
  };
  return {
    mRID,
    description: kind === 'envelope' ? 'operating envelope' : 'market dispatch',
    responseRequired: RESPONSE_REQUIRED,
    creationTime,
    EventStatus: status,
    interval: { start: startS, duration: Math.round((slot.slotEndMs - slot.slotStartMs) / 1000) },
    DERControlBase: base,
  };
}

interface KeptControl {
  /** Everything else the control is made of: equal keys give equal controls. */
  readonly key: string;
  readonly control: ProgramControl;
}

/**
 * Every participant's two programs at one time; participants without controls get them too (empty, on
 * first read), so their devices can subscribe before anything is scheduled.
 */
export class ProgramSnapshot {
  readonly builtAtMs: number;
  readonly #byParticipant: Map<string, readonly SepProgram[]>;
  /** By what identifies a control (kind, market, slot, participant), for the next snapshot to take over. */
  readonly #controls = new Map<string, KeptControl>();
  readonly #defaultControl: DefaultLimits | undefined;
  readonly #siteLimits: SiteLimitElements;
  /** The earliest future start or end of a control: the snapshot is stale from then on. */
  readonly nextBoundaryMs: number | undefined;

  constructor(input: ProgramSnapshotInput) {
    this.builtAtMs = input.nowMs;
    this.#defaultControl = input.defaultControl;
    this.#siteLimits = input.siteLimits ?? 'ieee2030.5';
    const envelopes = new Map<string, ProgramControl[]>();
    const dispatches = new Map<string, ProgramControl[]>();
    let next: number | undefined;
    const boundary = (startMs: number, endMs: number) => {
      const at = startMs > input.nowMs ? startMs : endMs;
      if (next === undefined || at < next) next = at;
    };
    const previous = input.previous;
    const previousControls = previous === undefined ? undefined : previous.#controls;
    const previousPrograms = previous === undefined ? undefined : previous.#byParticipant;
    const add = (
      map: Map<string, ProgramControl[]>,
      kind: ControlKind,
      slot: SlotOf,
      values: string,
      make: (mRID: string) => ProgramControl,
    ) => {
      const identity = `${kind}|${slot.marketId}|${slot.slotStartMs}|${slot.participantId}`;
      const key = `${slot.slotEndMs}|${input.nowMs >= slot.slotStartMs ? 1 : 0}|${values}`;
      const kept = previousControls?.get(identity);
      const c =
        kept?.key === key
          ? kept.control
          : make(kept?.control.mRID ?? mridOf(slot.marketId, slot.slotStartMs, slot.participantId, kind));
      this.#controls.set(identity, { key, control: c });
      const list = map.get(slot.participantId);
      if (list === undefined) map.set(slot.participantId, [c]);
      else list.push(c);
    };
    for (const e of input.envelopes) {
      if (e.slotEndMs <= input.nowMs) continue;
      boundary(e.slotStartMs, e.slotEndMs);
      add(envelopes, 'envelope', e, `${e.importLimitKw}|${e.exportLimitKw}|${e.createdMs}`, (mRID) =>
        control(
          'envelope',
          e,
          e.createdMs,
          input.nowMs,
          limitsBase(e.importLimitKw, e.exportLimitKw, this.#siteLimits),
          mRID,
        ),
      );
    }
    for (const d of input.dispatches) {
      if (d.slotEndMs <= input.nowMs) continue;
      boundary(d.slotStartMs, d.slotEndMs);
      add(dispatches, 'market', d, `${d.netImportKw}|${d.clearedAtMs}`, (mRID) =>
        control(
          'market',
          d,
          d.clearedAtMs,
          input.nowMs,
          { opModTargetW: activePowerOf(-d.netImportKw * 1000, true) },
          mRID,
        ),
      );
    }
    this.nextBoundaryMs = next;
    this.#byParticipant = new Map();
    const byStart = (a: ProgramControl, b: ProgramControl) => a.interval.start - b.interval.start;
    for (const participantId of new Set([...envelopes.keys(), ...dispatches.keys()])) {
      const dso = (envelopes.get(participantId) ?? []).sort(byStart);
      const market = (dispatches.get(participantId) ?? []).sort(byStart);
      const before = previousPrograms?.get(participantId);
      const same =
        before !== undefined && sameItems(before[0]?.controls, dso) && sameItems(before[1]?.controls, market);
      this.#byParticipant.set(participantId, same ? before : this.#programsOf(participantId, dso, market));
    }
    // Participants whose programs were read while empty keep those objects while they stay empty.
    if (previousPrograms !== undefined && sameLimits(previous?.defaultLimits, this.#defaultControl)) {
      for (const [participantId, programs] of previousPrograms) {
        if (!this.#byParticipant.has(participantId) && programs.every((p) => p.controls.length === 0))
          this.#byParticipant.set(participantId, programs);
      }
    }
  }

  /** The participant's programs, most important first (the same arrays until the next rebuild). */
  programsOf(participantId: string): readonly SepProgram[] {
    let programs = this.#byParticipant.get(participantId);
    if (programs === undefined) {
      programs = this.#programsOf(participantId, [], []);
      this.#byParticipant.set(participantId, programs);
    }
    return programs;
  }

  /** Participants with at least one control. */
  participantsWithControls(): string[] {
    return [...this.#byParticipant.entries()]
      .filter(([, ps]) => ps.some((p) => p.controls.length > 0))
      .map(([id]) => id);
  }

  get defaultLimits(): DefaultLimits | undefined {
    return this.#defaultControl;
  }

  /** The participant's programs when built (never creates the empty ones). */
  programsIfBuilt(participantId: string): readonly SepProgram[] | undefined {
    return this.#byParticipant.get(participantId);
  }

  #programsOf(
    participantId: string,
    envelopes: ProgramControl[],
    dispatches: ProgramControl[],
  ): readonly SepProgram[] {
    const limits = this.#defaultControl;
    const hasDefault = limits?.exportLimitKw !== undefined || limits?.importLimitKw !== undefined;
    const defaultControl: Omit<DefaultDERControl, 'href' | 'replyTo'> | undefined = hasDefault
      ? {
          mRID: mridOf('default', DSO_PROGRAM_ID, participantId),
          description: 'default operating limits',
          DERControlBase: limitsBase(limits?.importLimitKw, limits?.exportLimitKw, this.#siteLimits),
        }
      : undefined;
    return [
      {
        id: DSO_PROGRAM_ID,
        mRID: mridOf('program', DSO_PROGRAM_ID, participantId),
        description: 'DSO operating envelopes',
        primacy: 1,
        controls: envelopes,
        ...(defaultControl === undefined ? {} : { defaultControl }),
      },
      {
        id: MARKET_PROGRAM_ID,
        mRID: mridOf('program', MARKET_PROGRAM_ID, participantId),
        description: 'market dispatch',
        primacy: 2,
        controls: dispatches,
      },
    ];
  }
}

function sameItems<T>(a: readonly T[] | undefined, b: readonly T[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, k) => item === b[k]);
}

function sameLimits(a: DefaultLimits | undefined, b: DefaultLimits | undefined): boolean {
  return a?.exportLimitKw === b?.exportLimitKw && a?.importLimitKw === b?.importLimitKw;
}

/**
 * Ids of the programs whose controls differ between two snapshots for any participant. A snapshot built
 * with `previous` keeps unchanged controls as the same objects, so this compares identities; one built
 * without it differs wherever there are controls.
 */
export function changedPrograms(before: ProgramSnapshot | undefined, after: ProgramSnapshot): string[] {
  const participants = new Set([
    ...(before?.participantsWithControls() ?? []),
    ...after.participantsWithControls(),
  ]);
  const changed = new Set<string>();
  for (const participantId of participants) {
    const old = before?.programsIfBuilt(participantId);
    const now = after.programsIfBuilt(participantId);
    if (old === now) continue;
    for (const [k, id] of PROGRAM_IDS.entries()) {
      if (!sameItems(old?.[k]?.controls ?? [], now?.[k]?.controls ?? [])) changed.add(id);
    }
  }
  return PROGRAM_IDS.filter((id) => changed.has(id));
}
