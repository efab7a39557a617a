import { describe, expect, it } from 'vitest';
import type { DefaultDERControl, DERControl, DERControlBase } from '../der-control.js';
import {
  hasControlEnded,
  isControlActive,
  resolveDerControls,
  type ProgramControls,
} from './control-resolution.js';

const NOW = 1_800_000_000;
let serial = 0;
function control(
  base: DERControlBase,
  options: { start?: number; duration?: number; created?: number; status?: number; mRID?: string } = {},
): DERControl {
  serial += 1;
  return {
    mRID: options.mRID ?? `C${String(serial).padStart(31, '0')}`,
    creationTime: options.created ?? NOW - 1000,
    EventStatus: { currentStatus: options.status ?? 0, dateTime: NOW - 1000, potentiallySuperseded: false },
    interval: { start: options.start ?? NOW - 60, duration: options.duration ?? 600 },
    DERControlBase: base,
  };
}
const exportCap = (w: number): DERControlBase => ({ opModMaxLimWInject: { value: w, multiplier: 0 } });
const program = (
  mRID: string,
  primacy: number,
  controls: DERControl[],
  defaultBase?: DERControlBase,
): ProgramControls => ({
  program: { mRID, primacy },
  controls,
  ...(defaultBase === undefined
    ? {}
    : { defaultControl: { mRID: `D${mRID}`, DERControlBase: defaultBase } satisfies DefaultDERControl }),
});

describe('control activity', () => {
  it('is the half-open interval, not cancelled or superseded', () => {
    const c = control(exportCap(1), { start: NOW, duration: 10 });
    expect(isControlActive(c, NOW - 1)).toBe(false);
    expect(isControlActive(c, NOW)).toBe(true);
    expect(isControlActive(c, NOW + 9)).toBe(true);
    expect(isControlActive(c, NOW + 10)).toBe(false);
    expect(hasControlEnded(c, NOW + 10)).toBe(true);
    for (const status of [2, 3, 4]) {
      expect(isControlActive(control(exportCap(1), { status }), NOW)).toBe(false);
    }
    // 1 (active) and 0 (scheduled, the server not having updated it yet) both count.
    expect(isControlActive(control(exportCap(1), { status: 1 }), NOW)).toBe(true);
  });
});

describe('resolveDerControls', () => {
  it('applies nothing when no program has an active control or a default', () => {
    const r = resolveDerControls([program('P1', 1, [control(exportCap(1), { start: NOW + 10 })])], NOW);
    expect(r.base).toEqual({});
    expect(r.following).toEqual([]);
  });

  it('gives each mode to the lowest primacy value among overlapping programs', () => {
    const site = control({ ...exportCap(3000), opModMaxLimW: 5000 });
    const feeder = control({ ...exportCap(1500) }, { created: NOW - 5000 });
    const r = resolveDerControls([program('SITE', 20, [site]), program('FEEDER', 5, [feeder])], NOW);
    // The feeder program (primacy 5) wins the export cap even though its control is older; the site
    // program still supplies the mode only it sets.
    expect(r.base.opModMaxLimWInject).toEqual({ value: 1500, multiplier: 0 });
    expect(r.base.opModMaxLimW).toBe(5000);
    expect(r.sources.opModMaxLimWInject).toEqual({
      kind: 'control',
      programMRID: 'FEEDER',
      mRID: feeder.mRID,
    });
    expect(r.sources.opModMaxLimW?.programMRID).toBe('SITE');
    expect(r.following).toEqual([feeder, site]);
    expect(r.superseded).toEqual([]);
  });

  it('within a program, follows the most recent creationTime and reports the older as superseded', () => {
    const older = control(exportCap(4000), { created: NOW - 500 });
    const newer = control({ ...exportCap(2000), opModMaxLimW: 8000 }, { created: NOW - 100 });
    const r = resolveDerControls([program('P', 1, [newer, older])], NOW);
    expect(r.base.opModMaxLimWInject?.value).toBe(2000);
    expect(r.following).toEqual([newer]);
    expect(r.superseded).toEqual([older]);
  });

  it('does not call a control superseded when it still supplies a mode the newer one lacks', () => {
    const older = control({ ...exportCap(4000), opModConnect: true }, { created: NOW - 500 });
    const newer = control(exportCap(2000), { created: NOW - 100 });
    const r = resolveDerControls([program('P', 1, [older, newer])], NOW);
    expect(r.base).toEqual({ opModConnect: true, opModMaxLimWInject: { value: 2000, multiplier: 0 } });
    expect(r.superseded).toEqual([]);
    expect(r.following).toEqual([newer, older]);
  });

  it('skips cancelled and server-superseded controls', () => {
    const cancelled = control(exportCap(100), { created: NOW, status: 2 });
    const superseded = control(exportCap(200), { created: NOW, status: 4 });
    const live = control(exportCap(300), { created: NOW - 900 });
    const r = resolveDerControls([program('P', 1, [cancelled, superseded, live])], NOW);
    expect(r.base.opModMaxLimWInject?.value).toBe(300);
  });

  it('breaks exact ties by mRID, whatever the listing order', () => {
    const a = control(exportCap(1), { created: NOW, mRID: 'A'.repeat(32) });
    const b = control(exportCap(2), { created: NOW, mRID: 'B'.repeat(32) });
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const r = resolveDerControls([program('P', 1, order)], NOW);
      expect(r.base.opModMaxLimWInject?.value).toBe(2);
    }
    const x = resolveDerControls([program('P1', 3, [a]), program('P2', 3, [b])], NOW);
    expect(x.base.opModMaxLimWInject?.value).toBe(2);
  });

  it('falls back per mode to the default of the highest-priority program that sets it', () => {
    const active = control({ opModMaxLimW: 6000 });
    const r = resolveDerControls(
      [
        program('LOW', 9, [], { ...exportCap(9000), opModConnect: true }),
        program('HIGH', 2, [active], exportCap(5000)),
        program('EMPTY', 1, []),
      ],
      NOW,
    );
    expect(r.base).toEqual({
      opModConnect: true,
      opModMaxLimW: 6000,
      opModMaxLimWInject: { value: 5000, multiplier: 0 },
    });
    expect(r.sources.opModMaxLimWInject).toEqual({ kind: 'default', programMRID: 'HIGH', mRID: 'DHIGH' });
    expect(r.sources.opModConnect?.programMRID).toBe('LOW');
  });

  it('returns to the default once the control ends, and takes the ramp time of the leading control', () => {
    const c = control({ ...exportCap(1000), rampTms: 300 }, { start: NOW, duration: 60 });
    const programs = [program('P', 1, [c], exportCap(5000))];
    expect(resolveDerControls(programs, NOW + 30).base).toEqual({ ...exportCap(1000), rampTms: 300 });
    expect(resolveDerControls(programs, NOW + 60).base).toEqual(exportCap(5000));
  });
});
