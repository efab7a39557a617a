/**
 * IEEE 1547-2018 default settings and allowed ranges, as numbers the code needs. Transcribed from
 * test/fixtures/der/ieee1547-defaults.json (see its SOURCE.md); ieee1547-defaults.test.ts checks every
 * value here against that file, so runtime code never reads it.
 *
 * Per unit: voltage of V_N, active power of P_rated, reactive power of S_rated. Curve reactive powers
 * follow the standard's sign: positive = injection (over-excited). The device interface converts them to
 * the load reference of DESIGN.md (see power-limits.ts).
 */

/** Normal operating performance category (reactive power and voltage regulation, clause 5). */
export type NormalPerformanceCategory = 'A' | 'B';
/** Abnormal operating performance category (ride-through, clause 6). */
export type AbnormalPerformanceCategory = 'I' | 'II' | 'III';

export const NOMINAL_FREQUENCY_HZ = 60;

/** Minimum reactive capability at rated active power (clause 5.2, Table 6), per unit of S_rated. */
export const MIN_REACTIVE_CAPABILITY_PU: Readonly<
  Record<NormalPerformanceCategory, { readonly injectionPu: number; readonly absorptionPu: number }>
> = {
  A: { injectionPu: 0.44, absorptionPu: 0.25 },
  B: { injectionPu: 0.44, absorptionPu: 0.44 },
};

/**
 * The capability requirement below 0.2 P_rated (clause 5.2): it falls linearly to a quarter at 0.05 P_rated
 * and is zero below. Points of |P| (pu of P_rated) and the fraction of full capability.
 */
export const REACTIVE_CAPABILITY_DERATE_POINTS: readonly {
  readonly pPu: number;
  readonly fraction: number;
}[] = [
  { pPu: 0, fraction: 0 },
  { pPu: 0.04999, fraction: 0 },
  { pPu: 0.05, fraction: 0.25 },
  { pPu: 0.2, fraction: 1 },
  { pPu: 1, fraction: 1 },
];

/** The lowest power factor a constant-PF setting may ask for (clause 5.3.2). */
export const MIN_POWER_FACTOR: Readonly<
  Record<NormalPerformanceCategory, { readonly injecting: number; readonly absorbing: number }>
> = {
  A: { injecting: 0.9, absorbing: 0.97 },
  B: { injecting: 0.9, absorbing: 0.9 },
};

/** Maximum open-loop response times of the modes without their own curve default (clause 5.3). */
export const MAX_OPEN_LOOP_RESPONSE_TIME_S = {
  constantPowerFactor: 10,
  constantReactivePower: 10,
  wattVar: 10,
  limitActivePower: 30,
} as const;

export interface VoltVarPoint {
  readonly vPu: number;
  /** Positive = injection (over-excited), per unit of S_rated. */
  readonly qInjectionPu: number;
}

export interface VoltVarDefaults {
  readonly vrefPu: number;
  /** V1..V4 in increasing voltage. */
  readonly points: readonly [VoltVarPoint, VoltVarPoint, VoltVarPoint, VoltVarPoint];
  readonly openLoopResponseTimeS: number;
}

/** Default volt-var curves (clause 5.3.3, Table 8). Category A has no deadband (V2 = V3 = V_ref). */
export const DEFAULT_VOLT_VAR: Readonly<Record<NormalPerformanceCategory, VoltVarDefaults>> = {
  A: {
    vrefPu: 1.0,
    points: [
      { vPu: 0.9, qInjectionPu: 0.25 },
      { vPu: 1.0, qInjectionPu: 0 },
      { vPu: 1.0, qInjectionPu: 0 },
      { vPu: 1.1, qInjectionPu: -0.25 },
    ],
    openLoopResponseTimeS: 10,
  },
  B: {
    vrefPu: 1.0,
    points: [
      { vPu: 0.92, qInjectionPu: 0.44 },
      { vPu: 0.98, qInjectionPu: 0 },
      { vPu: 1.02, qInjectionPu: 0 },
      { vPu: 1.08, qInjectionPu: -0.44 },
    ],
    openLoopResponseTimeS: 5,
  },
};

/** Category B volt-var ranges (Table 8), relative to V_ref where the standard says so. */
export const VOLT_VAR_RANGES_B = {
  vrefPu: [0.95, 1.05],
  /** V2 in [V_ref − 0.03, V_ref]; V3 in [V_ref, V_ref + 0.03]. */
  v2BelowVrefMaxPu: 0.03,
  v3AboveVrefMaxPu: 0.03,
  /** V1 in [V_ref − 0.18, V2 − 0.02]; V4 in [V3 + 0.02, V_ref + 0.18]. */
  outerPointFromVrefMaxPu: 0.18,
  outerPointFromInnerMinPu: 0.02,
  openLoopResponseTimeS: [1, 90],
} as const;

/** Autonomous V_ref adjustment (clause 5.3.3): off by default, time constant 300 s, range 300–5000 s. */
export const VREF_AUTONOMOUS_ADJUSTMENT = {
  defaultEnabled: false,
  timeConstantS: 300,
  timeConstantRangeS: [300, 5000],
} as const;

