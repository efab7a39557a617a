/** The client's side of CSIP-AUS: which limit a device follows, and what the limits do to its power. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  inverterRatingFor,
  type InverterSettings,
} from '../der/inverter/index.js';
import { resolveDerControls } from './client/control-resolution.js';
import { directedActivePowerKw, inverterDirective, siteLimitsKw } from './client/inverter-mapping.js';
import type { DERControl, DERControlBase } from './der-control.js';
import type { DERCurve } from './der-curve.js';

const NOW = 1_800_000_000;
const watts = (value: number, multiplier = 0) => ({ value, multiplier });
const controlOver = (base: DERControlBase, start: number, duration: number, mRID: string): DERControl => ({
  mRID,
  creationTime: NOW - 3600,
  EventStatus: { currentStatus: 0, dateTime: NOW - 3600, potentiallySuperseded: false },
  interval: { start, duration },
  DERControlBase: base,
});
const settingsFor = (pRatedKw: number, pMaxAbsorbKw: number): InverterSettings => ({
  ...DEFAULT_INVERTER_FUNCTIONS,
  rating: inverterRatingFor(DEFAULT_INVERTER_FUNCTIONS, pRatedKw, pRatedKw, pMaxAbsorbKw),
});
const NO_CURVES = new Map<string, DERCurve>();

describe('CSIP-AUS limits in control resolution', () => {
  // The DSO's program: a 5 kW export envelope for 15 minutes, and the connection's default of 1.5 kW.
  const dso = {
    program: { mRID: 'DSO', primacy: 1 },
    controls: [controlOver({ opModExpLimW: watts(5000), opModImpLimW: watts(900, 1) }, NOW, 900, 'E1')],
    defaultControl: { mRID: 'DEF', DERControlBase: { opModExpLimW: watts(1500) } },
  };

  it('follows the envelope while it is active', () => {
    const r = resolveDerControls([dso], NOW + 10);
    expect(r.base).toEqual({ opModExpLimW: watts(5000), opModImpLimW: watts(900, 1) });
    expect(r.sources.opModExpLimW).toEqual({ kind: 'control', programMRID: 'DSO', mRID: 'E1' });
    expect(siteLimitsKw(r.base)).toEqual({ maxExportKw: 5, maxImportKw: 9 });
  });

  it("falls back to the default's export limit when the schedule has run out (communication lost)", () => {
    const r = resolveDerControls([dso], NOW + 900);
    expect(r.base).toEqual({ opModExpLimW: watts(1500) });
    expect(r.sources.opModExpLimW).toEqual({ kind: 'default', programMRID: 'DSO', mRID: 'DEF' });
    expect(siteLimitsKw(r.base)).toEqual({ maxExportKw: 1.5 });
  });

  it('lets a market program with lower primacy not override the DSO envelope', () => {
    const market = {
      program: { mRID: 'MKT', primacy: 2 },
      controls: [controlOver({ opModExpLimW: watts(8000) }, NOW, 900, 'M1')],
    };
    expect(resolveDerControls([market, dso], NOW + 10).base.opModExpLimW).toEqual(watts(5000));
  });
});

describe('CSIP-AUS limits at the inverter', () => {
  const PV = settingsFor(5, 0);
  const BATTERY = settingsFor(5, 5);
  const sunny = { desiredKw: -4.5, availableGenerationKw: 4.5, siteLoadKw: 1 };

  it('holds the site export to opModExpLimW, the lower of it and opModMaxLimWInject', () => {
    const d = inverterDirective(
      { opModExpLimW: watts(2000), opModMaxLimWInject: watts(3000) },
      NO_CURVES,
      PV,
    );
    expect(d.maxExportKw).toBe(2);
    // 1 kW of site load + 2 kW of export: 3 kW of generation.
    expect(directedActivePowerKw(d, PV, sunny)).toBe(-3);
    expect(siteLimitsKw({ opModExpLimW: watts(4000), opModMaxLimWInject: watts(3000) })).toEqual({
      maxExportKw: 3,
    });
  });

  it('caps generation at opModGenLimW (the lower of it and opModMaxLimW)', () => {
    const d = inverterDirective({ opModGenLimW: watts(25, 2), opModMaxLimW: 6000 }, NO_CURVES, PV);
    expect(d.maxGenerationKw).toBe(2.5);
    expect(directedActivePowerKw(d, PV, sunny)).toBe(-2.5);
  });

  it('caps a charging battery at opModLoadLimW and the site import at opModImpLimW', () => {
    const charging = { desiredKw: 5, availableGenerationKw: 5, siteLoadKw: 2 };
    const load = inverterDirective({ opModLoadLimW: watts(3500) }, NO_CURVES, BATTERY);
    expect(load.maxLoadKw).toBe(3.5);
    expect(directedActivePowerKw(load, BATTERY, charging)).toBe(3.5);
    // 4 kW at the site, 2 kW of it the other loads: the battery charges at 2 kW.
    const site = inverterDirective({ opModImpLimW: watts(4000) }, NO_CURVES, BATTERY);
    expect(site.maxImportKw).toBe(4);
    expect(directedActivePowerKw(site, BATTERY, charging)).toBe(2);
  });
});
