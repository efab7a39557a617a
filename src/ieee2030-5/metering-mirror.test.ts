import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.fixture.js';
import {
  decodeMirrorMeterReading,
  decodeMirrorMeterReadingList,
  decodeMirrorUsagePoint,
  decodeMirrorUsagePointList,
  decodeReading,
  decodeReadingType,
  encodeMirrorMeterReading,
  encodeMirrorMeterReadingList,
  encodeMirrorUsagePoint,
  encodeMirrorUsagePointList,
  encodeReading,
  encodeReadingType,
  type MirrorMeterReading,
  type MirrorUsagePoint,
  type ReadingType,
} from './metering-mirror.js';
import { SEP_XSD, validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';

const readingType: ReadingType = {
  href: '/sep2/mup/1/rt',
  accumulationBehaviour: 4,
  calorificValue: { multiplier: 0, unit: 72, value: 1 },
  commodity: 1,
  conversionFactor: { multiplier: 0, unit: 72, value: 1 },
  dataQualifier: 0,
  flowDirection: 1,
  intervalLength: 300,
  kind: 12,
  maxNumberOfIntervals: 12,
  numberOfConsumptionBlocks: 0,
  numberOfTouTiers: 0,
  phase: 0,
  powerOfTenMultiplier: 0,
  subIntervalLength: 60,
  supplyLimit: 100_000,
  tieredConsumptionBlocks: false,
  uom: 72,
};
const reading = (start: number, value: number) => ({
  subscribable: 0,
  consumptionBlock: 0,
  qualityFlags: '0000',
  timePeriod: { duration: 300, start },
  touTier: 0,
  value,
  localID: '0001',
});
const meterReading: MirrorMeterReading = {
  href: '/sep2/mup/1/mr/1',
  mRID: '00000000000000000000000000004D01',
  description: 'import Wh',
  version: 1,
  lastUpdateTime: 1_790_000_300,
  MirrorReadingSet: [
    {
      mRID: '00000000000000000000000000005301',
      description: 'hour',
      version: 0,
      timePeriod: { duration: 600, start: 1_790_000_000 },
      Reading: [reading(1_790_000_000, 120), reading(1_790_000_300, 130)],
    },
  ],
  nextUpdateTime: 1_790_000_600,
  Reading: reading(1_790_000_000, 250),
  ReadingType: readingType,
};
const usagePoint: MirrorUsagePoint = {
  href: '/sep2/mup/1',
  subscribable: 0,
  mRID: '00000000000000000000000000004E01',
  description: 'site meter',
  version: 0,
  roleFlags: '0049',
  serviceCategoryKind: 0,
  status: 1,
  deviceLFDI: '3E4F45AB31EDFE5B67E343E5E4562E31984E23E5',
  MirrorMeterReading: [meterReading],
  postRate: 300,
  UsagePointLink: { href: '/sep2/upt/1' },
};

describe('metering mirror codecs', () => {
  const documents = [
    encodeReadingType(readingType),
    encodeReading(reading(1_790_000_000, -5)),
    encodeMirrorMeterReading(meterReading),
    encodeMirrorMeterReadingList({
      href: '/sep2/mup/1/mr',
      all: 1,
      results: 1,
      MirrorMeterReading: [meterReading],
    }),
    encodeMirrorUsagePoint(usagePoint),
    encodeMirrorUsagePointList({
      href: '/sep2/mup',
      subscribable: 0,
      all: 1,
      results: 1,
      pollRate: 900,
      MirrorUsagePoint: [usagePoint],
    }),
    // Only the required elements.
    encodeMirrorUsagePoint({
      mRID: '01',
      roleFlags: '00',
      serviceCategoryKind: 0,
      status: 0,
      deviceLFDI: '00',
    }),
    encodeMirrorMeterReading({ mRID: '02' }),
  ];

  it('round-trips every element', () => {
    expect(decodeReadingType(documents[0]!)).toEqual(readingType);
    expect(decodeReading(documents[1]!)).toEqual(reading(1_790_000_000, -5));
    expect(decodeMirrorMeterReading(documents[2]!)).toEqual(meterReading);
    expect(decodeMirrorMeterReadingList(documents[3]!).MirrorMeterReading).toEqual([meterReading]);
    expect(decodeMirrorUsagePoint(documents[4]!)).toEqual(usagePoint);
    expect(decodeMirrorUsagePointList(documents[5]!).MirrorUsagePoint).toEqual([usagePoint]);
  });

  it('writes documents valid against sep.xsd', async () => {
    expect(await validateSepDocument(documents)).toBe(SEP_XSD === undefined ? 'skipped' : 'valid');
  });

  it('refuses a reading set without its time period and an Int48 overflow, naming the element', () => {
    const ns = 'xmlns="urn:ieee:std:2030.5:ns"';
    expect(
      refusal(() =>
        decodeMirrorMeterReading(
          `<MirrorMeterReading ${ns}><mRID>02</mRID><MirrorReadingSet><mRID>03</mRID></MirrorReadingSet></MirrorMeterReading>`,
        ),
      ),
    ).toEqual(['TE_ERR_VALIDATION', '/MirrorMeterReading/MirrorReadingSet[0]/timePeriod']);
    expect(refusal(() => decodeReading(`<Reading ${ns}><value>140737488355329</value></Reading>`))).toEqual([
      'TE_ERR_VALIDATION',
      '/Reading/value',
    ]);
  });
});
