/**
 * From a resolved DERControlBase to what tenet's IEEE 1547 inverter runs: its settings (reactive mode,
 * volt-watt) and the limits and setpoint of its active power. Pure.
 *
 * Mapping (sep.xsd 2.2 semantics; active power at tenet's device interface is load reference, kW):
 * - opModConnect / opModEnergize false (either): disconnected, 0 kW.
 * - opModMaxLimW: generation ≤ value/100 % of P_rated (hundredths of a percent of setMaxW).
 * - opModMaxLimWInject: export at the site ≤ the value. opModMaxLimWAbsorb: import at the site ≤ the value
 *   (a charging battery gives way).
 * - CSIP-AUS (csip-aus.ts): opModExpLimW and opModImpLimW are the same site limits (when a control carries
 *   both kinds the lower limit holds); opModGenLimW caps the device's generation (with opModMaxLimW, the
 *   lower holds); opModLoadLimW caps what the device draws (a battery's charging).
 * - opModTargetW: output power setpoint in W (positive = generation). opModFixedW: hundredths of a percent,
 *   positive of P_rated (discharge), negative of the absorb rating (charge). TargetW wins when both are set.
 * - opModFixedPFInjectW: constant power factor; sep.xsd's excitation true means absorbing (under-excited).
 * - opModVoltVar / opModVoltWatt: the linked DERCurve (types 11, 12) as 1547 curve points, x in % of the
 *   nominal voltage. When both a power factor and volt-var are set the power factor is followed.
 * A mode the inverter cannot follow is left out and listed in `refused` with the DERControlResponse status
 * to send: 253 (invalid) for a missing or mistyped curve, 252 (not applicable) for a value outside what this
 * inverter's IEEE 1547 settings allow (checked by tenet's own settings validation).
 */
import {
  defaultVoltVarMode,
  DEFAULT_VOLT_WATT,
  MAX_OPEN_LOOP_RESPONSE_TIME_S,
  validateInverterSettings,
  type InverterSettings,
  type ReactivePowerMode,
  type VoltVarPoint,
  type VoltWattPoint,
} from '../../der/inverter/index.js';
import { limitWatts } from '../csip-aus.js';
import type { ActivePower, DERControlBase } from '../der-control.js';
import type { DERCurve } from '../der-curve.js';
import type { DerControlMode } from './control-resolution.js';

/** DERControlResponse statuses the client sends (IEEE 2030.5 Table 27, response types by function set). */
export const RESPONSE_STATUS = {
  received: 1,
  started: 2,
  completed: 3,
  cancelled: 6,
  superseded: 7,
  notApplicable: 252,
  invalid: 253,
  expired: 254,
} as const;

/** sep.xsd DERCurveType and DERUnitRefType values the mapping reads. */
const CURVE_TYPE = { voltVar: 11, voltWatt: 12 } as const;
const Y_REF = { setMaxW: 1, setMaxVar: 2, statVarAvail: 3, setMaxVA: 8 } as const;

export interface RefusedMode {
  readonly mode: DerControlMode;
  readonly status: number;
  readonly reason: string;
}

export interface InverterDirective {
  /** The device's own settings with the control's reactive mode and volt-watt curve. */
  readonly settings: InverterSettings;
  readonly connected: boolean;
  /** Most generation, kW (opModMaxLimW). */
  readonly maxGenerationKw?: number;
  /** Most export at the site, kW ≥ 0 (opModMaxLimWInject, opModExpLimW). */
  readonly maxExportKw?: number;
  /** Most import at the site, kW ≥ 0 (opModMaxLimWAbsorb, opModImpLimW). */
  readonly maxImportKw?: number;
  /** Most the device draws, kW ≥ 0 (CSIP-AUS opModLoadLimW). */
  readonly maxLoadKw?: number;
  /** Active power setpoint, kW, load reference (opModTargetW or opModFixedW). */
  readonly setpointKw?: number;
  readonly refused: readonly RefusedMode[];
}

// Dividing for negative powers of ten keeps 95 × 10^-2 exactly 0.95.
const scaled = (value: number, multiplier: number): number =>
  multiplier >= 0 ? value * 10 ** multiplier : value / 10 ** -multiplier;
const watts = (power: ActivePower): number => scaled(power.value, power.multiplier);

