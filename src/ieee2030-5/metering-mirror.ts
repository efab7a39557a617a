/**
 * Metering mirror: a device that meters itself posts its readings to a MirrorUsagePoint it creates on the
 * server. MirrorUsagePoint(List), MirrorMeterReading(List), MirrorReadingSet, Reading and ReadingType,
 * element order as in sep.xsd (schema version 2.2).
 */
import { decodeSep, encodeSep, Int64, Int8, UInt32, UInt8, type TypeSpec } from './codec.js';
import { DateTimeIntervalSpec, type DateTimeInterval } from './der-control.js';
import { LinkSpec, mRID, String32, type Link, type ListPage } from './resources.js';
import type { XmlLimits } from './xml.js';

const Int32 = { int: [-2_147_483_648, 2_147_483_647] } as const;
// The schema's Int48 bounds, copied as written (its maximum is 2^47, one above a true Int48).
const Int48 = { int: [-140_737_488_355_328, 140_737_488_355_328] } as const;
const UInt48 = { int: [0, 281_474_976_710_655] } as const;
const HexBinary16 = { hex: 2 } as const;

const href = { name: 'href', kind: 'anyURI' } as const;
const subscribable = { name: 'subscribable', kind: UInt8 } as const;
const identified = [
  { name: 'mRID', kind: mRID, required: true },
  { name: 'description', kind: String32 },
  { name: 'version', kind: { int: [0, 65_535] } },
] as const;

/** A unit's conversion value (calorific value, conversion factor): value × 10^multiplier of unit. */
export interface UnitValue {
  readonly multiplier: number;
  readonly unit: number;
  readonly value: number;
}
const UnitValueSpec: TypeSpec = {
  type: 'UnitValueType',
  attributes: [],
  elements: [
    { name: 'multiplier', kind: Int8, required: true },
    { name: 'unit', kind: UInt8, required: true },
    { name: 'value', kind: Int32, required: true },
  ],
};

/** What the readings measure. Enumerations are the schema's numbers (uom 72 Wh, 38 W; flowDirection 1 forward, 19 reverse …). */
export interface ReadingType {
  readonly href?: string;
  /** 1 bulk quantity, 3 cumulative, 4 delta data, 6 indicating, 9 summation, 12 instantaneous. */
  readonly accumulationBehaviour?: number;
  readonly calorificValue?: UnitValue;
  /** 0 not applicable, 1 electricity secondary metered, 2 electricity primary metered … */
  readonly commodity?: number;
  readonly conversionFactor?: UnitValue;
  /** 0 none, 2 average, 8 maximum, 9 minimum, 12 normal … */
  readonly dataQualifier?: number;
  readonly flowDirection?: number;
  readonly intervalLength?: number;
  /** 3 currency, 8 demand, 12 energy, 37 power. */
  readonly kind?: number;
  readonly maxNumberOfIntervals?: number;
  readonly numberOfConsumptionBlocks?: number;
  readonly numberOfTouTiers?: number;
  readonly phase?: number;
  readonly powerOfTenMultiplier?: number;
  readonly subIntervalLength?: number;
  readonly supplyLimit?: number;
  readonly tieredConsumptionBlocks?: boolean;
  readonly uom?: number;
}
export const ReadingTypeSpec: TypeSpec = {
  type: 'ReadingType',
  attributes: [href],
  elements: [
    { name: 'accumulationBehaviour', kind: UInt8 },
    { name: 'calorificValue', kind: UnitValueSpec },
    { name: 'commodity', kind: UInt8 },
    { name: 'conversionFactor', kind: UnitValueSpec },
    { name: 'dataQualifier', kind: UInt8 },
    { name: 'flowDirection', kind: UInt8 },
    { name: 'intervalLength', kind: UInt32 },
    { name: 'kind', kind: UInt8 },
    { name: 'maxNumberOfIntervals', kind: UInt8 },
    { name: 'numberOfConsumptionBlocks', kind: UInt8 },
    { name: 'numberOfTouTiers', kind: UInt8 },
    { name: 'phase', kind: UInt8 },
    { name: 'powerOfTenMultiplier', kind: Int8 },
    { name: 'subIntervalLength', kind: UInt32 },
    { name: 'supplyLimit', kind: UInt48 },
    { name: 'tieredConsumptionBlocks', kind: 'boolean' },
    { name: 'uom', kind: UInt8 },
  ],
};

/** One value, in the ReadingType's unit × 10^powerOfTenMultiplier, over timePeriod when it has one. */
export interface Reading {
  readonly href?: string;
  readonly subscribable?: number;
  readonly consumptionBlock?: number;
  /** Bit map, four hex digits: 0 valid, 1 manually edited, 2 estimated using reference day … */
  readonly qualityFlags?: string;
  readonly timePeriod?: DateTimeInterval;
  readonly touTier?: number;
  readonly value?: number;
  readonly localID?: string;
}
export const ReadingSpec: TypeSpec = {
  type: 'Reading',
  attributes: [href, subscribable],
  elements: [
    { name: 'consumptionBlock', kind: UInt8 },
    { name: 'qualityFlags', kind: HexBinary16 },
    { name: 'timePeriod', kind: DateTimeIntervalSpec },
    { name: 'touTier', kind: UInt8 },
    { name: 'value', kind: Int48 },
    { name: 'localID', kind: HexBinary16 },
  ],
};

/**
 * A block of readings over one time period (an hour of five-minute intervals, say). Only ever inside a
 * MirrorMeterReading: sep.xsd declares no MirrorReadingSet document.
 */
