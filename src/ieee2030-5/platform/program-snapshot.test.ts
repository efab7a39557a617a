import { describe, expect, it } from 'vitest';
import { SEP_XSD, validateSepDocument } from '../../../test/ieee2030-5/sep-xsd.fixture.js';
import { encodeDefaultDERControl, encodeDERControlList } from '../der-control.js';
import {
  activePowerOf,
  changedPrograms,
  mridOf,
  ProgramSnapshot,
  type DispatchInput,
  type EnvelopeInput,
} from './program-snapshot.js';

const SLOT_MS = 300_000;
const T0 = Date.UTC(2026, 10, 24, 12);
const envelope = (over: Partial<EnvelopeInput> = {}): EnvelopeInput => ({
  marketId: 'm1',
  participantId: 'p1',
  slotStartMs: T0 + SLOT_MS,
  slotEndMs: T0 + 2 * SLOT_MS,
  importLimitKw: 7.5,
  exportLimitKw: 5,
  createdMs: T0 - 30_000,
  ...over,
});
const dispatch = (over: Partial<DispatchInput> = {}): DispatchInput => ({
  marketId: 'm1',
  participantId: 'p1',
  slotStartMs: T0,
  slotEndMs: T0 + SLOT_MS,
  netImportKw: -3.2,
  clearedAtMs: T0,
  ...over,
});

