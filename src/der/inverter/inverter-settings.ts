/**
 * Settings of an IEEE 1547-2018 smart inverter: its rating, its performance categories, one reactive
 * power mode and the optional active power functions. Curves use the standard's signs (reactive power
 * positive = injection, active power positive = generation) so that a setting reads like the standard's
 * tables and SunSpec models 705–712; commands at the device interface use the load reference
 * (power-limits.ts).
 */
import {
  DEFAULT_FREQUENCY_DROOP,
  DEFAULT_VOLT_VAR,
  DEFAULT_VOLT_WATT,
  DEFAULT_WATT_VAR,
  MAX_OPEN_LOOP_RESPONSE_TIME_S,
  MIN_REACTIVE_CAPABILITY_PU,
  VREF_AUTONOMOUS_ADJUSTMENT,
  type AbnormalPerformanceCategory,
  type NormalPerformanceCategory,
  type VoltVarPoint,
} from './ieee1547-defaults.js';

export interface InverterRating {
  /** Apparent power limit. */
  readonly sRatedKva: number;
  /** Largest active power output (generation or discharge); the base of active power per unit. */
  readonly pRatedKw: number;
  /** Largest active power the DER can absorb (storage charging); 0 for PV. */
  readonly pMaxAbsorbKw: number;
  readonly qMaxInjectionKvar: number;
  readonly qMaxAbsorptionKvar: number;
}

/** Which gives way when P and Q together exceed the kVA rating or the reactive capability. */
export type PowerPriority = 'reactive' | 'active';

/** Constant power factor (clause 5.3.2): |Q| = |P|·tan(acos(pf)), the excitation says its direction. */
export interface ConstantPowerFactorMode {
  readonly kind: 'constant-power-factor';
  readonly powerFactor: number;
  /** Injecting = over-excited (capacitive, raises voltage); absorbing = under-excited. */
  readonly excitation: 'injecting' | 'absorbing';
  readonly openLoopResponseTimeS: number;
}

/** Constant reactive power (clause 5.3.5). */
export interface ConstantReactivePowerMode {
  readonly kind: 'constant-reactive-power';
  /** Positive = injection, per unit of S_rated. */
  readonly qInjectionPu: number;
  readonly openLoopResponseTimeS: number;
}

export interface VrefAdjustment {
  readonly enabled: boolean;
  /** V_ref follows the measured voltage as a first-order lag with this time constant. */
  readonly timeConstantS: number;
}

/** Voltage-reactive power (clause 5.3.3): four points V1..V4 in increasing voltage. */
export interface VoltVarMode {
  readonly kind: 'volt-var';
  readonly vrefPu: number;
  readonly points: readonly VoltVarPoint[];
  readonly openLoopResponseTimeS: number;
  readonly vrefAdjustment: VrefAdjustment;
}

export interface WattVarPoint {
  /** Positive = generation, negative = absorption (charging), per unit of P_rated. */
  readonly pGenerationPu: number;
  readonly qInjectionPu: number;
}

/** Active power-reactive power (clause 5.3.4): points in increasing active power. */
export interface WattVarMode {
  readonly kind: 'watt-var';
  readonly points: readonly WattVarPoint[];
  readonly openLoopResponseTimeS: number;
}

export type ReactivePowerMode =
  ConstantPowerFactorMode | ConstantReactivePowerMode | VoltVarMode | WattVarMode;

export interface VoltWattPoint {
  readonly vPu: number;
  /** Limit on generation, per unit of P_rated; negative asks a storage DER to absorb (charge). */
  readonly pGenerationPu: number;
}

/** Voltage-active power (clause 5.4.2): points V1 < V2 with P1 ≥ P2. */
export interface VoltWattSettings {
  readonly points: readonly VoltWattPoint[];
  readonly openLoopResponseTimeS: number;
}

/** Frequency droop (clause 6.5.2.7). */
export interface FrequencyDroopSettings {
  readonly dbOfHz: number;
  readonly dbUfHz: number;
  /** Per-unit frequency change for a 1 pu change of power (5 % droop = 0.05). */
  readonly kOf: number;
  readonly kUf: number;
  readonly openLoopResponseTimeS: number;
  /** Lowest generation the prime mover allows, per unit of P_rated (negative for storage: charging). */
  readonly pMinGenerationPu: number;
}

/** The functions of one inverter; the rating comes from the device (see inverterRatingFor). */
export interface InverterFunctions {
  readonly normalCategory: NormalPerformanceCategory;
  readonly abnormalCategory: AbnormalPerformanceCategory;
  readonly reactive: ReactivePowerMode;
  readonly voltWatt?: VoltWattSettings;
  readonly frequencyDroop?: FrequencyDroopSettings;
  /**
   * IEEE 1547 clause 5.3 gives reactive power priority in the voltage-regulation modes: active power is
   * reduced to make room for the commanded Q. 'active' keeps P and clips Q instead.
   */
  readonly priority: PowerPriority;
  /** Reactive capability per unit of S_rated; the category minimum (Table 6) when left out. */
  readonly qMaxInjectionPu?: number;
  readonly qMaxAbsorptionPu?: number;
}

