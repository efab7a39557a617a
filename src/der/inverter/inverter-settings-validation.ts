/**
 * Validation of user inverter settings against IEEE 1547-2018's allowed ranges (where the fixture gives
 * them) and the shape the curves need. Range errors are TE_ERR_DER_PARAMETER, curve-order errors
 * TE_ERR_DER_CURVE; every error's path names the parameter, e.g. `inverter.reactive.points[2].vPu`.
 */
import { TeError } from '../../core/errors.js';
import { ParameterChecker } from '../parameter-checks.js';
import {
  DEFAULT_FREQUENCY_DROOP,
  DEFAULT_VOLT_WATT,
  DEFAULT_WATT_VAR,
  MIN_POWER_FACTOR,
  MIN_REACTIVE_CAPABILITY_PU,
  VOLT_VAR_RANGES_B,
  VREF_AUTONOMOUS_ADJUSTMENT,
} from './ieee1547-defaults.js';
import type {
  FrequencyDroopSettings,
  InverterFunctions,
  InverterRating,
  InverterSettings,
  ReactivePowerMode,
  VoltWattSettings,
} from './inverter-settings.js';

const KIND = 'inverter';

function curveError(name: string, message: string, hint: string): TeError {
  return new TeError('TE_ERR_DER_CURVE', `${KIND} curve ${name}: ${message}`, {
    path: `${KIND}.${name}`,
    hint,
  });
}

/** x strictly increasing (or non-decreasing where `allowEqual`), y non-increasing along it. */
function checkCurveOrder(
  errors: TeError[],
  name: string,
  xs: readonly number[],
  ys: readonly number[],
  xName: string,
  yName: string,
  allowEqualX: boolean,
): void {
  for (let i = 1; i < xs.length; i++) {
    const x0 = xs[i - 1] as number;
    const x1 = xs[i] as number;
    if (allowEqualX ? x1 < x0 : x1 <= x0) {
      errors.push(
        curveError(
          `${name}[${i}].${xName}`,
          `${xName} = ${x1} must be ${allowEqualX ? 'at least' : 'above'} the previous point's ${x0}`,
          `list the points in increasing ${xName}`,
        ),
      );
    }
    const y0 = ys[i - 1] as number;
    const y1 = ys[i] as number;
    if (y1 > y0) {
      errors.push(
        curveError(
          `${name}[${i}].${yName}`,
          `${yName} = ${y1} rises above the previous point's ${y0}; the curve must not increase`,
          `make ${yName} non-increasing along the curve`,
        ),
      );
    }
  }
}

