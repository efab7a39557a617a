/**
 * DER controls: DERControlBase (the operating modes a control sets), DERControl events, their list and
 * the DefaultDERControl a device falls back to. Element order follows sep.xsd (schema version 2.2).
 *
 * sep.xsd has no opModExpLimW / opModImpLimW / opModGenLimW / opModLoadLimW: those are CSIP-AUS extension
 * elements in their own namespace (https://csipaus.org/ns), admitted by the `xs:any namespace="##other"`
 * that ends sep.xsd's DERControlBase; csip-aus.ts defines them and they are written after rampTms with the
 * `csipaus` prefix. The 2023 edition's own site limits are opModMaxLimWInject (most power sent out at the
 * reference point) and opModMaxLimWAbsorb (most power drawn); a control may carry both kinds.
 */
import { decodeSep, encodeSep, Int16, Int64, Int8, UInt16, UInt32, UInt8, type TypeSpec } from './codec.js';
import { CSIPAUS_DER_CONTROL_BASE_ELEMENTS, type CsipAusLimits } from './csip-aus.js';
import { LinkSpec, mRID, String32, type Link, type ListPage } from './resources.js';
import type { XmlLimits } from './xml.js';

/** A power as value × 10^multiplier watts. */
export interface ActivePower {
  readonly multiplier: number;
  readonly value: number;
}
export interface PowerFactorWithExcitation {
  /** The power factor × 10^-multiplier, for example 95 with multiplier -2 for 0.95. */
  readonly displacement: number;
  /** sep.xsd: true when the DER is absorbing reactive power (under-excited), false when injecting (over-excited). */
  readonly excitation: boolean;
  readonly multiplier: number;
}

export interface DERControlBase extends CsipAusLimits {
  readonly opModConnect?: boolean;
  readonly opModEnergize?: boolean;
  readonly opModFixedPFInjectW?: PowerFactorWithExcitation;
  /** Active power as hundredths of a percent of the device's maximum (SignedPerCent). */
  readonly opModFixedW?: number;
  readonly opModMaxLimW?: number;
  readonly opModMaxLimWAbsorb?: ActivePower;
  readonly opModMaxLimWInject?: ActivePower;
  readonly opModTargetW?: ActivePower;
  /** A link to the DERCurve the device follows in volt-var mode. */
  readonly opModVoltVar?: Link;
  readonly opModVoltWatt?: Link;
  /** Ramp time in hundredths of a second. */
  readonly rampTms?: number;
}

const signedActivePower: TypeSpec = {
  type: 'ActivePowerControlType',
  attributes: [],
  elements: [
    { name: 'multiplier', kind: Int8, required: true },
    { name: 'value', kind: Int16, required: true },
  ],
};
const unsignedActivePower: TypeSpec = {
  type: 'UnsignedActivePowerControlType',
  attributes: [],
  elements: [
    { name: 'multiplier', kind: Int8, required: true },
    { name: 'value', kind: UInt16, required: true },
  ],
};
const powerFactor: TypeSpec = {
  type: 'PowerFactorWithExcitationControlType',
  attributes: [],
  elements: [
    { name: 'displacement', kind: UInt16, required: true },
    { name: 'excitation', kind: 'boolean', required: true },
    { name: 'multiplier', kind: Int8, required: true },
  ],
};
const SignedPerCent = { int: [-10_000, 10_000] } as const;
const PerCent = { int: [0, 10_000] } as const;

export const DERControlBaseSpec: TypeSpec = {
  type: 'DERControlBase',
  attributes: [],
  elements: [
    { name: 'opModConnect', kind: 'boolean' },
    { name: 'opModEnergize', kind: 'boolean' },
    { name: 'opModFixedPFInjectW', kind: powerFactor },
    { name: 'opModFixedW', kind: SignedPerCent },
    { name: 'opModMaxLimW', kind: PerCent },
    { name: 'opModMaxLimWAbsorb', kind: unsignedActivePower },
    { name: 'opModMaxLimWInject', kind: unsignedActivePower },
    { name: 'opModTargetW', kind: signedActivePower },
    { name: 'opModVoltVar', kind: LinkSpec },
    { name: 'opModVoltWatt', kind: LinkSpec },
    { name: 'rampTms', kind: UInt16 },
    ...CSIPAUS_DER_CONTROL_BASE_ELEMENTS,
  ],
};

