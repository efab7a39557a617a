/**
 * IEEE 2030.5 resources other than DER controls: types and their codecs. Element lists follow the order of
 * each type's XSD sequence, base types first (sep.xsd, schema version 2.2); the `_r2_3` revision
 * extension points and optional function-set links we do not serve yet are left out.
 */
import {
  decodeSep,
  encodeSep,
  Int64,
  UInt16,
  UInt32,
  UInt40,
  UInt8,
  type ElementField,
  type TypeSpec,
} from './codec.js';
import type { XmlLimits } from './xml.js';

export interface Link {
  readonly href: string;
}
export interface ListLink extends Link {
  /** How many items the list holds, so a client can size its paging. */
  readonly all?: number;
}
/** The paging attributes every list carries: `all` items exist, `results` are in this page. */
export interface ListPage {
  readonly href?: string;
  readonly all: number;
  readonly results: number;
  readonly subscribable?: number;
  readonly pollRate?: number;
}

export const LinkSpec: TypeSpec = {
  type: 'Link',
  attributes: [{ name: 'href', kind: 'anyURI', required: true }],
  elements: [],
};
export const ListLinkSpec: TypeSpec = {
  type: 'ListLink',
  attributes: [...LinkSpec.attributes, { name: 'all', kind: UInt32 }],
  elements: [],
};
const link = (name: string): ElementField => ({ name, kind: LinkSpec });
const listLink = (name: string): ElementField => ({ name, kind: ListLinkSpec });

export const mRID = { hex: 16 } as const;
export const String32 = { string: 32 } as const;
const identified: readonly ElementField[] = [
  { name: 'mRID', kind: mRID, required: true },
  { name: 'description', kind: String32 },
  { name: 'version', kind: UInt16 },
];
const href = { name: 'href', kind: 'anyURI' } as const;
const subscribable = { name: 'subscribable', kind: UInt8 } as const;
const pollRate = { name: 'pollRate', kind: UInt32 } as const;
const listAttributes = [
  href,
  subscribable,
  { name: 'all', kind: UInt32, required: true },
  { name: 'results', kind: UInt32, required: true },
] as const;

/** FunctionSetAssignmentsBase's links, shared by DeviceCapability and FunctionSetAssignments. */
const functionSetLinks: readonly ElementField[] = [
  listLink('CustomerAccountListLink'),
  listLink('DemandResponseProgramListLink'),
  listLink('DERProgramListLink'),
  listLink('FileListLink'),
  listLink('MessagingProgramListLink'),
  listLink('PrepaymentListLink'),
  listLink('ResponseSetListLink'),
  listLink('TariffProfileListLink'),
  link('TimeLink'),
  listLink('UsagePointListLink'),
];
interface FunctionSetLinks {
  readonly CustomerAccountListLink?: ListLink;
  readonly DemandResponseProgramListLink?: ListLink;
  readonly DERProgramListLink?: ListLink;
  readonly FileListLink?: ListLink;
  readonly MessagingProgramListLink?: ListLink;
  readonly PrepaymentListLink?: ListLink;
  readonly ResponseSetListLink?: ListLink;
  readonly TariffProfileListLink?: ListLink;
  readonly TimeLink?: Link;
  readonly UsagePointListLink?: ListLink;
}

export interface DeviceCapability extends FunctionSetLinks {
  readonly href?: string;
  readonly pollRate?: number;
  readonly EndDeviceListLink?: ListLink;
  readonly MirrorUsagePointListLink?: ListLink;
  readonly SelfDeviceLink?: Link;
}
export const DeviceCapabilitySpec: TypeSpec = {
  type: 'DeviceCapability',
  attributes: [href, pollRate],
  elements: [
    ...functionSetLinks,
    listLink('EndDeviceListLink'),
    listLink('MirrorUsagePointListLink'),
    link('SelfDeviceLink'),
  ],
};

/** Times are seconds since the Unix epoch; offsets are seconds. */
export interface Time {
  readonly href?: string;
  readonly pollRate?: number;
  readonly currentTime: number;
  readonly dstEndTime: number;
  readonly dstOffset: number;
  readonly dstStartTime: number;
  readonly localTime?: number;
  /** 3 to 7, the time source's quality as the standard grades it. */
  readonly quality: number;
  readonly tzOffset: number;
}
const Int32 = { int: [-2_147_483_648, 2_147_483_647] } as const;
export const TimeSpec: TypeSpec = {
  type: 'Time',
  attributes: [href, pollRate],
  elements: [
    { name: 'currentTime', kind: Int64, required: true },
    { name: 'dstEndTime', kind: Int64, required: true },
    { name: 'dstOffset', kind: Int32, required: true },
    { name: 'dstStartTime', kind: Int64, required: true },
    { name: 'localTime', kind: Int64 },
    { name: 'quality', kind: UInt8, required: true },
    { name: 'tzOffset', kind: Int32, required: true },
  ],
};

export interface EndDevice {
  readonly href?: string;
  readonly subscribable?: number;
  readonly DERListLink?: ListLink;
  readonly DeviceInformationLink?: Link;
  readonly DeviceStatusLink?: Link;
  /** Forty hex digits: the device's long form identifier. */
  readonly lFDI?: string;
  readonly LogEventListLink?: ListLink;
  readonly PowerStatusLink?: Link;
  /** The short form identifier, with its check digit. */
  readonly sFDI: number;
  readonly changedTime: number;
  readonly enabled?: boolean;
  readonly FunctionSetAssignmentsListLink?: ListLink;
  readonly postRate?: number;
  readonly RegistrationLink?: Link;
  readonly SubscriptionListLink?: ListLink;
}
export const EndDeviceSpec: TypeSpec = {
  type: 'EndDevice',
  attributes: [href, subscribable],
  elements: [
    listLink('DERListLink'),
    link('DeviceInformationLink'),
    link('DeviceStatusLink'),
    { name: 'lFDI', kind: { hex: 20 } },
    listLink('LogEventListLink'),
    link('PowerStatusLink'),
    { name: 'sFDI', kind: UInt40, required: true },
    { name: 'changedTime', kind: Int64, required: true },
    { name: 'enabled', kind: 'boolean' },
    listLink('FunctionSetAssignmentsListLink'),
    { name: 'postRate', kind: UInt32 },
    link('RegistrationLink'),
    listLink('SubscriptionListLink'),
  ],
};

