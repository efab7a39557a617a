/**
 * Which DER control a device follows now, as IEEE 2030.5 (clause 12.1, DER function set) and CSIP define
 * it. Pure: the programs and their controls as read, and the server's time, in; the control base to apply
 * and where each mode came from, out.
 *
 * - A control is active when its interval holds the server time (start ≤ now < start + duration) and its
 *   EventStatus is neither cancelled (2, 3) nor superseded (4). Randomisation is not applied.
 * - Per control mode, among the active controls that set it, the program with the lowest primacy value
 *   wins; within a program (or between programs of equal primacy) the most recent creationTime; a tie
 *   after that goes to the higher mRID, so the answer never depends on the order the server listed them.
 * - A mode no active control sets takes its value from the DefaultDERControl of the highest-priority
 *   program whose default sets it.
 * - An active control that an overlapping, newer control of the same program overrides in every mode it
 *   sets is superseded (the device answers it with status 7).
 */
import { CSIPAUS_LIMIT_MODES } from '../csip-aus.js';
import type { DefaultDERControl, DERControl, DERControlBase } from '../der-control.js';
import type { DERProgram } from '../resources.js';

/** The DERControlBase members that are control modes (rampTms is not: it says how to reach one). */
export const DER_CONTROL_MODES = [
  'opModConnect',
  'opModEnergize',
  'opModFixedPFInjectW',
  'opModFixedW',
  'opModMaxLimW',
  'opModMaxLimWAbsorb',
  'opModMaxLimWInject',
  'opModTargetW',
  'opModVoltVar',
  'opModVoltWatt',
  // CSIP-AUS (csip-aus.ts): resolved like the 2030.5 modes, so a device whose schedule has run out or that
  // lost the server falls back to the DefaultDERControl's export and import limits.
  ...CSIPAUS_LIMIT_MODES,
] as const satisfies readonly (keyof DERControlBase)[];
export type DerControlMode = (typeof DER_CONTROL_MODES)[number];

/** EventStatus.currentStatus values (sep.xsd EventStatus). */
export const EVENT_STATUS = {
  scheduled: 0,
  active: 1,
  cancelled: 2,
  cancelledWithRandomization: 3,
  superseded: 4,
} as const;

export interface ProgramControls {
  readonly program: Pick<DERProgram, 'mRID' | 'primacy'> & { readonly href?: string };
  readonly controls: readonly DERControl[];
  readonly defaultControl?: DefaultDERControl;
}

/** Where a mode's value came from. */
export interface ModeSource {
  readonly kind: 'control' | 'default';
  readonly programMRID: string;
  /** The DERControl's or DefaultDERControl's mRID. */
  readonly mRID: string;
}

export interface ControlResolution {
  /** The merged control: each mode from its winning control (or default); empty when nothing applies. */
  readonly base: DERControlBase;
  readonly sources: Readonly<Partial<Record<DerControlMode, ModeSource>>>;
  /** Active controls that supply at least one mode of `base`. */
  readonly following: readonly DERControl[];
  /** Active controls overridden in every mode they set by a newer control of their own program. */
  readonly superseded: readonly DERControl[];
}

const CANCELLED_OR_SUPERSEDED: ReadonlySet<number> = new Set([
  EVENT_STATUS.cancelled,
  EVENT_STATUS.cancelledWithRandomization,
  EVENT_STATUS.superseded,
]);

export function isControlActive(control: DERControl, nowS: number): boolean {
  const { start, duration } = control.interval;
  return (
    start <= nowS &&
    nowS < start + duration &&
    !CANCELLED_OR_SUPERSEDED.has(control.EventStatus.currentStatus)
  );
}

/** Whether the control's interval is over at nowS (whatever its status). */
export function hasControlEnded(control: DERControl, nowS: number): boolean {
  return nowS >= control.interval.start + control.interval.duration;
}

interface Candidate {
  readonly control: DERControl;
  readonly programMRID: string;
  readonly primacy: number;
}

/** Negative when a should win over b. */
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.primacy !== b.primacy) return a.primacy - b.primacy;
  if (a.control.creationTime !== b.control.creationTime)
    return b.control.creationTime - a.control.creationTime;
  return a.control.mRID < b.control.mRID ? 1 : a.control.mRID > b.control.mRID ? -1 : 0;
}

const setsMode = (base: DERControlBase, mode: DerControlMode): boolean => base[mode] !== undefined;

export function resolveDerControls(programs: readonly ProgramControls[], nowS: number): ControlResolution {
  const active: Candidate[] = [];
  for (const { program, controls } of programs) {
    for (const control of controls) {
      if (isControlActive(control, nowS))
        active.push({ control, programMRID: program.mRID, primacy: program.primacy });
    }
  }
  active.sort(compareCandidates);
  // Programs by priority for the defaults; equal primacy keeps the server's order (most important first).
  const byPriority = programs
    .map((p, index) => ({ p, index }))
    .sort((a, b) => a.p.program.primacy - b.p.program.primacy || a.index - b.index)
    .map(({ p }) => p);

  const base: Record<string, unknown> = {};
  const sources: Partial<Record<DerControlMode, ModeSource>> = {};
  const following = new Set<DERControl>();
  for (const mode of DER_CONTROL_MODES) {
    const winner = active.find((c) => setsMode(c.control.DERControlBase, mode));
    if (winner !== undefined) {
      base[mode] = winner.control.DERControlBase[mode];
      sources[mode] = { kind: 'control', programMRID: winner.programMRID, mRID: winner.control.mRID };
      following.add(winner.control);
      continue;
    }
    const fallback = byPriority.find(
      (p) => p.defaultControl !== undefined && setsMode(p.defaultControl.DERControlBase, mode),
    );
    if (fallback?.defaultControl !== undefined) {
      base[mode] = fallback.defaultControl.DERControlBase[mode];
      sources[mode] = {
        kind: 'default',
        programMRID: fallback.program.mRID,
        mRID: fallback.defaultControl.mRID,
      };
    }
  }
  // A ramp time travels with the highest-priority control being followed.
  const leader = active.find((c) => following.has(c.control));
  const rampTms = leader?.control.DERControlBase.rampTms;
  if (rampTms !== undefined) base['rampTms'] = rampTms;

  const superseded = active
    .filter((c) => !following.has(c.control))
    .filter((c) =>
      active.some(
        (newer) =>
          newer.programMRID === c.programMRID &&
          compareCandidates(newer, c) < 0 &&
          DER_CONTROL_MODES.every(
            (mode) =>
              !setsMode(c.control.DERControlBase, mode) || setsMode(newer.control.DERControlBase, mode),
          ),
      ),
    )
    .map((c) => c.control);

  return {
    base: base as DERControlBase,
    sources,
    following: active.filter((c) => following.has(c.control)).map((c) => c.control),
    superseded,
  };
}