/** Where an event is in its life: 0 scheduled, 1 active, 2 cancelled, 3 cancelled with randomisation, 4 superseded. */
export interface EventStatus {
  readonly currentStatus: number;
  readonly dateTime: number;
  readonly potentiallySuperseded: boolean;
  readonly potentiallySupersededTime?: number;
  readonly reason?: string;
}
const EventStatusSpec: TypeSpec = {
  type: 'EventStatus',
  attributes: [],
  elements: [
    { name: 'currentStatus', kind: UInt8, required: true },
    { name: 'dateTime', kind: Int64, required: true },
    { name: 'potentiallySuperseded', kind: 'boolean', required: true },
    { name: 'potentiallySupersededTime', kind: Int64 },
    { name: 'reason', kind: { string: 192 } },
  ],
};
/** Start in seconds since the Unix epoch, duration in seconds. */
export interface DateTimeInterval {
  readonly duration: number;
  readonly start: number;
}
export const DateTimeIntervalSpec: TypeSpec = {
  type: 'DateTimeInterval',
  attributes: [],
  elements: [
    { name: 'duration', kind: UInt32, required: true },
    { name: 'start', kind: Int64, required: true },
  ],
};

/** Attributes and identity shared by DERControl and DefaultDERControl (RespondableSubscribableIdentifiedObject). */
interface RespondableIdentified {
  readonly href?: string;
  readonly replyTo?: string;
  /** Which responses the device owes, as two hex digits (bit 0 received, 1 started, 2 completed). */
  readonly responseRequired?: string;
  readonly subscribable?: number;
  readonly mRID: string;
  readonly description?: string;
  readonly version?: number;
}
const respondableAttributes = [
  { name: 'href', kind: 'anyURI' },
  { name: 'replyTo', kind: 'anyURI' },
  { name: 'responseRequired', kind: { hex: 1 } },
  { name: 'subscribable', kind: UInt8 },
] as const;
const identifiedElements = [
  { name: 'mRID', kind: mRID, required: true },
  { name: 'description', kind: String32 },
  { name: 'version', kind: UInt16 },
] as const;
const OneHourRange = { int: [-3600, 3600] } as const;

export interface DERControl extends RespondableIdentified {
  readonly creationTime: number;
  readonly EventStatus: EventStatus;
  readonly interval: DateTimeInterval;
  readonly randomizeDuration?: number;
  readonly randomizeStart?: number;
  readonly DERControlBase: DERControlBase;
  /** Which kinds of device the control is for, as eight hex digits (a bit map); absent means all. */
  readonly deviceCategory?: string;
}
export const DERControlSpec: TypeSpec = {
  type: 'DERControl',
  attributes: respondableAttributes,
  elements: [
    ...identifiedElements,
    { name: 'creationTime', kind: Int64, required: true },
    { name: 'EventStatus', kind: EventStatusSpec, required: true },
    { name: 'interval', kind: DateTimeIntervalSpec, required: true },
    { name: 'randomizeDuration', kind: OneHourRange },
    { name: 'randomizeStart', kind: OneHourRange },
    { name: 'DERControlBase', kind: DERControlBaseSpec, required: true },
    { name: 'deviceCategory', kind: { hex: 4 } },
  ],
};

export interface DERControlList extends ListPage {
  readonly DERControl: readonly DERControl[];
}
export const DERControlListSpec: TypeSpec = {
  type: 'DERControlList',
  attributes: [
    { name: 'href', kind: 'anyURI' },
    { name: 'subscribable', kind: UInt8 },
    { name: 'all', kind: UInt32, required: true },
    { name: 'results', kind: UInt32, required: true },
  ],
  elements: [{ name: 'DERControl', kind: DERControlSpec, many: true }],
};

export interface DefaultDERControl extends RespondableIdentified {
  readonly DERControlBase: DERControlBase;
  /** Enter-service delay in hundredths of a second. */
  readonly setESDelay?: number;
  readonly setESRandomDelay?: number;
  /** Default ramp rate, hundredths of a percent of maximum power per second. */
  readonly setGradW?: number;
  readonly updatedTime?: number;
}
export const DefaultDERControlSpec: TypeSpec = {
  type: 'DefaultDERControl',
  attributes: respondableAttributes,
  elements: [
    ...identifiedElements,
    { name: 'DERControlBase', kind: DERControlBaseSpec, required: true },
    { name: 'setESDelay', kind: UInt32 },
    { name: 'setESRandomDelay', kind: UInt32 },
    { name: 'setGradW', kind: UInt16 },
    { name: 'updatedTime', kind: Int64 },
  ],
};

export const encodeDERControl = (v: DERControl): string => encodeSep(DERControlSpec, v);
export const decodeDERControl = (xml: string | Uint8Array, limits?: XmlLimits): DERControl =>
  decodeSep(DERControlSpec, xml, limits);
export const encodeDERControlList = (v: DERControlList): string => encodeSep(DERControlListSpec, v);
export const decodeDERControlList = (xml: string | Uint8Array, limits?: XmlLimits): DERControlList =>
  decodeSep(DERControlListSpec, xml, limits);
export const encodeDefaultDERControl = (v: DefaultDERControl): string => encodeSep(DefaultDERControlSpec, v);
export const decodeDefaultDERControl = (xml: string | Uint8Array, limits?: XmlLimits): DefaultDERControl =>
  decodeSep(DefaultDERControlSpec, xml, limits);
