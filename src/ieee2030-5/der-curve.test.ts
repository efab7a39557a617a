import { describe, expect, it } from 'vitest';
import {
  decodeDERControlResponse,
  decodeDERCurve,
  decodeDERCurveList,
  encodeDERControlResponse,
  encodeDERCurve,
  encodeDERCurveList,
  type DERControlResponse,
  type DERCurve,
  type DERCurveList,
} from './der-curve.js';
import { SEP_XSD, validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';

// A Rule 21 style volt-var curve: x in tenths of a percent of nominal volts, y in percent of setMaxVar.
const voltVar: DERCurve = {
  href: '/sep2/derp/0/dc/0',
  mRID: '00000000000000000000000000000C01',
  description: 'volt-var',
  creationTime: 1_790_000_000,
  CurveData: [
    { xvalue: 920, yvalue: 30 },
    { xvalue: 967, yvalue: 0 },
    { xvalue: 1033, yvalue: 0 },
    { xvalue: 1070, yvalue: -30 },
  ],
  curveType: 11,
  rampPT1Tms: 500,
  xMultiplier: -1,
  yMultiplier: 0,
  yRefType: 2,
};
const curves: DERCurveList = { href: '/sep2/derp/0/dc', all: 1, results: 1, DERCurve: [voltVar] };
const powerFactor: DERCurve = {
  mRID: '0C02',
  creationTime: 0,
  CurveData: [{ excitation: true, xvalue: 50, yvalue: 95 }],
  curveType: 13,
  xMultiplier: 0,
  yMultiplier: -2,
  yRefType: 1,
};
const response: DERControlResponse = {
  href: '/sep2/rsps/0/rsp/1',
  createdDateTime: 1_790_000_100,
  endDeviceLFDI: '3E4F45AB31EDFE5B67E343E5E4562E31984E23E5',
  status: 2,
  subject: '00FF00FF00FF00FF00FF00FF00FF0001',
};

describe('DER curve and response codecs', () => {
  it('round-trips a DERCurveList, a power-factor DERCurve and a DERControlResponse', () => {
    expect(decodeDERCurveList(encodeDERCurveList(curves))).toEqual(curves);
    expect(decodeDERCurve(encodeDERCurve(powerFactor))).toEqual(powerFactor);
    expect(decodeDERControlResponse(encodeDERControlResponse(response))).toEqual(response);
  });

  it.skipIf(SEP_XSD === undefined)('writes documents valid against sep.xsd', async () => {
    const documents = [
      encodeDERCurveList(curves),
      encodeDERCurve(powerFactor),
      encodeDERControlResponse(response),
    ];
    expect(await validateSepDocument(documents)).toBe('valid');
  });

  it('holds a curve to the schema’s one to ten points on both sides', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ xvalue: i, yvalue: 0 }));
    expect(() => encodeDERCurve({ ...voltVar, CurveData: eleven })).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/DERCurve/CurveData' }),
    );
    expect(() => encodeDERCurve({ ...voltVar, CurveData: [] })).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/DERCurve/CurveData' }),
    );
    const point = '<CurveData><xvalue>1</xvalue><yvalue>1</yvalue></CurveData>';
    const tooMany = encodeDERCurve(voltVar).replace(/(<CurveData>.*<\/CurveData>)/, point.repeat(11));
    expect(() => decodeDERCurve(tooMany)).toThrow(expect.objectContaining({ path: '/DERCurve/CurveData' }));
    const none = encodeDERCurve(voltVar).replace(/(<CurveData>.*<\/CurveData>)/, '');
    expect(() => decodeDERCurve(none)).toThrow(expect.objectContaining({ path: '/DERCurve/CurveData' }));
  });

  it('refuses a response without the device LFDI', () => {
    const xml = encodeDERControlResponse(response).replace(/<endDeviceLFDI>.*<\/endDeviceLFDI>/, '');
    expect(() => decodeDERControlResponse(xml)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/DERControlResponse/endDeviceLFDI' }),
    );
  });
});
