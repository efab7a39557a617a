import { describe, expect, it } from 'vitest';
import { isTeError } from '../core/errors.js';
import { SEP_XSD, validateSepDocument } from '../../test/ieee2030-5/sep-xsd.fixture.js';
import { CSIPAUS_NAMESPACE, limitFromWatts, limitWatts } from './csip-aus.js';
import {
  decodeDefaultDERControl,
  decodeDERControl,
  decodeDERControlList,
  encodeDefaultDERControl,
  encodeDERControl,
  encodeDERControlList,
  type DERControl,
} from './der-control.js';
import { decodeNotification, encodeNotification, type Notification } from './subscription.js';

const SEP = 'xmlns="urn:ieee:std:2030.5:ns"';
const control: DERControl = {
  mRID: 'A1'.repeat(16),
  creationTime: 1_800_000_000,
  EventStatus: { currentStatus: 1, dateTime: 1_800_000_000, potentiallySuperseded: false },
  interval: { start: 1_800_000_000, duration: 900 },
  DERControlBase: {
    opModMaxLimWInject: { multiplier: 0, value: 5000 },
    rampTms: 500,
    opModImpLimW: { multiplier: 1, value: 4567 },
    opModExpLimW: { multiplier: 0, value: 1500 },
    opModGenLimW: { multiplier: -1, value: 25 },
    opModLoadLimW: { multiplier: 3, value: 7 },
  },
};

/** A DERControl document written by hand, its DERControlBase's inside given. */
const document = (base: string, rootDeclarations = `xmlns:csipaus="${CSIPAUS_NAMESPACE}"`): string =>
  `<DERControl ${SEP} ${rootDeclarations}><mRID>${'A1'.repeat(16)}</mRID><creationTime>1</creationTime>` +
  '<EventStatus><currentStatus>1</currentStatus><dateTime>1</dateTime>' +
  '<potentiallySuperseded>false</potentiallySuperseded></EventStatus>' +
  `<interval><duration>900</duration><start>1</start></interval><DERControlBase>${base}</DERControlBase></DERControl>`;
const limit = (tag: string, multiplier: string, value: string): string =>
  `<${tag}><multiplier>${multiplier}</multiplier><value>${value}</value></${tag}>`;
const exportLimitOf = (xml: string) => decodeDERControl(xml).DERControlBase.opModExpLimW;