export interface EndDeviceList extends ListPage {
  readonly EndDevice: readonly EndDevice[];
}
export const EndDeviceListSpec: TypeSpec = {
  type: 'EndDeviceList',
  attributes: [...listAttributes, pollRate],
  elements: [{ name: 'EndDevice', kind: EndDeviceSpec, many: true }],
};

export interface Registration {
  readonly href?: string;
  readonly pollRate?: number;
  readonly dateTimeRegistered: number;
  /** The registration PIN, up to six digits with its check digit. */
  readonly pIN: number;
}
export const RegistrationSpec: TypeSpec = {
  type: 'Registration',
  attributes: [href, pollRate],
  elements: [
    { name: 'dateTimeRegistered', kind: Int64, required: true },
    { name: 'pIN', kind: UInt32, required: true },
  ],
};

export interface FunctionSetAssignments extends FunctionSetLinks {
  readonly href?: string;
  readonly subscribable?: number;
  readonly mRID: string;
  readonly description?: string;
  readonly version?: number;
}
export const FunctionSetAssignmentsSpec: TypeSpec = {
  type: 'FunctionSetAssignments',
  attributes: [href, subscribable],
  elements: [...functionSetLinks, ...identified],
};

export interface FunctionSetAssignmentsList extends ListPage {
  readonly FunctionSetAssignments: readonly FunctionSetAssignments[];
}
export const FunctionSetAssignmentsListSpec: TypeSpec = {
  type: 'FunctionSetAssignmentsList',
  attributes: [...listAttributes, pollRate],
  elements: [{ name: 'FunctionSetAssignments', kind: FunctionSetAssignmentsSpec, many: true }],
};

export interface DERProgram {
  readonly href?: string;
  readonly subscribable?: number;
  readonly mRID: string;
  readonly description?: string;
  readonly version?: number;
  readonly ActiveDERControlListLink?: ListLink;
  readonly DefaultDERControlLink?: Link;
  readonly DERControlListLink?: ListLink;
  readonly DERCurveListLink?: ListLink;
  /** Lower is more important when a device hears several programs. */
  readonly primacy: number;
}
export const DERProgramSpec: TypeSpec = {
  type: 'DERProgram',
  attributes: [href, subscribable],
  elements: [
    ...identified,
    listLink('ActiveDERControlListLink'),
    link('DefaultDERControlLink'),
    listLink('DERControlListLink'),
    listLink('DERCurveListLink'),
    { name: 'primacy', kind: UInt8, required: true },
  ],
};

export interface DERProgramList extends ListPage {
  readonly DERProgram: readonly DERProgram[];
}
export const DERProgramListSpec: TypeSpec = {
  type: 'DERProgramList',
  attributes: [...listAttributes, pollRate],
  elements: [{ name: 'DERProgram', kind: DERProgramSpec, many: true }],
};

export const encodeDeviceCapability = (v: DeviceCapability): string => encodeSep(DeviceCapabilitySpec, v);
export const decodeDeviceCapability = (xml: string | Uint8Array, limits?: XmlLimits): DeviceCapability =>
  decodeSep(DeviceCapabilitySpec, xml, limits);
export const encodeTime = (v: Time): string => encodeSep(TimeSpec, v);
export const decodeTime = (xml: string | Uint8Array, limits?: XmlLimits): Time =>
  decodeSep(TimeSpec, xml, limits);
export const encodeEndDevice = (v: EndDevice): string => encodeSep(EndDeviceSpec, v);
export const decodeEndDevice = (xml: string | Uint8Array, limits?: XmlLimits): EndDevice =>
  decodeSep(EndDeviceSpec, xml, limits);
export const encodeEndDeviceList = (v: EndDeviceList): string => encodeSep(EndDeviceListSpec, v);
export const decodeEndDeviceList = (xml: string | Uint8Array, limits?: XmlLimits): EndDeviceList =>
  decodeSep(EndDeviceListSpec, xml, limits);
export const encodeRegistration = (v: Registration): string => encodeSep(RegistrationSpec, v);
export const decodeRegistration = (xml: string | Uint8Array, limits?: XmlLimits): Registration =>
  decodeSep(RegistrationSpec, xml, limits);
export const encodeFunctionSetAssignmentsList = (v: FunctionSetAssignmentsList): string =>
  encodeSep(FunctionSetAssignmentsListSpec, v);
export const decodeFunctionSetAssignmentsList = (
  xml: string | Uint8Array,
  limits?: XmlLimits,
): FunctionSetAssignmentsList => decodeSep(FunctionSetAssignmentsListSpec, xml, limits);
export const encodeDERProgram = (v: DERProgram): string => encodeSep(DERProgramSpec, v);
export const decodeDERProgram = (xml: string | Uint8Array, limits?: XmlLimits): DERProgram =>
  decodeSep(DERProgramSpec, xml, limits);
export const encodeDERProgramList = (v: DERProgramList): string => encodeSep(DERProgramListSpec, v);
export const decodeDERProgramList = (xml: string | Uint8Array, limits?: XmlLimits): DERProgramList =>
  decodeSep(DERProgramListSpec, xml, limits);