/** Watt-var (clause 5.3.4, Table 9): P points as generation, per unit of P_rated. */
export const DEFAULT_WATT_VAR = {
  p1MinGenerationPu: 0.2,
  p2GenerationPu: 0.5,
  p3GenerationPu: 1.0,
  q3InjectionPu: { A: -0.25, B: -0.44 } as Readonly<Record<NormalPerformanceCategory, number>>,
  /** Absorbing active power (storage charging): mirrored P points and Q'3 = +0.44 for both categories. */
  q3AbsorbingInjectionPu: 0.44,
  p2RangeGenerationPu: [0.4, 0.8],
  /** P3 in [P2 + 0.1, 1.0]. */
  p3AboveP2MinPu: 0.1,
} as const;

/** Volt-watt (clause 5.4.2, Table 10): the same defaults for Categories A and B. */
export const DEFAULT_VOLT_WATT = {
  v1Pu: 1.06,
  p1GenerationPu: 1.0,
  v2Pu: 1.1,
  /** Generation only: P2 = min(0.2, P_min / P_rated). */
  p2GenerationOnlyMaxPu: 0.2,
  /** DER that can absorb active power: P2 = 0. */
  p2CanAbsorbPu: 0,
  openLoopResponseTimeS: 10,
  v1RangePu: [1.05, 1.09],
  v2MaxPu: 1.1,
  openLoopResponseTimeRangeS: [0.5, 60],
} as const;

/** Frequency droop (clause 6.5.2.7, Table 24): same defaults for Categories I, II and III. */
export const DEFAULT_FREQUENCY_DROOP = {
  dbOfHz: 0.036,
  dbUfHz: 0.036,
  kOf: 0.05,
  kUf: 0.05,
  openLoopResponseTimeS: 5,
  deadbandRangeHz: [0.017, 1.0],
  kRange: { I: [0.03, 0.05], II: [0.03, 0.05], III: [0.02, 0.05] } as Readonly<
    Record<AbnormalPerformanceCategory, readonly [number, number]>
  >,
  openLoopResponseTimeRangeS: { I: [1, 10], II: [1, 10], III: [0.2, 10] } as Readonly<
    Record<AbnormalPerformanceCategory, readonly [number, number]>
  >,
} as const;

export interface TripSetting {
  readonly thresholdPu: number;
  readonly clearingTimeS: number;
}

export interface VoltageTripSettings {
  readonly ov2: TripSetting;
  readonly ov1: TripSetting;
  readonly uv1: TripSetting;
  readonly uv2: TripSetting;
}

/** Voltage trip defaults (clause 6.4.1, Tables 11–13). */
export const DEFAULT_VOLTAGE_TRIP: Readonly<Record<AbnormalPerformanceCategory, VoltageTripSettings>> = {
  I: {
    ov2: { thresholdPu: 1.2, clearingTimeS: 0.16 },
    ov1: { thresholdPu: 1.1, clearingTimeS: 2 },
    uv1: { thresholdPu: 0.7, clearingTimeS: 2 },
    uv2: { thresholdPu: 0.45, clearingTimeS: 0.16 },
  },
  II: {
    ov2: { thresholdPu: 1.2, clearingTimeS: 0.16 },
    ov1: { thresholdPu: 1.1, clearingTimeS: 2 },
    uv1: { thresholdPu: 0.7, clearingTimeS: 10 },
    uv2: { thresholdPu: 0.45, clearingTimeS: 0.16 },
  },
  III: {
    ov2: { thresholdPu: 1.2, clearingTimeS: 0.16 },
    ov1: { thresholdPu: 1.1, clearingTimeS: 13 },
    uv1: { thresholdPu: 0.88, clearingTimeS: 21 },
    uv2: { thresholdPu: 0.5, clearingTimeS: 2 },
  },
};

export interface FrequencyTripSetting {
  readonly thresholdHz: number;
  readonly clearingTimeS: number;
}

export interface FrequencyTripSettings {
  readonly of2: FrequencyTripSetting;
  readonly of1: FrequencyTripSetting;
  readonly uf1: FrequencyTripSetting;
  readonly uf2: FrequencyTripSetting;
}

/** Frequency trip defaults (clause 6.5.1, Table 14), the same for Categories I–III. */
export const DEFAULT_FREQUENCY_TRIP: FrequencyTripSettings = {
  of2: { thresholdHz: 62.0, clearingTimeS: 0.16 },
  of1: { thresholdHz: 61.2, clearingTimeS: 300 },
  uf1: { thresholdHz: 58.5, clearingTimeS: 300 },
  uf2: { thresholdHz: 56.5, clearingTimeS: 0.16 },
};

export interface EnterServiceSettings {
  readonly minVoltagePu: number;
  readonly maxVoltagePu: number;
  readonly minFrequencyHz: number;
  readonly maxFrequencyHz: number;
  readonly delayS: number;
  readonly rampPeriodS: number;
}

/** Enter-service criteria (clause 4.10, Table 4). */
export const DEFAULT_ENTER_SERVICE: EnterServiceSettings = {
  minVoltagePu: 0.917,
  maxVoltagePu: 1.05,
  minFrequencyHz: 59.5,
  maxFrequencyHz: 60.1,
  delayS: 300,
  rampPeriodS: 300,
};
