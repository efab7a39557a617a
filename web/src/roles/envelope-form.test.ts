import { describe, expect, it } from 'vitest';
import { envelopeBody, parseLimitKw } from './envelope-form';

describe('envelope form', () => {
  it('reads a limit in kW, blank as no limit, and refuses the rest', () => {
    expect(parseLimitKw(' 5.5 ', 'x')).toEqual({ ok: true, value: 5.5 });
    expect(parseLimitKw('', 'x')).toEqual({ ok: true, value: null });
    expect(parseLimitKw('-1', 'the import limit')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^the import limit/),
    });
    expect(parseLimitKw('abc', 'x').ok).toBe(false);
    expect(parseLimitKw('2e6', 'x').ok).toBe(false);
  });

  it('builds one envelope per participant with both limits', () => {
    expect(envelopeBody(['a', 'b'], '7', '')).toEqual({
      ok: true,
      body: {
        envelopes: [
          { participantId: 'a', importLimitKw: 7, exportLimitKw: null },
          { participantId: 'b', importLimitKw: 7, exportLimitKw: null },
        ],
      },
    });
  });

  it('needs a participant and at least one limit', () => {
    expect(envelopeBody([], '1', '1')).toEqual({ ok: false, error: 'choose a participant' });
    expect(envelopeBody(['a'], '', '')).toMatchObject({ ok: false });
    expect(envelopeBody(['a'], '1', 'x')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/export/),
    });
  });
});