describe('CSIP-AUS limits in DERControlBase', () => {
  it('writes the four limits in the csipaus namespace after the 2030.5 elements and reads them back', () => {
    const xml = encodeDERControl(control);
    expect(xml).toContain(`<DERControl ${SEP} xmlns:csipaus="${CSIPAUS_NAMESPACE}">`);
    expect(xml).toContain(
      '<rampTms>500</rampTms>' +
        '<csipaus:opModImpLimW><multiplier>1</multiplier><value>4567</value></csipaus:opModImpLimW>' +
        '<csipaus:opModExpLimW><multiplier>0</multiplier><value>1500</value></csipaus:opModExpLimW>',
    );
    expect(decodeDERControl(xml)).toEqual(control);
    expect(limitWatts(control.DERControlBase.opModImpLimW ?? { multiplier: 0, value: 0 })).toBe(45_670);
    expect(limitWatts(control.DERControlBase.opModGenLimW ?? { multiplier: 0, value: 0 })).toBe(2.5);
  });

  it('declares the namespace only when a limit is there, so 2030.5-only documents are unchanged', () => {
    const plain = { opModMaxLimWInject: { multiplier: 0, value: 5000 }, rampTms: 500 };
    expect(encodeDERControl({ ...control, DERControlBase: plain })).not.toContain('csipaus');
  });

  it('carries the limits in a DefaultDERControl and in every control of a list', () => {
    const fallback = {
      mRID: 'D0'.repeat(16),
      DERControlBase: { opModExpLimW: { multiplier: 0, value: 1500 } },
      setGradW: 27,
    };
    expect(decodeDefaultDERControl(encodeDefaultDERControl(fallback))).toEqual(fallback);
    const list = { all: 2, results: 2, DERControl: [control, { ...control, mRID: 'B2'.repeat(16) }] };
    const xml = encodeDERControlList(list);
    expect(xml.match(/xmlns:csipaus=/g)).toHaveLength(1);
    expect(decodeDERControlList(xml)).toEqual(list);
  });

  it('carries the limits in a subscription notification (a DERControlList under xsi:type)', () => {
    const notification: Notification = {
      subscribedResource: '/sep2/derp/dso/dc',
      Resource: {
        xsiType: 'DERControlList',
        value: { all: 1, results: 1, DERControl: [control] },
      },
      status: 0,
      subscriptionURI: 'https://sep.example:8443/sep2/edev/d1/sub/1',
    };
    const xml = encodeNotification(notification);
    expect(xml).toContain(`<Notification ${SEP} xmlns:xsi=`);
    expect(xml).toContain(`xmlns:csipaus="${CSIPAUS_NAMESPACE}">`);
    expect(decodeNotification(xml)).toEqual(notification);
  });

  it.skipIf(SEP_XSD === undefined)(
    'writes documents valid against sep.xsd (its xs:any ##other)',
    async () => {
      const documents = [
        encodeDERControl(control),
        encodeDefaultDERControl({
          mRID: '01',
          DERControlBase: { opModExpLimW: { multiplier: 0, value: 0 } },
        }),
      ];
      expect(await validateSepDocument(documents)).toBe('valid');
      // The check can fail: a CSIP-AUS element before a 2030.5 one breaks the sequence.
      const misplaced = document(`${limit('csipaus:opModExpLimW', '0', '1')}<rampTms>1</rampTms>`);
      await expect(validateSepDocument(misplaced)).rejects.toThrow(/not valid against sep.xsd/);
    },
  );

  it.each([
    [
      'another prefix on the root',
      `xmlns:ns2="${CSIPAUS_NAMESPACE}"`,
      limit('ns2:opModExpLimW', '0', '1500'),
    ],
    [
      'the prefix declared on the element itself',
      '',
      `<csipaus:opModExpLimW xmlns:csipaus="${CSIPAUS_NAMESPACE}"><multiplier>0</multiplier>` +
        '<value>1500</value></csipaus:opModExpLimW>',
    ],
    [
      'a prefix re-bound closer to the element',
      'xmlns:c="urn:example:other"',
      `<c:opModExpLimW xmlns:c="${CSIPAUS_NAMESPACE}"><multiplier>0</multiplier><value>1500</value></c:opModExpLimW>`,
    ],
  ])('reads %s', (_name, declarations, base) => {
    expect(exportLimitOf(document(base, declarations))).toEqual({ multiplier: 0, value: 1500 });
  });

  it('reads the declaration on DERControlBase and ignores the xsi and other unused declarations', () => {
    const xml = document(
      limit('x:opModExpLimW', '2', '15'),
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    ).replace('<DERControlBase>', `<DERControlBase xmlns:x="${CSIPAUS_NAMESPACE}">`);
    expect(exportLimitOf(xml)).toEqual({ multiplier: 2, value: 15 });
  });

  it.each([
    [
      'a prefix bound to another CSIP-AUS namespace',
      document(
        limit('csipaus:opModExpLimW', '0', '1'),
        'xmlns:csipaus="https://csipaus.org/ns/v1.3-beta/storage"',
      ),
      'TE_ERR_XML_NAMESPACE',
      '/DERControl/DERControlBase/csipaus:opModExpLimW',
    ],
    [
      'an undeclared prefix',
      document(limit('csipaus:opModExpLimW', '0', '1'), ''),
      'TE_ERR_XML_NAMESPACE',
      undefined,
    ],
    [
      'the namespace as the default on the element',
      document(
        `<opModExpLimW xmlns="${CSIPAUS_NAMESPACE}"><multiplier>0</multiplier><value>1</value></opModExpLimW>`,
      ),
      'TE_ERR_XML_NAMESPACE',
      undefined,
    ],
    [
      'a 2030.5 element under the csipaus prefix',
      document(`<csipaus:rampTms>5</csipaus:rampTms>`),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:rampTms',
    ],
    [
      'a negative limit',
      document(limit('csipaus:opModExpLimW', '0', '-1')),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModExpLimW/value',
    ],
    [
      'a value beyond Int16',
      document(limit('csipaus:opModImpLimW', '0', '32768')),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModImpLimW/value',
    ],
    [
      'a multiplier beyond 9',
      document(limit('csipaus:opModGenLimW', '10', '1')),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModGenLimW/multiplier',
    ],
    [
      'a hostile number of digits',
      document(limit('csipaus:opModLoadLimW', '0', '9'.repeat(5000))),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModLoadLimW/value',
    ],
    [
      'a fraction',
      document(limit('csipaus:opModExpLimW', '0', '1.5')),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModExpLimW/value',
    ],
    [
      'the children in the csipaus namespace (they are 2030.5 elements)',
      document(
        '<csipaus:opModExpLimW><csipaus:multiplier>0</csipaus:multiplier><csipaus:value>1</csipaus:value></csipaus:opModExpLimW>',
      ),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModExpLimW/csipaus:multiplier',
    ],
    [
      'text instead of a power',
      document('<csipaus:opModExpLimW>1500</csipaus:opModExpLimW>'),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModExpLimW',
    ],
    [
      'the limit twice under two prefixes',
      document(
        limit('csipaus:opModExpLimW', '0', '1') + limit('c:opModExpLimW', '0', '2'),
        `xmlns:csipaus="${CSIPAUS_NAMESPACE}" xmlns:c="${CSIPAUS_NAMESPACE}"`,
      ),
      'TE_ERR_VALIDATION',
      '/DERControl/DERControlBase/csipaus:opModExpLimW',
    ],
    [
      'a flood of namespace declarations',
      document(
        limit('csipaus:opModExpLimW', '0', '1'),
        Array.from({ length: 40 }, (_, k) => `xmlns:p${k}="urn:x:${k}"`).join(' '),
      ),
      'TE_ERR_XML_FORBIDDEN',
      undefined,
    ],
    [
      'a body over the size limit',
      document(limit('csipaus:opModExpLimW', '0', '1') + `<!--${'x'.repeat(70_000)}-->`),
      'TE_ERR_INPUT_TOO_LARGE',
      undefined,
    ],
  ])('refuses %s with a coded error', (_name, xml, code, path) => {
    expect(() => decodeDERControl(xml)).toThrow(
      expect.objectContaining(path === undefined ? { code } : { code, path }),
    );
  });
});

