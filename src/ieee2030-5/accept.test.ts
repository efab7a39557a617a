/**
 * Documents as another implementation might write them: schema-valid, pretty-printed, with elements and
 * attributes our types do not model. They must validate against sep.xsd (so the test data is honest) and
 * decode to the fields we do model.
 */
import { describe, expect, it } from 'vitest';
import { decodeDERControl } from './der-control.js';
import { decodeEndDevice } from './resources.js';
import { SEP_XSD, validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';

const endDevicePost = `<?xml version="1.0" encoding="UTF-8"?>
<!-- posted by a gateway at registration -->
<EndDevice xmlns="urn:ieee:std:2030.5:ns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" subscribable="0">
  <deviceCategory>0000C000</deviceCategory>
  <lFDI>3e4f45ab31edfe5b67e343e5e4562e31984e23e5</lFDI>
  <phase>0</phase>
  <sFDI>167261211391</sFDI>
  <changedTime>1790000000</changedTime>
  <enabled>1</enabled>
  <postRate>300</postRate>
</EndDevice>
`;

const controlWithUnmodelledModes = `<?xml version="1.0"?>
<DERControl xmlns="urn:ieee:std:2030.5:ns" href="/sep2/derp/1/derc/7" replyTo="/sep2/rsps/1/rsp" responseRequired="03">
  <mRID>0A0B0C0D</mRID>
  <description>evening export cap &amp; droop</description>
  <creationTime>1790000000</creationTime>
  <EventStatus>
    <currentStatus>1</currentStatus>
    <dateTime>1790000000</dateTime>
    <potentiallySuperseded>false</potentiallySuperseded>
  </EventStatus>
  <interval>
    <duration>3600</duration>
    <start>1790003600</start>
  </interval>
  <DERControlBase>
    <opModEnergize>true</opModEnergize>
    <opModFreqDroop>
      <dBOF>36</dBOF><dBUF>36</dBUF><kOF>50</kOF><kUF>50</kUF><openLoopTms>500</openLoopTms>
    </opModFreqDroop>
    <opModMaxLimWInject><multiplier>3</multiplier><value>5</value></opModMaxLimWInject>
    <opModVoltVar href="/sep2/derp/1/dc/2"/>
  </DERControlBase>
</DERControl>
`;

describe('documents written by others', () => {
  it.skipIf(SEP_XSD === undefined)('are valid against sep.xsd (the test data is real 2030.5)', async () => {
    expect(await validateSepDocument([endDevicePost, controlWithUnmodelledModes])).toBe('valid');
  });

  it('decode to the modelled fields, ignoring the rest', () => {
    expect(decodeEndDevice(endDevicePost)).toEqual({
      subscribable: 0,
      lFDI: '3e4f45ab31edfe5b67e343e5e4562e31984e23e5',
      sFDI: 167261211391,
      changedTime: 1_790_000_000,
      enabled: true,
      postRate: 300,
    });
    const control = decodeDERControl(controlWithUnmodelledModes);
    expect(control.description).toBe('evening export cap & droop');
    expect(control.responseRequired).toBe('03');
    expect(control.DERControlBase).toEqual({
      opModEnergize: true,
      opModMaxLimWInject: { multiplier: 3, value: 5 },
      opModVoltVar: { href: '/sep2/derp/1/dc/2' },
    });
  });
});
