import { describe, expect, it } from 'vitest';
import { keepKnownProperties } from './known-properties.js';
import { ProgramRequestSchema, ResourceRequestSchema } from './schemas/objects.js';

describe('what the VTN keeps of a request', () => {
  it('keeps the properties the schema defines, at every level, and drops the rest', () => {
    const kept = keepKnownProperties(
      {
        programName: 'p',
        id: 'x',
        createdDateTime: 'y',
        extension: { deep: true },
        attributes: [{ type: 'A', values: [1, 'two', true, { x: 1, y: 2, z: 3 }], note: 'n' }],
        payloadDescriptors: [
          { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', confidence: 90, currency: 'USD' },
          { objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'PRICE', currency: 'USD', confidence: 90 },
        ],
        targets: null,
      },
      ProgramRequestSchema,
    );
    expect(kept).toEqual({
      programName: 'p',
      attributes: [{ type: 'A', values: [1, 'two', true, { x: 1, y: 2 }] }],
      payloadDescriptors: [
        { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', confidence: 90 },
        { objectType: 'EVENT_PAYLOAD_DESCRIPTOR', payloadType: 'PRICE', currency: 'USD' },
      ],
      targets: null,
    });
  });

  it("picks the request kind by objectType, and turns 'beginning of time' starts into date-times", () => {
    const ven = keepKnownProperties(
      { objectType: 'VEN_RESOURCE_REQUEST', venID: 'v', resourceName: 'r', clientID: 'c', targets: ['t'] },
      ResourceRequestSchema,
    );
    expect(ven).toEqual({ objectType: 'VEN_RESOURCE_REQUEST', venID: 'v', resourceName: 'r' });
    const starts = ['0001-01-01', '0001-01-01T00:00:00', '2026-01-01T00:00:00Z'].map(
      (start) =>
        (
          keepKnownProperties({ programName: 'p', intervalPeriod: { start } }, ProgramRequestSchema) as {
            intervalPeriod: { start: string };
          }
        ).intervalPeriod.start,
    );
    expect(starts).toEqual(['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2026-01-01T00:00:00Z']);
  });
});