export interface MirrorReadingSet {
  readonly href?: string;
  readonly mRID: string;
  readonly description?: string;
  readonly version?: number;
  readonly timePeriod: DateTimeInterval;
  readonly Reading: readonly Reading[];
}
export const MirrorReadingSetSpec: TypeSpec = {
  type: 'MirrorReadingSet',
  attributes: [href],
  elements: [
    ...identified,
    { name: 'timePeriod', kind: DateTimeIntervalSpec, required: true },
    { name: 'Reading', kind: ReadingSpec, many: true },
  ],
};

export interface MirrorMeterReading {
  readonly href?: string;
  readonly mRID: string;
  readonly description?: string;
  readonly version?: number;
  readonly lastUpdateTime?: number;
  readonly MirrorReadingSet?: readonly MirrorReadingSet[];
  readonly nextUpdateTime?: number;
  readonly Reading?: Reading;
  readonly ReadingType?: ReadingType;
}
export const MirrorMeterReadingSpec: TypeSpec = {
  type: 'MirrorMeterReading',
  attributes: [href],
  elements: [
    ...identified,
    { name: 'lastUpdateTime', kind: Int64 },
    { name: 'MirrorReadingSet', kind: MirrorReadingSetSpec, many: true },
    { name: 'nextUpdateTime', kind: Int64 },
    { name: 'Reading', kind: ReadingSpec },
    { name: 'ReadingType', kind: ReadingTypeSpec },
  ],
};

export interface MirrorMeterReadingList extends Omit<ListPage, 'subscribable' | 'pollRate'> {
  readonly MirrorMeterReading: readonly MirrorMeterReading[];
}
export const MirrorMeterReadingListSpec: TypeSpec = {
  type: 'MirrorMeterReadingList',
  attributes: [
    href,
    { name: 'all', kind: UInt32, required: true },
    { name: 'results', kind: UInt32, required: true },
  ],
  elements: [{ name: 'MirrorMeterReading', kind: MirrorMeterReadingSpec, many: true }],
};

export interface MirrorUsagePoint {
  readonly href?: string;
  readonly subscribable?: number;
  readonly mRID: string;
  readonly description?: string;
  readonly version?: number;
  /** RoleFlagsType bit map, four hex digits: 0 mirror, 1 premises aggregation point, 2 PEV, 3 DER, 4 revenue quality … */
  readonly roleFlags: string;
  /** 0 electricity, 1 gas, 2 water … */
  readonly serviceCategoryKind: number;
  /** 0 off, 1 on. */
  readonly status: number;
  /** The LFDI of the device the readings come from. */
  readonly deviceLFDI: string;
  readonly MirrorMeterReading?: readonly MirrorMeterReading[];
  readonly postRate?: number;
  readonly UsagePointLink?: Link;
}
export const MirrorUsagePointSpec: TypeSpec = {
  type: 'MirrorUsagePoint',
  attributes: [href, subscribable],
  elements: [
    ...identified,
    { name: 'roleFlags', kind: HexBinary16, required: true },
    { name: 'serviceCategoryKind', kind: UInt8, required: true },
    { name: 'status', kind: UInt8, required: true },
    { name: 'deviceLFDI', kind: { hex: 20 }, required: true },
    { name: 'MirrorMeterReading', kind: MirrorMeterReadingSpec, many: true },
    { name: 'postRate', kind: UInt32 },
    { name: 'UsagePointLink', kind: LinkSpec },
  ],
};

export interface MirrorUsagePointList extends ListPage {
  readonly MirrorUsagePoint: readonly MirrorUsagePoint[];
}
export const MirrorUsagePointListSpec: TypeSpec = {
  type: 'MirrorUsagePointList',
  attributes: [
    href,
    subscribable,
    { name: 'all', kind: UInt32, required: true },
    { name: 'results', kind: UInt32, required: true },
    { name: 'pollRate', kind: UInt32 },
  ],
  elements: [{ name: 'MirrorUsagePoint', kind: MirrorUsagePointSpec, many: true }],
};

export const encodeReadingType = (v: ReadingType): string => encodeSep(ReadingTypeSpec, v);
export const decodeReadingType = (xml: string | Uint8Array, limits?: XmlLimits): ReadingType =>
  decodeSep(ReadingTypeSpec, xml, limits);
export const encodeReading = (v: Reading): string => encodeSep(ReadingSpec, v);
export const decodeReading = (xml: string | Uint8Array, limits?: XmlLimits): Reading =>
  decodeSep(ReadingSpec, xml, limits);
export const encodeMirrorMeterReading = (v: MirrorMeterReading): string =>
  encodeSep(MirrorMeterReadingSpec, v);
export const decodeMirrorMeterReading = (xml: string | Uint8Array, limits?: XmlLimits): MirrorMeterReading =>
  decodeSep(MirrorMeterReadingSpec, xml, limits);
export const encodeMirrorMeterReadingList = (v: MirrorMeterReadingList): string =>
  encodeSep(MirrorMeterReadingListSpec, v);
export const decodeMirrorMeterReadingList = (
  xml: string | Uint8Array,
  limits?: XmlLimits,
): MirrorMeterReadingList => decodeSep(MirrorMeterReadingListSpec, xml, limits);
export const encodeMirrorUsagePoint = (v: MirrorUsagePoint): string => encodeSep(MirrorUsagePointSpec, v);
export const decodeMirrorUsagePoint = (xml: string | Uint8Array, limits?: XmlLimits): MirrorUsagePoint =>
  decodeSep(MirrorUsagePointSpec, xml, limits);
export const encodeMirrorUsagePointList = (v: MirrorUsagePointList): string =>
  encodeSep(MirrorUsagePointListSpec, v);
export const decodeMirrorUsagePointList = (
  xml: string | Uint8Array,
  limits?: XmlLimits,
): MirrorUsagePointList => decodeSep(MirrorUsagePointListSpec, xml, limits);