function validateReactiveMode(
  mode: ReactivePowerMode,
  functions: InverterFunctions,
  qMaxInjectionPu: number,
  qMaxAbsorptionPu: number,
  c: ParameterChecker,
  errors: TeError[],
): void {
  const category = functions.normalCategory;
  switch (mode.kind) {
    case 'constant-power-factor': {
      const minPf = MIN_POWER_FACTOR[category][mode.excitation];
      c.range('reactive.powerFactor', mode.powerFactor, minPf, 1);
      c.oneOf('reactive.excitation', mode.excitation, ['injecting', 'absorbing']);
      c.range('reactive.openLoopResponseTimeS', mode.openLoopResponseTimeS, 0, 10, 's');
      return;
    }
    case 'constant-reactive-power':
      c.range('reactive.qInjectionPu', mode.qInjectionPu, -qMaxAbsorptionPu, qMaxInjectionPu, 'pu');
      c.range('reactive.openLoopResponseTimeS', mode.openLoopResponseTimeS, 0, 10, 's');
      return;
    case 'volt-var': {
      const [vrefMin, vrefMax] = VOLT_VAR_RANGES_B.vrefPu;
      c.range('reactive.vrefPu', mode.vrefPu, vrefMin, vrefMax, 'pu');
      const [olrtMin, olrtMax] = VOLT_VAR_RANGES_B.openLoopResponseTimeS;
      c.range('reactive.openLoopResponseTimeS', mode.openLoopResponseTimeS, olrtMin, olrtMax, 's');
      if (mode.vrefAdjustment.enabled) {
        const [tMin, tMax] = VREF_AUTONOMOUS_ADJUSTMENT.timeConstantRangeS;
        c.range('reactive.vrefAdjustment.timeConstantS', mode.vrefAdjustment.timeConstantS, tMin, tMax, 's');
      }
      if (mode.points.length !== 4) {
        errors.push(
          curveError('reactive.points', `has ${mode.points.length} points`, 'give the four points V1..V4'),
        );
        return;
      }
      const [p1, p2, p3, p4] = mode.points as readonly [
        (typeof mode.points)[0],
        (typeof mode.points)[0],
        (typeof mode.points)[0],
        (typeof mode.points)[0],
      ];
      mode.points.forEach((point, i) => {
        c.range(
          `reactive.points[${i}].qInjectionPu`,
          point.qInjectionPu,
          -qMaxAbsorptionPu,
          qMaxInjectionPu,
          'pu',
        );
      });
      checkCurveOrder(
        errors,
        'reactive.points',
        mode.points.map((p) => p.vPu),
        mode.points.map((p) => p.qInjectionPu),
        'vPu',
        'qInjectionPu',
        true,
      );
      if (p2.vPu > p3.vPu || p1.vPu >= p2.vPu || p3.vPu >= p4.vPu) return;
      // Table 8's ranges are for Category B; Category A's are not confirmed by a source (fixture).
      if (category === 'B') {
        const r = VOLT_VAR_RANGES_B;
        const vref = mode.vrefPu;
        c.range('reactive.points[1].vPu', p2.vPu, vref - r.v2BelowVrefMaxPu, vref, 'pu');
        c.range('reactive.points[2].vPu', p3.vPu, vref, vref + r.v3AboveVrefMaxPu, 'pu');
        c.range(
          'reactive.points[0].vPu',
          p1.vPu,
          vref - r.outerPointFromVrefMaxPu,
          p2.vPu - r.outerPointFromInnerMinPu,
          'pu',
        );
        c.range(
          'reactive.points[3].vPu',
          p4.vPu,
          p3.vPu + r.outerPointFromInnerMinPu,
          vref + r.outerPointFromVrefMaxPu,
          'pu',
        );
        c.range('reactive.points[0].qInjectionPu', p1.qInjectionPu, 0, qMaxInjectionPu, 'pu');
        c.range('reactive.points[3].qInjectionPu', p4.qInjectionPu, -qMaxAbsorptionPu, 0, 'pu');
      }
      return;
    }
    case 'watt-var': {
      c.range('reactive.openLoopResponseTimeS', mode.openLoopResponseTimeS, 0, 10, 's');
      mode.points.forEach((point, i) => {
        c.range(`reactive.points[${i}].pGenerationPu`, point.pGenerationPu, -1, 1, 'pu');
        c.range(
          `reactive.points[${i}].qInjectionPu`,
          point.qInjectionPu,
          -qMaxAbsorptionPu,
          qMaxInjectionPu,
          'pu',
        );
      });
      if (mode.points.length < 2) {
        errors.push(
          curveError('reactive.points', `has ${mode.points.length} points`, 'give at least two points'),
        );
        return;
      }
      const errorsBefore = errors.length;
      checkCurveOrder(
        errors,
        'reactive.points',
        mode.points.map((p) => p.pGenerationPu),
        mode.points.map((p) => p.qInjectionPu),
        'pGenerationPu',
        'qInjectionPu',
        false,
      );
      if (errors.length > errorsBefore) return;
      // Table 9's ranges for the three generating points P1 < P2 < P3.
      const firstGenerating = mode.points.findIndex((p) => p.pGenerationPu > 0);
      const generating = firstGenerating < 0 ? [] : mode.points.slice(firstGenerating);
      if (generating.length === 3) {
        const p2 = (generating[1] as { pGenerationPu: number }).pGenerationPu;
        const p3 = (generating[2] as { pGenerationPu: number }).pGenerationPu;
        const [p2Min, p2Max] = DEFAULT_WATT_VAR.p2RangeGenerationPu;
        c.range(`reactive.points[${firstGenerating + 1}].pGenerationPu`, p2, p2Min, p2Max, 'pu');
        c.range(
          `reactive.points[${firstGenerating + 2}].pGenerationPu`,
          p3,
          p2 + DEFAULT_WATT_VAR.p3AboveP2MinPu,
          1,
          'pu',
        );
      }
      return;
    }
  }
}

function validateVoltWatt(
  settings: VoltWattSettings,
  rating: InverterRating,
  c: ParameterChecker,
  errors: TeError[],
): void {
  const [olrtMin, olrtMax] = DEFAULT_VOLT_WATT.openLoopResponseTimeRangeS;
  c.range('voltWatt.openLoopResponseTimeS', settings.openLoopResponseTimeS, olrtMin, olrtMax, 's');
  if (settings.points.length !== 2) {
    errors.push(
      curveError('voltWatt.points', `has ${settings.points.length} points`, 'give the two points V1, V2'),
    );
    return;
  }
  const [p1, p2] = settings.points as readonly [(typeof settings.points)[0], (typeof settings.points)[0]];
  checkCurveOrder(
    errors,
    'voltWatt.points',
    settings.points.map((p) => p.vPu),
    settings.points.map((p) => p.pGenerationPu),
    'vPu',
    'pGenerationPu',
    false,
  );
  const [v1Min, v1Max] = DEFAULT_VOLT_WATT.v1RangePu;
  c.range('voltWatt.points[0].vPu', p1.vPu, v1Min, v1Max, 'pu');
  if (p2.vPu > p1.vPu) c.range('voltWatt.points[1].vPu', p2.vPu, p1.vPu, DEFAULT_VOLT_WATT.v2MaxPu, 'pu');
  c.range('voltWatt.points[0].pGenerationPu', p1.pGenerationPu, 0, 1, 'pu');
  // A DER that can absorb may be asked to charge down to its absorption rating (Table 10, P2 for storage).
  const p2MinPu = -rating.pMaxAbsorbKw / rating.pRatedKw;
  c.range('voltWatt.points[1].pGenerationPu', p2.pGenerationPu, p2MinPu, 1, 'pu');
}