describe('2030.5 programs from market results and envelopes', () => {
  it('encodes watts with the smallest multiplier that fits the value type', () => {
    expect(activePowerOf(3200, true)).toEqual({ multiplier: 0, value: 3200 });
    expect(activePowerOf(-250_000, true)).toEqual({ multiplier: 1, value: -25_000 });
    expect(activePowerOf(50_000, false)).toEqual({ multiplier: 0, value: 50_000 });
    expect(activePowerOf(1e9, false)).toEqual({ multiplier: 5, value: 10_000 });
    expect(activePowerOf(-0.2, true)).toEqual({ multiplier: 0, value: 0 });
  });

  it('turns envelopes into dso limits and net fills into market targets with the 2030.5 sign', () => {
    const snapshot = new ProgramSnapshot({
      nowMs: T0 + 1000,
      envelopes: [envelope(), envelope({ exportLimitKw: null, slotStartMs: T0, slotEndMs: T0 + SLOT_MS })],
      dispatches: [dispatch(), dispatch({ participantId: 'p2', netImportKw: 4 })],
      defaultControl: { exportLimitKw: 10 },
    });
    const [dso, market] = snapshot.programsOf('p1');
    expect(dso).toMatchObject({ id: 'dso', primacy: 1 });
    expect(market).toMatchObject({ id: 'market', primacy: 2 });
    // Sorted by start: the current slot's import-only envelope first, active; the next one scheduled.
    expect(dso?.controls.map((c) => [c.interval, c.EventStatus.currentStatus, c.DERControlBase])).toEqual([
      [{ start: T0 / 1000, duration: 300 }, 1, { opModMaxLimWAbsorb: { multiplier: 0, value: 7500 } }],
      [
        { start: (T0 + SLOT_MS) / 1000, duration: 300 },
        0,
        {
          opModMaxLimWAbsorb: { multiplier: 0, value: 7500 },
          opModMaxLimWInject: { multiplier: 0, value: 5000 },
        },
      ],
    ]);
    expect(dso?.defaultControl?.DERControlBase).toEqual({
      opModMaxLimWInject: { multiplier: 0, value: 10_000 },
    });
    // p1 exported 3.2 kW net: positive (injection) in 2030.5. p2 imported 4 kW: negative.
    expect(market?.controls[0]?.DERControlBase.opModTargetW).toEqual({ multiplier: 0, value: 3200 });
    expect(snapshot.programsOf('p2')[1]?.controls[0]?.DERControlBase.opModTargetW).toEqual({
      multiplier: 0,
      value: -4000,
    });
    expect(market?.controls[0]?.mRID).toBe(mridOf('m1', T0, 'p1', 'market'));
    expect(market?.controls[0]?.creationTime).toBe(T0 / 1000);
    // A participant without controls still has both programs, empty, so its devices can subscribe.
    expect(snapshot.programsOf('p9').map((p) => [p.id, p.controls.length])).toEqual([
      ['dso', 0],
      ['market', 0],
    ]);
    expect(snapshot.nextBoundaryMs).toBe(T0 + SLOT_MS);
  });

  it('gives the same mRIDs and creation times when rebuilt, drops ended controls and reports what changed', () => {
    const input = { envelopes: [envelope()], dispatches: [dispatch()] };
    const first = new ProgramSnapshot({ nowMs: T0 + 1000, ...input });
    const fresh = new ProgramSnapshot({ nowMs: T0 + 2000, ...input });
    expect(JSON.stringify(fresh.programsOf('p1'))).toBe(JSON.stringify(first.programsOf('p1')));
    const emptyBefore = first.programsOf('p7');
    // Built on the previous snapshot, nothing changed: the very same objects, and no change reported.
    const again = new ProgramSnapshot({ nowMs: T0 + 2000, ...input, previous: first });
    expect(again.programsOf('p1')).toBe(first.programsOf('p1'));
    expect(again.programsOf('p7')).toBe(emptyBefore);
    expect(changedPrograms(first, again)).toEqual([]);
    // A revised envelope: only the dso program changed; the control keeps its mRID.
    const revised = new ProgramSnapshot({
      nowMs: T0 + 3000,
      envelopes: [envelope({ exportLimitKw: 2 })],
      dispatches: [dispatch()],
      previous: again,
    });
    expect(changedPrograms(again, revised)).toEqual(['dso']);
    expect(revised.programsOf('p1')[0]?.controls[0]?.mRID).toBe(first.programsOf('p1')[0]?.controls[0]?.mRID);
    expect(revised.programsOf('p1')[1]?.controls[0]).toBe(first.programsOf('p1')[1]?.controls[0]);
    expect(mridOf('m1', T0, 'p1', 'market')).not.toBe(mridOf('m1', T0, 'p2', 'market'));
    expect(mridOf('m1', T0, 'p1', 'market')).toMatch(/^[0-9A-F]{32}$/);

    // The dispatched slot ends and the envelope's slot starts: the market control goes, the dso one is active.
    const later = new ProgramSnapshot({ nowMs: T0 + SLOT_MS, ...input, previous: first });
    expect(later.programsOf('p1')[1]?.controls).toEqual([]);
    expect(later.programsOf('p1')[0]?.controls[0]?.EventStatus).toEqual({
      currentStatus: 1,
      dateTime: (T0 + SLOT_MS) / 1000,
      potentiallySuperseded: false,
    });
    expect(changedPrograms(first, later)).toEqual(['dso', 'market']);
    expect(changedPrograms(undefined, first)).toEqual(['dso', 'market']);
  });

  it.skipIf(SEP_XSD === undefined)(
    'produces DERControlList and DefaultDERControl documents sep.xsd accepts',
    async () => {
      const snapshot = new ProgramSnapshot({
        nowMs: T0,
        envelopes: [envelope({ importLimitKw: 0, exportLimitKw: 2000 })],
        dispatches: [dispatch({ netImportKw: 12_345.678 })],
        defaultControl: { exportLimitKw: 5, importLimitKw: 20 },
      });
      const documents = snapshot.programsOf('p1').map((program) =>
        encodeDERControlList({
          href: `/sep2/derp/${program.id}/dc`,
          all: program.controls.length,
          results: program.controls.length,
          DERControl: program.controls.map((c) => ({
            ...c,
            href: `/sep2/derp/${program.id}/dc/${c.mRID}`,
            replyTo: '/sep2/rsps',
          })),
        }),
      );
      const defaultControl = snapshot.programsOf('p1')[0]?.defaultControl;
      if (defaultControl === undefined) throw new Error('no default control');
      documents.push(encodeDefaultDERControl({ ...defaultControl, href: '/sep2/derp/dso/dderc' }));
      expect(await validateSepDocument(documents)).toBe('valid');
    },
  );
});
