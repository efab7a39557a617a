/**
 * CSIP-AUS site and device limits: the four extension elements Australian utilities' 2030.5 servers send in
 * DERControlBase, in their own namespace (https://csipaus.org/ns), after the 2030.5 elements (sep.xsd ends
 * DERControlBase with `xs:any namespace="##other"`, which is where they sit):
 *
 * - opModImpLimW: the most active power the site may import at its connection point;
 * - opModExpLimW: the most active power the site may export at its connection point (the dynamic export
 *   limit, the operating envelope's export side);
 * - opModGenLimW: the most a device (or group of devices) may generate or discharge;
 * - opModLoadLimW: the most a device (or group of devices) may draw or charge.
 *
 * Each is a 2030.5 ActivePower (value × 10^multiplier W, value Int16, multiplier −9..9) whose `multiplier`
 * and `value` children are 2030.5 elements (unprefixed in a document whose default namespace is 2030.5's).
 * A DefaultDERControl carries them too: a device with no active control (its schedule ran out, or it lost
 * the server) falls back to the default's limits.
 *
 * Reading is strict beyond the schema: a limit is a magnitude, so a negative value is refused, and a
 * multiplier outside −9..9 (the range sep.xsd says a device must support) is refused; both name the path.
 */
import { TeError } from '../core/errors.js';
import type { ElementField, IntKind, TypeSpec, XmlNamespace } from './codec.js';

export const CSIPAUS_NAMESPACE = 'https://csipaus.org/ns';
export const CSIPAUS: XmlNamespace = { prefix: 'csipaus', uri: CSIPAUS_NAMESPACE };

/** A CSIP-AUS limit: value × 10^multiplier W, value ≥ 0. */
export interface CsipAusActivePower {
  readonly multiplier: number;
  readonly value: number;
}

/** The CSIP-AUS members of DERControlBase. */
export interface CsipAusLimits {
  readonly opModImpLimW?: CsipAusActivePower;
  readonly opModExpLimW?: CsipAusActivePower;
  readonly opModGenLimW?: CsipAusActivePower;
  readonly opModLoadLimW?: CsipAusActivePower;
}

export const CSIPAUS_LIMIT_MODES = ['opModImpLimW', 'opModExpLimW', 'opModGenLimW', 'opModLoadLimW'] as const;
export type CsipAusLimitMode = (typeof CSIPAUS_LIMIT_MODES)[number];

/** sep.xsd PowerOfTenMultiplierType: "any integer between -9 and 9 SHALL be supported". */
export const POWER_OF_TEN_MULTIPLIER: IntKind = { int: [-9, 9] };
/** ActivePower's value is an Int16; a limit cannot be negative. */
const LIMIT_VALUE: IntKind = { int: [0, 32_767] };

const limitPowerSpec: TypeSpec = {
  type: 'ActivePower',
  attributes: [],
  elements: [
    { name: 'multiplier', kind: POWER_OF_TEN_MULTIPLIER, required: true },
    { name: 'value', kind: LIMIT_VALUE, required: true },
  ],
};

/** The extension's elements of DERControlBase, in the CSIP-AUS schema's order (Imp, Exp, Gen, Load). */
export const CSIPAUS_DER_CONTROL_BASE_ELEMENTS: readonly ElementField[] = CSIPAUS_LIMIT_MODES.map((name) => ({
  name,
  kind: limitPowerSpec,
  namespace: CSIPAUS,
}));

/** Watts a limit allows. Dividing for negative powers of ten keeps 15 × 10^-1 exactly 1.5. */
export function limitWatts(power: CsipAusActivePower): number {
  return power.multiplier >= 0 ? power.value * 10 ** power.multiplier : power.value / 10 ** -power.multiplier;
}

const MAX_VALUE = 32_767;

/**
 * A limit in watts as it travels: the smallest multiplier ≥ 0 whose value fits an Int16, the value rounded
 * DOWN, so the limit on the wire never allows more than the one computed (the safe side for both import
 * and export). Up to 32,767 W the error is under 1 W; to 327 kW under 10 W; and so on. Undefined for an
 * unbounded (infinite) limit: the element is left out, which means no limit. NaN or a negative limit is a
 * bug upstream and is refused.
 */
export function limitFromWatts(watts: number): CsipAusActivePower | undefined {
  if (watts === Number.POSITIVE_INFINITY) return undefined;
  if (!(watts >= 0)) {
    throw new TeError(
      'TE_ERR_VALIDATION',
      `a CSIP-AUS limit must be a finite number of watts ≥ 0, got ${watts}`,
      {
        hint: 'an envelope limit is a magnitude; leave it out for no limit',
      },
    );
  }
  let multiplier = 0;
  while (watts / 10 ** multiplier > MAX_VALUE) multiplier += 1;
  if (multiplier > 9) {
    throw new TeError('TE_ERR_VALIDATION', `a CSIP-AUS limit of ${watts} W is beyond 32,767 × 10^9 W`);
  }
  // A nanowatt of slack so a float product such as 2.3 kW × 1000 = 2299.9999999999995 W goes as 2300.
  return { multiplier, value: Math.floor(watts / 10 ** multiplier + 1e-9) };
}
