/**
 * DER curves (the points a curve-based mode such as volt-var follows) and the response a device posts about
 * a DERControl. Element order follows sep.xsd (schema version 2.2).
 */
import { decodeSep, encodeSep, Int64, Int8, UInt16, UInt32, UInt8, type TypeSpec } from './codec.js';
import { mRID, String32, type ListPage } from './resources.js';
import type { XmlLimits } from './xml.js';

const Int32 = { int: [-2_147_483_648, 2_147_483_647] } as const;

/** One point: x and y scaled by the curve's multipliers; excitation only for power-factor curves. */
export interface CurveData {
  readonly excitation?: boolean;
  readonly xvalue: number;
  readonly yvalue: number;
}
const CurveDataSpec: TypeSpec = {
  type: 'CurveData',
  attributes: [],
  elements: [
    { name: 'excitation', kind: 'boolean' },
    { name: 'xvalue', kind: Int32, required: true },
    { name: 'yvalue', kind: Int32, required: true },
  ],
};

export interface DERCurve {
  readonly href?: string;
  readonly mRID: string;
  readonly description?: string;
  readonly version?: number;
  readonly creationTime: number;
  /** One to ten points, in increasing x. */
  readonly CurveData: readonly CurveData[];
  /** The mode the curve is for: 11 volt-var, 12 volt-watt, 13 watt-PF, 14 watt-var, 0 to 10 frequency and ride-through. */
  readonly curveType: number;
  readonly rampDecTms?: number;
  readonly rampIncTms?: number;
  readonly rampPT1Tms?: number;
  readonly xMultiplier: number;
  readonly yMultiplier: number;
  /** What y is a percentage of: 1 %setMaxW, 2 %setMaxVar, 3 %statVarAvail, 4 %setEffectiveV … */
  readonly yRefType: number;
}
export const DERCurveSpec: TypeSpec = {
  type: 'DERCurve',
  attributes: [{ name: 'href', kind: 'anyURI' }],
  elements: [
    { name: 'mRID', kind: mRID, required: true },
    { name: 'description', kind: String32 },
    { name: 'version', kind: UInt16 },
    { name: 'creationTime', kind: Int64, required: true },
    { name: 'CurveData', kind: CurveDataSpec, many: true, minItems: 1, maxItems: 10 },
    { name: 'curveType', kind: UInt8, required: true },
    { name: 'rampDecTms', kind: UInt16 },
    { name: 'rampIncTms', kind: UInt16 },
    { name: 'rampPT1Tms', kind: UInt16 },
    { name: 'xMultiplier', kind: Int8, required: true },
    { name: 'yMultiplier', kind: Int8, required: true },
    { name: 'yRefType', kind: UInt8, required: true },
  ],
};

export interface DERCurveList extends Omit<ListPage, 'subscribable'> {
  readonly DERCurve: readonly DERCurve[];
}
export const DERCurveListSpec: TypeSpec = {
  type: 'DERCurveList',
  attributes: [
    { name: 'href', kind: 'anyURI' },
    { name: 'all', kind: UInt32, required: true },
    { name: 'results', kind: UInt32, required: true },
  ],
  elements: [{ name: 'DERCurve', kind: DERCurveSpec, many: true }],
};

/** A device's answer about a DERControl: 1 received, 2 started, 3 completed, 4 opted out … (Response status). */
export interface DERControlResponse {
  readonly href?: string;
  readonly createdDateTime?: number;
  readonly endDeviceLFDI: string;
  readonly status?: number;
  /** The mRID of the DERControl answered. */
  readonly subject: string;
}
export const DERControlResponseSpec: TypeSpec = {
  type: 'DERControlResponse',
  attributes: [{ name: 'href', kind: 'anyURI' }],
  elements: [
    { name: 'createdDateTime', kind: Int64 },
    { name: 'endDeviceLFDI', kind: { hex: 20 }, required: true },
    { name: 'status', kind: UInt8 },
    { name: 'subject', kind: mRID, required: true },
  ],
};

export const encodeDERCurve = (v: DERCurve): string => encodeSep(DERCurveSpec, v);
export const decodeDERCurve = (xml: string | Uint8Array, limits?: XmlLimits): DERCurve =>
  decodeSep(DERCurveSpec, xml, limits);
export const encodeDERCurveList = (v: DERCurveList): string => encodeSep(DERCurveListSpec, v);
export const decodeDERCurveList = (xml: string | Uint8Array, limits?: XmlLimits): DERCurveList =>
  decodeSep(DERCurveListSpec, xml, limits);
export const encodeDERControlResponse = (v: DERControlResponse): string =>
  encodeSep(DERControlResponseSpec, v);
export const decodeDERControlResponse = (xml: string | Uint8Array, limits?: XmlLimits): DERControlResponse =>
  decodeSep(DERControlResponseSpec, xml, limits);