describe('CSIP-AUS documents under random mutation', () => {
  it('answers 2,000 mutated bodies with limits in range or a coded error, never anything else', () => {
    const valid = encodeDERControl(control);
    const pieces = [
      'csipaus:',
      'c:',
      ':',
      `xmlns:csipaus="${CSIPAUS_NAMESPACE}"`,
      'xmlns:csipaus="urn:x"',
      ` xmlns:c="${CSIPAUS_NAMESPACE}"`,
      `xmlns="${CSIPAUS_NAMESPACE}"`,
      '-',
      '9',
      '<value>1</value>',
      '</csipaus:opModExpLimW>',
      '<',
      '>',
    ];
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; // a fixed LCG: failures reproduce
      return seed % n;
    };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      let body = valid;
      for (let m = 0; m <= next(3); m += 1) {
        const at = next(body.length);
        body = body.slice(0, at) + (pieces[next(pieces.length)] ?? '') + body.slice(at + next(4));
      }
      let outcome = 'decoded';
      try {
        const base = decodeDERControl(body).DERControlBase;
        for (const mode of ['opModImpLimW', 'opModExpLimW', 'opModGenLimW', 'opModLoadLimW'] as const) {
          const limit = base[mode];
          if (limit === undefined) continue;
          expect(limit.value).toBeGreaterThanOrEqual(0);
          expect(limit.value).toBeLessThanOrEqual(32_767);
          expect(Math.abs(limit.multiplier)).toBeLessThanOrEqual(9);
        }
      } catch (error) {
        if (!isTeError(error)) throw new Error(`uncoded error for ${JSON.stringify(body)}`, { cause: error });
        outcome = error.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The mutations reach the namespace check and the typed read, and some bodies still decode.
    expect([...outcomes.keys()]).toEqual(
      expect.arrayContaining([
        'decoded',
        'TE_ERR_VALIDATION',
        'TE_ERR_XML_NAMESPACE',
        'TE_ERR_XML_MALFORMED',
      ]),
    );
  });
});

describe('limitFromWatts: integers on the wire, rounded toward the safe side', () => {
  it.each([
    [0, { multiplier: 0, value: 0 }],
    [1500, { multiplier: 0, value: 1500 }],
    [1500.999, { multiplier: 0, value: 1500 }],
    [2.3 * 1000, { multiplier: 0, value: 2300 }],
    [32_767, { multiplier: 0, value: 32_767 }],
    [32_767.9, { multiplier: 1, value: 3276 }],
    [45_678.9, { multiplier: 1, value: 4567 }],
    [1_234_567, { multiplier: 2, value: 12_345 }],
  ])('%s W goes as %o, never above', (watts, expected) => {
    const power = limitFromWatts(watts);
    expect(power).toEqual(expected);
    expect(limitWatts(power ?? expected)).toBeLessThanOrEqual(watts + 1e-6);
  });

  it('leaves an unbounded limit out and refuses what no envelope can be', () => {
    expect(limitFromWatts(Number.POSITIVE_INFINITY)).toBeUndefined();
    for (const bad of [-1, Number.NaN, Number.NEGATIVE_INFINITY, 1e15]) {
      expect(() => limitFromWatts(bad)).toThrow(expect.objectContaining({ code: 'TE_ERR_VALIDATION' }));
    }
  });
});
