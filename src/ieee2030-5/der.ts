/**
 * What a device tells the server about its DER (distributed energy resource): the DER resource and its
 * list, and the four documents a device PUTs: DERCapability (ratings), DERSettings (what it is set to),
 * DERStatus (what it is doing) and DERAvailability (what it could still do). Element order follows
 * sep.xsd (schema version 2.2); every element of these types is modelled, so a document round-trips.
 */
import { decodeSep, encodeSep, Int16, Int64, Int8, UInt16, UInt32, UInt8, type TypeSpec } from './codec.js';
import { LinkSpec, ListLinkSpec, type Link, type ListLink, type ListPage } from './resources.js';
import type { XmlLimits } from './xml.js';

/** value × 10^multiplier of the element's unit (W, var, VA, V, A, Ah, Wh). */
export interface ScaledValue {
  readonly multiplier: number;
  readonly value: number;
}
/** displacement × 10^multiplier, for example 90 and -2 for 0.90. */
export interface PowerFactor {
  readonly displacement: number;
  readonly multiplier: number;
}
/** A status value with the time it was observed. */
export interface TimedStatus<T> {
  readonly dateTime: number;
  readonly value: T;
}

const scaled = (type: string, value: typeof Int16 | typeof UInt16): TypeSpec => ({
  type,
  attributes: [],
  elements: [
    { name: 'multiplier', kind: Int8, required: true },
    { name: 'value', kind: value, required: true },
  ],
});
// Signed: ActivePower, ReactivePower. Unsigned: ApparentPower, VoltageRMS, CurrentRMS, AmpereHour,
// WattHour, ReactiveSusceptance, UnsignedActivePower, UnsignedReactivePower.
const Signed = scaled('ActivePower', Int16);
const Unsigned = scaled('ApparentPower', UInt16);
const PowerFactorSpec: TypeSpec = {
  type: 'PowerFactor',
  attributes: [],
  elements: [
    { name: 'displacement', kind: UInt16, required: true },
    { name: 'multiplier', kind: Int8, required: true },
  ],
};
const timed = (type: string, value: TypeSpec['elements'][number]['kind']): TypeSpec => ({
  type,
  attributes: [],
  elements: [
    { name: 'dateTime', kind: Int64, required: true },
    { name: 'value', kind: value, required: true },
  ],
});
/** Hundredths of a percent. */
const PerCent = { int: [0, 10_000] } as const;
/** A DERControlType bit map: eight hex digits. */
const ControlModes = { hex: 4 } as const;

const href = { name: 'href', kind: 'anyURI' } as const;
const subscribable = { name: 'subscribable', kind: UInt8 } as const;

export interface DER {
  readonly href?: string;
  readonly subscribable?: number;
  readonly AssociatedDERProgramListLink?: ListLink;
  readonly AssociatedUsagePointLink?: Link;
  readonly CurrentDERControlsLink?: Link;
  readonly CurrentDERProgramLink?: Link;
  readonly DERAvailabilityLink?: Link;
  readonly DERCapabilityLink?: Link;
  readonly DERComponentListLink?: ListLink;
  readonly DERSettingsLink?: Link;
  readonly DERStatusLink?: Link;
}
export const DERSpec: TypeSpec = {
  type: 'DER',
  attributes: [href, subscribable],
  elements: [
    { name: 'AssociatedDERProgramListLink', kind: ListLinkSpec },
    { name: 'AssociatedUsagePointLink', kind: LinkSpec },
    { name: 'CurrentDERControlsLink', kind: LinkSpec },
    { name: 'CurrentDERProgramLink', kind: LinkSpec },
    { name: 'DERAvailabilityLink', kind: LinkSpec },
    { name: 'DERCapabilityLink', kind: LinkSpec },
    { name: 'DERComponentListLink', kind: ListLinkSpec },
    { name: 'DERSettingsLink', kind: LinkSpec },
    { name: 'DERStatusLink', kind: LinkSpec },
  ],
};

export interface DERList extends Omit<ListPage, 'subscribable'> {
  readonly DER: readonly DER[];
}
export const DERListSpec: TypeSpec = {
  type: 'DERList',
  attributes: [
    href,
    { name: 'all', kind: UInt32, required: true },
    { name: 'results', kind: UInt32, required: true },
    { name: 'pollRate', kind: UInt32 },
  ],
  elements: [{ name: 'DER', kind: DERSpec, many: true }],
};

