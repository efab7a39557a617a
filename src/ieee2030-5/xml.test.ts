import { describe, expect, it } from 'vitest';
import { isTeError, type ErrorCode } from '../core/errors.js';
import { decodeDERControl, encodeDERControl } from './der-control.js';
import { parseSepXml } from './xml.js';

const NS = 'xmlns="urn:ieee:std:2030.5:ns"';

/** The error code a body is refused with, and how long the refusal took in milliseconds. */
function refusal(body: string | Uint8Array, limits?: { maxBytes?: number; maxDepth?: number }) {
  const started = performance.now();
  try {
    parseSepXml(body, limits);
  } catch (error) {
    if (!isTeError(error)) throw error;
    return { code: error.code as ErrorCode, ms: performance.now() - started, path: error.path };
  }
  throw new Error('the body was accepted');
}

describe('hardened IEEE 2030.5 XML reader', () => {
  it('keeps text as strings and reads attributes, predefined and numeric entities', () => {
    const parsed = parseSepXml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<DERProgram ${NS} href="/derp/1?a=1&amp;b=2"><mRID>0012</mRID>` +
        `<description>&#84;&#x65;st &lt;1&gt;</description><primacy>007</primacy></DERProgram>`,
    );
    expect(parsed.root).toBe('DERProgram');
    expect(parsed.content).toMatchObject({
      '@_href': '/derp/1?a=1&b=2',
      mRID: '0012',
      description: 'Test <1>',
      primacy: '007',
    });
  });

  it('accepts a byte body, a BOM and comments', () => {
    const body = new TextEncoder().encode(`\uFEFF<?xml version="1.0"?><!-- hi --><Time ${NS}/>`);
    expect(parseSepXml(body).root).toBe('Time');
  });

  it.each([
    [
      'XXE through an external entity',
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Time ${NS}>&x;</Time>`,
      'TE_ERR_XML_FORBIDDEN',
    ],
    ['a bare DOCTYPE', `<!DOCTYPE Time><Time ${NS}/>`, 'TE_ERR_XML_FORBIDDEN'],
    ['an undeclared entity reference', `<Time ${NS}><a>&nbsp;</a></Time>`, 'TE_ERR_XML_FORBIDDEN'],
    [
      'a processing instruction',
      `<?xml version="1.0"?><?xml-stylesheet href="x"?><Time ${NS}/>`,
      'TE_ERR_XML_FORBIDDEN',
    ],
    ['a processing instruction inside', `<Time ${NS}><?php echo 1; ?></Time>`, 'TE_ERR_XML_FORBIDDEN'],
    ['no namespace', '<Time/>', 'TE_ERR_XML_NAMESPACE'],
    ['a wrong namespace', '<Time xmlns="urn:ieee:std:2030.5:ns:x"/>', 'TE_ERR_XML_NAMESPACE'],
    ['a prefixed root', '<s:Time xmlns:s="urn:ieee:std:2030.5:ns"/>', 'TE_ERR_XML_NAMESPACE'],
    [
      'a child in another namespace',
      `<Time ${NS}><currentTime xmlns="urn:evil">1</currentTime></Time>`,
      'TE_ERR_XML_NAMESPACE',
    ],
    ['a mismatched tag', `<Time ${NS}><a></b></Time>`, 'TE_ERR_XML_MALFORMED'],
    ['an unclosed root', `<Time ${NS}><a>1</a>`, 'TE_ERR_XML_MALFORMED'],
    ['an unclosed start tag', `<Time ${NS}`, 'TE_ERR_XML_MALFORMED'],
    ['two roots', `<Time ${NS}/><Time ${NS}/>`, 'TE_ERR_XML_MALFORMED'],
    ['text after the root', `<Time ${NS}/>junk`, 'TE_ERR_XML_MALFORMED'],
    ['an empty body', '', 'TE_ERR_XML_MALFORMED'],
    ['a < inside an attribute value', `<Time ${NS} href="<b>"/>`, 'TE_ERR_XML_MALFORMED'],
    [
      'an element named __proto__',
      `<Time ${NS}><__proto__><quality>3</quality></__proto__></Time>`,
      'TE_ERR_XML_FORBIDDEN',
    ],
    [
      'an element named constructor',
      `<Time ${NS}><constructor>1</constructor></Time>`,
      'TE_ERR_XML_FORBIDDEN',
    ],
    ['a duplicate attribute', `<Time ${NS} href="a" href="b"/>`, 'TE_ERR_XML_MALFORMED'],
  ] as const)('refuses %s', (_name, body, code) => {
    expect(refusal(body).code).toBe(code);
  });

  it('refuses invalid UTF-8', () => {
    expect(refusal(new Uint8Array([0x3c, 0x61, 0xff, 0x3e])).code).toBe('TE_ERR_XML_MALFORMED');
  });

  it('refuses a billion-laughs body quickly, without expanding anything', () => {
    const lol = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i += 1)
      lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const body = `<?xml version="1.0"?><!DOCTYPE lolz [${lol.join('')}]><Time ${NS}>&lol9;</Time>`;
    const { code, ms } = refusal(body);
    expect(code).toBe('TE_ERR_XML_FORBIDDEN');
    expect(ms).toBeLessThan(50);
  });

  it('refuses an oversized body before reading it, by its size in bytes', () => {
    const big = `<Time ${NS}><a>${'x'.repeat(70_000)}</a></Time>`;
    const { code, ms } = refusal(big);
    expect(code).toBe('TE_ERR_INPUT_TOO_LARGE');
    expect(ms).toBeLessThan(50);
    // Multi-byte characters count as bytes, not characters.
    expect(refusal(`<Time ${NS}><a>${'é'.repeat(600)}</a></Time>`, { maxBytes: 1000 }).code).toBe(
      'TE_ERR_INPUT_TOO_LARGE',
    );
    expect(parseSepXml(`<Time ${NS}><a>${'é'.repeat(400)}</a></Time>`, { maxBytes: 1000 }).root).toBe('Time');
  });

  it('refuses deep nesting quickly and without overflowing the stack', () => {
    const depth = 100_000;
    const body = `<Time ${NS}>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</Time>`;
    const { code, ms } = refusal(body, { maxBytes: 10_000_000 });
    expect(code).toBe('TE_ERR_XML_FORBIDDEN');
    expect(ms).toBeLessThan(50);
    // At the limit it is accepted; one more level is not.
    const nested = (n: number) => `<Time ${NS}>${'<a>'.repeat(n - 1)}${'</a>'.repeat(n - 1)}</Time>`;
    expect(parseSepXml(nested(32)).root).toBe('Time');
    expect(refusal(nested(33)).code).toBe('TE_ERR_XML_FORBIDDEN');
  });

  it('does not count a > inside a quoted attribute or self-closing tags as nesting', () => {
    const body = `<Time ${NS} href="/a>b">${'<a/>'.repeat(100)}</Time>`;
    expect(parseSepXml(body, { maxDepth: 1 }).root).toBe('Time');
  });

  it('refuses a document of the wrong type or with bad values through the codec with a path', () => {
    try {
      decodeDERControl(`<Time ${NS}/>`);
      expect.unreachable();
    } catch (error) {
      expect(isTeError(error) && error.code).toBe('TE_ERR_VALIDATION');
    }
    const missing = `<DERControl ${NS}><mRID>0A</mRID></DERControl>`;
    expect(() => decodeDERControl(missing)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION', path: '/DERControl/creationTime' }),
    );
  });
  it('answers 3,000 randomly mutated DERControl bodies with a result or a coded error, never anything else', () => {
    const valid = encodeDERControl({
      href: '/sep2/derp/0/derc/0',
      mRID: '0001',
      creationTime: 1,
      EventStatus: { currentStatus: 1, dateTime: 1, potentiallySuperseded: false },
      interval: { duration: 300, start: 1 },
      DERControlBase: { opModConnect: true, opModMaxLimWInject: { multiplier: 0, value: 5000 } },
    });
    const pieces = [
      '<',
      '>',
      '/',
      '&',
      '"',
      '<!DOCTYPE a>',
      '<?x?>',
      '&amp;',
      '&#0;',
      'xmlns="x"',
      '<a>',
      '</a>',
      '\u0000',
      'é',
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; // a fixed LCG: failures reproduce
      return seed % n;
    };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 3000; i += 1) {
      let body = valid;
      for (let m = 0; m <= next(3); m += 1) {
        const at = next(body.length);
        const cut = next(4);
        body =
          body.slice(0, at) +
          (next(2) === 0 ? (pieces[next(pieces.length)] ?? '') : '') +
          body.slice(at + cut);
      }
      let outcome = 'decoded';
      try {
        decodeDERControl(body);
      } catch (error) {
        if (!isTeError(error)) throw new Error(`uncoded error for ${JSON.stringify(body)}`, { cause: error });
        outcome = error.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The mutations reach every layer: the screen, the parser, the namespace check and the typed read.
    expect([...outcomes.keys()].sort()).toEqual(
      expect.arrayContaining(['TE_ERR_VALIDATION', 'TE_ERR_XML_FORBIDDEN', 'TE_ERR_XML_MALFORMED']),
    );
  });
});