export interface InverterSettings extends InverterFunctions {
  readonly rating: InverterRating;
}

/** The rating of a device from its kVA and active power limits, with the functions' reactive capability. */
export function inverterRatingFor(
  functions: Pick<InverterFunctions, 'normalCategory' | 'qMaxInjectionPu' | 'qMaxAbsorptionPu'>,
  sRatedKva: number,
  pRatedKw: number,
  pMaxAbsorbKw: number,
): InverterRating {
  const minimum = MIN_REACTIVE_CAPABILITY_PU[functions.normalCategory];
  return {
    sRatedKva,
    pRatedKw,
    pMaxAbsorbKw,
    qMaxInjectionKvar: (functions.qMaxInjectionPu ?? minimum.injectionPu) * sRatedKva,
    qMaxAbsorptionKvar: (functions.qMaxAbsorptionPu ?? minimum.absorptionPu) * sRatedKva,
  };
}

/** Unity power factor: the default reactive mode (IEEE 1547 default, marked unverified in the fixture). */
export const UNITY_POWER_FACTOR: ConstantPowerFactorMode = {
  kind: 'constant-power-factor',
  powerFactor: 1,
  excitation: 'injecting',
  openLoopResponseTimeS: MAX_OPEN_LOOP_RESPONSE_TIME_S.constantPowerFactor,
};

export function defaultVoltVarMode(category: NormalPerformanceCategory): VoltVarMode {
  const defaults = DEFAULT_VOLT_VAR[category];
  return {
    kind: 'volt-var',
    vrefPu: defaults.vrefPu,
    points: defaults.points,
    openLoopResponseTimeS: defaults.openLoopResponseTimeS,
    vrefAdjustment: {
      enabled: VREF_AUTONOMOUS_ADJUSTMENT.defaultEnabled,
      timeConstantS: VREF_AUTONOMOUS_ADJUSTMENT.timeConstantS,
    },
  };
}

/**
 * Default watt-var curve (Table 9). P1 = max(0.2, P_min/P_rated); a DER that can absorb active power
 * gets the mirrored absorbing branch with Q'3 = +0.44.
 */
export function defaultWattVarMode(
  category: NormalPerformanceCategory,
  canAbsorb: boolean,
  pMinGenerationPu = 0,
): WattVarMode {
  const d = DEFAULT_WATT_VAR;
  const p1 = Math.max(d.p1MinGenerationPu, pMinGenerationPu);
  const generating: WattVarPoint[] = [
    { pGenerationPu: p1, qInjectionPu: 0 },
    { pGenerationPu: d.p2GenerationPu, qInjectionPu: 0 },
    { pGenerationPu: d.p3GenerationPu, qInjectionPu: d.q3InjectionPu[category] },
  ];
  const absorbing: WattVarPoint[] = canAbsorb
    ? [
        { pGenerationPu: -d.p3GenerationPu, qInjectionPu: d.q3AbsorbingInjectionPu },
        { pGenerationPu: -d.p2GenerationPu, qInjectionPu: 0 },
        { pGenerationPu: -d.p1MinGenerationPu, qInjectionPu: 0 },
      ]
    : [];
  return {
    kind: 'watt-var',
    points: [...absorbing, ...generating],
    openLoopResponseTimeS: MAX_OPEN_LOOP_RESPONSE_TIME_S.wattVar,
  };
}

/** Default volt-watt (Table 10): P2 = min(0.2, P_min/P_rated) for generation only, 0 if it can absorb. */
export function defaultVoltWatt(canAbsorb: boolean, pMinGenerationPu = 0): VoltWattSettings {
  const d = DEFAULT_VOLT_WATT;
  const p2 = canAbsorb ? d.p2CanAbsorbPu : Math.min(d.p2GenerationOnlyMaxPu, pMinGenerationPu);
  return {
    points: [
      { vPu: d.v1Pu, pGenerationPu: d.p1GenerationPu },
      { vPu: d.v2Pu, pGenerationPu: p2 },
    ],
    openLoopResponseTimeS: d.openLoopResponseTimeS,
  };
}

export function defaultFrequencyDroop(pMinGenerationPu = 0): FrequencyDroopSettings {
  const d = DEFAULT_FREQUENCY_DROOP;
  return {
    dbOfHz: d.dbOfHz,
    dbUfHz: d.dbUfHz,
    kOf: d.kOf,
    kUf: d.kUf,
    openLoopResponseTimeS: d.openLoopResponseTimeS,
    pMinGenerationPu,
  };
}

/** Category B / II with unity power factor, reactive priority and no active power functions. */
export const DEFAULT_INVERTER_FUNCTIONS: InverterFunctions = {
  normalCategory: 'B',
  abnormalCategory: 'II',
  reactive: UNITY_POWER_FACTOR,
  priority: 'reactive',
};