/** The DER's nameplate ratings. */
export interface DERCapability {
  readonly href?: string;
  /** DERControlType bit map of the modes the DER can do, eight hex digits. */
  readonly modesSupported: string;
  readonly modesSupported2?: string;
  readonly rtgAbnormalCategory?: number;
  readonly rtgMaxA?: ScaledValue;
  readonly rtgMaxAh?: ScaledValue;
  readonly rtgMaxChargeRateVA?: ScaledValue;
  readonly rtgMaxChargeRateW?: ScaledValue;
  readonly rtgMaxDischargeRateVA?: ScaledValue;
  readonly rtgMaxDischargeRateW?: ScaledValue;
  readonly rtgMaxV?: ScaledValue;
  readonly rtgMaxVA?: ScaledValue;
  readonly rtgMaxVar?: ScaledValue;
  readonly rtgMaxVarNeg?: ScaledValue;
  readonly rtgMaxW: ScaledValue;
  readonly rtgMaxWh?: ScaledValue;
  readonly rtgMinPFOverExcited?: PowerFactor;
  readonly rtgMinPFUnderExcited?: PowerFactor;
  readonly rtgMinV?: ScaledValue;
  readonly rtgNormalCategory?: number;
  readonly rtgOverExcitedPF?: PowerFactor;
  readonly rtgOverExcitedW?: ScaledValue;
  readonly rtgReactiveSusceptance?: ScaledValue;
  readonly rtgUnderExcitedPF?: PowerFactor;
  readonly rtgUnderExcitedW?: ScaledValue;
  readonly rtgVNom?: ScaledValue;
  /** DERType: 0 not applicable, 1 virtual or mixed, 2 reciprocating engine, … 80 storage, 81 PV and storage … */
  readonly type: number;
}
export const DERCapabilitySpec: TypeSpec = {
  type: 'DERCapability',
  attributes: [href],
  elements: [
    { name: 'modesSupported', kind: ControlModes, required: true },
    { name: 'modesSupported2', kind: ControlModes },
    { name: 'rtgAbnormalCategory', kind: UInt8 },
    { name: 'rtgMaxA', kind: Unsigned },
    { name: 'rtgMaxAh', kind: Unsigned },
    { name: 'rtgMaxChargeRateVA', kind: Unsigned },
    { name: 'rtgMaxChargeRateW', kind: Signed },
    { name: 'rtgMaxDischargeRateVA', kind: Unsigned },
    { name: 'rtgMaxDischargeRateW', kind: Signed },
    { name: 'rtgMaxV', kind: Unsigned },
    { name: 'rtgMaxVA', kind: Unsigned },
    { name: 'rtgMaxVar', kind: Signed },
    { name: 'rtgMaxVarNeg', kind: Signed },
    { name: 'rtgMaxW', kind: Signed, required: true },
    { name: 'rtgMaxWh', kind: Unsigned },
    { name: 'rtgMinPFOverExcited', kind: PowerFactorSpec },
    { name: 'rtgMinPFUnderExcited', kind: PowerFactorSpec },
    { name: 'rtgMinV', kind: Unsigned },
    { name: 'rtgNormalCategory', kind: UInt8 },
    { name: 'rtgOverExcitedPF', kind: PowerFactorSpec },
    { name: 'rtgOverExcitedW', kind: Signed },
    { name: 'rtgReactiveSusceptance', kind: Unsigned },
    { name: 'rtgUnderExcitedPF', kind: PowerFactorSpec },
    { name: 'rtgUnderExcitedW', kind: Signed },
    { name: 'rtgVNom', kind: Unsigned },
    { name: 'type', kind: UInt8, required: true },
  ],
};