/** The lower of two optional limits (undefined: no limit). */
function lower(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

/** A CSIP-AUS limit in kW, or undefined when the control does not set it. */
const limitKw = (power: ActivePower | undefined): number | undefined =>
  power === undefined ? undefined : limitWatts(power) / 1000;

export interface SiteLimitsKw {
  /** Most export at the connection point, kW ≥ 0; undefined: no limit. */
  readonly maxExportKw?: number;
  /** Most import at the connection point, kW ≥ 0; undefined: no limit. */
  readonly maxImportKw?: number;
}

/**
 * The site's export and import limits a resolved control sets: the 2023 edition's opModMaxLimWInject /
 * Absorb and CSIP-AUS's opModExpLimW / opModImpLimW, the lower where both are set. This is what an
 * operating envelope becomes at the connection point.
 */
export function siteLimitsKw(base: DERControlBase): SiteLimitsKw {
  const exportKw = lower(limitKw(base.opModMaxLimWInject), limitKw(base.opModExpLimW));
  const importKw = lower(limitKw(base.opModMaxLimWAbsorb), limitKw(base.opModImpLimW));
  return {
    ...(exportKw === undefined ? {} : { maxExportKw: exportKw }),
    ...(importKw === undefined ? {} : { maxImportKw: importKw }),
  };
}

export function inverterDirective(
  base: DERControlBase,
  curves: ReadonlyMap<string, DERCurve>,
  device: InverterSettings,
): InverterDirective {
  const { rating } = device;
  const refused: RefusedMode[] = [];
  let settings: InverterSettings = device;

  /** Tries a change of settings; one the 1547 validation refuses is reported and not applied. */
  const trySettings = (mode: DerControlMode, next: InverterSettings): void => {
    const errors = validateInverterSettings(next);
    if (errors.length === 0) settings = next;
    else refused.push({ mode, status: RESPONSE_STATUS.notApplicable, reason: errors[0]?.toLine() ?? '' });
  };

  const pf = base.opModFixedPFInjectW;
  if (pf !== undefined) {
    const reactive: ReactivePowerMode = {
      kind: 'constant-power-factor',
      powerFactor: scaled(pf.displacement, pf.multiplier),
      excitation: pf.excitation ? 'absorbing' : 'injecting',
      openLoopResponseTimeS: MAX_OPEN_LOOP_RESPONSE_TIME_S.constantPowerFactor,
    };
    trySettings('opModFixedPFInjectW', { ...settings, reactive });
  } else if (base.opModVoltVar !== undefined) {
    const curve = curves.get(base.opModVoltVar.href);
    const points = curve === undefined ? 'no curve' : voltVarPoints(curve, settings);
    if (typeof points === 'string') {
      refused.push({ mode: 'opModVoltVar', status: RESPONSE_STATUS.invalid, reason: points });
    } else {
      const defaults = defaultVoltVarMode(settings.normalCategory);
      trySettings('opModVoltVar', { ...settings, reactive: { ...defaults, points } });
    }
  }

  if (base.opModVoltWatt !== undefined) {
    const curve = curves.get(base.opModVoltWatt.href);
    const points = curve === undefined ? 'no curve' : voltWattPoints(curve);
    if (typeof points === 'string') {
      refused.push({ mode: 'opModVoltWatt', status: RESPONSE_STATUS.invalid, reason: points });
    } else {
      const openLoopResponseTimeS =
        settings.voltWatt?.openLoopResponseTimeS ?? DEFAULT_VOLT_WATT.openLoopResponseTimeS;
      trySettings('opModVoltWatt', { ...settings, voltWatt: { points, openLoopResponseTimeS } });
    }
  }

  let setpointKw: number | undefined;
  if (base.opModTargetW !== undefined) {
    setpointKw = -watts(base.opModTargetW) / 1000;
  } else if (base.opModFixedW !== undefined) {
    const share = base.opModFixedW / 10_000;
    setpointKw = share >= 0 ? -share * rating.pRatedKw : -share * rating.pMaxAbsorbKw;
  }

  const maxGenerationKw = lower(
    base.opModMaxLimW === undefined ? undefined : (base.opModMaxLimW / 10_000) * rating.pRatedKw,
    limitKw(base.opModGenLimW),
  );
  const maxLoadKw = limitKw(base.opModLoadLimW);
  return {
    settings,
    connected: base.opModConnect !== false && base.opModEnergize !== false,
    ...(maxGenerationKw === undefined ? {} : { maxGenerationKw }),
    ...siteLimitsKw(base),
    ...(maxLoadKw === undefined ? {} : { maxLoadKw }),
    ...(setpointKw === undefined ? {} : { setpointKw }),
    refused,
  };
}

/** The curve's points as (x %, y %) pairs, or why they cannot be read. */
function percentPoints(curve: DERCurve, type: number): { x: number; y: number }[] | string {
  if (curve.curveType !== type) return `curve ${curve.mRID} has curveType ${curve.curveType}, not ${type}`;
  return curve.CurveData.map((p) => ({
    x: scaled(p.xvalue, curve.xMultiplier),
    y: scaled(p.yvalue, curve.yMultiplier),
  }));
}

/** Volt-var: x % of nominal voltage, y % of the reactive reference; tenet's Q is per unit of S_rated. */
function voltVarPoints(curve: DERCurve, settings: InverterSettings): VoltVarPoint[] | string {
  const points = percentPoints(curve, CURVE_TYPE.voltVar);
  if (typeof points === 'string') return points;
  const { rating } = settings;
  const perUnitOfS = (yPercent: number): number | undefined => {
    const share = yPercent / 100;
    switch (curve.yRefType) {
      case Y_REF.setMaxVar:
      case Y_REF.statVarAvail:
        return (
          (share * (share >= 0 ? rating.qMaxInjectionKvar : rating.qMaxAbsorptionKvar)) / rating.sRatedKva
        );
      case Y_REF.setMaxVA:
        return share;
      case Y_REF.setMaxW:
        return (share * rating.pRatedKw) / rating.sRatedKva;
      default:
        return undefined;
    }
  };
  const out: VoltVarPoint[] = [];
  for (const p of points) {
    const qInjectionPu = perUnitOfS(p.y);
    if (qInjectionPu === undefined)
      return `volt-var curve ${curve.mRID}: yRefType ${curve.yRefType} is not a var reference`;
    out.push({ vPu: p.x / 100, qInjectionPu });
  }
  return out;
}

/** Volt-watt: x % of nominal voltage, y % of setMaxW (the generation limit). */
function voltWattPoints(curve: DERCurve): VoltWattPoint[] | string {
  const points = percentPoints(curve, CURVE_TYPE.voltWatt);
  if (typeof points === 'string') return points;
  if (curve.yRefType !== Y_REF.setMaxW) {
    return `volt-watt curve ${curve.mRID}: yRefType ${curve.yRefType} is not %setMaxW`;
  }
  return points.map((p) => ({ vPu: p.x / 100, pGenerationPu: p.y / 100 }));
}

/** What the site around the inverter does now (kW, load reference). */
export interface SiteConditions {
  /** What the inverter would do without a control: PV at its available power, a battery's own plan. */
  readonly desiredKw: number;
  /** The most it can generate now (PV: the sun; battery: its discharge limit), ≥ 0. */
  readonly availableGenerationKw: number;
  /** The rest of the site's load at the meter, so the site limits can be met. */
  readonly siteLoadKw: number;
}

/**
 * The inverter's active power, kW load reference, under the directive's limits and setpoint, before its
 * 1547 functions (volt-watt, reactive priority) act. The device's own bounds win over a limit it cannot
 * meet (an import cap below what the site's other loads draw cannot be met by discharging more than the
 * battery can).
 */
export function directedActivePowerKw(
  directive: InverterDirective,
  settings: InverterSettings,
  site: SiteConditions,
): number {
  if (!directive.connected) return 0;
  let pKw = directive.setpointKw ?? site.desiredKw;
  if (directive.maxGenerationKw !== undefined) pKw = Math.max(pKw, -directive.maxGenerationKw);
  if (directive.maxLoadKw !== undefined) pKw = Math.min(pKw, directive.maxLoadKw);
  if (directive.maxExportKw !== undefined) pKw = Math.max(pKw, -directive.maxExportKw - site.siteLoadKw);
  if (directive.maxImportKw !== undefined) pKw = Math.min(pKw, directive.maxImportKw - site.siteLoadKw);
  const minKw = -Math.max(0, site.availableGenerationKw);
  return Math.min(settings.rating.pMaxAbsorbKw, Math.max(minKw, pKw)) + 0;
}