function validateFrequencyDroop(
  settings: FrequencyDroopSettings,
  functions: InverterFunctions,
  c: ParameterChecker,
): void {
  const d = DEFAULT_FREQUENCY_DROOP;
  const [dbMin, dbMax] = d.deadbandRangeHz;
  c.range('frequencyDroop.dbOfHz', settings.dbOfHz, dbMin, dbMax, 'Hz');
  c.range('frequencyDroop.dbUfHz', settings.dbUfHz, dbMin, dbMax, 'Hz');
  const [kMin, kMax] = d.kRange[functions.abnormalCategory];
  c.range('frequencyDroop.kOf', settings.kOf, kMin, kMax);
  c.range('frequencyDroop.kUf', settings.kUf, kMin, kMax);
  const [tMin, tMax] = d.openLoopResponseTimeRangeS[functions.abnormalCategory];
  c.range('frequencyDroop.openLoopResponseTimeS', settings.openLoopResponseTimeS, tMin, tMax, 's');
  c.range('frequencyDroop.pMinGenerationPu', settings.pMinGenerationPu, -1, 1, 'pu');
}

/** The reactive capability must meet the category's minimum (Table 6) and fit the kVA rating. */
export function validateInverterFunctions(
  functions: InverterFunctions,
  rating: InverterRating,
): readonly TeError[] {
  const c = new ParameterChecker(KIND);
  const errors: TeError[] = [];
  c.oneOf('normalCategory', functions.normalCategory, ['A', 'B']);
  c.oneOf('abnormalCategory', functions.abnormalCategory, ['I', 'II', 'III']);
  c.oneOf('priority', functions.priority, ['reactive', 'active']);
  c.range('rating.sRatedKva', rating.sRatedKva, 1e-3, 1e6, 'kVA');
  c.range('rating.pRatedKw', rating.pRatedKw, 1e-3, rating.sRatedKva, 'kW');
  c.range('rating.pMaxAbsorbKw', rating.pMaxAbsorbKw, 0, rating.sRatedKva, 'kW');
  const minimum = MIN_REACTIVE_CAPABILITY_PU[functions.normalCategory] ?? MIN_REACTIVE_CAPABILITY_PU.B;
  const qMaxInjectionPu = rating.qMaxInjectionKvar / rating.sRatedKva;
  const qMaxAbsorptionPu = rating.qMaxAbsorptionKvar / rating.sRatedKva;
  // A rating made as exactly the minimum (0.44 × 10.3 kVA) divides back to 0.43999...: check the minimum
  // on values rounded well below any meaningful kvar, or the category's own minimum would be refused.
  // The curves are checked against the capability widened by as much, for the same reason.
  c.range('rating.qMaxInjectionKvar', roundedPu(qMaxInjectionPu), minimum.injectionPu, 1, 'pu of sRatedKva');
  c.range(
    'rating.qMaxAbsorptionKvar',
    roundedPu(qMaxAbsorptionPu),
    minimum.absorptionPu,
    1,
    'pu of sRatedKva',
  );
  if (c.errors.length > 0) return c.errors;
  validateReactiveMode(
    functions.reactive,
    functions,
    qMaxInjectionPu + PU_ROUNDING,
    qMaxAbsorptionPu + PU_ROUNDING,
    c,
    errors,
  );
  if (functions.voltWatt !== undefined) validateVoltWatt(functions.voltWatt, rating, c, errors);
  if (functions.frequencyDroop !== undefined) validateFrequencyDroop(functions.frequencyDroop, functions, c);
  return [...c.errors, ...errors];
}

/** Far below any kvar that matters, far above float64's rounding of a product and a quotient. */
const PU_ROUNDING = 1e-9;

function roundedPu(valuePu: number): number {
  return Math.round(valuePu / PU_ROUNDING) * PU_ROUNDING;
}

export function validateInverterSettings(settings: InverterSettings): readonly TeError[] {
  return validateInverterFunctions(settings, settings.rating);
}