/** What the DER is set to (at most its ratings). */
export interface DERSettings {
  readonly href?: string;
  readonly subscribable?: number;
  readonly modesEnabled?: string;
  readonly modesEnabled2?: string;
  readonly setESDelay?: number;
  readonly setESHighFreq?: number;
  readonly setESHighVolt?: number;
  readonly setESLowFreq?: number;
  readonly setESLowVolt?: number;
  readonly setESRampTms?: number;
  readonly setESRandomDelay?: number;
  /** Default ramp rate, hundredths of a percent of setMaxW per second. */
  readonly setGradW: number;
  readonly setMaxA?: ScaledValue;
  readonly setMaxAh?: ScaledValue;
  readonly setMaxChargeRateVA?: ScaledValue;
  readonly setMaxChargeRateW?: ScaledValue;
  readonly setMaxDischargeRateVA?: ScaledValue;
  readonly setMaxDischargeRateW?: ScaledValue;
  readonly setMaxV?: ScaledValue;
  readonly setMaxVA?: ScaledValue;
  readonly setMaxVar?: ScaledValue;
  readonly setMaxVarNeg?: ScaledValue;
  readonly setMaxW: ScaledValue;
  readonly setMaxWh?: ScaledValue;
  readonly setMinPFOverExcited?: PowerFactor;
  readonly setMinPFUnderExcited?: PowerFactor;
  readonly setMinV?: ScaledValue;
  readonly setSoftGradW?: number;
  readonly setVNom?: ScaledValue;
  readonly setVRef?: ScaledValue;
  readonly setVRefOfs?: ScaledValue;
  readonly updatedTime: number;
}
export const DERSettingsSpec: TypeSpec = {
  type: 'DERSettings',
  attributes: [href, subscribable],
  elements: [
    { name: 'modesEnabled', kind: ControlModes },
    { name: 'modesEnabled2', kind: ControlModes },
    { name: 'setESDelay', kind: UInt32 },
    { name: 'setESHighFreq', kind: UInt16 },
    { name: 'setESHighVolt', kind: Int16 },
    { name: 'setESLowFreq', kind: UInt16 },
    { name: 'setESLowVolt', kind: Int16 },
    { name: 'setESRampTms', kind: UInt32 },
    { name: 'setESRandomDelay', kind: UInt32 },
    { name: 'setGradW', kind: UInt16, required: true },
    { name: 'setMaxA', kind: Unsigned },
    { name: 'setMaxAh', kind: Unsigned },
    { name: 'setMaxChargeRateVA', kind: Unsigned },
    { name: 'setMaxChargeRateW', kind: Signed },
    { name: 'setMaxDischargeRateVA', kind: Unsigned },
    { name: 'setMaxDischargeRateW', kind: Signed },
    { name: 'setMaxV', kind: Unsigned },
    { name: 'setMaxVA', kind: Unsigned },
    { name: 'setMaxVar', kind: Signed },
    { name: 'setMaxVarNeg', kind: Signed },
    { name: 'setMaxW', kind: Signed, required: true },
    { name: 'setMaxWh', kind: Unsigned },
    { name: 'setMinPFOverExcited', kind: PowerFactorSpec },
    { name: 'setMinPFUnderExcited', kind: PowerFactorSpec },
    { name: 'setMinV', kind: Unsigned },
    { name: 'setSoftGradW', kind: UInt16 },
    { name: 'setVNom', kind: Unsigned },
    { name: 'setVRef', kind: Unsigned },
    { name: 'setVRefOfs', kind: Unsigned },
    { name: 'updatedTime', kind: Int64, required: true },
  ],
};

