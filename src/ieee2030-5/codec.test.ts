import { describe, expect, it } from 'vitest';
import {
  decodeDefaultDERControl,
  decodeDERControl,
  decodeDERControlList,
  encodeDefaultDERControl,
  encodeDERControl,
  encodeDERControlList,
  type DefaultDERControl,
  type DERControl,
  type DERControlList,
} from './der-control.js';
import {
  decodeDERProgram,
  decodeDERProgramList,
  decodeDeviceCapability,
  decodeEndDevice,
  decodeEndDeviceList,
  decodeFunctionSetAssignmentsList,
  decodeRegistration,
  decodeTime,
  encodeDERProgram,
  encodeDERProgramList,
  encodeDeviceCapability,
  encodeEndDevice,
  encodeEndDeviceList,
  encodeFunctionSetAssignmentsList,
  encodeRegistration,
  encodeTime,
  type DERProgramList,
  type DeviceCapability,
  type EndDeviceList,
  type FunctionSetAssignmentsList,
  type Registration,
  type Time,
} from './resources.js';
import { SEP_XSD, SEP_XSD_MISSING, validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';

const T0 = 1_790_000_000;

const deviceCapability: DeviceCapability = {
  href: '/sep2/dcap',
  pollRate: 900,
  DERProgramListLink: { href: '/sep2/derp', all: 1 },
  TimeLink: { href: '/sep2/tm' },
  EndDeviceListLink: { href: '/sep2/edev', all: 2 },
  MirrorUsagePointListLink: { href: '/sep2/mup', all: 0 },
  SelfDeviceLink: { href: '/sep2/sdev' },
};
const time: Time = {
  href: '/sep2/tm',
  currentTime: T0,
  dstEndTime: T0 + 200 * 86_400,
  dstOffset: 3600,
  dstStartTime: T0 - 30 * 86_400,
  localTime: T0 - 8 * 3600 + 3600,
  quality: 7,
  tzOffset: -8 * 3600,
};
const endDevices: EndDeviceList = {
  href: '/sep2/edev',
  subscribable: 0,
  all: 2,
  results: 2,
  pollRate: 300,
  EndDevice: [
    {
      href: '/sep2/edev/0',
      DERListLink: { href: '/sep2/edev/0/der', all: 1 },
      lFDI: '3E4F45AB31EDFE5B67E343E5E4562E31984E23E5',
      sFDI: 167261211391,
      changedTime: T0,
      enabled: true,
      FunctionSetAssignmentsListLink: { href: '/sep2/edev/0/fsa', all: 1 },
      postRate: 60,
      RegistrationLink: { href: '/sep2/edev/0/rg' },
    },
    { href: '/sep2/edev/1', sFDI: 5, changedTime: 0, enabled: false },
  ],
};
const registration: Registration = { href: '/sep2/edev/0/rg', dateTimeRegistered: T0, pIN: 111115 };
const fsa: FunctionSetAssignmentsList = {
  href: '/sep2/edev/0/fsa',
  all: 1,
  results: 1,
  FunctionSetAssignments: [
    {
      href: '/sep2/edev/0/fsa/0',
      DERProgramListLink: { href: '/sep2/edev/0/fsa/0/derp', all: 1 },
      TimeLink: { href: '/sep2/tm' },
      mRID: '0012',
      description: 'feeder 7 homes',
      version: 3,
    },
  ],
};
const programs: DERProgramList = {
  href: '/sep2/derp',
  all: 1,
  results: 1,
  DERProgram: [
    {
      href: '/sep2/derp/0',
      mRID: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
      description: 'DSO envelope',
      ActiveDERControlListLink: { href: '/sep2/derp/0/actderc', all: 0 },
      DefaultDERControlLink: { href: '/sep2/derp/0/dderc' },
      DERControlListLink: { href: '/sep2/derp/0/derc', all: 1 },
      DERCurveListLink: { href: '/sep2/derp/0/dc', all: 1 },
      primacy: 1,
    },
  ],
};
const control: DERControl = {
  href: '/sep2/derp/0/derc/0',
  replyTo: '/sep2/rsps/0/rsp',
  responseRequired: '03',
  mRID: '00FF00FF00FF00FF00FF00FF00FF0001',
  description: 'export limit 5 kW',
  version: 0,
  creationTime: T0,
  EventStatus: { currentStatus: 0, dateTime: T0, potentiallySuperseded: false },
  interval: { duration: 1800, start: T0 + 900 },
  randomizeStart: -60,
  DERControlBase: {
    opModConnect: true,
    opModEnergize: true,
    opModFixedPFInjectW: { displacement: 95, excitation: false, multiplier: -2 },
    opModFixedW: -2500,
    opModMaxLimW: 8000,
    opModMaxLimWAbsorb: { multiplier: 3, value: 10 },
    opModMaxLimWInject: { multiplier: 0, value: 5000 },
    opModTargetW: { multiplier: 0, value: -1200 },
    opModVoltVar: { href: '/sep2/derp/0/dc/0' },
    rampTms: 500,
  },
  deviceCategory: '00020000',
};
const controls: DERControlList = {
  href: '/sep2/derp/0/derc',
  subscribable: 1,
  all: 2,
  results: 2,
  DERControl: [
    control,
    {
      mRID: '0002',
      creationTime: T0,
      EventStatus: {
        currentStatus: 2,
        dateTime: T0 + 5,
        potentiallySuperseded: true,
        reason: 'market re-cleared',
      },
      interval: { duration: 300, start: T0 },
      DERControlBase: { opModConnect: false },
    },
  ],
};
const defaultControl: DefaultDERControl = {
  href: '/sep2/derp/0/dderc',
  mRID: '0003',
  DERControlBase: { opModMaxLimWInject: { multiplier: 3, value: 5 }, opModEnergize: true },
  setESDelay: 30_000,
  setESRandomDelay: 6000,
  setGradW: 100,
  updatedTime: T0,
};
const emptyList: DERControlList = { href: '/sep2/derp/0/actderc', all: 0, results: 0, DERControl: [] };

const cases = [
  ['DeviceCapability', deviceCapability, encodeDeviceCapability, decodeDeviceCapability],
  ['Time', time, encodeTime, decodeTime],
  ['EndDeviceList', endDevices, encodeEndDeviceList, decodeEndDeviceList],
  ['EndDevice', endDevices.EndDevice[0]!, encodeEndDevice, decodeEndDevice],
  ['DERProgram', programs.DERProgram[0]!, encodeDERProgram, decodeDERProgram],
  ['Registration', registration, encodeRegistration, decodeRegistration],
  ['FunctionSetAssignmentsList', fsa, encodeFunctionSetAssignmentsList, decodeFunctionSetAssignmentsList],
  ['DERProgramList', programs, encodeDERProgramList, decodeDERProgramList],
  ['DERControl', control, encodeDERControl, decodeDERControl],
  ['DERControlList', controls, encodeDERControlList, decodeDERControlList],
  ['DERControlList (empty)', emptyList, encodeDERControlList, decodeDERControlList],
  ['DefaultDERControl', defaultControl, encodeDefaultDERControl, decodeDefaultDERControl],
] as const;

describe('IEEE 2030.5 codecs', () => {
  it.each(cases)('round-trips %s: object → XML → object', (_name, value, encode, decode) => {
    const xml = (encode as (v: typeof value) => string)(value);
    expect(xml).toContain('xmlns="urn:ieee:std:2030.5:ns"');
    expect(decode(xml)).toEqual(value);
  });

  it.skipIf(SEP_XSD === undefined)('writes every document valid against sep.xsd', async () => {
    const documents = cases.map(([, value, encode]) => (encode as (v: typeof value) => string)(value));
    expect(await validateSepDocument(documents)).toBe('valid');
  });

  it.skipIf(SEP_XSD === undefined)('the schema check fails on a document out of schema order', async () => {
    // primacy belongs after the links; a check that cannot fail would prove nothing.
    const wrong =
      '<DERProgram xmlns="urn:ieee:std:2030.5:ns"><mRID>01</mRID><primacy>1</primacy>' +
      '<DERControlListLink href="/a"/></DERProgram>';
    await expect(validateSepDocument(wrong)).rejects.toThrow(/not valid against sep.xsd/);
  });

  it.runIf(SEP_XSD === undefined)(SEP_XSD_MISSING, () => {
    expect(SEP_XSD).toBeUndefined();
  });

  it('keeps mRID leading zeros and refuses mistyped values with the path', () => {
    const xml = encodeDERControl(control).replace('<rampTms>500</rampTms>', '<rampTms>70000</rampTms>');
    expect(() => decodeDERControl(xml)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/DERControl/DERControlBase/rampTms' }),
    );
    expect(decodeRegistration(encodeRegistration({ dateTimeRegistered: 0, pIN: 12 })).pIN).toBe(12);
    expect(decodeDERControlList(encodeDERControlList(controls)).DERControl[1]?.mRID).toBe('0002');
    expect(() => encodeTime({ ...time, quality: 256 })).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/Time/quality' }),
    );
    expect(() => encodeDERControl({ ...control, mRID: '123' })).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/DERControl/mRID' }),
    );
    const twice = encodeTime(time).replace(
      '<quality>7</quality>',
      '<quality>7</quality><quality>7</quality>',
    );
    expect(() => decodeTime(twice)).toThrow(expect.objectContaining({ path: '/Time/quality' }));
  });

  it('refuses to write characters XML cannot carry', () => {
    const bad = { ...programs, DERProgram: [{ mRID: '01', description: 'a\u0001b', primacy: 0 }] };
    expect(() => encodeDERProgramList(bad)).toThrow(
      expect.objectContaining({
        code: 'TE_ERR_VALIDATION',
        path: '/DERProgramList/DERProgram[0]/description',
      }),
    );
    expect(() => encodeTime({ ...time, href: '/tm\uD800' })).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/Time/@href' }),
    );
    const emoji = { ...programs, DERProgram: [{ mRID: '01', description: 'PV \u{1F31E} ok', primacy: 0 }] };
    expect(decodeDERProgramList(encodeDERProgramList(emoji))).toEqual(emoji);
  });

  it('escapes text and attribute values', () => {
    const value: DERProgramList = {
      ...programs,
      href: '/sep2/derp?s=0&l=10',
      DERProgram: [{ mRID: '01', description: `<"a" & 'b'>`, primacy: 0 }],
    };
    expect(decodeDERProgramList(encodeDERProgramList(value))).toEqual(value);
  });
});
