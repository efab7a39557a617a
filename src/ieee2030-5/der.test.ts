import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.fixture.js';
import {
  decodeDER,
  decodeDERAvailability,
  decodeDERCapability,
  decodeDERList,
  decodeDERSettings,
  decodeDERStatus,
  encodeDER,
  encodeDERAvailability,
  encodeDERCapability,
  encodeDERList,
  encodeDERSettings,
  encodeDERStatus,
  type DER,
  type DERAvailability,
  type DERCapability,
  type DERList,
  type DERSettings,
  type DERStatus,
} from './der.js';
import { SEP_XSD, validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';

const w = (value: number, multiplier = 0) => ({ value, multiplier });
const pf = (displacement: number) => ({ displacement, multiplier: -2 });

// Every element of each type is set, so the schema check covers the whole element order.
const der: DER = {
  href: '/sep2/edev/d1/der/0',
  subscribable: 0,
  AssociatedDERProgramListLink: { href: '/sep2/derp', all: 1 },
  AssociatedUsagePointLink: { href: '/sep2/mup/0' },
  CurrentDERControlsLink: { href: '/sep2/edev/d1/der/0/cdc' },
  CurrentDERProgramLink: { href: '/sep2/derp/local' },
  DERAvailabilityLink: { href: '/sep2/edev/d1/der/0/dera' },
  DERCapabilityLink: { href: '/sep2/edev/d1/der/0/dercap' },
  DERComponentListLink: { href: '/sep2/edev/d1/der/0/comp', all: 0 },
  DERSettingsLink: { href: '/sep2/edev/d1/der/0/derg' },
  DERStatusLink: { href: '/sep2/edev/d1/der/0/ders' },
};
const list: DERList = { href: '/sep2/edev/d1/der', all: 1, results: 1, pollRate: 900, DER: [der] };
const capability: DERCapability = {
  href: '/sep2/edev/d1/der/0/dercap',
  modesSupported: '00500088',
  modesSupported2: '00000001',
  rtgAbnormalCategory: 2,
  rtgMaxA: w(32),
  rtgMaxAh: w(200),
  rtgMaxChargeRateVA: w(5000),
  rtgMaxChargeRateW: w(5000),
  rtgMaxDischargeRateVA: w(5000),
  rtgMaxDischargeRateW: w(5000),
  rtgMaxV: w(264),
  rtgMaxVA: w(5000),
  rtgMaxVar: w(3000),
  rtgMaxVarNeg: w(-3000),
  rtgMaxW: w(5, 3),
  rtgMaxWh: w(135, 2),
  rtgMinPFOverExcited: pf(80),
  rtgMinPFUnderExcited: pf(80),
  rtgMinV: w(180),
  rtgNormalCategory: 1,
  rtgOverExcitedPF: pf(90),
  rtgOverExcitedW: w(4500),
  rtgReactiveSusceptance: w(1),
  rtgUnderExcitedPF: pf(90),
  rtgUnderExcitedW: w(4500),
  rtgVNom: w(230),
  type: 83,
};
const settings: DERSettings = {
  href: '/sep2/edev/d1/der/0/derg',
  subscribable: 0,
  modesEnabled: '00500088',
  modesEnabled2: '00000000',
  setESDelay: 6000,
  setESHighFreq: 5015,
  setESHighVolt: 10_500,
  setESLowFreq: 4700,
  setESLowVolt: 9100,
  setESRampTms: 30_000,
  setESRandomDelay: 0,
  setGradW: 1667,
  setMaxA: w(32),
  setMaxAh: w(200),
  setMaxChargeRateVA: w(5000),
  setMaxChargeRateW: w(5000),
  setMaxDischargeRateVA: w(5000),
  setMaxDischargeRateW: w(5000),
  setMaxV: w(264),
  setMaxVA: w(5000),
  setMaxVar: w(3000),
  setMaxVarNeg: w(-3000),
  setMaxW: w(5000),
  setMaxWh: w(13_500),
  setMinPFOverExcited: pf(80),
  setMinPFUnderExcited: pf(80),
  setMinV: w(180),
  setSoftGradW: 100,
  setVNom: w(230),
  setVRef: w(230),
  setVRefOfs: w(0),
  updatedTime: 1_790_000_000,
};
const status: DERStatus = {
  href: '/sep2/edev/d1/der/0/ders',
  subscribable: 0,
  alarmStatus: '00000000',
  connectStatus: { dateTime: 1_790_000_000, value: '07' },
  genConnectStatus: { dateTime: 1_790_000_000, value: '07' },
  inverterStatus: { dateTime: 1_790_000_000, value: 4 },
  localControlModeStatus: { dateTime: 1_790_000_000, value: 0 },
  manufacturerStatus: { dateTime: 1_790_000_000, value: 'OK' },
  operationalModeStatus: { dateTime: 1_790_000_000, value: 2 },
  readingTime: 1_790_000_000,
  stateOfChargeStatus: { dateTime: 1_790_000_000, value: 5500 },
  storageModeStatus: { dateTime: 1_790_000_000, value: 1 },
  storConnectStatus: { dateTime: 1_790_000_000, value: '07' },
};
const availability: DERAvailability = {
  href: '/sep2/edev/d1/der/0/dera',
  subscribable: 0,
  availabilityDuration: 7200,
  maxChargeDuration: 3600,
  readingTime: 1_790_000_000,
  reserveChargePercent: 1000,
  reservePercent: 2000,
  statVarAbsorbAvail: w(3000),
  statVarAvail: w(3000),
  statWAbsorbAvail: w(5000),
  statWAvail: w(4000),
};

describe('DER codecs', () => {
  const documents = [
    encodeDER(der),
    encodeDERList(list),
    encodeDERCapability(capability),
    encodeDERSettings(settings),
    encodeDERStatus(status),
    encodeDERAvailability(availability),
    // The smallest valid documents: only the required elements.
    encodeDERCapability({ modesSupported: '00', rtgMaxW: w(1), type: 4 }),
    encodeDERSettings({ setGradW: 0, setMaxW: w(1), updatedTime: 0 }),
    encodeDERStatus({ readingTime: 0 }),
    encodeDERAvailability({ readingTime: 0 }),
    encodeDERList({ all: 0, results: 0, DER: [] }),
  ];

  it('round-trips every element', () => {
    expect(decodeDER(documents[0]!)).toEqual(der);
    expect(decodeDERList(documents[1]!)).toEqual(list);
    expect(decodeDERCapability(documents[2]!)).toEqual(capability);
    expect(decodeDERSettings(documents[3]!)).toEqual(settings);
    expect(decodeDERStatus(documents[4]!)).toEqual(status);
    expect(decodeDERAvailability(documents[5]!)).toEqual(availability);
  });

  it('writes documents valid against sep.xsd', async () => {
    expect(await validateSepDocument(documents)).toBe(SEP_XSD === undefined ? 'skipped' : 'valid');
  });

  it('refuses missing required elements, out-of-range values and the wrong document with codes and paths', () => {
    const ns = 'xmlns="urn:ieee:std:2030.5:ns"';
    expect(
      refusal(() => decodeDERSettings(`<DERSettings ${ns}><setGradW>1</setGradW></DERSettings>`)),
    ).toEqual(['TE_ERR_VALIDATION', '/DERSettings/setMaxW']);
    expect(
      refusal(() =>
        decodeDERStatus(
          `<DERStatus ${ns}><readingTime>1</readingTime><stateOfChargeStatus><dateTime>1</dateTime>` +
            `<value>10001</value></stateOfChargeStatus></DERStatus>`,
        ),
      ),
    ).toEqual(['TE_ERR_VALIDATION', '/DERStatus/stateOfChargeStatus/value']);
    expect(refusal(() => decodeDERCapability(encodeDERStatus(status)))).toEqual([
      'TE_ERR_VALIDATION',
      '/DERStatus',
    ]);
    expect(refusal(() => encodeDERCapability({ ...capability, rtgMaxW: w(40_000) }))).toEqual([
      'TE_ERR_VALIDATION',
      '/DERCapability/rtgMaxW/value',
    ]);
  });
});