/** What the DER is doing; every status carries the time it was observed. */
export interface DERStatus {
  readonly href?: string;
  readonly subscribable?: number;
  /** Alarm bit map, eight hex digits. */
  readonly alarmStatus?: string;
  /** Bit map (two hex digits): 0 connected, 1 available, 2 operating, 3 test, 4 fault. */
  readonly connectStatus?: TimedStatus<string>;
  readonly genConnectStatus?: TimedStatus<string>;
  readonly inverterStatus?: TimedStatus<number>;
  readonly localControlModeStatus?: TimedStatus<number>;
  readonly manufacturerStatus?: TimedStatus<string>;
  readonly operationalModeStatus?: TimedStatus<number>;
  readonly readingTime: number;
  /** Hundredths of a percent of the usable capacity. */
  readonly stateOfChargeStatus?: TimedStatus<number>;
  readonly storageModeStatus?: TimedStatus<number>;
  readonly storConnectStatus?: TimedStatus<string>;
}
const connectStatus = timed('ConnectStatusType', { hex: 1 });
const uint8Status = timed('UInt8Status', UInt8);
export const DERStatusSpec: TypeSpec = {
  type: 'DERStatus',
  attributes: [href, subscribable],
  elements: [
    { name: 'alarmStatus', kind: { hex: 4 } },
    { name: 'connectStatus', kind: connectStatus },
    { name: 'genConnectStatus', kind: connectStatus },
    { name: 'inverterStatus', kind: uint8Status },
    { name: 'localControlModeStatus', kind: uint8Status },
    { name: 'manufacturerStatus', kind: timed('ManufacturerStatusType', { string: 6 }) },
    { name: 'operationalModeStatus', kind: uint8Status },
    { name: 'readingTime', kind: Int64, required: true },
    { name: 'stateOfChargeStatus', kind: timed('StateOfChargeStatusType', PerCent) },
    { name: 'storageModeStatus', kind: uint8Status },
    { name: 'storConnectStatus', kind: connectStatus },
  ],
};

/** What the DER could still deliver or absorb, and for how long. */
export interface DERAvailability {
  readonly href?: string;
  readonly subscribable?: number;
  /** Seconds the DER can keep delivering statWAvail. */
  readonly availabilityDuration?: number;
  readonly maxChargeDuration?: number;
  readonly readingTime: number;
  readonly reserveChargePercent?: number;
  readonly reservePercent?: number;
  readonly statVarAbsorbAvail?: ScaledValue;
  readonly statVarAvail?: ScaledValue;
  readonly statWAbsorbAvail?: ScaledValue;
  readonly statWAvail?: ScaledValue;
}
export const DERAvailabilitySpec: TypeSpec = {
  type: 'DERAvailability',
  attributes: [href, subscribable],
  elements: [
    { name: 'availabilityDuration', kind: UInt32 },
    { name: 'maxChargeDuration', kind: UInt32 },
    { name: 'readingTime', kind: Int64, required: true },
    { name: 'reserveChargePercent', kind: PerCent },
    { name: 'reservePercent', kind: PerCent },
    { name: 'statVarAbsorbAvail', kind: Unsigned },
    { name: 'statVarAvail', kind: Signed },
    { name: 'statWAbsorbAvail', kind: Unsigned },
    { name: 'statWAvail', kind: Signed },
  ],
};

export const encodeDER = (v: DER): string => encodeSep(DERSpec, v);
export const decodeDER = (xml: string | Uint8Array, limits?: XmlLimits): DER =>
  decodeSep(DERSpec, xml, limits);
export const encodeDERList = (v: DERList): string => encodeSep(DERListSpec, v);
export const decodeDERList = (xml: string | Uint8Array, limits?: XmlLimits): DERList =>
  decodeSep(DERListSpec, xml, limits);
export const encodeDERCapability = (v: DERCapability): string => encodeSep(DERCapabilitySpec, v);
export const decodeDERCapability = (xml: string | Uint8Array, limits?: XmlLimits): DERCapability =>
  decodeSep(DERCapabilitySpec, xml, limits);
export const encodeDERSettings = (v: DERSettings): string => encodeSep(DERSettingsSpec, v);
export const decodeDERSettings = (xml: string | Uint8Array, limits?: XmlLimits): DERSettings =>
  decodeSep(DERSettingsSpec, xml, limits);
export const encodeDERStatus = (v: DERStatus): string => encodeSep(DERStatusSpec, v);
export const decodeDERStatus = (xml: string | Uint8Array, limits?: XmlLimits): DERStatus =>
  decodeSep(DERStatusSpec, xml, limits);
export const encodeDERAvailability = (v: DERAvailability): string => encodeSep(DERAvailabilitySpec, v);
export const decodeDERAvailability = (xml: string | Uint8Array, limits?: XmlLimits): DERAvailability =>
  decodeSep(DERAvailabilitySpec, xml, limits);

/** The spec of each document a device PUTs, by the name the registry uses. */
export const DER_DOCUMENT_SPECS = {
  DERCapability: DERCapabilitySpec,
  DERSettings: DERSettingsSpec,
  DERStatus: DERStatusSpec,
  DERAvailability: DERAvailabilitySpec,
} as const;
